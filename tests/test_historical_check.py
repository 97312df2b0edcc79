"""The historical check can fail: a realistic corruption of the shipped data is caught.

Sakhalin-1's 2022 output was about 4.2 Mt (the field was shut from May to October);
version 1 of the data ran it at its 14.97 Mt/yr capacity.  Put back, the check must flag
2022 and name the field; the shipped 2022 must pass.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import flowmodel as fm

NET = Path(__file__).resolve().parents[1] / "networks" / "east_asia"


def _with_output(tmp_path: Path, node: str, year: int, volume: float) -> Path:
    folder = tmp_path / "east_asia"
    shutil.copytree(NET, folder)
    prod = pd.read_csv(folder / "production.csv", dtype=str, keep_default_na=False)
    row = (prod["node"] == node) & (prod["year"] == str(year))
    assert row.sum() == 1
    prod.loc[row, ["volume", "volume_low", "volume_high"]] = [str(volume), "", ""]
    prod.to_csv(folder / "production.csv", index=False, lineterminator="\n")
    return folder


def test_shipped_2022_is_consistent():
    chk = fm.check(NET, years=2022)
    assert list(chk["status"]) == ["ok"]


def test_sakhalin1_2022_at_capacity_is_flagged(tmp_path):
    chk = fm.check(_with_output(tmp_path, "sakhalin1", 2022, 14.97), years=[2021, 2022, 2023])
    bad = chk[chk["status"] == "inconsistent"]
    assert set(bad["year"]) == {2022}
    row = bad.iloc[0]
    assert row["kind"] == "identity" and row["id"] == "crude"
    assert "sakhalin1 14.97" in row["description"]
    # by hand: recorded 69.1 + 14.97 + 10 + 3.7 = 97.77 vs observed deliveries 88.2
    assert row["limit"] == pytest.approx(97.77) and row["needed"] == pytest.approx(88.2)


def test_projected_deliveries_are_not_checked():
    chk = fm.check(NET)
    base = fm.load_network(NET).baseline
    projected_only = set(base.loc[base["status"] == "projection", "year"]) - set(
        base.loc[base["status"] != "projection", "year"])
    assert not projected_only & set(chk["year"])
