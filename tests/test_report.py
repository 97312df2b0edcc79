"""The report builder, its PNG twins and the Excel workbook (no browser; see
test_report_browser.py for the page in Chromium)."""

from __future__ import annotations

import html.parser
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

import flowmodel as fm
from flowmodel.cli import main
from flowmodel.reporting.build import network_of, png_files, report_html
from flowmodel.reporting.sankey import sankey_data
from flowmodel.reporting.sources import Sources
from flowmodel.reporting.timeline import timeline_mpl, timeline_png
from flowmodel.reporting.view import map_view
from flowmodel.xlsx import result_workbook

ROOT = Path(__file__).resolve().parents[1]
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def res():
    return fm.run(ROOT / "scenarios" / "default.yaml")


@pytest.fixture(scope="module")
def tl():
    return fm.timeline(ROOT / "scenarios" / "default.yaml", years="2016-2019")


@pytest.fixture(scope="module")
def page(res, tl) -> str:
    return report_html(res, timeline=tl)


# --------------------------------------------------------------------------- HTML structure
class _Scan(html.parser.HTMLParser):
    """Attributes that could load something, and http(s) text outside <script> and citations."""

    def __init__(self):
        super().__init__()
        self.attrs: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.stack: list[tuple[str, bool]] = []
        self.loose_urls: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        for k, v in attrs:
            self.attrs.append((tag, k, v or ""))
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        inert = tag == "script" or "cite" in (a.get("class") or "").split()
        if tag not in ("meta", "br", "img", "link", "input"):
            self.stack.append((tag, inert or any(i for _, i in self.stack)))

    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        if re.search(r"https?://", data) and not any(i for _, i in self.stack):
            self.loose_urls.append(data[:80])


def test_structure(page, res):
    s = _Scan()
    s.feed(page)
    for i in ("timeline", "timeline-0", "map-default-2024", "sankey-default-2024-crude", "sankey-default-2024-gas",
              "sankey-default-2024-lng", "sources-default-2024"):
        assert i in s.ids, i
    figs = json.loads(re.search(r'<script type="application/json" id="fm-figures">(.*?)</script>', page, re.S)
                      .group(1).replace("<\\/", "</"))
    assert [f["id"] for f in figs["figures"]] == ["timeline-0", "map-default-2024", "sankey-default-2024-crude",
                                                  "sankey-default-2024-gas", "sankey-default-2024-lng"]
    # only trace types that the embedded partial bundle holds
    types = {t.get("type", "scatter") for f in figs["figures"] for t in f["data"]} | \
        {t["type"] for t in figs["basemap"]}
    assert types <= {"scatter", "bar", "sankey"}
    # every in-page link lands on an element; numbers link to source rows
    assert all(h.startswith("#") for h in s.hrefs)
    assert {h[1:] for h in s.hrefs} <= s.ids
    assert sum(h.startswith("#src-") for h in s.hrefs) > 30
    # the redirect table says what limits crude in words, with the port linked to its row
    assert re.search(r'terminal <a href="#src-default-2024-nodes-\d+">kozmino</a> throughput', page)


def test_offline_no_url_to_load(page):
    s = _Scan()
    s.feed(page)
    assert not s.tags & {"link", "img", "iframe", "object", "embed", "base", "source", "video", "audio"}
    loaders = [(t, k, v) for t, k, v in s.attrs if k in ("src", "href", "action", "data", "poster", "srcset")
               or (k == "style" and "url(" in v)]
    assert all(v.startswith("#") for _, _, v in loaders), loaders
    assert s.loose_urls == []        # http(s) text only inside citations (inert text) and scripts
    assert "url(" not in page.split("<script>")[0].split("<style>")[1].split("</style>")[0]
    assert "@import" not in page and "@font-face" not in page
    # the embedded plotly.js never gets a geo/mapbox trace, so its CDN topojson URL is never used
    assert '"type":"scattergeo"' not in page and "mapbox" not in page.split("</script>", 1)[1]


def test_size_and_determinism(page, res, tl):
    size = len(page.encode("utf-8"))
    assert 1_000_000 < size < 2_500_000   # 1.39 MB of plotly.js + data; the old timeline.html was 4.8 MB
    assert report_html(res, timeline=tl) == page


def test_api_writes_report(res, tmp_path):
    p = res.report(tmp_path / "r.html")
    assert p.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert fm.report([res, res]).count("<section id=\"default-2024") == 2


# --------------------------------------------------------------------------- data behind the charts
def test_sankey_totals_match_the_redirect_table(res):
    net = network_of(res)
    modes = net.arcs.drop_duplicates("id").set_index("id")["mode"].to_dict()
    red = res.redirect.set_index("commodity")
    for c in ("crude", "lng"):
        sd = sankey_data(res, net.nodes, modes, c)
        for which, col in (("optimum", "max_to"), ("reference", "to_reference")):
            links = getattr(sd, which)
            to = sum(v for s, t, v in links if sd.labels[t].endswith("(to)"))
            assert to == pytest.approx(red.at[c, col], abs=1e-6)
            # what enters each route from the supplies leaves it to the markets
            for r in {i for i, k in enumerate(sd.column) if k == 1}:
                assert sum(v for s, t, v in links if t == r) == pytest.approx(
                    sum(v for s, t, v in links if s == r), abs=1e-6)
    # crude: the Sankey's Kozmino links equal the tanker arcs of flows.csv (an independent table)
    sd = sankey_data(res, net.nodes, modes, "crude")
    koz = sd.labels.index("Kozmino oil port (tanker)")
    kr = sd.labels.index("KR (to)")
    cn = sd.labels.index("CN (from)")
    f = res.flows.set_index("arc")
    assert f.at["tanker_kozmino_kr", "flow"] == pytest.approx(45.6)            # Kozmino's throughput, all to Korea
    assert dict(((s, t), v) for s, t, v in sd.optimum)[(koz, kr)] == pytest.approx(f.at["tanker_kozmino_kr", "flow"])
    assert dict(((s, t), v) for s, t, v in sd.reference)[(koz, cn)] == pytest.approx(
        f.at["tanker_kozmino_cn", "reference_flow"])


def test_map_view(res):
    net = network_of(res)
    v = map_view(res, net, Sources(net, 2024, res.scenario))
    arcs = v.arcs.set_index("arc")
    binding = set(res.constraints.loc[res.constraints["kind"] == "arc", "id"])
    assert set(arcs.index[arcs["binding"]]) == binding
    nodes = v.nodes.set_index("id")
    assert nodes.at["nsr_east", "lon"] == pytest.approx(-169 + 360)   # east of the antimeridian
    assert nodes.at["jp_lng", "lat"] == nodes.at["jp_crude", "lat"] and "jp_crude" in nodes.at["jp_lng", "placed"]
    assert "eu_lng" in " ".join(v.notes)
    assert "source: arcs.csv:" in arcs.at["espo_spur", "hover"] and "utilisation: 100 %" in arcs.at["espo_spur", "hover"]


def test_sources_rows_and_scenario_additions():
    s = fm.load_scenario(ROOT / "scenarios" / "whatif_vladivostok_lng.yaml")
    res = fm.run(s)
    src = Sources(network_of(res), res.manifest["year"], s)
    t = src.table
    added = t[t["file"] == "whatif_vladivostok_lng.yaml"]
    assert len(added) >= 1 and added["line"].str.startswith("add.").all()
    arcs_csv = (ROOT / "networks" / "east_asia" / "arcs.csv").read_text(encoding="utf-8").splitlines()
    row = t[(t["table"] == "arcs") & (t["key"] == "espo_spur")].iloc[0]
    assert arcs_csv[int(row["line"]) - 1].startswith("espo_spur,")   # the line number names the CSV line


# --------------------------------------------------------------------------- PNGs
def _fake_timeline(years, infeasible=()):
    rows = []
    for y in years:
        if y in infeasible:
            rows.append({"year": y, "commodity": "all", "status": "infeasible",
                         "limiting_factor": "contracts cannot all be met"})
            continue
        for c, v in (("crude", 10.0 + y % 3), ("gas", 0.0), ("lng", 2.0)):
            rows.append({"year": y, "commodity": c, "redirectable": v, "from_redirect_markets": v / 2,
                         "max_to": 2 * v, "limited_by": "no route" if c == "gas" else "port",
                         "limiting_factor": "x", "status": "optimal"})
    return pd.DataFrame(rows)


def test_timeline_png_integer_years_no_empty_panel_infeasible_noted():
    import matplotlib.pyplot as plt

    s = fm.api.as_scenario(None)
    fig = timeline_mpl(_fake_timeline([1988, 1989, 1990, 1991], infeasible={1990}), s)
    try:
        fig.canvas.draw()
        axes = [a for a in fig.axes if a.get_visible()]
        assert [a.get_title() for a in axes] == ["crude", "LNG"]      # gas (zero in every year) left out
        for a in axes:
            labels = [t.get_text() for t in a.get_xticklabels() if t.get_visible() and t.get_text()]
            assert labels and all(re.fullmatch(r"\d{4}", t) for t in labels), labels
            ticks = [x for x in a.get_xticks() if 1987 < x < 1992]
            assert ticks == [1988, 1989, 1990, 1991]
            top = max(b.get_y() + b.get_height() for b in a.patches if hasattr(b, "get_y"))
            assert a.get_ylim()[1] > top     # nothing clipped at the top
        text = " ".join(t.get_text() for t in fig.texts)
        assert "1990: infeasible" in text and "gas: nothing can reach JP, KR" in text
        legend = fig.legends[0]
        bbox = legend.get_window_extent()
        for a in axes:                      # the legend sits below the panels, not on the data
            assert bbox.y1 <= a.get_window_extent().y0
    finally:
        plt.close(fig)


def test_timeline_png_bytes_dpi_and_determinism():
    from PIL import Image

    s = fm.api.as_scenario(None)
    df = _fake_timeline(range(2009, 2031))
    a, b = timeline_png(df, s, dpi=300), timeline_png(df, s, dpi=300)
    assert a.startswith(PNG) and a == b
    w, h = Image.open(io.BytesIO(a)).size
    assert w == 7 * 300 and h < w


def test_png_twins(res):
    files = png_files(res, dpi=100)
    assert set(files) == {"map.png", "map-reference.png", "sankey-crude.png", "sankey-gas.png", "sankey-lng.png"}
    assert all(v.startswith(PNG) for v in files.values())
    assert png_files(res, dpi=100) == files


# --------------------------------------------------------------------------- Excel
def test_xlsx_sheets_units_sources(res, tmp_path):
    import openpyxl

    data = result_workbook(res)
    assert data == result_workbook(res)                      # deterministic bytes
    p = tmp_path / "r.xlsx"
    p.write_bytes(data)
    wb = openpyxl.load_workbook(p, read_only=True)
    assert wb.sheetnames == ["redirect", "summary", "flows", "constraints", "splits", "sources", "manifest"]
    head = [c.value for c in next(wb["redirect"].iter_rows(max_row=1))]
    assert "max_to [unit col.]" in head and "redirected_pj [PJ/yr]" in head and "unit" in head
    flows_head = [c.value for c in next(wb["flows"].iter_rows(max_row=1))]
    assert "utilization [fraction]" in flows_head
    rows = list(wb["redirect"].iter_rows(min_row=2, values_only=True))
    crude = rows[[r[head.index("commodity")] for r in rows].index("crude")]
    assert crude[head.index("max_to [unit col.]")] == pytest.approx(
        float(res.redirect.set_index("commodity").at["crude", "max_to"]))
    src_head = [c.value for c in next(wb["sources"].iter_rows(max_row=1))]
    assert {"ref", "source", "status", "value", "unit"} <= set(src_head)
    assert wb["sources"].max_row > 50


# --------------------------------------------------------------------------- command line
def test_cli_report_run_compare_outputs(tmp_path, capsys):
    sc = str(ROOT / "scenarios" / "default.yaml")
    html_file = tmp_path / "r.html"
    assert main(["report", sc, "--no-timeline", "--out", str(html_file), "--png", str(tmp_path / "png"),
                 "--dpi", "80", "--xlsx", str(tmp_path / "r.xlsx")]) == 0
    assert html_file.stat().st_size < 2_500_000
    assert (tmp_path / "png" / "map.png").read_bytes().startswith(PNG)
    assert (tmp_path / "r.xlsx").stat().st_size > 1000
    assert main(["run", sc, "--out", str(tmp_path / "run"), "--plot", "--dpi", "80",
                 "--xlsx", str(tmp_path / "run.xlsx")]) == 0
    assert {p.name for p in (tmp_path / "run").glob("*.png")} == {
        "map.png", "map-reference.png", "sankey-crude.png", "sankey-gas.png", "sankey-lng.png"}
    assert main(["compare", sc, str(ROOT / "scenarios" / "whatif_vladivostok_lng.yaml"), "--out",
                 str(tmp_path / "c.csv"), "--plot", "--xlsx", str(tmp_path / "c.xlsx")]) == 0
    assert (tmp_path / "c.png").read_bytes().startswith(PNG)
    out = capsys.readouterr().out
    assert "wrote" in out and "MB" in out


def test_cli_report_bad_output_path_exit_2_nothing_written(tmp_path, capsys):
    (tmp_path / "taken").mkdir()
    assert main(["report", "--no-timeline", "--out", str(tmp_path / "taken")]) == 2
    assert "--out" in capsys.readouterr().err
    assert main(["report", "--no-timeline", "--out", str(tmp_path / "r.html"), "--xlsx", str(tmp_path / "taken")]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
