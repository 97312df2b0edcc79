"""Policy measures as caps on the flows they hit: a small network where a policy binds, worked by hand.

Network (2023): field 'east' (60, crude, Kozmino-like) and field 'sakh' (10, Sakhalin-like)
ship through port 'port' (no limit) to JP, KR and CN markets.  Japan bans Russian crude except
Sakhalin-linked cargoes; Korea's refiners stop buying from 2023 except 5 Mt/yr.
"""

from __future__ import annotations

import pytest

import flowmodel as fm

from conftest import scenario_dict, write_network

NODES = [
    {"id": "east", "kind": "supply", "country": "RU", "commodity": "crude", "capacity": 60},
    {"id": "sakh", "kind": "supply", "country": "RU", "commodity": "crude", "capacity": 10},
    {"id": "port", "kind": "terminal", "country": "RU", "commodity": "crude", "capacity": 100},
    {"id": "cn", "kind": "market", "country": "CN", "commodity": "crude"},
    {"id": "jp", "kind": "market", "country": "JP", "commodity": "crude"},
    {"id": "kr", "kind": "market", "country": "KR", "commodity": "crude"},
]
ARCS = [
    {"id": "e_port", "from": "east", "to": "port", "commodity": "crude", "capacity": 60},
    {"id": "s_port", "from": "sakh", "to": "port", "commodity": "crude", "capacity": 10},
    {"id": "t_cn", "from": "port", "to": "cn", "commodity": "crude", "mode": "tanker"},
    {"id": "t_jp", "from": "port", "to": "jp", "commodity": "crude", "capacity": 48, "mode": "tanker"},
    {"id": "t_kr", "from": "port", "to": "kr", "commodity": "crude", "mode": "tanker"},
]
POLICIES = [
    {"id": "jp_ban", "kind": "import_ban", "commodity": "crude", "buyer_country": "JP", "exempt_origin": "sakh",
     "max_volume": 0, "start_year": 2023},
    {"id": "kr_halt", "kind": "voluntary_halt", "commodity": "crude", "buyer_country": "KR", "max_volume": 5,
     "start_year": 2023},
]


def network(tmp_path, policies=POLICIES):
    return write_network(tmp_path / "n", NODES, ARCS, policies=policies)


def crude(res):
    return res.redirect.set_index("commodity").loc["crude"]


def test_policy_binds_and_is_named(tmp_path):
    """Physically 70 could reach JP+KR; with the policies JP takes only Sakhalin's 10 and KR 5: 15."""
    r = crude(fm.run(scenario_dict(network(tmp_path), year=2023)))
    assert r["max_to_physical"] == pytest.approx(70)
    assert r["max_to"] == pytest.approx(15)
    assert r["limited_by"] == "policy"
    assert "jp_ban" in r["limiting_factor"] and "kr_halt" in r["limiting_factor"]
    assert r["limiting_factor"].startswith("policies hold back 55 Mt/yr")


def test_policy_years_and_selection(tmp_path):
    net = network(tmp_path)
    assert crude(fm.run(scenario_dict(net, year=2022)))["max_to"] == pytest.approx(70)   # not yet in force
    assert crude(fm.run(scenario_dict(net, year=2023, policies="none")))["max_to"] == pytest.approx(70)
    only_jp = crude(fm.run(scenario_dict(net, year=2023, policies=["jp_ban"])))
    assert only_jp["max_to"] == pytest.approx(70 - 0)  # KR takes what JP may not: 60 + 10
    only_jp_to_jp = crude(fm.run(scenario_dict(net, year=2023, to=("JP",), policies=["jp_ban"])))
    assert only_jp_to_jp["max_to"] == pytest.approx(10)
    assert only_jp_to_jp["max_to_physical"] == pytest.approx(48)   # the JP tanker route's capacity
    with pytest.raises(fm.ScenarioError, match="unknown policy 'jp_bna'.*did you mean 'jp_ban'"):
        fm.run(scenario_dict(net, year=2023, policies=["jp_bna"]))


def test_policy_starting_mid_year_is_pro_rata(tmp_path):
    """A JP ban from April 2023: January-March are free, 3/12 of the hit arc's 48 = 12, plus
    Sakhalin's exempt 10 (not hit): JP can take 22."""
    pol = [dict(POLICIES[0], start_month=4)]
    r = crude(fm.run(scenario_dict(network(tmp_path, pol), year=2023, to=("JP",))))
    assert r["max_to"] == pytest.approx(22)
    r24 = crude(fm.run(scenario_dict(network(tmp_path, pol), year=2024, to=("JP",))))
    assert r24["max_to"] == pytest.approx(10)


@pytest.mark.parametrize("change, message", [
    ({"buyer_country": "XX"}, "field 'buyer_country': no crude market in country 'XX'"),
    ({"exempt_origin": "port"}, "field 'exempt_origin': 'port' is a terminal node, not an origin"),
    ({"buyer_country": "", "arc": "t_jpp"}, "field 'arc': unknown arc 't_jpp' (did you mean 't_jp'?)"),
    ({"buyer_country": ""}, "names no origin, arc or buyer country"),
    ({"start_month": 13}, "field 'start_month': 13 is not a month"),
])
def test_policy_rows_are_validated(tmp_path, change, message):
    with pytest.raises(fm.DataError, match="policies.csv row 2, " + message.replace("(", r"\(").replace(")", r"\)")
                       .replace("?", r"\?") if "names no" not in message else message):
        fm.read_network(network(tmp_path, [dict(POLICIES[0], **change)]))
