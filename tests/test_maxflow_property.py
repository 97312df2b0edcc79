"""Property: without contracts the LP's optimum to JP is the max flow of the network.

Random single-commodity (crude) digraphs: 1-3 supply nodes, junctions (some with a
throughput capacity), 1-3 JP markets (some with an absorption limit) and one CN
market.  The reference value comes from networkx on a graph built here,
independently of :func:`flowmodel.results.max_flow_bound` (node capacities by
node splitting, parallel arcs excluded).
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import flowmodel as fm

from conftest import scenario_dict, write_network


@st.composite
def networks(draw):
    n_sup = draw(st.integers(1, 3))
    n_jp = draw(st.integers(1, 3))
    n_jct = draw(st.integers(max(0, 3 - n_sup - n_jp), 12 - n_sup - n_jp))
    sup = [f"s{i}" for i in range(n_sup)]
    jct = [f"j{i}" for i in range(n_jct)]
    jp = [f"jp{i}" for i in range(n_jp)]
    cap = st.integers(0, 50)
    opt_cap = st.one_of(st.none(), st.integers(0, 60))
    nodes = [{"id": s, "kind": "supply", "country": "RU", "commodity": "crude", "capacity": draw(st.integers(1, 80))}
             for s in sup]
    nodes += [{"id": j, "kind": "junction", "country": "RU", "commodity": "crude", "capacity": draw(opt_cap)}
              for j in jct]
    nodes += [{"id": m, "kind": "market", "country": "JP", "commodity": "crude", "capacity": draw(opt_cap)}
              for m in jp]
    nodes.append({"id": "cn", "kind": "market", "country": "CN", "commodity": "crude"})
    tails = sup + jct
    heads = jct + jp + ["cn"]
    pairs = sorted({(u, v) for u in tails for v in heads if u != v})
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, min_size=min(len(pairs), len(tails) + len(jp)),
                           max_size=min(len(pairs), 30)))
    arcs = [{"id": f"a{i}", "from": u, "to": v, "commodity": "crude", "capacity": draw(cap)}
            for i, (u, v) in enumerate(chosen)]
    return nodes, arcs


def reference_max_flow(nodes, arcs) -> float:
    G = nx.DiGraph()
    kind = {n["id"]: n["kind"] for n in nodes}
    nodes_cap = {n["id"]: n.get("capacity") for n in nodes}

    def node_in(n):
        return (n, "in")

    def node_out(n):
        return (n, "in") if kind[n] in ("supply", "market") or nodes_cap[n] is None else (n, "out")

    G.add_node("S")
    G.add_node("T")
    for n in nodes:
        i = n["id"]
        if n["kind"] == "supply":
            G.add_edge("S", node_in(i), capacity=n["capacity"])
        elif n["kind"] == "junction" and n["capacity"] is not None:
            G.add_edge(node_in(i), node_out(i), capacity=n["capacity"])
        elif n["kind"] == "market" and n["country"] == "JP":
            if n["capacity"] is None:
                G.add_edge(node_in(i), "T")          # no capacity attribute = infinite
            else:
                G.add_edge(node_in(i), "T", capacity=n["capacity"])
    for a in arcs:
        G.add_edge(node_out(a["from"]), node_in(a["to"]), capacity=a["capacity"])
    return float(nx.maximum_flow_value(G, "S", "T"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_lp_equals_max_flow_without_contracts(net):
    nodes, arcs = net
    expected = reference_max_flow(nodes, arcs)
    assert not math.isinf(expected)  # supply capacities are finite
    event("max flow > 0" if expected > 0 else "max flow = 0")
    with tempfile.TemporaryDirectory() as d:
        folder = write_network(Path(d) / "net", nodes, arcs)
        res = fm.run(scenario_dict(folder, year=2020, frm=("CN",), to=("JP",), supply="capacity"))
    r = res.redirect.set_index("commodity").loc["crude"]
    assert r["max_to"] == pytest.approx(expected, abs=1e-6)
    assert r["max_flow_bound"] == pytest.approx(expected, abs=1e-6)
    # the volume to JP in the summary is the same number
    s = res.summary
    assert s.loc[(s["commodity"] == "crude") & (s["country"] == "JP"), "optimized"].sum() == \
        pytest.approx(expected, abs=1e-6)
