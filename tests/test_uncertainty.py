"""Monte Carlo and sensitivity over the sourced ranges: sampling, statistics, a distribution
worked by hand on tests/data/tiny, identical results locally, in processes and on Dask."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import flowmodel as fm
from flowmodel.study import Study
from flowmodel.sampling import Input, _triangular, draw, run_sensitivity, run_uncertainty, uncertain_inputs

from conftest import TINY, scenario_dict


def _tiny_with_ranges():
    """tiny with the port's capacity sourced as 30-40 (central 40) and the export pipeline 45-55."""
    net = fm.load_network(TINY)
    n, a = net.nodes, net.arcs
    n.loc[n["id"] == "port", ["capacity_low", "capacity_high"]] = [30.0, 40.0]
    a.loc[a["id"] == "export", ["capacity_low", "capacity_high"]] = [45.0, 55.0]
    return net


def test_triangular_inverse_cdf():
    assert _triangular(np.array([0.0, 1.0]), 30, 40, 50).tolist() == [30, 50]
    assert _triangular(np.array([0.5]), 30, 40, 50)[0] == pytest.approx(40)       # symmetric: median = mode
    x = _triangular(np.random.default_rng(0).random(200_000), 0, 1, 4)
    assert x.mean() == pytest.approx((0 + 1 + 4) / 3, abs=0.01)


def test_draws_are_seeded_bounded_and_grouped():
    inputs = [Input("a", "x", 0, 10, 12, 20, "srcA|capacity"), Input("b", "x", 1, 0, 5, 10, "srcA|capacity"),
              Input("c", "x", 2, 1, 2, 3, "srcB|capacity")]
    v = draw(inputs, range(500), seed=7)
    assert np.array_equal(v, draw(inputs, range(500), seed=7))
    assert not np.array_equal(v, draw(inputs, range(500), seed=8))
    assert np.array_equal(v[100:110], draw(inputs, range(100, 110), seed=7))     # a sample's draw depends on its id only
    for j, inp in enumerate(inputs):
        assert (v[:, j] >= inp.low).all() and (v[:, j] <= inp.high).all()
    # one source, one quantile: a and b move together (rank correlation 1), c does not
    ranks = pd.DataFrame(v).rank()
    assert ranks[0].corr(ranks[1]) == pytest.approx(1.0)
    assert abs(ranks[0].corr(ranks[2])) < 0.2


def test_max_to_distribution_by_hand():
    """2018, to JP+KR: China's contracts take 30 via the spur and 10 via the port, so crude
    max_to = port capacity - 10 in every sample (the port's range is 30-40)."""
    net = _tiny_with_ranges()
    study = Study(scenario_dict(), network=net)
    inputs = uncertain_inputs(study, 2018)
    assert [i.key for i in inputs] == ["arcs:export.capacity", "nodes:port.capacity"]
    res = fm.uncertainty(_scenario(net), samples=40, seed=3)
    crude = res["samples"].query("metric == 'max_to' and commodity == 'crude'")["value"].to_numpy()
    port = draw(inputs, range(40), seed=3)[:, 1]
    assert crude == pytest.approx(port - 10, abs=1e-6)
    s = res["summary"].set_index(["metric", "commodity"]).loc[("max_to", "crude")]
    assert s["p50"] == pytest.approx(np.percentile(crude, 50)) and s["mean"] == pytest.approx(crude.mean(), abs=1e-6)
    assert res["binding"].set_index("constraint").at["node:port", "probability"] == pytest.approx(1.0)


def _scenario(net, **extra):
    """A scenario dict whose network folder is a written copy of ``net`` (workers load it by path)."""
    import tempfile
    from pathlib import Path
    folder = Path(tempfile.mkdtemp()) / "tiny"
    folder.mkdir()
    for name, df in net.tables.items():
        if name in ("nodes", "arcs", "contracts", "baseline", "production"):
            df.drop(columns="_line").to_csv(folder / f"{name}.csv", index=False)
    return scenario_dict(folder, **extra)


def test_same_results_locally_in_processes_and_on_dask():
    sc = _scenario(_tiny_with_ranges())
    one = run_uncertainty(sc, samples=60, seed=5)
    two = run_uncertainty(sc, samples=60, seed=5, workers=2)
    dask = run_uncertainty(sc, samples=60, seed=5, scheduler="local")
    for k in ("samples", "summary", "binding"):
        assert one[k].to_csv(index=False) == two[k].to_csv(index=False) == dask[k].to_csv(index=False), k


def test_sensitivity_ranks_the_input_that_matters():
    df = run_sensitivity(_scenario(_tiny_with_ranges()))
    top = df.iloc[0]
    assert (top["input"], top["commodity"]) == ("nodes:port.capacity", "crude")
    assert top["swing"] == pytest.approx(10)            # port 30 -> 20, 40 -> 30
    assert df.set_index(["input", "commodity"]).at[("arcs:export.capacity", "crude"), "swing"] == pytest.approx(0)


def test_cli(tmp_path, capsys):
    from flowmodel.cli import main
    assert main(["uncertainty", "default", "--samples", "20", "--out", str(tmp_path / "u")]) == 0
    assert {p.name for p in (tmp_path / "u").iterdir()} >= {"samples.csv", "summary.csv", "binding.csv",
                                                               "inputs.csv", "histogram.png"}
    assert "p10" in capsys.readouterr().out
    assert main(["uncertainty", "default", "--samples", "0", "--out", str(tmp_path / "v")]) == 2


def test_grid_sweep_by_hand():
    """tiny 2018 with the port at 30, 40, 50: crude max_to = min(port, 40 from the export
    pipeline after the spur) - 10 owed to China = 20, 30, 30. A bigger port raises it: the
    limit of a non-origin node follows its capacity."""
    from flowmodel.sampling import parse_vary, run_grid
    grid = run_grid(_scenario(_tiny_with_ranges()), "nodes:port.capacity=30:50:10")
    crude = grid[grid["commodity"] == "crude"].set_index("value")["max_to"]
    assert crude.to_dict() == pytest.approx({30.0: 20.0, 40.0: 30.0, 50.0: 30.0})
    with pytest.raises(fm.ScenarioError, match="not TABLE:ID.FIELD"):
        parse_vary("port=1:2:3")
    with pytest.raises(fm.ScenarioError, match="unknown node 'prot'"):
        run_grid(_scenario(_tiny_with_ranges()), "nodes:prot.capacity=30:50:10")
