"""Direct tests of the data layer: units, vocabulary, schema, network loading."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import flowmodel as fm
from flowmodel import schema, units, vocabulary
from flowmodel.network import active_mask

from conftest import write_network


# --------------------------------------------------------------------------- units
def test_energy_factors_are_bp_and_consistent():
    assert units.pj_per_unit("crude") == pytest.approx(41.868)          # 1 toe = 41.868 GJ
    assert units.pj_per_unit("gas") == pytest.approx(36.0)
    # LNG is derived from the volumetric factor so that liquefaction conserves energy
    assert units.pj_per_unit("lng") == pytest.approx(1.36 * 36.0)
    assert units.LNG_MT_PER_BCM * units.pj_per_unit("lng") == pytest.approx(36.0 * 0.735 * 1.36)
    assert {c: units.unit_of(c) for c in units.COMMODITIES} == {"crude": "Mt/yr", "gas": "bcm/yr", "lng": "Mt/yr"}


@pytest.mark.parametrize("text, canonical", [("Mt/yr", "Mt/yr"), ("mtpa", "Mt/yr"), (" MT/A ", "Mt/yr"),
                                             ("bcm/yr", "bcm/yr"), ("bcma", "bcm/yr"), ("kb/d", None),
                                             ("", None)])
def test_unit_aliases(text, canonical):
    assert units.canonical_unit(text) == canonical


# --------------------------------------------------------------------------- vocabulary
@pytest.mark.parametrize("value, blank", [(None, True), (float("nan"), True), ("", True), ("  ", True),
                                          (pd.NA, True), (np.nan, True), (0, False), ("x", False),
                                          (0.0, False)])
def test_is_blank(value, blank):
    assert vocabulary.is_blank(value) is blank


def test_one_list_of_words():
    assert vocabulary.COMMODITY_ORDER == tuple(units.COMMODITIES) == ("crude", "gas", "lng")
    assert schema.NODE_KINDS is vocabulary.NODE_KINDS
    assert vocabulary.ORIGIN_KINDS == {"supply", "liquefaction"}
    assert vocabulary.FORWARD_STATUSES <= set(vocabulary.STATUSES)


# --------------------------------------------------------------------------- schema
def test_every_table_has_a_source_column_and_unique_names():
    for t in schema.TABLES.values():
        assert len(t.names) == len(set(t.names)), t.name
        if t.name != "claims":
            assert "source" in t.required, t.name


def test_markdown_table_lists_every_column():
    md = schema.markdown_table(schema.TABLES["arcs"])
    for c in schema.TABLES["arcs"].names:
        assert f"`{c}`" in md


# --------------------------------------------------------------------------- network
def test_active_mask_includes_both_ends():
    df = pd.DataFrame({"start_year": [2010, np.nan, 2015], "end_year": [2014, 2012, np.nan]})
    assert list(active_mask(df, 2012)) == [True, True, False]
    assert list(active_mask(df, 2014)) == [True, False, False]
    assert list(active_mask(df, 2015)) == [False, False, True]


def test_network_tables_are_typed_and_keep_csv_lines(tmp_path):
    nodes = [{"id": "s", "kind": "supply", "country": "RU", "commodity": "crude", "capacity": "12.5"},
             {"id": "m", "kind": "market", "country": "JP", "commodity": "crude"}]
    arcs = [{"id": "a", "from": "s", "to": "m", "commodity": "crude", "capacity": 10, "start_year": 2015}]
    net = fm.read_network(write_network(tmp_path / "n", nodes, arcs))
    assert net.nodes["capacity"].tolist()[0] == 12.5
    assert math.isnan(net.nodes["capacity"].tolist()[1])
    assert net.nodes["_line"].tolist() == [2, 3]
    assert net.years() == (2015, 2015)
    assert set(net.hashes) >= {"nodes.csv", "arcs.csv"}
