"""One test per class of bad input: the error names the file, the row (CSV line) and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

import flowmodel as fm
from flowmodel.errors import DataError, ScenarioError
from flowmodel.scenario import load_scenario, scenario_from_dict, scenario_network

from conftest import scenario_dict


def scenario_file(tmp_path: Path, **kw) -> Path:
    """Write scenario_dict(**kw) as tmp_path/s.yaml."""
    import yaml
    p = tmp_path / "s.yaml"
    p.write_text(yaml.safe_dump(scenario_dict(**kw), sort_keys=False), encoding="utf-8")
    return p


def set_line(folder: Path, filename: str, line: int, text: str) -> None:
    """Replace line ``line`` (1-based, header = 1) of ``folder/filename``."""
    p = folder / filename
    lines = p.read_text(encoding="utf-8").splitlines()
    lines[line - 1] = text
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")


def get_line(folder: Path, filename: str, line: int) -> str:
    return (folder / filename).read_text(encoding="utf-8").splitlines()[line - 1]


def replace_in_line(folder: Path, filename: str, line: int, old: str, new: str) -> None:
    text = get_line(folder, filename, line)
    assert old in text, (text, old)
    set_line(folder, filename, line, text.replace(old, new, 1))


def load_error(folder: Path) -> str:
    with pytest.raises(DataError) as ei:
        fm.read_network(folder)
    return str(ei.value)


def test_tiny_network_is_valid(tiny_path):
    net = fm.read_network(tiny_path)
    assert set(net.nodes["id"]) >= {"field", "port", "lngplant"}
    assert list(net.arcs.loc[net.arcs["id"] == "spur", "_line"]) == [3, 4]


# --------------------------------------------------------------------------- one edit, one message
# (file, CSV line, text replaced, replacement, message start, message part)
CASES = [
    pytest.param("nodes.csv", 4, ",40,", ",forty,", "nodes.csv row 4, field 'capacity':", "'forty' is not a number", id='non_numeric_capacity'),
    pytest.param("arcs.csv", 2, ",80,", ",-80,", "arcs.csv row 2, field 'capacity':", "below the minimum 0", id='negative_capacity'),
    pytest.param("arcs.csv", 5, ",50,Mt/yr,", ",,,", "arcs.csv row 5, field 'capacity':", "pipeline arc 'export' needs a capacity", id='missing_capacity_on_pipeline_arc'),
    pytest.param("nodes.csv", 2, ",100,Mt/yr,", ",,,", "nodes.csv row 2, field 'capacity':", "supply node 'field' needs a capacity", id='missing_capacity_on_supply_node'),
    pytest.param("nodes.csv", 3, ",junction,", ",junctoin,", "nodes.csv row 3, field 'kind':", "did you mean 'junction'?", id='bad_enum_value_suggests'),
    pytest.param("arcs.csv", 8, ",port,kr_crude,", ",port,kr_crud,", "arcs.csv row 8, field 'to':", "unknown node 'kr_crud' (did you mean 'kr_crude'?)", id='unknown_node_in_arcs_with_suggestion'),
    pytest.param("arcs.csv", 10, ",38,bcm/yr,", ",38,Mt/yr,", "arcs.csv row 10, field 'unit':", "'Mt/yr' does not match commodity 'gas'", id='unit_mismatch'),
    pytest.param("contracts.csv", 3, "c_sea,field,", "c_sea,hub,", "contracts.csv row 3, field 'seller':", "'hub' is a junction node", id='contract_seller_not_a_supply_node'),
    pytest.param("arcs.csv", 5, "export,hub,port,", "export,hub,field,", "arcs.csv row 5, field 'to':", "enters supply node 'field'", id='arc_into_supply_node'),
]


@pytest.mark.parametrize("file, line, old, new, start, part", CASES)
def test_one_bad_edit_one_clear_message(tiny_copy, file, line, old, new, start, part):
    replace_in_line(tiny_copy, file, line, old, new)
    msg = load_error(tiny_copy)
    assert msg.startswith(start)
    assert part in msg


# --------------------------------------------------------------------------- CSV structure
def test_wrong_field_count(tiny_copy):
    set_line(tiny_copy, "arcs.csv", 5, "export,hub,port,crude,50,Mt/yr,pipeline,2000,,,test,extra")
    msg = load_error(tiny_copy)
    assert msg.startswith("arcs.csv row 5:")
    assert "expected 11 fields, found 12" in msg


def test_missing_required_column(tiny_copy):
    p = tiny_copy / "nodes.csv"
    rows = [line.split(",") for line in p.read_text().splitlines()]
    k = rows[0].index("kind")
    p.write_text("\n".join(",".join(r[:k] + r[k + 1:]) for r in rows) + "\n")
    msg = load_error(tiny_copy)
    assert msg.startswith("nodes.csv")
    assert "missing required column 'kind'" in msg


def test_missing_required_file(tiny_copy):
    (tiny_copy / "contracts.csv").unlink()
    assert "contracts.csv: required file is missing" in load_error(tiny_copy)


def test_missing_optional_production_file_is_fine(tiny_copy):
    (tiny_copy / "production.csv").unlink()
    assert len(fm.read_network(tiny_copy).production) == 0


# --------------------------------------------------------------------------- values
def test_missing_source_value(tiny_copy):
    set_line(tiny_copy, "production.csv", 3, "2018,gasfield,gas,50,48.8,bcm/yr,")
    msg = load_error(tiny_copy)
    assert msg.startswith("production.csv row 3, field 'source':")
    assert "required value is missing" in msg


# --------------------------------------------------------------------------- consistency
def test_unit_alias_accepted(tiny_copy):
    replace_in_line(tiny_copy, "arcs.csv", 10, ",38,bcm/yr,", ",38,BCMA,")
    fm.read_network(tiny_copy)


def test_overlapping_year_ranges(tiny_copy):
    # spur: line 3 runs from 2018, line 4 until 2017 -> make line 4 run until 2019
    replace_in_line(tiny_copy, "arcs.csv", 4, ",,2017,", ",,2019,")
    msg = load_error(tiny_copy)
    assert msg.startswith("arcs.csv row 3, field 'start_year':")
    assert "rows of id 'spur' overlap in time (line 4 runs to 2019)" in msg


def test_end_before_start(tiny_copy):
    replace_in_line(tiny_copy, "contracts.csv", 2, ",2018,,", ",2018,2010,")
    msg = load_error(tiny_copy)
    assert msg.startswith("contracts.csv row 2, field 'end_year':")


def test_contract_buyer_not_a_market(tiny_copy):
    replace_in_line(tiny_copy, "contracts.csv", 3, ",cn_crude,", ",port,")
    msg = load_error(tiny_copy)
    assert msg.startswith("contracts.csv row 3, field 'buyer':")


def test_baseline_country_without_market_node(tiny_copy):
    replace_in_line(tiny_copy, "baseline.csv", 5, "2018,ROW,crude", "2018,RWO,crude")
    msg = load_error(tiny_copy)
    assert msg.startswith("baseline.csv row 5, field 'market':")
    assert "no crude market node in country 'RWO'" in msg
    assert "did you mean 'ROW'?" in msg


def test_duplicate_baseline_key(tiny_copy):
    p = tiny_copy / "baseline.csv"
    p.write_text(p.read_text() + "2018,JP,crude,6,Mt/yr,test\n")
    msg = load_error(tiny_copy)
    assert msg.startswith("baseline.csv row 9, field 'commodity':")
    assert "duplicate row" in msg and "JP" in msg


def test_all_messages_are_collected(tiny_copy):
    replace_in_line(tiny_copy, "nodes.csv", 4, ",40,", ",forty,")
    replace_in_line(tiny_copy, "arcs.csv", 2, ",80,", ",-80,")
    with pytest.raises(DataError) as ei:
        fm.read_network(tiny_copy)
    assert "(and 1 more problem)" in str(ei.value)
    assert len(ei.value.messages) == 2


def test_unicode_line_separator_inside_a_field(tiny_copy):
    set_line(tiny_copy, "nodes.csv", 2, "field,Oil field,supply,RU,crude,100,Mt/yr,,,BP review\u2028page 3")
    net = fm.read_network(tiny_copy)
    assert net.nodes.loc[net.nodes["id"] == "field", "source"].iloc[0] == "BP review\u2028page 3"


# --------------------------------------------------------------------------- scenarios
def test_dict_scenario_errors_name_the_scenario():
    s = scenario_from_dict(scenario_dict(to=("XX",), name="mine"))
    with pytest.raises(ScenarioError, match=r"^scenario 'mine', field 'redirect\.to'"):
        scenario_network(s)


def test_unknown_scenario_key():
    d = scenario_dict(colour="red")
    with pytest.raises(ScenarioError) as ei:
        scenario_from_dict(d, origin="s.yaml")
    assert str(ei.value) == "s.yaml, field 'colour': unknown key"


def test_unknown_nested_scenario_key():
    d = scenario_dict()
    d["redirect"]["via"] = ["KR"]
    with pytest.raises(ScenarioError, match=r"field 'redirect\.via': unknown key"):
        scenario_from_dict(d, origin="s.yaml")


def test_missing_scenario_key():
    d = scenario_dict()
    del d["year"]
    with pytest.raises(ScenarioError, match=r"field 'year': required key is missing"):
        scenario_from_dict(d, origin="s.yaml")


def test_malformed_yaml(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("name: x\nyear: 2018\nredirect: {from: [CN], to: [JP]\nnetwork: foo\n")
    with pytest.raises(ScenarioError) as ei:
        load_scenario(p)
    msg = str(ei.value)
    assert msg.startswith("bad.yaml row ")
    assert "malformed YAML" in msg


def test_scenario_not_a_mapping(tmp_path):
    p = tmp_path / "list.yaml"
    p.write_text("- a\n- b\n")
    with pytest.raises(ScenarioError, match="list.yaml: expected a mapping"):
        load_scenario(p)


def test_unknown_override_id(tmp_path):
    s = load_scenario(scenario_file(tmp_path, overrides={"arcs": {"trunkk": {"capacity": 5}}}))
    with pytest.raises(ScenarioError) as ei:
        scenario_network(s)
    assert str(ei.value) == "s.yaml, field 'overrides.arcs.trunkk': unknown id 'trunkk' (did you mean 'trunk'?)"


def test_override_unknown_column(tmp_path):
    s = load_scenario(scenario_file(tmp_path, overrides={"arcs": {"trunk": {"capacty": 5}}}))
    with pytest.raises(ScenarioError, match=r"field 'overrides\.arcs\.trunk\.capacty'"):
        scenario_network(s)


def test_override_negative_value(tmp_path):
    s = load_scenario(scenario_file(tmp_path, overrides={"arcs": {"trunk": {"capacity": -1}}}))
    with pytest.raises(ScenarioError, match=r"field 'overrides\.arcs\.trunk\.capacity': -1 is below the minimum"):
        scenario_network(s)


def test_remove_unknown_id(tmp_path):
    s = load_scenario(scenario_file(tmp_path, remove={"contracts": ["c_nope"]}))
    with pytest.raises(ScenarioError, match=r"field 'remove\.contracts': unknown id 'c_nope'"):
        scenario_network(s)


def test_redirect_to_unknown_country(tmp_path):
    s = load_scenario(scenario_file(tmp_path, to=("XX",)))
    with pytest.raises(ScenarioError) as ei:
        scenario_network(s)
    assert str(ei.value).startswith("s.yaml, field 'redirect.to': no market node in country 'XX'")


def test_redirect_same_country_both_sides(tmp_path):
    s = load_scenario(scenario_file(tmp_path, frm=("CN", "JP"), to=("JP",)))
    with pytest.raises(ScenarioError, match="'JP' is both a from and a to market"):
        scenario_network(s)


def test_scenario_change_breaking_the_network_is_a_scenario_error(tmp_path):
    s = load_scenario(scenario_file(tmp_path, remove={"nodes": ["hub"]}))
    with pytest.raises(ScenarioError, match=r"^s\.yaml: after applying its changes, arcs\.csv row \d+, field"):
        scenario_network(s)


def test_scenario_network_path_relative_to_file(tmp_path, tiny_path):
    p = tmp_path / "sub" / "s.yaml"
    p.parent.mkdir()
    import os
    rel = os.path.relpath(tiny_path, p.parent)
    p.write_text(f"name: rel\nnetwork: {rel}\nyear: 2018\nredirect: {{from: [CN], to: [JP, KR]}}\n")
    s = load_scenario(p)
    assert s.network_path.resolve() == tiny_path.resolve()
    assert len(scenario_network(s).nodes) == 12
