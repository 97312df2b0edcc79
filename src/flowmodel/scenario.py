"""Scenario files (YAML): what is asked of a network.

A scenario names a network folder, a year, which markets to redirect from and to,
how supply is bounded, and small changes (overrides, added or removed rows,
contract scaling).  The schema is a pydantic model with unknown keys forbidden.
"""

from __future__ import annotations

import math

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ScenarioError
from .network import revalidate, Network, apply_changes, range_end, read_network

TableName = Literal["nodes", "arcs", "contracts"]


class Redirect(BaseModel):
    """Markets (country codes of market nodes) volumes are moved from and to."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_: list[str] = Field(alias="from", min_length=1)
    to: list[str] = Field(min_length=1)


class Scenario(BaseModel):
    """A validated scenario.

    ``supply``: ``baseline`` caps each supply/liquefaction node at its observed output
    in the year ("no free resources"; capacity where no observation exists);
    ``capacity`` lets it run up to capacity.  ``capacity``: which arc capacity the
    optimiser uses for pipelines with hydraulic specs (``nameplate``, ``hydraulic``
    or the ``min`` of both).  ``estimates``: ``low`` / ``high`` replace every capacity
    and observed output by the low / high end of its sourced range where the data
    gives one (``capacity_low/high``, ``volume_low/high``): the pessimistic and
    optimistic ends of what the sources allow.
    """

    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$", max_length=120)  # a file name (never '.' or '..')
    description: str = ""
    network: str
    year: int = Field(ge=1900, le=2100)
    redirect: Redirect
    supply: Literal["baseline", "capacity"] = "baseline"
    capacity: Literal["nameplate", "hydraulic", "min", "shipping"] = "nameplate"
    estimates: Literal["central", "low", "high"] = "central"
    policies: Literal["in_force", "none"] | list[str] = "in_force"
    contract_scale: dict[str, float] = Field(default_factory=dict)
    overrides: dict[TableName, dict[str, dict[str, Any]]] = Field(default_factory=dict)
    add: dict[TableName, list[dict[str, Any]]] = Field(default_factory=dict)
    remove: dict[TableName, list[str]] = Field(default_factory=dict)
    sources: list[str] = Field(default_factory=list)
    path: Path | None = Field(default=None, exclude=True)

    @field_validator("name")
    @classmethod
    def _not_dots(cls, v: str) -> str:
        if set(v) == {"."}:
            raise ValueError("a name of only dots would name a folder above the results")
        return v

    @field_validator("contract_scale")
    @classmethod
    def _nonnegative(cls, v: dict[str, float]) -> dict[str, float]:
        for k, f in v.items():
            if not math.isfinite(f) or f < 0:
                raise ValueError(f"factor for {k} must be a finite number >= 0")
        return v

    @property
    def network_path(self) -> Path:
        """Network folder, resolved relative to the scenario file; a missing one is an
        error naming both paths."""
        p = self._network_path()
        if not p.is_dir():
            where = f" (from {self.path})" if self.path is not None else ""
            raise ScenarioError(f"{self.origin}, field 'network': folder '{p}' not found{where}; the path is "
                                "relative to the scenario file")
        return p

    def _network_path(self) -> Path:
        """Network folder, resolved relative to the scenario file."""
        p = Path(self.network)
        if not p.is_absolute() and self.path is not None:
            p = self.path.parent / p
        return p

    @property
    def origin(self) -> str:
        return self.path.name if self.path else f"scenario '{self.name}'"

    def resolved(self) -> dict[str, Any]:
        """The scenario as plain data (for the manifest)."""
        d = self.model_dump(mode="json", by_alias=True)
        d.pop("path", None)
        return d


def _format_error(origin: str, e: ValidationError) -> str:
    err = e.errors()[0]
    loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        msg = "unknown key"
    elif err["type"] == "missing":
        msg = "required key is missing"
    return f"{origin}, field '{loc}': {msg}"


def scenario_from_dict(data: Any, origin: str = "scenario", path: Path | None = None) -> Scenario:
    """Validate a scenario given as a dict (e.g. built in a notebook)."""
    if not isinstance(data, dict):
        raise ScenarioError(f"{origin}: expected a mapping of keys (name, network, year, redirect, ...)")
    try:
        s = Scenario.model_validate(data)
    except ValidationError as e:
        raise ScenarioError(_format_error(origin, e)) from None
    s.path = path
    return s


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario YAML file (parsed with limits: aliases, depth, size,
    duplicate keys; see :mod:`flowmodel.safe_yaml`)."""
    from . import safe_yaml

    path = Path(path)
    if path.is_dir():
        raise ScenarioError(f"{path}: is a folder; name a scenario file (.yaml)")
    if not path.is_file():
        raise ScenarioError(f"{path}: scenario file not found")
    try:
        data = safe_yaml.load(path.read_text(encoding="utf-8"))
    except safe_yaml.YamlLimitError as e:
        raise ScenarioError(f"{path.name}: {e}") from None
    except OSError as e:
        raise ScenarioError(f"{path.name}: cannot be read ({e.strerror or e})") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" row {mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ScenarioError(f"{path.name}{where}: malformed YAML ({problem})") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path.name}: not UTF-8 text") from None
    return scenario_from_dict(data, origin=path.name, path=path)


def scenario_network(s: Scenario, base: Network | None = None) -> Network:
    """The scenario's network (all years) with its changes applied.

    ``estimates: low|high`` picks the ends of the sourced ranges first, then the
    scenario's own changes apply, so an explicit override always wins over a range end.
    A ``base`` network given in code (e.g. edited with pandas) is validated again."""
    net = revalidate(base) if base is not None else read_network(s.network_path)
    if s.estimates != "central":
        net = range_end(net, s.estimates)
    if s.overrides or s.add or s.remove or s.contract_scale:
        net = apply_changes(net, overrides=s.overrides, add=s.add, remove=s.remove,
                            contract_scale=s.contract_scale, origin=s.origin)
    markets = net.nodes[net.nodes["kind"] == "market"]
    countries = set(markets["country"])
    for key, codes in (("redirect.from", s.redirect.from_), ("redirect.to", s.redirect.to)):
        for c in codes:
            if c not in countries:
                raise ScenarioError(f"{s.origin}, field '{key}': no market node in country '{c}' "
                                    f"(known: {', '.join(sorted(countries))})")
    overlap = set(s.redirect.from_) & set(s.redirect.to)
    if overlap:
        raise ScenarioError(f"{s.origin}, field 'redirect': '{sorted(overlap)[0]}' is both a from and a to market")
    return net
