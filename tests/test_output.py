"""The output rule: no command ever deletes or overwrites a file flowmodel did not write.

Every writing command is tried on folders and files holding a user's work; the writer is
killed at random moments and raced against itself; links, devices, read-only folders,
the project root and '/' are refused; spreadsheet formulas are neutralised.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

import flowmodel as fm
from flowmodel.cli import main
from flowmodel.output import MARKER, neutralise, write_csv_text, write_result_dir, write_result_file

from conftest import TINY, scenario_dict

ROOT = Path(__file__).resolve().parents[1]


def _scenario(tmp_path: Path) -> Path:
    p = tmp_path / "s.yaml"
    p.write_text(f"name: s\nnetwork: {TINY}\nyear: 2018\nredirect: {{from: [CN], to: [JP, KR]}}\n")
    return p


def _user_folder(tmp_path: Path) -> Path:
    d = tmp_path / "analysis"
    d.mkdir()
    (d / "thesis.docx").write_bytes(b"years of work")
    (d / "summary.csv").write_text("my own summary\n")
    return d


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


# --------------------------------------------------------------------------- every command, a user's folder or file
def _commands(tmp_path: Path):
    s = str(_scenario(tmp_path))
    return {
        "run": (["run", s], "dir"),
        "timeline": (["timeline", s, "--years", "2017-2018"], "dir"),
        "compare": (["compare", s, s], "file"),
        "check": (["check", str(TINY)], "file"),
        "report": (["report", s, "--no-timeline"], "file"),
        "hydraulics": (["hydraulics", "pipe", "--commodity", "crude", "--inner-diameter-mm", "1000", "--length-km",
                        "300", "--max-pressure-bar", "64", "--min-outlet-bar", "4", "--flow", "20", "--csv"], "file"),
    }


FILE_SUFFIX = {"compare": ".csv", "check": ".csv", "report": ".html", "hydraulics": ".csv"}


@pytest.mark.parametrize("command", ["run", "timeline", "compare", "check", "report", "hydraulics"])
def test_commands_never_touch_a_users_files(tmp_path, capsys, command):
    args, kind = _commands(tmp_path)[command]
    user = _user_folder(tmp_path)
    before = _snapshot(user)
    if kind == "dir":
        target = user
        argv = [*args, "--out", str(target)]
    else:
        target = user / f"summary{FILE_SUFFIX[command]}"
        target.write_text("a file of mine\n")
        before = _snapshot(user)
        argv = [*args, str(target)] if command == "hydraulics" else [*args, "--out", str(target)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --out") and len(err.strip().splitlines()) == 1, err
    assert _snapshot(user) == before                         # nothing written, nothing lost
    # --force writes flowmodel's files and leaves every other file untouched
    assert main([*argv, "--force"]) == 0
    after = _snapshot(user)
    assert after["thesis.docx"] == b"years of work"
    if kind == "dir":
        assert set(after) > set(before)


@pytest.mark.parametrize("command", ["run", "timeline"])
def test_folder_results_replace_only_flowmodels_own(tmp_path, command):
    args, _ = _commands(tmp_path)[command]
    out = tmp_path / "new" / "deep"
    assert main([*args, "--out", str(out)]) == 0               # created (with its parents)
    first = _snapshot(out)
    assert MARKER in first
    assert main([*args, "--out", str(out)]) == 0               # an earlier result and nothing else: replaced
    assert _snapshot(out) == first                              # deterministic
    (out / "notes.txt").write_text("mine")
    assert main([*args, "--out", str(out)]) == 2               # now it holds a user's file
    assert (out / "notes.txt").read_text() == "mine"
    (out / "notes.txt").unlink()
    victim = next(n for n in first if n.endswith(".csv"))
    (out / victim).write_text("edited in Excel\n")
    assert main([*args, "--out", str(out)]) == 2               # an edited result file is the user's now
    assert (out / victim).read_text() == "edited in Excel\n"


def test_empty_folder_is_written(tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    assert main(["run", str(_scenario(tmp_path)), "--out", str(out)]) == 0
    assert (out / "redirect.csv").exists()


@pytest.mark.parametrize("make, message", [
    (lambda t: t / "afile.txt", "is a file, not a folder"),
    (lambda t: t / "link", "symbolic link"),
    (lambda t: Path("/dev/null"), "is a file, not a folder"),
    (lambda t: ROOT, "a project folder"),
    (lambda t: Path("/"), "the file-system root"),
    (lambda t: Path.home(), "your home folder"),
])
def test_places_never_written(tmp_path, capsys, make, message):
    (tmp_path / "afile.txt").write_text("keep")
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    target = make(tmp_path)
    home_before = sorted(p.name for p in Path.home().iterdir()) if target == Path.home() else None
    assert main(["run", str(_scenario(tmp_path)), "--out", str(target), "--force"]) == 2 or message in (
        "is a file, not a folder",)
    err = capsys.readouterr().err
    assert message in err
    assert (tmp_path / "afile.txt").read_text() == "keep"
    assert (tmp_path / "link").is_symlink() and not any((tmp_path / "real").iterdir())
    if home_before is not None:
        assert sorted(p.name for p in Path.home().iterdir()) == home_before


def test_read_only_folder_and_unwritable_place(tmp_path, capsys):
    if os.geteuid() == 0:
        target = Path("/proc/flowmodel-test")               # root can write anywhere but here
    else:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        target = ro / "out"
    assert main(["run", str(_scenario(tmp_path)), "--out", str(target)]) == 2
    assert "cannot write there" in capsys.readouterr().err


def test_api_to_csv_follows_the_rule(tmp_path):
    res = fm.run(scenario_dict(), network=fm.read_network(TINY))
    user = _user_folder(tmp_path)
    with pytest.raises(fm.OutputError, match="not a flowmodel result folder.*--force"):
        res.to_csv(user)
    assert (user / "summary.csv").read_text() == "my own summary\n"
    res.to_csv(user, force=True)
    assert (user / "thesis.docx").read_bytes() == b"years of work"
    assert (user / "summary.csv").read_text().startswith("scenario,year,commodity")


def test_unsupported_extension_is_refused(tmp_path, capsys):
    s = str(_scenario(tmp_path))
    assert main(["compare", s, s, "--out", str(tmp_path / "x.xlsx")]) == 2
    assert "flowmodel writes .csv here" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_scenario_named_dots_is_refused(tmp_path):
    with pytest.raises(fm.ScenarioError, match="only dots"):
        fm.run(scenario_dict(name="."), network=fm.read_network(TINY))


# --------------------------------------------------------------------------- kills and races
WRITER = textwrap.dedent("""
    import sys
    from flowmodel.output import write_result_dir
    out, tag = sys.argv[1], sys.argv[2]
    i = 0
    while True:
        i += 1
        big = (f"{tag}-{i}," * 400000).encode()           # ~5 MB per file: writes take a while
        write_result_dir(out, {"a.csv": big, "b.csv": big[::-1], "c.txt": f"{tag}-{i}"})
""")


def _complete(out: Path) -> bool:
    marker = json.loads((out / MARKER).read_text())
    names = {p.name for p in out.iterdir()} - {MARKER}
    return names == set(marker["files"]) and all(
        hashlib.sha256((out / n).read_bytes()).hexdigest() == h for n, h in marker["files"].items())


def test_sigkill_at_random_moments_never_loses_or_halves_a_result(tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    (tmp_path / "mine.txt").write_text("user file beside the results")
    out = tmp_path / "out"
    rng = random.Random(0)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    seen_complete = 0
    for _ in range(12):
        p = subprocess.Popen([sys.executable, str(script), str(out), "k"], env=env)
        time.sleep(rng.uniform(0.3, 1.5))
        p.send_signal(signal.SIGKILL)
        p.wait()
        if out.exists():
            assert _complete(out), "a half result after SIGKILL"
            seen_complete += 1
    assert seen_complete >= 6
    assert (tmp_path / "mine.txt").read_text() == "user file beside the results"
    write_result_dir(out, {"a.csv": "x"})                    # the next write cleans the leftovers
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert _complete(out)


def test_two_writers_racing_end_with_one_complete_result(tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER.replace("while True:", "for _ in range(3):"))
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    procs = [subprocess.Popen([sys.executable, str(script), str(out), tag], env=env) for tag in ("p", "q")]
    assert [p.wait() for p in procs] == [0, 0]
    assert _complete(out)
    assert (out / "c.txt").read_text() in ("p-3", "q-3")


# --------------------------------------------------------------------------- single files and CSV cells
def test_single_file_rule(tmp_path):
    p = tmp_path / "x.csv"
    write_result_file(p, "a\n", suffixes=(".csv",))
    write_result_file(p, "b\n", suffixes=(".csv",))          # flowmodel's own file: replaced
    assert p.read_text() == "b\n"
    p.write_text("edited\n")
    with pytest.raises(fm.OutputError, match="did not write it"):
        write_result_file(p, "c\n", suffixes=(".csv",))
    assert p.read_text() == "edited\n"
    with pytest.raises(fm.OutputError, match="is a folder"):
        write_result_file(tmp_path, "c\n")


@pytest.mark.parametrize("cell, safe", [("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
                                        ("+cmd", "'+cmd"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
                                        ("\tx", "'\tx"), ("kozmino", "kozmino"), ("", "")])
def test_formulas_are_neutralised(cell, safe):
    assert neutralise(cell) == safe


def test_csv_export_neutralises_text_but_keeps_numbers():
    df = pd.DataFrame({"id": ["=1+1", "ok"], "value": [-2.5, 1.0]})
    text = write_csv_text(df)
    assert text == "id,value\n'=1+1,-2.5\nok,1\n"
