"""The ``flowmodel`` command line.

User errors (bad files, unknown ids, infeasible contracts) print one line and exit
with code 2; ``--debug`` shows the traceback instead.  Exit 0 = success, 1 = bug.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
import typer.exceptions as tx
from rich.console import Console
from rich.table import Table

from .errors import FlowModelError

app = typer.Typer(
    name="flowmodel",
    help="Energy-flow network model: how much supply could be redirected from China to Japan/Korea "
    "while contracts are honoured.\n\nExample: flowmodel run scenarios/y2018.yaml --out results/y2018",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=False)  # rich detects the terminal's width
err = Console(stderr=True, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        from . import __version__
        out.print(f"flowmodel {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _main(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
          version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """--debug is read by :func:`main` before typer runs (it decides how errors print)."""


def _num(v, digits: int = 2) -> str:
    from .console import num
    return num(v, digits)


def _table(df, title: str, columns: list[str], numeric: set[str]) -> Table:
    from .console import table
    return table(df, title, columns, numeric)


def _default_out(name: str) -> Path:
    return Path("results") / name


Fmt = Annotated[str, typer.Option("--format", help="What goes to stdout: text (tables), csv or json (the main "
                                   "table, for scripts); files are written either way.")]


def _machine(df, fmt: str) -> bool:
    """Print ``df`` as CSV or JSON on stdout for ``--format csv|json``; False for text."""
    fmt = fmt.lower()
    if fmt == "text":
        return False
    if fmt == "csv":
        from .output import write_csv_text
        sys.stdout.write(write_csv_text(df))
    elif fmt == "json":
        sys.stdout.write(df.to_json(orient="records", indent=1, double_precision=10) + "\n")
    else:
        raise FlowModelError(f"--format: '{fmt}' is not one of text, csv, json")
    return True


def _check_format(fmt: str) -> None:
    if fmt.lower() not in ("text", "csv", "json"):
        raise FlowModelError(f"--format: '{fmt}' is not one of text, csv, json")


Force = Annotated[bool, typer.Option(
    "--force", help="Write into an existing folder (or over a file) that holds files flowmodel did not write; "
    "flowmodel's files are written, every other file is left untouched.")]


# --------------------------------------------------------------------------- run
@app.command()
def run(
    scenario: Annotated[Optional[Path], typer.Argument(help="Scenario YAML (default: scenarios/default.yaml).")] = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Output folder (default results/<name>/).")] = None,
    year: Annotated[Optional[int], typer.Option(help="Override the scenario's year.")] = None,
    hydraulic_check: Annotated[bool, typer.Option("--hydraulic-check",
                                                  help="Check pipeline flows with pandapipes (slow first call).")
                               ] = False,
    plot: Annotated[bool, typer.Option("--plot", help="Also write map and Sankey PNGs into the folder.")] = False,
    dpi: Annotated[int, typer.Option(help="Resolution of --plot PNGs (300 for print).", min=50, max=1200)] = 150,
    xlsx: Annotated[Optional[Path], typer.Option(help="Also write every table into this Excel workbook.")] = None,
    force: Force = False,
    fmt: Fmt = "text",
) -> None:
    """Solve a scenario, print the headline table and write CSVs.

    --out names a new or empty folder, or one holding an earlier flowmodel result and
    nothing else (it is replaced); anything else is refused unless --force.

    Example: flowmodel run y2016 --out results/y2016
    """
    from .api import run as api_run
    from .output import write_result_dir, write_result_file

    _check_format(fmt)
    res = api_run(scenario, year=year, hydraulic_check=True if hydraulic_check else None)
    name = res.scenario.name if year is None else f"{res.scenario.name}-{year}"
    target = out_dir or _default_out(name)
    files: dict[str, str | bytes] = dict(res.files())
    if plot:
        from .reporting.build import png_files
        files |= png_files(res, dpi=dpi)
    workbook = None
    if xlsx is not None:
        from .xlsx import result_workbook
        workbook = result_workbook(res)
    write_result_dir(target, files, force)  # results first: a closed stdout (e.g. `| head`) must not lose them
    if workbook is not None and xlsx is not None:
        write_result_file(xlsx, workbook, force, suffixes=(".xlsx",))
    if _machine(res.redirect, fmt):
        err.print(f"wrote {target}/", highlight=False)
        return
    from .console import print_result
    print_result(out, res)
    if res.hydraulics is not None and len(res.hydraulics):
        out.print(_table(res.hydraulics, "Hydraulic check of pipeline flows (pandapipes)",
                         ["arc", "flow", "hydraulic_capacity", "feasible", "excess", "unit", "limiting"],
                         {"flow", "hydraulic_capacity", "excess"}))
    out.print(f"wrote {target}/ ({', '.join(sorted(files))})" + (f" and {xlsx}" if xlsx else ""))


# --------------------------------------------------------------------------- validate / list
@app.command()
def validate(path: Annotated[Path, typer.Argument(help="Network folder or scenario YAML.")]) -> None:
    """Check a network folder or a scenario file; print every problem found.

    Example: flowmodel validate networks/east_asia
    """
    from .network import read_network
    from .scenario import load_scenario, scenario_network

    try:
        if not path.exists() and path.suffix.lower() not in (".yaml", ".yml"):
            raise FlowModelError(f"{path}: network folder not found (a scenario file ends in .yaml)")
        if path.is_dir():
            net = read_network(path)
            what = f"network {path}"
        else:
            s = load_scenario(path)
            net = scenario_network(s)
            what = f"scenario {path} (network {s.network_path})"
    except FlowModelError as e:
        msgs = getattr(e, "messages", None) or [str(e)]
        for m in msgs:
            err.print(f"error: {m}", markup=False, highlight=False)
        raise typer.Exit(2) from None
    n = net.nodes
    out.print(f"ok: {what}: {n['id'].nunique()} nodes, {net.arcs['id'].nunique()} arcs, "
              f"{net.contracts['id'].nunique()} contracts, {len(net.baseline)} baseline rows, "
              f"years {net.years()[0]}–{net.years()[1]}")


@app.command(name="list")
def list_() -> None:
    """List the networks and scenarios of the project."""
    import yaml

    from .api import find_project_dir

    root = find_project_dir()
    t = Table(title=f"networks ({root / 'networks'})", title_justify="left")
    t.add_column("network")
    t.add_column("files")
    for folder in sorted((root / "networks").iterdir()):
        if folder.is_dir():
            t.add_row(folder.name, ", ".join(sorted(p.name for p in folder.glob("*.csv"))))
    out.print(t)
    t = Table(title=f"scenarios ({root / 'scenarios'})", title_justify="left")
    for c in ("file", "name", "year", "supply", "description"):
        t.add_column(c, overflow="fold")
    for path in sorted((root / "scenarios").glob("*.yaml")):
        try:
            d = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            d = {"description": "(malformed YAML)"}
        if not isinstance(d, dict):
            d = {"description": "(not a mapping)"}
        desc = str(d.get("description", "")).strip().split(". ")[0][:90]
        t.add_row(path.name, str(d.get("name", "")), str(d.get("year", "")), str(d.get("supply", "baseline")), desc)
    out.print(t)


# --------------------------------------------------------------------------- check / timeline / compare
from .progress import progress as _progress  # noqa: E402


@app.command()
def check(
    network: Annotated[Optional[Path], typer.Argument(help="Network folder (default: networks/east_asia).")] = None,
    years: Annotated[Optional[str], typer.Option(help="Years, e.g. 2009-2025 (default: all with baseline).")] = None,
    out_file: Annotated[Optional[Path], typer.Option("--out", help="Write the check table as CSV.")] = None,
    force: Force = False,
    fmt: Fmt = "text",
) -> None:
    """Historical check: do the recorded outputs and observed deliveries fit the network of each year?

    Example: flowmodel check networks/east_asia --years 2015-2024
    """
    from .api import check as api_check
    from .api import find_project_dir, write_csv_text
    from .network import read_network

    _check_format(fmt)
    net = read_network(network or find_project_dir() / "networks" / "east_asia")
    ys = sorted(set(int(y) for y in net.baseline["year"]))
    with _progress(len(ys), "checking years") as advance:
        df = api_check(net, years=years, progress=advance)
    if out_file:
        from .output import write_result_file
        write_result_file(out_file, write_csv_text(df), force, suffixes=(".csv",))
    if _machine(df, fmt):
        return
    out.print(_table(df, f"Historical check of {net.name}",
                     ["year", "status", "description", "limit", "needed", "excess", "unit"],
                     {"limit", "needed", "excess"}))
    bad = sorted(set(df.loc[df["status"] != "ok", "year"]))
    out.print(f"{len(set(df['year'])) - len(bad)} of {len(set(df['year']))} years consistent"
              + (f"; inconsistent: {', '.join(map(str, bad))}" if bad else ""))
    claims = net.tables["claims"]
    if len(claims):
        cl = claims.assign(year=claims["year"].map(lambda y: "" if y != y else str(int(y))))
        out.print(_table(cl, "Published figures beside the primary ones (claims.csv)",
                         ["figure", "year", "quoted_value", "primary_value", "unit", "model_uses"],
                         {"quoted_value", "primary_value"}))
    if out_file:
        out.print(f"wrote {out_file}")


@app.command()
def timeline(
    scenario: Annotated[Optional[Path], typer.Argument(help="Scenario YAML (default: scenarios/default.yaml).")] = None,
    years: Annotated[str, typer.Option(help="Years, e.g. 2009-2030 or 2015,2018.")] = "2009-2030",
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Output folder (default results/<name>-timeline/).")
                       ] = None,
    force: Force = False,
    fmt: Fmt = "text",
) -> None:
    """Solve every year with one model; print redirectable volume per year and commodity,
    write timeline.csv, timeline.png and timeline.html.

    Example: flowmodel timeline scenarios/default.yaml --years 2009-2030
    """
    from .api import as_scenario, parse_years, write_csv_text
    from .api import timeline as api_timeline
    from .output import write_result_dir
    from .plots import timeline_html, timeline_png

    _check_format(fmt)
    s = as_scenario(scenario)
    ys = parse_years(years)
    with _progress(len(ys), "solving years") as advance:
        df = api_timeline(s, ys, progress=advance)
    target = out_dir or _default_out(f"{s.name}-timeline")
    write_result_dir(target, {"timeline.csv": write_csv_text(df), "timeline.png": timeline_png(df, s),
                              "timeline.html": timeline_html(df, s)}, force)
    if _machine(df, fmt):
        return
    wide = df[df["status"] == "optimal"].pivot_table(index="year", columns="commodity", values="redirectable",
                                                     aggfunc="first")
    t = Table(title=f"Redirectable {','.join(s.redirect.from_)} -> {','.join(s.redirect.to)} by year "
                    f"(crude Mt/yr, gas bcm/yr, lng Mt/yr; what limits it — details in timeline.csv)",
              title_justify="left")
    t.add_column("year")
    from .vocabulary import COMMODITY_ORDER
    coms = [c for c in COMMODITY_ORDER if c in wide.columns]
    for c in coms:
        t.add_column(c, justify="right")
        t.add_column("limited by", style="dim")
    notes: list[str] = []
    for y in ys:
        sub = df[df["year"] == y]
        if (sub["status"] == "infeasible").any():
            t.add_row(str(y), "–", "infeasible*", *(["–", ""] * (len(coms) - 1)))
            notes.append(sub["limiting_factor"].iloc[0])
            continue
        kind = sub.set_index("commodity")["limited_by"]
        cells = []
        for c in coms:
            cells += [_num(wide.at[y, c]), str(kind.get(c, ""))]
        t.add_row(str(y), *cells)
    out.print(t)
    for n in notes:
        out.print(f"* {n}", markup=False, highlight=False)
    out.print(f"wrote {target}/ (timeline.csv, timeline.png, timeline.html)")


@app.command()
def compare(
    scenarios: Annotated[list[Path], typer.Argument(help="Two or more scenario files.")],
    out_file: Annotated[Optional[Path], typer.Option("--out", help="CSV file (default results/compare.csv).")] = None,
    plot: Annotated[bool, typer.Option("--plot", help="Also write the chart (the CSV's name, .png).")] = False,
    dpi: Annotated[int, typer.Option(help="Resolution of the --plot PNG (300 for print).", min=50, max=1200)] = 150,
    xlsx: Annotated[Optional[Path], typer.Option(help="Also write the table into this Excel workbook.")] = None,
    force: Force = False,
    fmt: Fmt = "text",
) -> None:
    """Side-by-side headline results of several scenarios (also written as CSV).

    Example: flowmodel compare scenarios/y2016.yaml scenarios/whatif_vladivostok_lng.yaml
    """
    from .api import write_csv_text
    from .api import compare as api_compare
    from .output import write_result_file

    _check_format(fmt)
    with _progress(len(scenarios), "solving scenarios") as advance:

        def each():
            for s in scenarios:
                yield s
                advance()
        df = api_compare(each())
    target = out_file or Path("results") / "compare.csv"
    write_result_file(target, write_csv_text(df), force, suffixes=(".csv",))
    if not _machine(df, fmt):
        from .console import print_compare
        print_compare(out, df)
        out.print(f"wrote {target}")
    from .cli_report import compare_extras
    compare_extras(df, target, plot, dpi, xlsx, force)


def _register_hydraulics() -> None:
    try:
        from .cli_hydraulics import app as hyd
    except ImportError:  # pragma: no cover - module optional during development
        return
    app.add_typer(hyd, name="hydraulics", help="Pipeline capacity from physics (pandapipes).")


_register_hydraulics()
from .cli_shipping import app as _shipping_app  # noqa: E402  (imports only typer and rich)
app.add_typer(_shipping_app, name="shipping", help="Shipping capacity of a route from fleet and voyage data.")
from .cli_uncertainty import register as _register_uncertainty  # noqa: E402  (imports only typer)
_register_uncertainty(app)
from .cli_report import register as _register_report  # noqa: E402  (flowmodel report; imports only typer)
_register_report(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, map user errors to exit code 2."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        rv = app(args=args, prog_name="flowmodel", standalone_mode=False)
    except FlowModelError as e:
        if debug:
            raise
        err.print(f"error: {e}", markup=False, highlight=False)
        return 2
    except (tx.Exit, SystemExit) as e:
        code = getattr(e, "exit_code", getattr(e, "code", 0))
        return int(code or 0)
    except (tx.Abort, KeyboardInterrupt):
        err.print("interrupted: nothing was written")
        return 130
    except tx.TyperException as e:  # usage errors, missing arguments, no arguments
        show = getattr(e, "show", None)
        if show is not None:
            show()
        else:
            err.print(f"error: {e}", markup=False, highlight=False)
        return 0 if type(e).__name__ == "NoArgsIsHelpError" else 2
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
