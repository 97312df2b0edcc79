"""Hostile inputs, one table per class: every one ends in a typed error (exit 2 on the command
line) with one line naming the file/field, nothing written, no crash of the solver."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import flowmodel as fm
from flowmodel.cli import main

from conftest import TINY, scenario_dict


def _edit(folder: Path, filename: str, line: int, old: str, new: str) -> None:
    p = folder / filename
    lines = p.read_text(encoding="utf-8").splitlines()
    assert old in lines[line - 1], (lines[line - 1], old)
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- CSV cells and rows
@pytest.mark.parametrize("file, line, old, new, message", [
    ("nodes.csv", 4, ",40,", ",4_5.6,", "nodes.csv row 4, field 'capacity': '4_5.6' is not a number"),
    ("nodes.csv", 4, ",40,", ",٤٠,", "field 'capacity': '٤٠' is not a number"),          # Arabic-Indic digits
    ("nodes.csv", 4, ",40,", ",inf,", "field 'capacity': 'inf' is not a number"),
    ("nodes.csv", 4, ",40,", ",.nan,", "field 'capacity': '.nan' is not a number"),
    ("arcs.csv", 2, "trunk,field,hub,", "trunk,hub,hub,", "arc 'trunk' starts and ends at 'hub'"),
    ("nodes.csv", 10, "lngplant,LNG plant,liquefaction,RU,lng,", "lngplant,LNG plant,liquefaction,RU,crude,",
     "liquefaction node 'lngplant' must produce lng"),
    ("production.csv", 3, ",50,48.8,", ",50,49.9,", None),                              # a valid range: no error
    ("production.csv", 3, ",50,48.8,", ",50,51,", "production.csv row 3, field 'volume_low': low 51 is above high"),
    ("arcs.csv", 3, ",2018,,", ",1800,,", "field 'start_year': 1800 is not a year between 1900 and 2100"),
    ("arcs.csv", 3, ",2018,,", ",99999999999999999999,,", "is not a year between 1900 and 2100"),
])
def test_bad_cells_and_rows(tiny_copy, file, line, old, new, message):
    if "volume_low" in (message or "") or message is None:
        p = tiny_copy / "production.csv"
        p.write_text(p.read_text().replace("year,node,commodity,volume,volume_low,unit,source",
                                           "year,node,commodity,volume,volume_low,volume_high,unit,source")
                     .replace(",70,,Mt/yr", ",70,,,Mt/yr").replace(",8,,Mt/yr", ",8,,,Mt/yr")
                     .replace(",50,48.8,bcm/yr", ",50,48.8,50,bcm/yr"))
    _edit(tiny_copy, file, line, old, new)
    if message is None:
        fm.read_network(tiny_copy)
        return
    with pytest.raises(fm.DataError) as ei:
        fm.read_network(tiny_copy)
    assert message in str(ei.value)


def test_table_that_is_a_folder(tiny_copy, capsys):
    (tiny_copy / "nodes.csv").unlink()
    (tiny_copy / "nodes.csv").mkdir()
    assert main(["validate", str(tiny_copy)]) == 2
    assert "nodes.csv: is a folder, not a CSV file" in capsys.readouterr().err


# --------------------------------------------------------------------------- YAML
BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))


@pytest.mark.parametrize("text, message", [
    (BOMB, "aliases expand to too much"),
    ("[" * 20000 + "]" * 20000, "nested deeper than 50 levels"),
    (f"name: a\nname: b\nnetwork: {TINY}\nyear: 2018\nredirect: {{from: [CN], to: [JP]}}\n",
     "row 2: key 'name' appears twice"),
    ("x" * 1_100_000, "larger than 1000 kB"),
])
def test_yaml_with_limits(tmp_path, capsys, text, message):
    p = tmp_path / "s.yaml"
    p.write_text(text)
    assert main(["run", str(p), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- scenario overrides and values
@pytest.mark.parametrize("extra, message", [
    ({"overrides": {"arcs": {"t_jp": {"mode": "tankr"}}}}, "'tankr' is not one of pipeline, tanker, lng_carrier"),
    ({"overrides": {"nodes": {"port": {"capacity": -5}}}}, "field 'overrides.nodes.port.capacity': -5 is below"),
    ({"overrides": {"nodes": {"port": {"capacity": "abc"}}}}, "'abc' is not a finite number"),
    ({"overrides": {"nodes": {"port": {"capacity": math.nan}}}}, "'nan' is not a finite number"),
    ({"overrides": {"nodes": {"port": {"kind": "bogus"}}}}, "'bogus' is not one of supply"),
    ({"overrides": {"nodes": {"port": {"name": ["a", "b"]}}}}, "expected text, got list"),
    ({"overrides": {"contracts": {"c_sea": {"min_volume": math.inf}}}}, "is not a finite number"),
    ({"contract_scale": {"CN": math.nan}}, "must be a finite number >= 0"),
    ({"policies": ["nope"]}, "unknown policy 'nope'"),
])
def test_overrides_are_typed(extra, message):
    with pytest.raises(fm.ScenarioError) as ei:
        fm.run(scenario_dict(**extra))
    assert message in str(ei.value)


def test_estimates_never_undo_an_override():
    """A what-if capacity wins over the low end of the sourced range (issue: whatif_kozmino_expanded
    with estimates: low used to equal default_low)."""
    net = fm.load_network(TINY)
    net.nodes.loc[net.nodes["id"] == "port", "capacity_low"] = 20.0
    low = fm.run(scenario_dict(estimates="low"), network=net).redirect.set_index("commodity")
    assert low.at["crude", "max_to"] == pytest.approx(10)      # port at its low end 20; China's contract takes 10
    over = fm.run(scenario_dict(estimates="low", overrides={"nodes": {"port": {"capacity": 40}}}), network=net)
    assert over.redirect.set_index("commodity").at["crude", "max_to"] == pytest.approx(30)


# --------------------------------------------------------------------------- networks edited in code, API values
def _set(table: str, id_: str, field: str, value):
    def edit(net):
        df = net.tables[table]
        if isinstance(value, str) and df[field].dtype != object:
            df[field] = df[field].astype(object)
        df.loc[df["id"] == id_, field] = value
    return edit


@pytest.mark.parametrize("edit, message", [
    (lambda net: None, None),                                                   # untouched: fine
    (_set("nodes", "port", "capacity", -5.0), "field 'capacity': -5.0 is below the minimum 0"),
    (_set("nodes", "port", "capacity", "forty"), "field 'capacity': 'forty' is not a number"),
    (_set("contracts", "c_sea", "min_volume", math.nan), "field 'min_volume': required value is missing"),
    (_set("arcs", "t_jp", "to", "jp_crud"), "unknown node 'jp_crud' (did you mean 'jp_crude'?)"),
])
def test_networks_edited_in_code_are_validated(edit, message):
    net = fm.load_network(TINY)
    edit(net)
    if message is None:
        res = fm.run(scenario_dict(), network=net)
        assert res.manifest["modified_in_code"] == []
        return
    with pytest.raises(fm.DataError) as ei:
        fm.run(scenario_dict(), network=net)
    assert message in str(ei.value)


def test_manifest_says_when_the_network_was_edited():
    net = fm.load_network(TINY)
    net.nodes.loc[net.nodes["id"] == "port", "capacity"] = 25.0
    res = fm.run(scenario_dict(), network=net)
    assert res.manifest["modified_in_code"] == ["nodes"]
    assert "edited in code" in res.manifest["note"]
    assert res.manifest["solved_tables_sha256"]["nodes"] != fm.load_network(TINY).table_sha256["nodes"]


@pytest.mark.parametrize("year, message", [(1800, "has data for"), (2200, "has data for"), ("abc", "not a year")])
def test_api_years(year, message):
    with pytest.raises(fm.ScenarioError, match=message):
        fm.run(scenario_dict(), network=fm.load_network(TINY), year=year)


def test_check_takes_one_year():
    assert list(fm.check(TINY, years=2018)["year"]) == [2018]


def test_validate_tells_a_missing_network_from_a_missing_scenario(capsys):
    assert main(["validate", "networks/nope"]) == 2
    assert "network folder not found" in capsys.readouterr().err
    assert main(["validate", "scenarios/nope.yaml"]) == 2
    assert "scenario file not found" in capsys.readouterr().err
