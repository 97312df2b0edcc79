"""Answers with error bars: Monte Carlo and one-at-a-time sensitivity over the sourced ranges.

Every figure of the year with a sourced range (``capacity_low/high`` of nodes and arcs,
``volume_low/high`` of recorded output) is an uncertain input.  A sample draws each from a
triangular distribution between its low and high end with the central figure as mode.
Rows that share one publication (the same ``source``) and field move together: one uniform
quantile per (source, field) and sample, so a source that is high for one asset is high for
all it reports.  What the distribution means: the spread of the sources' disagreement, not
a forecast.

A sample changes bounds, never structure: one :class:`~flowmodel.study.Study` is compiled
per worker and each sample re-solves it warm from a modified
:class:`~flowmodel.formulation.YearData` (the O1 stage only for ``max_to``; the full
lexicographic path with ``full=True`` for ``from_cn``).  Samples are seeded per sample id
(``numpy.random.SeedSequence(seed).spawn``) and ordered by id, so results are identical for
any number of workers, locally (processes) or on a Dask cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import ScenarioError
from .study import Study, as_scenario

PERCENTILES = (5, 10, 50, 90, 95)


@dataclass(frozen=True)
class Input:
    """One uncertain figure: where it sits in the year's data and its range."""

    key: str          # table:id.field (e.g. arcs:yamal_nsr_east.capacity)
    array: str        # YearData array it changes
    pos: int          # position in that array
    low: float
    central: float
    high: float
    group: str        # (source, field): inputs of one group share a quantile


def uncertain_inputs(study: Study, year: int) -> list[Input]:
    """The inputs of ``year`` that have a sourced range (low < high) and are in force."""
    net, sets = study.network, study.formulation.sets
    data = study.formulation.tables.year_data(year, study.scenario.supply)
    out: list[Input] = []
    for table, index, array in (("nodes", sets.nodes.index, "node_capacity"), ("arcs", sets.arcs.index,
                                                                              "arc_capacity")):
        df = net.tables[table]
        from .network import active_mask
        live = df[active_mask(df, year) & df["capacity_low"].notna() & df["capacity_high"].notna()]
        for _, r in live.iterrows():
            lo, hi, c = float(r["capacity_low"]), float(r["capacity_high"]), float(r["capacity"])
            if hi > lo:
                out.append(Input(f"{table}:{r['id']}.capacity", array, int(index.get_loc(r["id"])), lo,
                                 min(max(c, lo), hi), hi, f"{r['source']}|capacity"))
    if study.scenario.supply == "baseline":
        prod = net.production[(net.production["year"] == year) & net.production["volume_low"].notna()
                              & net.production["volume_high"].notna()]
        for _, r in prod.iterrows():
            lo, hi, c = float(r["volume_low"]), float(r["volume_high"]), float(r["volume"])
            i = int(sets.nodes.index.get_loc(r["node"]))
            if hi > lo and data.node_capacity[i] > 0:
                out.append(Input(f"production:{r['node']}.volume", "output_volume", i, lo, min(max(c, lo), hi), hi,
                                 f"{r['source']}|volume"))
    return sorted(out, key=lambda x: x.key)


def _triangular(q: np.ndarray, lo: float, mode: float, hi: float) -> np.ndarray:
    """Inverse CDF of the triangular distribution (quantiles ``q`` in [0, 1])."""
    f = (mode - lo) / (hi - lo)
    return np.where(q < f, lo + np.sqrt(q * (hi - lo) * (mode - lo)), hi - np.sqrt((1 - q) * (hi - lo) * (hi - mode)))


def draw(inputs: list[Input], sample_ids: Iterable[int], seed: int) -> np.ndarray:
    """Values (samples x inputs), seeded per sample id; one quantile per (source, field) group."""
    groups = sorted({i.group for i in inputs})
    gpos = {g: k for k, g in enumerate(groups)}
    ids = list(sample_ids)
    children = np.random.SeedSequence(seed).spawn(max(ids) + 1 if ids else 0)
    q = np.array([np.random.default_rng(children[s]).random(len(groups)) for s in ids]).reshape(len(ids), len(groups))
    out = np.empty((len(ids), len(inputs)))
    for j, inp in enumerate(inputs):
        out[:, j] = _triangular(q[:, gpos[inp.group]], inp.low, inp.central, inp.high)
    return out


_CACHE: dict = {}


def _prepared(study: Study, year: int) -> dict:
    """What every sample of (study, year) shares, computed once: the central year data and the
    positions used to read a solution with numpy."""
    key = (id(study), year)
    if key not in _CACHE:
        form = study.formulation
        data = form.tables.year_data(year, study.scenario.supply)
        keys = form.sets.delivery_keys
        to_com = [(com, np.array([i for i, k in enumerate(keys) if k[1] == com and k[0] in study.redirect.to]))
                  for com in sorted({k[1] for k in keys})]
        fams = [(fam, form.layout.rows[fam]) for fam in ("node_capacity", "arc_capacity")]
        _CACHE.clear()  # one study-year at a time per process
        _CACHE[key] = {"data": data, "to_com": to_com, "dpos": form._delivery_pos(), "fams": fams}
    return _CACHE[key]


def _sample_data(study: Study, year: int, inputs: list[Input], values: np.ndarray):
    data = _prepared(study, year)["data"]
    arrays = {name: getattr(data, name).copy() for name in {i.array for i in inputs}}
    for inp, v in zip(inputs, values):
        arrays[inp.array][inp.pos] = v
    if "node_capacity" in arrays or "output_volume" in arrays:
        # a node's limit is its capacity; an origin with a recorded output (supply: baseline) is
        # capped at the smaller of the two
        cap = arrays.get("node_capacity", data.node_capacity)
        rec = arrays.get("output_volume", data.output_volume)
        arrays["node_limit"] = np.where(np.isnan(rec), cap, np.minimum(rec, cap))
    return data.with_values(**arrays)


def solve_sample(study: Study, year: int, inputs: list[Input], values: np.ndarray, full: bool = False) -> dict:
    """The figures of one sample: ``max_to`` per commodity (O1 only), with ``full`` also
    ``from_cn`` (the lexicographic path), and which capacity rows bind at O1."""
    form, solver = study.formulation, study.solver
    prep = _prepared(study, year)
    data = _sample_data(study, year, inputs, values)
    b = form.bounds_from(data)
    o1 = solver.max_to(b)
    flow = o1.x[form.layout.col("flow")]
    hit_keys = prep["dpos"] >= 0
    deliv = np.bincount(prep["dpos"][hit_keys], weights=flow[hit_keys], minlength=len(form.sets.delivery_keys))
    out: dict = {("max_to", com): float(deliv[idx].sum()) for com, idx in prep["to_com"] if len(idx)}
    for fam, rows in prep["fams"]:
        up, act = b.row_upper[rows.rows], o1.row_value[rows.rows]
        fin = np.isfinite(up) & (up > 0)
        tol = 1e-6 * np.maximum(1.0, np.where(fin, up, 1.0))
        hit = fin & (act >= np.where(fin, up, np.inf) - tol)
        tag = fam.split("_")[0]
        out.update({("binds", f"{tag}:{rows.keys[i]}"): 1.0 for i in np.flatnonzero(hit)})
    if full:
        from .results import redirect_table
        sol = solver.solve_year(year, data=data, extras=False)
        red = redirect_table(form, sol, study.redirect)
        for _, r in red.iterrows():
            out[("from_cn", r["commodity"])] = float(r["from_redirect_markets"])
    return out


# --------------------------------------------------------------------------- running many samples
_WORKER: dict = {}


def _init(scenario_dict: dict, year: int) -> None:
    from .scenario import scenario_from_dict
    s = scenario_from_dict(scenario_dict["data"], path=scenario_dict["path"])
    study = Study(s)
    _WORKER.update(study=study, year=year, inputs=uncertain_inputs(study, year))


def _run_chunk(args: tuple[list[int], np.ndarray, bool]) -> list[tuple[int, dict]]:
    ids, values, full = args
    st, y, inputs = _WORKER["study"], _WORKER["year"], _WORKER["inputs"]
    return [(i, solve_sample(st, y, inputs, v, full)) for i, v in zip(ids, values)]


def _scenario_payload(study: Study) -> dict:
    s = study.scenario
    data = s.model_dump(mode="json", by_alias=True)
    data.pop("path", None)
    data["network"] = str(s.network_path)
    return {"data": data, "path": s.path}


def run_uncertainty(scenario=None, samples: int = 1000, seed: int = 0, year: int | None = None, workers: int = 1,
                    scheduler: str | None = None, full: bool = False,
                    progress: Callable[[int], None] | None = None) -> dict[str, pd.DataFrame]:
    """Monte Carlo over the sourced ranges; returns ``samples`` (tidy: sample, year, commodity,
    metric, value), ``summary`` (mean and percentiles per metric and commodity), ``binding``
    (probability each capacity binds at the maximum) and ``inputs``.

    ``workers`` > 1 runs local processes; ``scheduler`` (a Dask scheduler address, or
    ``"local"`` for a local Dask cluster) runs on Dask. Results are the same either way."""
    if samples < 1 or samples > 1_000_000:
        raise ScenarioError("--samples: give 1 to 1,000,000")
    study = Study(as_scenario(scenario))
    y = study.check_year(study.scenario.year if year is None else year)
    inputs = uncertain_inputs(study, y)
    ids = list(range(samples))
    values = draw(inputs, ids, seed) if inputs else np.zeros((samples, 0))
    chunks = [(ids[i:i + 50], values[i:i + 50], full) for i in range(0, samples, 50)]
    results: list[tuple[int, dict]] = []
    if scheduler:
        results = _run_dask(study, y, chunks, scheduler, progress)
    elif workers > 1:
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(workers, initializer=_init, initargs=(_scenario_payload(study), y)) as ex:
            for part in ex.map(_run_chunk, chunks):
                results += part
                if progress:
                    progress(len(part))
    else:
        _WORKER.update(study=study, year=y, inputs=inputs)
        for c in chunks:
            part = _run_chunk(c)
            results += part
            if progress:
                progress(len(part))
    return _tables(sorted(results, key=lambda r: r[0]), inputs, y)


def _run_dask(study: Study, year: int, chunks, scheduler: str, progress) -> list[tuple[int, dict]]:
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) \
        if scheduler == "local" else None
    client = Client(cluster if cluster is not None else scheduler)
    try:
        payload = _scenario_payload(study)
        client.run(_init, payload, year)  # one compiled Study per worker
        futures = client.map(_run_chunk, chunks, pure=False)
        results: list[tuple[int, dict]] = []
        for f in futures:
            part = f.result()
            results += part
            if progress:
                progress(len(part))
        return results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _tables(results: list[tuple[int, dict]], inputs: list[Input], year: int) -> dict[str, pd.DataFrame]:
    rows = [{"sample": i, "year": year, "commodity": com, "metric": metric, "value": round(v, 8)}
            for i, r in results for (metric, com), v in sorted(r.items()) if metric != "binds"]
    samples = pd.DataFrame(rows, columns=["sample", "year", "commodity", "metric", "value"])
    summ = []
    for (metric, com), g in samples.groupby(["metric", "commodity"], sort=True):
        v = g["value"].to_numpy()
        summ.append({"year": year, "commodity": com, "metric": metric, "mean": round(float(v.mean()), 6),
                     **{f"p{p}": round(float(np.percentile(v, p)), 6) for p in PERCENTILES}, "samples": len(v)})
    n = len(results)
    counts: dict[str, int] = {}
    for _, r in results:
        for (metric, what) in r:
            if metric == "binds":
                counts[what] = counts.get(what, 0) + 1
    binding = pd.DataFrame([{"year": year, "constraint": k, "probability": round(c / n, 6)}
                            for k, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))],
                           columns=["year", "constraint", "probability"])
    inp = pd.DataFrame([{"input": i.key, "low": i.low, "central": i.central, "high": i.high,
                         "group": i.group.split("|")[-1] + ": " + i.group.split("|")[0][:80]} for i in inputs],
                       columns=["input", "low", "central", "high", "group"])
    return {"samples": samples, "summary": pd.DataFrame(summ), "binding": binding, "inputs": inp}


def run_sensitivity(scenario=None, year: int | None = None) -> pd.DataFrame:
    """One input at a time at its low and high end (all others central): the swing of each
    commodity's ``max_to``, ranked by the largest swing."""
    study = Study(as_scenario(scenario))
    y = study.check_year(study.scenario.year if year is None else year)
    inputs = uncertain_inputs(study, y)
    central = np.array([i.central for i in inputs])
    base = solve_sample(study, y, inputs, central)
    rows = []
    for j, inp in enumerate(inputs):
        ends = {}
        for end in ("low", "high"):
            v = central.copy()
            v[j] = getattr(inp, end)
            ends[end] = solve_sample(study, y, inputs, v)
        for (metric, com), b in base.items():
            if metric != "max_to":
                continue
            lo, hi = ends["low"].get((metric, com), 0.0), ends["high"].get((metric, com), 0.0)
            rows.append({"input": inp.key, "commodity": com, "low_end": inp.low, "high_end": inp.high,
                         "max_to_at_low": round(lo, 6), "max_to_central": round(b, 6), "max_to_at_high": round(hi, 6),
                         "swing": round(abs(hi - lo), 6)})
    df = pd.DataFrame(rows, columns=["input", "commodity", "low_end", "high_end", "max_to_at_low", "max_to_central",
                                     "max_to_at_high", "swing"])
    return df.sort_values(["swing", "input", "commodity"], ascending=[False, True, True], kind="stable") \
        .reset_index(drop=True)


_VARY_TARGET = {("nodes", "capacity"): "node_capacity", ("arcs", "capacity"): "arc_capacity",
                ("production", "volume"): "output_volume"}


def parse_vary(spec: str) -> tuple[str, str, str, np.ndarray]:
    """``TABLE:ID.FIELD=START:STOP:STEP`` -> (table, id, field, values); STOP is included."""
    import re
    m = re.fullmatch(r"(\w+):([^.=]+)\.(\w+)=([^:]+):([^:]+):([^:]+)", spec.strip())
    if not m:
        raise ScenarioError(f"--vary: '{spec}' is not TABLE:ID.FIELD=START:STOP:STEP (e.g. "
                            "arcs:espo_spur.capacity=15:30:5)")
    table, id_, field = m.group(1), m.group(2), m.group(3)
    if (table, field) not in _VARY_TARGET:
        raise ScenarioError(f"--vary: {table}.{field} cannot be varied (nodes.capacity, arcs.capacity, "
                            "production.volume can)")
    try:
        a, b, step = (float(m.group(i)) for i in (4, 5, 6))
    except ValueError:
        raise ScenarioError(f"--vary: '{spec}': start, stop and step must be numbers") from None
    if step <= 0 or b < a or (b - a) / step > 10_000 or a < 0:
        raise ScenarioError(f"--vary: '{spec}': need 0 <= start <= stop and 0 < step (at most 10,000 points)")
    return table, id_, field, np.round(np.arange(a, b + step / 2, step), 10)


def run_grid(scenario=None, vary: str = "", year: int | None = None) -> pd.DataFrame:
    """One row per grid point and commodity: ``max_to`` with one field set to each value of
    ``vary`` (``TABLE:ID.FIELD=START:STOP:STEP``), every other figure central."""
    table, id_, field, values = parse_vary(vary)
    study = Study(as_scenario(scenario))
    y = study.check_year(study.scenario.year if year is None else year)
    index = study.formulation.sets.arcs.index if table == "arcs" else study.formulation.sets.nodes.index
    if id_ not in index:
        from .validate import _suggest
        raise ScenarioError(f"--vary: unknown {'arc' if table == 'arcs' else 'node'} '{id_}'{_suggest(id_, index)}")
    inp = Input(vary, _VARY_TARGET[(table, field)], int(index.get_loc(id_)), 0.0, 0.0, 0.0, vary)
    rows = []
    for v in values:
        for (metric, com), x in sorted(solve_sample(study, y, [inp], np.array([v])).items()):
            if metric == "max_to":
                rows.append({"year": y, "vary": f"{table}:{id_}.{field}", "value": float(v), "commodity": com,
                             "max_to": round(x, 6)})
    return pd.DataFrame(rows, columns=["year", "vary", "value", "commodity", "max_to"])


# --------------------------------------------------------------------------- charts
def histogram_png(samples: pd.DataFrame, title: str, dpi: int = 150) -> bytes:
    """Histogram of ``max_to`` per commodity with P10/P50/P90 marked (PNG bytes)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .units import unit_of
    d = samples[samples["metric"] == "max_to"]
    coms = [c for c in ("crude", "gas", "lng") if c in set(d["commodity"]) and d[d["commodity"] == c]["value"].max() > 0]
    fig, axes = plt.subplots(1, max(1, len(coms)), figsize=(7, 2.8), squeeze=False)
    for ax, c in zip(axes[0], coms):
        v = d[d["commodity"] == c]["value"].to_numpy()
        ax.hist(v, bins=30, color="#8c510a" if c == "crude" else "#5ab4ac")
        for p, ls in ((10, ":"), (50, "-"), (90, ":")):
            ax.axvline(np.percentile(v, p), color="black", ls=ls, lw=1)
        ax.set_title(f"{c if c != 'lng' else 'LNG'}: P10-P50-P90", fontsize=9)
        ax.set_xlabel(f"max_to, {unit_of(c)}")
    axes[0][0].set_ylabel("samples")
    fig.suptitle(title, fontsize=9)
    return _png(fig, dpi)


def _png(fig, dpi: int) -> bytes:
    """A finished figure as deterministic PNG bytes (no software stamp); closes it."""
    import io

    import matplotlib.pyplot as plt
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def tornado_png(df: pd.DataFrame, title: str, top: int = 12, dpi: int = 150) -> bytes:
    """Tornado chart of the largest swings (PNG bytes)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    d = df[df["swing"] > 0].head(top).iloc[::-1]
    fig, ax = plt.subplots(figsize=(7, 0.35 * max(3, len(d)) + 1))
    y = np.arange(len(d))
    ax.barh(y, d["max_to_at_low"] - d["max_to_central"], left=d["max_to_central"], color="#b2182b", label="low end")
    ax.barh(y, d["max_to_at_high"] - d["max_to_central"], left=d["max_to_central"], color="#2166ac", label="high end")
    ax.set_yticks(y, [f"{i} ({c})" for i, c in zip(d["input"], d["commodity"])], fontsize=7)
    ax.set_xlabel("max_to (commodity's unit)")
    ax.legend(fontsize=7, frameon=False)
    ax.set_title(title, fontsize=9)
    return _png(fig, dpi)
