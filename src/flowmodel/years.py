"""Year specifications: ``"2009-2030"``, ``"2015,2018"``, an int or an iterable of ints."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import ScenarioError


def parse_years(spec: str | int | Iterable[int]) -> list[int]:
    """``"2009-2030"`` or ``"2015,2018"`` or an int or an iterable -> sorted list of years."""
    if isinstance(spec, bool):
        raise ScenarioError(f"years: {spec!r} is not a year")
    if isinstance(spec, int):
        return [spec]
    if not isinstance(spec, str):
        try:
            return sorted({int(y) for y in spec})
        except (TypeError, ValueError):
            raise ScenarioError(f"years: {spec!r} is not a list of years") from None
    years: set[int] = set()
    for part in spec.split(","):
        part = part.strip()
        try:
            if "-" in part:
                a, b = (int(p) for p in part.split("-", 1))
                if b < a:
                    raise ValueError
                years.update(range(a, b + 1))
            elif part:
                years.add(int(part))
        except ValueError:
            raise ScenarioError(f"--years: '{part}' is not a year or a range like 2009-2030") from None
    if not years:
        raise ScenarioError("--years: no year given")
    return sorted(years)
