"""``flowmodel report`` and the ``--plot`` / ``--xlsx`` outputs of ``run`` and ``compare``.

Only typer is imported when the CLI is built; the model, pandas and matplotlib are
imported inside the commands.  Every file goes through :func:`_write` (the project's
atomic writer).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer


def _write(path: Path, content: str | bytes, force: bool = False) -> Path:
    from .reporting import write_file
    return write_file(path, content, force)


def _say(text: str) -> None:
    from rich.console import Console
    Console(soft_wrap=False).print(text, markup=False, highlight=False)


# --------------------------------------------------------------------------- compare extras
def compare_extras(df, target: Path, plot: bool = False, dpi: int = 150, xlsx: Optional[Path] = None,
                   force: bool = False) -> None:
    """After ``flowmodel compare``: the chart next to the CSV (``--plot``: same name, ``.png``)
    and the workbook (``--xlsx FILE``)."""
    if plot:
        from .reporting.static import compare_png
        png = Path(target).with_suffix(".png")
        _write(png, compare_png(df, dpi=dpi), force)
        _say(f"wrote {png}")
    if xlsx is not None:
        from .xlsx import workbook_bytes
        _write(xlsx, workbook_bytes({"compare": df}, title="flowmodel compare"), force)
        _say(f"wrote {xlsx}")


# --------------------------------------------------------------------------- report
def report(
    scenarios: Annotated[Optional[list[Path]], typer.Argument(
        help="Scenario YAML files (default: scenarios/default.yaml).")] = None,
    out_file: Annotated[Optional[Path], typer.Option(
        "--out", help="HTML file (default results/<name>-report.html, results/report.html for several).")] = None,
    years: Annotated[str, typer.Option(help="Years of the timeline of the first scenario.")] = "2009-2030",
    timeline: Annotated[bool, typer.Option("--timeline/--no-timeline", help="Include the timeline chart.")] = True,
    png_dir: Annotated[Optional[Path], typer.Option(
        "--png", help="Also write the PNG twins of every chart into this folder.")] = None,
    dpi: Annotated[int, typer.Option(help="Resolution of the PNGs (300 for print).", min=50, max=1200)] = 150,
    xlsx: Annotated[Optional[Path], typer.Option(help="Also write every table into this Excel workbook.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Write over files (or into a --png folder) flowmodel "
                                        "did not write; other files are left untouched.")] = False,
) -> None:
    """One self-contained offline HTML file: network map, Sankey per commodity, timeline,
    redirect table, binding constraints and the source of every input row.

    Example: flowmodel report scenarios/default.yaml --out results/default-report.html
    """
    from .errors import FlowModelError

    for opt, path, want in (("--out", out_file, "an .html file"), ("--xlsx", xlsx, "an .xlsx file"),
                            ("--png", png_dir, "a folder")):
        if path is not None and path.exists() and path.is_dir() != (want == "a folder"):
            raise FlowModelError(f"{opt} {path}: {'a file' if want == 'a folder' else 'a folder'}; name {want}")
    from .api import as_scenario, parse_years
    from .api import compare as api_compare
    from .api import run as api_run
    from .api import timeline as api_timeline
    from .progress import progress as _progress
    from .reporting import write_report

    scs = [as_scenario(p) for p in scenarios] if scenarios else [as_scenario(None)]
    results = []
    with _progress(len(scs), "solving scenarios") as advance:
        for s in scs:
            results.append(api_run(s))
            advance()
    tl = None
    if timeline:
        ys = parse_years(years)
        with _progress(len(ys), "solving years") as advance:
            tl = api_timeline(scs[0], ys, progress=advance)
    cmp = api_compare(scs) if len(scs) > 1 else None
    target = out_file or Path("results") / (f"{scs[0].name}-report.html" if len(scs) == 1 else "report.html")
    write_report(target, results, timeline=tl, compare=cmp, force=force)
    _say(f"wrote {target} ({target.stat().st_size / 1e6:.2f} MB, offline: opens without a network)")
    if png_dir is not None:
        from .reporting.build import png_files
        from .reporting.static import compare_png
        from .reporting.timeline import timeline_png

        files: dict[str, bytes] = {}
        for res in results:
            prefix = f"{res.scenario.name}-" if len(results) > 1 else ""
            files.update({prefix + k: v for k, v in png_files(res, dpi=dpi).items()})
        if tl is not None:
            files["timeline.png"] = timeline_png(tl, scs[0], dpi=dpi)
        if cmp is not None:
            files["compare.png"] = compare_png(cmp, dpi=dpi)
        from .output import write_result_dir
        write_result_dir(png_dir, files, force)
        _say(f"wrote {png_dir}/ ({len(files)} PNG files at {dpi} dpi)")
    if xlsx is not None:
        from .xlsx import result_tables, workbook_bytes

        tables = {}
        if cmp is not None:
            tables["compare"] = cmp
        if tl is not None:
            tables["timeline"] = tl
        for i, res in enumerate(results, start=1):
            for name, df in result_tables(res).items():
                tables[f"{i} {name}" if len(results) > 1 else name] = df
        manifest = results[0].manifest if len(results) == 1 else \
            {f"{i} {r.scenario.name}": r.manifest for i, r in enumerate(results, start=1)}
        _write(xlsx, workbook_bytes(tables, manifest, title="flowmodel report"), force)
        _say(f"wrote {xlsx}")


def register(app: typer.Typer) -> None:
    """Add ``report`` to the ``flowmodel`` command line."""
    app.command(name="report")(report)
