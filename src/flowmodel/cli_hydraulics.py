"""``flowmodel hydraulics``: physics-based capacity and pressure profile of one pipeline.

pandapipes is imported only when a command runs (through :mod:`flowmodel.hydraulics`
functions), never when the CLI is built.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from flowmodel.errors import HydraulicsError
from flowmodel.output import write_result_file
from flowmodel.hydraulics import PipeSpec, max_throughput, pressure_profile, spec_from_arc

app = typer.Typer(
    name="hydraulics",
    help="Physics-based pipeline capacity (pandapipes).\n\n"
         "Example: flowmodel hydraulics pipe --commodity gas --inner-diameter-mm 1372 "
         "--length-km 2200 --max-pressure-bar 99.8 --min-outlet-bar 55 --stations 8",
    no_args_is_help=True,
)
console = Console()


def _plot(df, path: Path, title: str, force: bool = False) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4))
    ax.plot(df["distance_km"], df["pressure_bar"], lw=1.5)
    st = df[df["station"]]
    ax.plot(st["distance_km"], st["pressure_bar"], "o", ms=3, label="station suction/discharge")
    ax.set_xlabel("distance, km")
    ax.set_ylabel("pressure, bar (absolute)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(loc="best")
    fig.tight_layout()

    buf = io.BytesIO()
    try:
        fig.savefig(buf, format="png", dpi=120)
    finally:
        plt.close(fig)
    write_result_file(path, buf.getvalue(), force, suffixes=(".png",))


def _report(spec: PipeSpec, flow: Optional[float], csv: Optional[Path], plot: Optional[Path], label: str,
            force: bool = False) -> None:
    cap = max_throughput(spec)
    if flow is None:
        t = Table(title=f"Maximum throughput: {label}", show_header=False)
        t.add_row("capacity", f"{cap.value:.2f} {cap.unit}")
        t.add_row("mass flow", f"{cap.mass_flow_kg_s:.1f} kg/s")
        t.add_row("limiting", f"{cap.limiting} ({cap.end_pressure_bar:.1f} bar abs at the end of a segment)")
        t.add_row("segments", f"{cap.segments} x {spec.segment_km:.1f} km ({spec.stations} intermediate stations)")
        t.add_row("sections", f"{cap.sections} ({cap.sections_per_segment} per segment)")
        t.add_row("pipeflow calls", f"{cap.pipeflow_calls} ({cap.seconds:.2f} s)")
        console.print(t)
        if csv is None and plot is None:
            return
        flow = cap.value
    df = pressure_profile(spec, flow)
    if csv is None and plot is None or flow != cap.value:
        console.print(f"Pressure profile of {label} at {flow:g} {cap.unit} "
                      f"(capacity {cap.value:.2f} {cap.unit}; limiting: {cap.limiting})")
        t = Table("distance_km", "pressure_bar (abs)", "section", "station")
        step = max(1, math.ceil(len(df) / 40))
        keep = df.index[(df.index % step == 0) | df["station"] | (df.index == df.index[-1])]
        for _, r in df.loc[keep].iterrows():
            t.add_row(f"{r.distance_km:.1f}", f"{r.pressure_bar:.2f}", str(int(r.section)), "yes" if r.station else "")
        console.print(t)
    if csv is not None:
        write_result_file(csv, df.to_csv(index=False, lineterminator="\n"), force, suffixes=(".csv",))
        console.print(f"wrote {csv}")
    if plot is not None:
        _plot(df, plot, f"{label}: {flow:g} {cap.unit}", force)
        console.print(f"wrote {plot}")


@app.command()
def pipe(
    commodity: str = typer.Option(..., help="gas or crude"),
    inner_diameter_mm: float = typer.Option(..., help="Inner diameter, mm"),
    length_km: float = typer.Option(..., help="Length, km"),
    max_pressure_bar: float = typer.Option(..., help="Max operating pressure, bar absolute (inlet and station discharge)"),
    min_outlet_bar: float = typer.Option(..., help="Gas: delivery pressure; crude: min pump suction/delivery; bar absolute"),
    stations: int = typer.Option(0, help="Intermediate compressor/pump stations, equally spaced"),
    max_station_ratio: Optional[float] = typer.Option(None, help="Gas: max compression ratio per station (default 1.5)"),
    roughness_mm: float = typer.Option(0.02, help="Wall roughness, mm"),
    temperature_c: float = typer.Option(15.0, help="Flowing temperature, °C"),
    elevation_change_m: float = typer.Option(0.0, help="Outlet minus inlet elevation, m"),
    flow: Optional[float] = typer.Option(None, help="Print the pressure profile at this flow (bcm/yr or Mt/yr)"),
    csv: Optional[Path] = typer.Option(None, help="Write the pressure profile to this CSV file"),
    plot: Optional[Path] = typer.Option(None, help="Write a PNG plot of the pressure profile"),
    force: bool = typer.Option(False, "--force", help="Write over --csv/--plot files flowmodel did not write"),
) -> None:
    """Maximum throughput (or pressure profile at --flow) of one pipeline.

    Example: flowmodel hydraulics pipe --commodity crude --inner-diameter-mm 1178 --length-km 2757
    --max-pressure-bar 75 --min-outlet-bar 4 --stations 20 --flow 80 --plot espo.png
    """
    spec = PipeSpec(commodity, inner_diameter_mm, length_km, max_pressure_bar, min_outlet_bar, stations,
                    max_station_ratio, roughness_mm, temperature_c, elevation_change_m)
    _report(spec, flow, csv, plot, f"{commodity} {inner_diameter_mm:g} mm x {length_km:g} km", force)


@app.command()
def arc(
    arc_id: str = typer.Argument(..., help="Arc id in arcs.csv"),
    scenario: Optional[Path] = typer.Argument(None, help="Scenario YAML (its network and year); default: --network"),
    network: Path = typer.Option(Path("networks/east_asia"), help="Network folder when no scenario is given"),
    year: Optional[int] = typer.Option(None, help="Year of the arc row (default: scenario year, else the latest row)"),
    flow: Optional[float] = typer.Option(None, help="Print the pressure profile at this flow"),
    csv: Optional[Path] = typer.Option(None, help="Write the pressure profile to this CSV file"),
    plot: Optional[Path] = typer.Option(None, help="Write a PNG plot of the pressure profile"),
    force: bool = typer.Option(False, "--force", help="Write over --csv/--plot files flowmodel did not write"),
) -> None:
    """Maximum throughput (or pressure profile) of one network arc, from its hydraulic columns.

    Example: flowmodel hydraulics arc pos_main scenarios/hydraulic_2024.yaml --plot pos_main.png
    """
    from flowmodel.network import active_mask, read_network

    if scenario is not None:
        from flowmodel.scenario import load_scenario, scenario_network

        sc = load_scenario(scenario)
        net = scenario_network(sc)
        year = sc.year if year is None else year
    else:
        net = read_network(network)
    arcs = net.arcs
    rows = arcs[arcs["id"] == arc_id]
    if rows.empty:
        known = ", ".join(sorted(map(str, arcs["id"].unique()))[:12])
        raise HydraulicsError(f"arc {arc_id!r} not found (known: {known}{', ...' if arcs['id'].nunique() > 12 else ''})")
    if year is not None:
        rows = rows[active_mask(rows, year)]
        if rows.empty:
            raise HydraulicsError(f"arc {arc_id!r} has no row active in {year}")
    row = rows.sort_values("start_year", na_position="first").iloc[-1]
    spec = spec_from_arc(row.to_dict())
    if spec is None:
        raise HydraulicsError(f"arc {arc_id!r} has no hydraulic specification (needs length_km, a diameter, "
                              "max_pressure_bar and min_outlet_bar)")
    label = f"arc {arc_id}" + (f" ({year})" if year is not None else "")
    nameplate = row.get("capacity")
    _report(spec, flow, csv, plot, label, force)
    if flow is None and nameplate is not None and not (isinstance(nameplate, float) and math.isnan(nameplate)):
        console.print(f"nameplate capacity in arcs.csv: {nameplate:g} {spec.unit}")
