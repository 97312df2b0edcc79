"""``flowmodel uncertainty`` and ``flowmodel sensitivity`` (the model is imported inside the commands)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def uncertainty(
    scenario: Annotated[Optional[Path], typer.Argument(help="Scenario file or name (default: default).")] = None,
    samples: Annotated[int, typer.Option(help="Number of samples.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed (results depend on it and nothing else).")] = 0,
    year: Annotated[Optional[int], typer.Option(help="Year (default: the scenario's).")] = None,
    workers: Annotated[int, typer.Option(help="Local worker processes.")] = 1,
    scheduler: Annotated[Optional[str], typer.Option(
        help="Dask scheduler address (tcp://host:port), or 'local' for a local Dask cluster.")] = None,
    full: Annotated[bool, typer.Option("--full", help="Also 'from CN' per sample (the full solve path).")] = False,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Output folder (default results/<name>-uncertainty/).")
                       ] = None,
    force: Annotated[bool, typer.Option("--force", help="Write into a folder holding files flowmodel did not write.")
                     ] = False,
) -> None:
    """Monte Carlo over the sourced ranges: P10/P50/P90 of max_to per commodity; writes samples.csv,
    summary.csv, binding.csv, inputs.csv and histogram.png.

    Example: flowmodel uncertainty default --samples 200 --seed 1
    """
    from rich.console import Console

    from .console import table
    from .output import write_csv_text, write_result_dir
    from .progress import progress
    from .study import as_scenario
    from .sampling import histogram_png, run_uncertainty

    s = as_scenario(scenario)
    with progress(samples, f"{samples} samples") as advance:
        def step(n: int) -> None:
            for _ in range(n):
                advance()
        res = run_uncertainty(s, samples, seed, year, workers, scheduler, full, progress=step)
    y = int(res["summary"]["year"].iloc[0]) if len(res["summary"]) else s.year
    files: dict[str, str | bytes] = {f"{k}.csv": write_csv_text(v) for k, v in res.items()}
    files["histogram.png"] = histogram_png(res["samples"], f"{s.name} {y}: {samples} samples over the sourced ranges")
    target = out_dir or Path("results") / f"{s.name}-uncertainty"
    write_result_dir(target, files, force)
    out = Console(soft_wrap=False)
    sm = res["summary"]
    out.print(table(sm, f"{s.name} {y}: {samples} samples over {len(res['inputs'])} sourced ranges (spread of the "
                    "sources' disagreement, not a forecast)",
                    ["metric", "commodity", "p10", "p50", "p90", "mean"], {"p10", "p50", "p90", "mean"}))
    out.print(f"wrote {target}/ ({', '.join(sorted(files))})", highlight=False)


def sensitivity(
    scenario: Annotated[Optional[Path], typer.Argument(help="Scenario file or name (default: default).")] = None,
    year: Annotated[Optional[int], typer.Option(help="Year (default: the scenario's).")] = None,
    vary: Annotated[Optional[str], typer.Option(
        help="Grid sweep of one field instead: TABLE:ID.FIELD=START:STOP:STEP (writes grid.csv).")] = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Output folder (default results/<name>-sensitivity/).")
                       ] = None,
    force: Annotated[bool, typer.Option("--force", help="Write into a folder holding files flowmodel did not write.")
                     ] = False,
) -> None:
    """One sourced range at a time at its low and high end: the inputs ranked by how much they
    swing max_to (tornado.csv, tornado.png).

    Example: flowmodel sensitivity default --vary nodes:kozmino.capacity=40:50:5
    """
    from rich.console import Console

    from .console import table
    from .output import write_csv_text, write_result_dir
    from .study import as_scenario
    from .sampling import run_grid, run_sensitivity, tornado_png

    s = as_scenario(scenario)
    if vary:
        grid = run_grid(s, vary, year)
        target = out_dir or Path("results") / f"{s.name}-sensitivity"
        write_result_dir(target, {"grid.csv": write_csv_text(grid)}, force)
        Console(soft_wrap=False).print(table(grid, f"{s.name}: max_to as {vary.split('=')[0]} varies",
                                             ["value", "commodity", "max_to"], {"value", "max_to"}))
        return
    df = run_sensitivity(s, year)
    target = out_dir or Path("results") / f"{s.name}-sensitivity"
    write_result_dir(target, {"tornado.csv": write_csv_text(df),
                              "tornado.png": tornado_png(df, f"{s.name}: what moves max_to most")}, force)
    Console(soft_wrap=False).print(table(df.head(12), f"{s.name}: inputs ranked by their swing of max_to",
                                         ["input", "commodity", "max_to_at_low", "max_to_at_high", "swing"],
                                         {"max_to_at_low", "max_to_at_high", "swing"}))


def register(app: typer.Typer) -> None:
    app.command(name="uncertainty")(uncertainty)
    app.command(name="sensitivity")(sensitivity)
