"""``flowmodel shipping``: shipping capacity of a route from fleet and voyage data.

Only typer and rich are imported when the CLI is built."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    name="shipping",
    help="Shipping capacity of a route from its fleet, distance, speed and open season.\n\n"
         "Example: flowmodel shipping route --ships 15 --cargo-m3 172600 --distance-km 10700 --speed-knots 12 "
         "--open-days 153",
    no_args_is_help=True,
)
console = Console()


def _print(res) -> None:
    t = Table(title=f"Shipping capacity: {res.route}", title_justify="left", header_style="bold")
    t.add_column("step")
    t.add_column("value", justify="right")
    t.add_column("unit")
    for what, value, unit in res.steps:
        t.add_row(what, f"{value:.3f}" if unit != "Mt/yr" else f"{value:.2f}", unit)
    console.print(t)
    console.print(f"capacity {res.capacity_mt:.2f} Mt/yr (limited by the {res.limiting})", highlight=False)


@app.command()
def route(
    ships: Optional[float] = typer.Option(None, help="Ships serving the route (blank: terminal-limited route)"),
    cargo_m3: float = typer.Option(..., help="Cargo per ship, m3"),
    density_t_m3: float = typer.Option(0.45, help="Cargo density, t/m3 (LNG ~0.45)"),
    distance_km: Optional[float] = typer.Option(None, help="One-way distance, km"),
    speed_knots: Optional[float] = typer.Option(None, help="Average speed incl. ice, knots"),
    open_days: float = typer.Option(365.0, help="Days per year the route is open for this ice class"),
    loading_days: float = typer.Option(1.0, help="Days in the loading port per voyage"),
    unloading_days: float = typer.Option(1.0, help="Days in the unloading port per voyage"),
    transshipment_days: float = typer.Option(0.0, help="Days of transshipment per voyage"),
    terminal_cargoes: Optional[float] = typer.Option(None, "--terminal-cargoes",
                                                     help="Cargoes per year a terminal on the route can handle"),
) -> None:
    """Annual capacity of one shipping route, with the voyage arithmetic step by step.

    Example: flowmodel shipping route --ships 15 --cargo-m3 172600 --distance-km 10700 --speed-knots 12 --open-days 153
    """
    from .shipping import RouteSpec, route_capacity

    spec = RouteSpec("route", ships, cargo_m3, density_t_m3, distance_km, speed_knots, open_days, loading_days,
                     unloading_days, transshipment_days, terminal_cargoes)
    _print(route_capacity(spec))


@app.command()
def network(
    folder: Path = typer.Argument(Path("networks/east_asia"), help="Network folder with shipping.csv"),
) -> None:
    """Capacity of every route of a network's shipping.csv (what ``capacity: shipping`` uses).

    Example: flowmodel shipping network networks/east_asia
    """
    from .shipping import read_routes, route_capacity

    for name, (spec, arcs) in read_routes(folder).items():
        _print(route_capacity(spec))
        console.print(f"sets arcs: {', '.join(arcs)}", highlight=False)
