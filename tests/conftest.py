"""Shared fixtures: small networks written as CSV folders, the tiny network, scenario dicts."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pytest

from flowmodel.schema import TABLES

TINY = Path(__file__).resolve().parent / "data" / "tiny"

# Columns written for each table (the subset of the schema the tests use, in schema order).
DEFAULT_COLUMNS = {
    "nodes": ["id", "name", "kind", "country", "commodity", "capacity", "unit", "start_year", "end_year",
              "source"],
    "arcs": ["id", "from", "to", "commodity", "capacity", "unit", "mode", "length_km", "start_year", "end_year",
             "source"],
    "contracts": ["id", "seller", "buyer", "commodity", "min_volume", "max_volume", "unit", "start_year",
                  "end_year", "source"],
    "baseline": ["year", "market", "commodity", "volume", "unit", "source"],
    "production": ["year", "node", "commodity", "volume", "unit", "source"],
    "policies": ["id", "name", "kind", "commodity", "origin", "arc", "buyer_country", "exempt_origin", "max_volume",
                 "unit", "start_year", "end_year", "start_month", "source"],
}

UNITS = {"crude": "Mt/yr", "gas": "bcm/yr", "lng": "Mt/yr"}


def _fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _complete(table: str, row: Mapping) -> dict:
    """Fill the defaults every row needs (name, unit, source, mode) so tests stay short."""
    r = dict(row)
    r.setdefault("source", "test")
    com = r.get("commodity")
    if table == "nodes":
        r.setdefault("name", r.get("id", ""))
        if r.get("capacity") not in (None, "") and com in UNITS:
            r.setdefault("unit", UNITS[com])
    elif table == "arcs":
        r.setdefault("mode", "pipeline")
        if r.get("capacity") not in (None, "") and com in UNITS:
            r.setdefault("unit", UNITS[com])
    elif com in UNITS:
        r.setdefault("unit", UNITS[com])
    if table == "policies":
        r.setdefault("name", r.get("id", ""))
    return r


def csv_text(table: str, rows: Iterable[Mapping], columns: list[str] | None = None) -> str:
    """CSV text of ``rows`` (dicts) with the schema columns of ``table``."""
    rows = [_complete(table, r) for r in rows]
    cols = list(columns or DEFAULT_COLUMNS[table])
    for r in rows:
        for k in r:
            if k not in cols:
                assert k in TABLES[table].names, f"{k} is not a column of {table}"
                cols.append(k)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow([_fmt(r.get(c)) for c in cols])
    return buf.getvalue()


def write_network(folder: Path, nodes: Iterable[Mapping] | str = (), arcs: Iterable[Mapping] | str = (),
                  contracts: Iterable[Mapping] | str = (), baseline: Iterable[Mapping] | str = (),
                  production: Iterable[Mapping] | str | None = None,
                  policies: Iterable[Mapping] | str | None = None) -> Path:
    """Write a network folder; each table is a list of row dicts or raw CSV text.

    Rows get ``source='test'``, ``name=id``, ``mode='pipeline'`` and the canonical
    unit of their commodity unless given.  ``production=None`` / ``policies=None`` omit
    the optional file.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("nodes", nodes), ("arcs", arcs), ("contracts", contracts), ("baseline", baseline),
                       ("production", production), ("policies", policies)):
        if rows is None:
            continue
        text = rows if isinstance(rows, str) else csv_text(name, rows)
        (folder / TABLES[name].filename).write_text(text, encoding="utf-8")
    return folder


def scenario_dict(network: str | Path = TINY, year: int = 2018, frm=("CN",), to=("JP", "KR"),
                  name: str = "test", **extra) -> dict:
    """A scenario as a dict (what a YAML file would hold)."""
    d = {"name": name, "network": str(network), "year": year,
         "redirect": {"from": list(frm), "to": list(to)}}
    d.update(extra)
    return d


def chain_network(folder: Path, supply_cap=100.0, pipe_cap=200.0, port_cap=40.0, production=None,
                  contracts=(), baseline=()) -> Path:
    """supply 'src' -> pipeline 'pipe' -> terminal 'port' -> tankers to JP and to CN.

    Also a direct pipeline 'cnpipe' (capacity 30) from src to the CN market.
    """
    nodes = [
        {"id": "src", "kind": "supply", "country": "RU", "commodity": "crude", "capacity": supply_cap},
        {"id": "port", "kind": "terminal", "country": "RU", "commodity": "crude", "capacity": port_cap},
        {"id": "jp", "kind": "market", "country": "JP", "commodity": "crude"},
        {"id": "cn", "kind": "market", "country": "CN", "commodity": "crude"},
    ]
    arcs = [
        {"id": "pipe", "from": "src", "to": "port", "commodity": "crude", "capacity": pipe_cap},
        {"id": "cnpipe", "from": "src", "to": "cn", "commodity": "crude", "capacity": 30},
        {"id": "t_jp", "from": "port", "to": "jp", "commodity": "crude", "mode": "tanker"},
        {"id": "t_cn", "from": "port", "to": "cn", "commodity": "crude", "mode": "tanker"},
    ]
    return write_network(folder, nodes, arcs, contracts, baseline, production)


@pytest.fixture
def tiny_path() -> Path:
    """The hand-made network of tests/data/tiny (read only; copy it before editing)."""
    return TINY


@pytest.fixture(scope="session")
def tiny_net():
    import flowmodel as fm
    return fm.read_network(TINY)


@pytest.fixture
def make_network(tmp_path) -> Callable[..., Path]:
    """``make_network(nodes=..., arcs=..., ...)`` -> folder under tmp_path (a new one per call)."""
    counter = {"n": 0}

    def make(**tables) -> Path:
        counter["n"] += 1
        return write_network(tmp_path / f"net{counter['n']}", **tables)

    return make


@pytest.fixture
def make_scenario() -> Callable[..., dict]:
    """Factory of scenario dicts: ``make_scenario(network=path, year=2018, frm=('CN',), to=('JP','KR'))``."""
    return scenario_dict


@pytest.fixture
def tiny_copy(tmp_path) -> Path:
    """A writable copy of the tiny network."""
    dst = tmp_path / "tiny"
    dst.mkdir()
    for p in TINY.glob("*.csv"):
        (dst / p.name).write_bytes(p.read_bytes())
    return dst


def contract(cid, vmin, vmax=None, seller="src", buyer="cn", **kw):
    """A crude contract row (defaults: seller src, buyer cn)."""
    d = {"id": cid, "seller": seller, "buyer": buyer, "commodity": "crude", "min_volume": vmin, "max_volume": vmax}
    d.update(kw)
    return d


def random_network(rng: random.Random, folder) -> Path:
    """A random crude + gas/LNG network with baselines, production and (maybe) contracts, year 2020."""
    crude_markets = [("cn", "CN"), ("jp", "JP"), ("kr", "KR"), ("row", "ROW")]
    nodes = [
        {"id": "s1", "kind": "supply", "country": "RU", "commodity": "crude", "capacity": rng.randint(20, 100)},
        {"id": "s2", "kind": "supply", "country": "RU", "commodity": "crude", "capacity": rng.randint(0, 60)},
        {"id": "j1", "kind": "junction", "country": "RU", "commodity": "crude"},
        {"id": "j2", "kind": "junction", "country": "RU", "commodity": "crude"},
        {"id": "port", "kind": "terminal", "country": "RU", "commodity": "crude", "capacity": rng.randint(5, 60)},
        {"id": "g", "kind": "supply", "country": "RU", "commodity": "gas", "capacity": rng.randint(10, 60)},
        {"id": "plant", "kind": "liquefaction", "country": "RU", "commodity": "lng", "capacity": rng.randint(1, 20)},
        {"id": "cn_gas", "kind": "market", "country": "CN", "commodity": "gas"},
        {"id": "cn_lng", "kind": "market", "country": "CN", "commodity": "lng"},
        {"id": "jp_lng", "kind": "market", "country": "JP", "commodity": "lng"},
    ] + [{"id": i, "kind": "market", "country": c, "commodity": "crude"} for i, c in crude_markets]
    arcs = []

    def arc(a, b, com="crude", mode="pipeline", cap=None):
        cap = rng.randint(0, 60) if cap is None and mode == "pipeline" else cap
        arcs.append({"id": f"{a}_{b}", "from": a, "to": b, "commodity": com, "capacity": cap, "mode": mode,
                     "length_km": rng.randint(100, 3000)})

    for a, b in (("s1", "j1"), ("s2", "j1"), ("s2", "j2"), ("j1", "j2"), ("j2", "j1"), ("j1", "cn"),
                 ("j2", "port"), ("j1", "port"), ("j2", "cn")):
        if rng.random() < 0.8:
            arc(a, b)
    for m, _ in crude_markets:
        if rng.random() < 0.8:
            arc("port", m, mode="tanker")
    arc("g", "cn_gas", "gas")
    arc("g", "plant", "gas")
    arc("plant", "cn_lng", "lng", "lng_carrier")
    arc("plant", "jp_lng", "lng", "lng_carrier")
    baseline, production = [], []
    for _m, c in crude_markets:
        if rng.random() < 0.7:
            baseline.append({"year": 2020, "market": c, "commodity": "crude", "volume": rng.randint(0, 30)})
    for c, com in (("CN", "gas"), ("CN", "lng"), ("JP", "lng")):
        if rng.random() < 0.7:
            baseline.append({"year": 2020, "market": c, "commodity": com, "volume": rng.randint(0, 10)})
    for n, com in (("s1", "crude"), ("s2", "crude"), ("g", "gas"), ("plant", "lng")):
        if rng.random() < 0.5:
            production.append({"year": 2020, "node": n, "commodity": com, "volume": rng.randint(0, 50)})
    contracts = []
    if rng.random() < 0.6:
        contracts.append(contract("k1", rng.randint(0, 8), seller="s1;s2"))
    if rng.random() < 0.5:
        contracts.append({"id": "k2", "seller": "g", "buyer": "cn_gas", "commodity": "gas",
                          "min_volume": rng.randint(0, 8)})
    return write_network(folder, nodes, arcs, contracts, baseline, production)
