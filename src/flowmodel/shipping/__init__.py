"""Shipping capacity of a route from fleet, voyage and terminal data (like :mod:`flowmodel.hydraulics`).

>>> from flowmodel.shipping import RouteSpec, route_capacity
>>> r = route_capacity(RouteSpec(ships=15, cargo_m3=172_600, density_t_m3=0.45, ice_km=4747,
...                              ice_speed_knots=8.9, open_km=5953, open_speed_knots=16.7, open_days=153))
>>> round(r.capacity_mt, 2)
4.24
"""

from .table import Route, read_observed, read_routes, route_for_year
from .voyage import RouteSpec, ShippingResult, route_capacity, window_capacity

__all__ = ["Route", "RouteSpec", "ShippingResult", "read_observed", "read_routes", "route_capacity",
           "route_for_year", "window_capacity"]
