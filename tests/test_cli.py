"""The command line: exit codes (0 ok, 2 user error), one-line errors, files written."""

from __future__ import annotations

import shutil

import pytest
import yaml

from flowmodel.cli import main

from conftest import scenario_dict

RUN_FILES = {"summary.csv", "redirect.csv", "flows.csv", "constraints.csv", "splits.csv", "manifest.json"}


@pytest.fixture(autouse=True)
def _narrow_terminal(monkeypatch):
    """Rich sizes its consoles from $COLUMNS when set: make output independent of the terminal."""
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture
def scen(tmp_path, tiny_path):
    """Write a scenario YAML into tmp_path (network given as an absolute path)."""
    def make(name="s", **kw):
        p = tmp_path / f"{name}.yaml"
        p.write_text(yaml.safe_dump(scenario_dict(tiny_path, name=name, **kw), sort_keys=False), encoding="utf-8")
        return p
    return make


def _err_lines(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.strip()]


def test_run_writes_files(scen, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(scen()), "--out", str(out)]) == 0
    assert {p.name for p in out.iterdir()} == RUN_FILES | {".flowmodel-result.json"}
    text = capsys.readouterr().out
    assert "Most JP+KR can receive with every contract honoured" in text
    assert "limited by" in text and "reference = the flow closest" in text
    assert "wrote" in text


def test_run_year_option(scen, tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(scen()), "--year", "2015", "--out", str(out)]) == 0
    red = (out / "redirect.csv").read_text().splitlines()
    crude = next(line for line in red if ",crude," in line)
    assert crude.split(",")[3] == "40"


def test_run_relative_network_path(tmp_path, tiny_path, monkeypatch):
    d = tmp_path / "project" / "scenarios"
    d.mkdir(parents=True)
    shutil.copytree(tiny_path, tmp_path / "project" / "networks" / "tiny")
    p = d / "rel.yaml"
    p.write_text(yaml.safe_dump(scenario_dict("../networks/tiny", name="rel")), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(p), "--out", "res"]) == 0
    assert (tmp_path / "res" / "summary.csv").exists()


def test_bad_scenario_exits_2_with_error_line(scen, tmp_path, capsys):
    out = tmp_path / "out"
    rc = main(["run", str(scen(to=("XX",))), "--out", str(out)])
    assert rc == 2
    err = capsys.readouterr().err
    assert err.startswith("error: s.yaml, field 'redirect.to': no market node in country 'XX'")
    assert "Traceback" not in err
    assert not out.exists()


def test_short_error_is_one_line(scen, capsys):
    assert main(["timeline", str(scen()), "--years", "x"]) == 2
    lines = _err_lines(capsys)
    assert lines == ["error: --years: 'x' is not a year or a range like 2009-2030"]


def test_missing_scenario_file_exits_2(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nope.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    assert "scenario file not" in err


def test_long_error_is_one_line(scen, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["run", str(scen(to=("XX",)))]) == 2
    lines = _err_lines(capsys)
    assert len(lines) == 1, lines


def test_malformed_yaml_exits_2(tmp_path, capsys):
    p = tmp_path / "bad.yaml"
    p.write_text("name: [unclosed\n")
    assert main(["run", str(p)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: bad.yaml row ")
    assert "Traceback" not in err


def test_infeasible_exits_2(scen, capsys, tmp_path):
    p = scen(overrides={"contracts": {"c_sea": {"min_volume": 500}}})
    assert main(["run", str(p), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: 2018: contracts cannot all be met")


def test_debug_reraises(scen):
    from flowmodel.errors import ScenarioError
    with pytest.raises(ScenarioError):
        main(["--debug", "run", str(scen(to=("XX",)))])


def test_validate_good_network(tiny_path, capsys):
    assert main(["validate", str(tiny_path)]) == 0
    assert capsys.readouterr().out.startswith("ok: network")


def test_validate_good_scenario(scen, capsys):
    assert main(["validate", str(scen())]) == 0
    assert "ok: scenario" in capsys.readouterr().out


def test_validate_broken_network_exits_2(tiny_copy, capsys):
    p = tiny_copy / "arcs.csv"
    p.write_text(p.read_text().replace("trunk,field,hub", "trunk,fieldx,hub"))
    rc = main(["validate", str(tiny_copy)])
    err = capsys.readouterr().err
    assert "error: arcs.csv row 2, field 'from': unknown node 'fieldx'" in err
    assert rc == 2


def test_validate_broken_network_prints_every_problem(tiny_copy, capsys):
    p = tiny_copy / "arcs.csv"
    p.write_text(p.read_text().replace("trunk,field,hub", "trunk,fieldx,hub").replace(",38,bcm/yr,", ",38,Mt/yr,"))
    main(["validate", str(tiny_copy)])
    err = capsys.readouterr().err
    assert "error: arcs.csv row 2, field 'from'" in err
    assert "error: arcs.csv row 10, field 'unit'" in err
    assert "Traceback" not in err


def test_help(capsys):
    assert main(["--help"]) == 0
    assert "timeline" in capsys.readouterr().out


def test_usage_error_exits_2(capsys):
    assert main(["run", "--bogus"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_timeline_writes_files(scen, tmp_path, capsys):
    out = tmp_path / "tl"
    assert main(["timeline", str(scen()), "--years", "2015-2018", "--out", str(out)]) == 0
    assert {p.name for p in out.iterdir()} == {"timeline.csv", "timeline.png", "timeline.html", ".flowmodel-result.json"}
    assert (out / "timeline.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<html" in (out / "timeline.html").read_text(encoding="utf-8").lower()
    rows = (out / "timeline.csv").read_text().splitlines()
    assert rows[0].startswith("year,commodity,redirectable,")
    assert len(rows) == 1 + 12


def test_timeline_bad_years(scen, capsys):
    assert main(["timeline", str(scen()), "--years", "2018-2015"]) == 2
    assert capsys.readouterr().err.startswith("error: --years")


def test_compare_writes_csv(scen, tmp_path):
    out = tmp_path / "cmp.csv"
    a, b = scen("base"), scen("cap", supply="capacity")
    assert main(["compare", str(a), str(b), "--out", str(out)]) == 0
    rows = out.read_text().splitlines()
    assert rows[0].startswith("scenario,year,supply,commodity,status,max_to_physical,max_to,max_to_own,redirected,")
    assert len(rows) == 1 + 6


def test_check_tiny(tiny_path, tmp_path, capsys):
    out = tmp_path / "check.csv"
    assert main(["check", str(tiny_path), "--out", str(out)]) == 0
    assert "1 of 1 years consistent" in capsys.readouterr().out
    assert out.read_text().splitlines()[1].startswith("2018,ok,")


def test_check_missing_network_exits_2(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_compare_missing_file_exits_2(tmp_path, capsys):
    assert main(["compare", str(tmp_path / "nope.yaml")]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_timeline_infeasible_year_is_reported_not_fatal(scen, tmp_path, capsys):
    """A contract above capacity from 2016 on: the timeline still writes, marking those years."""
    import yaml

    bad = tmp_path / "bad.yaml"
    d = yaml.safe_load(scen("b").read_text())
    d["overrides"] = {"contracts": {"c_pos": {"min_volume": 45}}}
    bad.write_text(yaml.safe_dump(d))
    out = tmp_path / "tl"
    assert main(["timeline", str(bad), "--years", "2017-2018", "--out", str(out)]) == 0
    text = (out / "timeline.csv").read_text()
    assert text.count(",infeasible") == 2 and "'c_pos'" in text and "falls short by 7" in text


def test_version(capsys):
    import flowmodel
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"flowmodel {flowmodel.__version__}"


def test_help_does_not_import_the_model():
    """--help parses arguments without Pyomo, HiGHS or pandas (start-up speed)."""
    import subprocess
    import sys
    code = ("import sys; from flowmodel.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('pyomo.environ', 'highspy', 'pandas', 'scipy.stats') if m in sys.modules]\n"
            "print('HEAVY:' + ','.join(heavy))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip().splitlines()[-1] == "HEAVY:", r.stdout


def test_run_does_not_import_scipy_stats(tiny_path):
    import subprocess
    import sys
    code = ("import sys, flowmodel as fm\n"
            f"fm.run({{'name': 't', 'network': r'{tiny_path}', 'year': 2018,"
            " 'redirect': {'from': ['CN'], 'to': ['JP']}})\n"
            "print('scipy.stats' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip().splitlines()[-1] == "False"
