"""``flowmodel shipping``: annual capacity of an LNG/tanker route from fleet and voyage data.

Prints the capacity with units and the voyage arithmetic step by step (rich table).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from typing import TYPE_CHECKING

from flowmodel.errors import ShippingError

if TYPE_CHECKING:  # the shipping package (pandas) is imported inside the commands: --help stays fast
    from flowmodel.shipping import ShippingResult

app = typer.Typer(
    name="shipping",
    help="Shipping route capacity from fleet, voyage and terminal data.\n\n"
         "Example: flowmodel shipping route --ships 15 --cargo-m3 172600 --ice-km 4747 --ice-speed-knots 8.9 "
         "--open-km 5953 --open-speed-knots 16.7 --open-days 153",
    no_args_is_help=True,
)
console = Console()


def _report(res: ShippingResult, label: str) -> None:
    t = Table("step", "arithmetic", "value", "unit", title=f"Shipping capacity: {label}")
    for step, formula, value, unit in res.steps():
        t.add_row(step, formula, f"{value:,.3f}", unit)
    console.print(t)
    console.print(f"capacity {res.capacity_mt:.3f} Mt/yr ({res.cargoes:.1f} cargoes/yr; limited by {res.limiting})")


@app.command()
def route(
    ships: int = typer.Option(..., help="Ships of the ice class on the route"),
    cargo_m3: float = typer.Option(..., help="Cargo per ship, m3"),
    density_t_m3: float = typer.Option(0.45, help="Cargo density, t/m3 (LNG ~0.45: GIIGNL Information Paper No. 1)"),
    ice_km: float = typer.Option(0.0, help="Ice leg, one way, km"),
    ice_speed_knots: float = typer.Option(10.0, help="Speed on the ice leg, knots"),
    open_km: float = typer.Option(0.0, help="Open-water leg, one way, km"),
    open_speed_knots: float = typer.Option(16.0, help="Speed in open water, knots"),
    loading_days: float = typer.Option(1.0, help="Days at the loading port"),
    unloading_days: float = typer.Option(1.0, help="Days at the unloading port"),
    transshipment_days: float = typer.Option(0.0, help="Days for a transshipment on the way"),
    open_days: float = typer.Option(365.0, help="Days a year laden departures are possible for the ice class"),
    terminal_cargoes: Optional[float] = typer.Option(None, "--terminal-cargoes",
                                                     help="Terminal cap, cargoes/yr (default: none)"),
) -> None:
    """Annual capacity of one route and the voyage arithmetic.

    Example: flowmodel shipping route --ships 15 --cargo-m3 172600 --open-km 3800 --ice-km 1000
    --ice-speed-knots 8.9 --open-speed-knots 16.7 --transshipment-days 1 --terminal-cargoes 107
    """
    from flowmodel.shipping import RouteSpec, route_capacity

    spec = RouteSpec(ships, cargo_m3, density_t_m3, ice_km, ice_speed_knots, open_km, open_speed_knots,
                     loading_days, unloading_days, transshipment_days, open_days, terminal_cargoes)
    _report(route_capacity(spec), f"{ships} ships x {cargo_m3:,.0f} m3")


@app.command()
def arc(
    arc_id: str = typer.Argument(..., help="Arc id named in shipping.csv (or a route id)"),
    scenario: Optional[Path] = typer.Argument(None, help="Scenario YAML (its network and year); default: --network"),
    network: Path = typer.Option(Path("networks/east_asia"), help="Network folder when no scenario is given"),
    year: Optional[int] = typer.Option(None, help="Year (default: the scenario's year, else the latest row)"),
) -> None:
    """Shipping capacity of one arc from shipping.csv, with the voyage arithmetic.

    Example: flowmodel shipping arc yamal_nsr_east scenarios/default_shipping.yaml
    """
    folder = network
    if scenario is not None:
        from flowmodel.study import as_scenario as load_scenario  # a file or a scenario name

        sc = load_scenario(scenario)
        folder = sc.network_path
        year = sc.year if year is None else year
    from flowmodel.shipping import read_routes, route_capacity, route_for_year

    routes = read_routes(folder)
    names = {r.route for r in routes if arc_id == r.route or arc_id in r.arcs}
    if not names:
        known = sorted({a for r in routes for a in r.arcs} | {r.route for r in routes})
        raise ShippingError(f"arc {arc_id!r} is not set by shipping.csv (known: {', '.join(known)})")
    name = names.pop()
    if year is None:
        year = max(r.start_year if r.end_year is None else r.end_year for r in routes if r.route == name)
    r = route_for_year(routes, name, year)
    joint = f" (shared by {', '.join(r.arcs)})" if r.joint else ""
    _report(route_capacity(r.spec), f"route {name}, {year}{joint}")
    console.print(f"shipping.csv row {r.line}; status {r.status}; source: {r.source}")
