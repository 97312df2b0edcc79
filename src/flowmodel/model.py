r"""The Pyomo formulation: origin-tracked multi-commodity flow with contracts.

Built once over every asset that exists in any year of a network (a
"superstructure"); a year is a set of row and column bounds (:meth:`FlowModel.bounds`),
so timelines re-solve one model instead of rebuilding it.

Sets: nodes :math:`N`, arcs :math:`A`, origins :math:`O \subseteq N` (supply and
liquefaction nodes), contracts :math:`C`, delivery keys :math:`K` (market country x
commodity).  Variables (all :math:`\ge 0`):

* :math:`x_{a,o}` flow on arc *a* that was produced at origin *o*, only for arcs
  reachable from *o* through arcs of *o*'s commodity (canonical unit per year);
* :math:`e_r` overflow of capacity row *r* and :math:`s_c` shortfall of contract *c*
  (both fixed at 0 except in the elastic diagnosis and the historical check);
* :math:`w_k, p_k, m_k` the in-range part, excess and deficit of deliveries against
  the observed baseline range :math:`[\ell_k, h_k]`.

Rows (see README "Formulation"):

* balance, per node *n* and origin *o* not produced or consumed at *n*:
  :math:`\sum_{a\in out(n)} x_{a,o} - \sum_{a\in in(n)} x_{a,o} = 0`;
* liquefaction *L*: :math:`\sum_{a\in out(L)} x_{a,L} = \phi \sum_{a\in in(L)}\sum_o x_{a,o}`
  with :math:`\phi` = 0.735 Mt LNG per bcm (BP);
* capacity rows (each with overflow :math:`e_r`): production of a supply node,
  LNG output of a liquefaction node, inflow of a terminal, junction or market,
  total flow on an arc, all :math:`\le` the year's capacity;
* contract *c* with sellers :math:`S_c` and buyer :math:`b_c`: allocations
  :math:`y_{c,o}` of seller *o*'s deliveries to the contract,
  :math:`\sum_{o\in S_c} y_{c,o} + s_c \ge \min_c`, and per (seller, buyer) pair
  :math:`\sum_{c} y_{c,o} \le \sum_{a\in in(b)} x_{a,o}` (two contracts of one pair add up);
  for each group *G* of contracts with the same sellers and buyer,
  :math:`\sum_{a\in in(b)}\sum_{o\in S_G} x_{a,o} \le \sum_{c\in G}\max_c`;
* delivery key *k*: :math:`\sum_{m\in M_k}\sum_{a\in in(m)}\sum_o x_{a,o} - w_k - p_k + m_k = \ell_k`,
  :math:`0 \le w_k \le h_k-\ell_k`.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC
from pyomo.core.expr.numeric_expr import LinearExpression

from .network import Network, active_mask
from .units import LNG_MT_PER_BCM, pj_per_unit

INF = math.inf


@dataclass
class Rows:
    """Sparse rows collected before the Pyomo build: one entry per row."""

    kind: list[str] = field(default_factory=list)      # balance / conversion / capacity / contract / delivery
    ref: list[object] = field(default_factory=list)     # node id, arc id, contract id, (country, commodity)
    cols: list[list[int]] = field(default_factory=list)
    coefs: list[list[float]] = field(default_factory=list)

    def add(self, kind: str, ref: object, cols: list[int], coefs: list[float]) -> int:
        self.kind.append(kind)
        self.ref.append(ref)
        self.cols.append(cols)
        self.coefs.append(coefs)
        return len(self.kind) - 1


class FlowModel:
    """The LP of a network (all years), as a Pyomo model plus index arrays.

    Parameters
    ----------
    net : Network
        The network (all rows of all years) after scenario changes.

    Attributes
    ----------
    pyomo : pyomo.environ.ConcreteModel
        The formulation (variables ``x, e, s, w, p, m``; constraint ``rows``); its
        bounds are those of the year given to :meth:`build_pyomo`.
    cols : pandas.DataFrame
        One row per LP column: ``var`` (x/e/s/w/p/m), ``arc``, ``origin``, ``commodity``, ``ref``.
    rows : pandas.DataFrame
        One row per LP row: ``kind``, ``ref``, ``commodity``.
    """

    def __init__(self, net: Network):
        self.net = net
        nodes = net.nodes.drop_duplicates("id").set_index("id")
        arcs = net.arcs.drop_duplicates("id").set_index("id")
        self.node_ids: list[str] = list(nodes.index)
        self.node_kind = nodes["kind"].to_dict()
        self.node_com = nodes["commodity"].to_dict()
        self.node_country = nodes["country"].to_dict()
        self.arc_ids: list[str] = list(arcs.index)
        self.arc_tail = arcs["from"].to_dict()
        self.arc_head = arcs["to"].to_dict()
        self.arc_com = arcs["commodity"].to_dict()
        self.arc_len = arcs["length_km"].fillna(0.0).to_dict()
        self.arc_mode = arcs["mode"].to_dict()
        con = net.contracts.drop_duplicates("id").set_index("id")
        self.contract_ids: list[str] = list(con.index)
        self.contract_sellers = {c: [s.strip() for s in str(v).split(";")] for c, v in con["seller"].items()}
        self.contract_buyer = con["buyer"].to_dict()
        self.contract_com = con["commodity"].to_dict()
        self.origins = [n for n in self.node_ids if self.node_kind[n] in ("supply", "liquefaction")]
        markets = [n for n in self.node_ids if self.node_kind[n] == "market"]
        self.delivery_keys = sorted({(self.node_country[n], self.node_com[n]) for n in markets})
        with PauseGC():  # many small allocations; the cyclic GC only slows them down
            self._assemble()

    # ------------------------------------------------------------------ structure
    def _reach(self, origin: str, out_arcs: dict[str, list[str]]) -> list[str]:
        """Arcs an origin's product can travel on (BFS through its commodity)."""
        com = self.node_com[origin]
        seen_nodes = {origin}
        arcs: list[str] = []
        queue = deque([origin])
        while queue:
            n = queue.popleft()
            for a in out_arcs[n]:
                if self.arc_com[a] != com:
                    continue
                arcs.append(a)
                h = self.arc_head[a]
                if h not in seen_nodes and self.node_kind[h] not in ("market", "liquefaction"):
                    seen_nodes.add(h)
                    queue.append(h)
        return arcs

    def _assemble(self) -> None:
        out_arcs: dict[str, list[str]] = {n: [] for n in self.node_ids}
        in_arcs: dict[str, list[str]] = {n: [] for n in self.node_ids}
        for a in self.arc_ids:
            out_arcs[self.arc_tail[a]].append(a)
            in_arcs[self.arc_head[a]].append(a)
        # --- columns
        col_var, col_arc, col_origin = [], [], []
        arc_cols: dict[str, list[int]] = {a: [] for a in self.arc_ids}
        col_of: dict[tuple[str, str], int] = {}
        for o in self.origins:
            for a in self._reach(o, out_arcs):
                k = len(col_var)
                col_var.append("x")
                col_arc.append(a)
                col_origin.append(o)
                arc_cols[a].append(k)
                col_of[(a, o)] = k
        self.n_x = len(col_var)
        R = Rows()
        origin_pos = {o: i for i, o in enumerate(self.origins)}
        # --- balance and conversion rows
        for n in self.node_ids:
            kind = self.node_kind[n]
            if kind == "market":
                continue
            by_origin: dict[str, tuple[list[int], list[int]]] = {}
            for a in out_arcs[n]:
                for k in arc_cols[a]:
                    by_origin.setdefault(col_origin[k], ([], []))[0].append(k)
            for a in in_arcs[n]:
                for k in arc_cols[a]:
                    by_origin.setdefault(col_origin[k], ([], []))[1].append(k)
            for o in sorted(by_origin, key=origin_pos.__getitem__):
                if o == n or (kind == "liquefaction" and self.node_com[o] == "gas"):
                    continue
                outs, ins = by_origin[o]
                R.add("balance", (n, o), outs + ins, [1.0] * len(outs) + [-1.0] * len(ins))
            if kind == "liquefaction":
                outs = [col_of[(a, n)] for a in out_arcs[n] if (a, n) in col_of]
                ins = [k for a in in_arcs[n] for k in arc_cols[a]]
                R.add("conversion", n, outs + ins, [1.0] * len(outs) + [-LNG_MT_PER_BCM] * len(ins))
        # --- capacity rows (each gets an overflow column appended below)
        cap_rows: list[int] = []
        for n in self.node_ids:
            kind = self.node_kind[n]
            if kind in ("supply", "liquefaction"):
                outs = [col_of[(a, n)] for a in out_arcs[n] if (a, n) in col_of]
                ins = [col_of[(a, n)] for a in in_arcs[n] if (a, n) in col_of]
                cols, coefs = outs + ins, [1.0] * len(outs) + [-1.0] * len(ins)
            else:
                cols = [k for a in in_arcs[n] for k in arc_cols[a]]
                coefs = [1.0] * len(cols)
            cap_rows.append(R.add("node", n, cols, coefs))
        for a in self.arc_ids:
            cap_rows.append(R.add("arc", a, list(arc_cols[a]), [1.0] * len(arc_cols[a])))
        for r in cap_rows:
            k = len(col_var)
            col_var.append("e")
            col_arc.append(None)
            col_origin.append(None)
            R.cols[r].append(k)
            R.coefs[r].append(-1.0)
        # --- contracts: each seller's deliveries to a buyer are allocated among the
        # contracts naming that (seller, buyer) pair (columns y), so two contracts of
        # the same pair add up; the maximum applies to the pair's whole delivery.
        alloc: dict[tuple[str, str], list[int]] = {}
        for c in self.contract_ids:
            b = self.contract_buyer[c]
            ys = []
            for o in self.contract_sellers[c]:
                k = len(col_var)
                col_var.append("y")
                col_arc.append(None)
                col_origin.append(o)
                alloc.setdefault((o, b), []).append(k)
                ys.append(k)
            k = len(col_var)
            col_var.append("s")
            col_arc.append(None)
            col_origin.append(None)
            R.add("contract", c, ys + [k], [1.0] * len(ys) + [1.0])
        for (o, b), ys in alloc.items():
            xs = [k for a in in_arcs[b] for k in arc_cols[a] if col_origin[k] == o]
            R.add("allocation", (o, b), ys + xs, [1.0] * len(ys) + [-1.0] * len(xs))
        # maxima: one row per (seller set, buyer) group; the bound is the sum of the
        # maxima of the group's active contracts (no limit if one of them has none)
        self.contract_group = {c: (";".join(sorted(self.contract_sellers[c])), self.contract_buyer[c])
                               for c in self.contract_ids}
        for g in sorted(set(self.contract_group.values())):
            sellers, buyer = set(g[0].split(";")), g[1]
            xs = [k for a in in_arcs[buyer] for k in arc_cols[a] if col_origin[k] in sellers]
            R.add("contract_max", g, xs, [1.0] * len(xs))
        # --- deliveries against the observed baseline
        markets_of: dict[tuple[str, str], list[str]] = {}
        for n in self.node_ids:
            if self.node_kind[n] == "market":
                markets_of.setdefault((self.node_country[n], self.node_com[n]), []).append(n)
        for key in self.delivery_keys:
            cols = [k for n in markets_of[key] for a in in_arcs[n] for k in arc_cols[a]]
            extra = []
            for v in ("w", "p", "m"):
                extra.append(len(col_var))
                col_var.append(v)
                col_arc.append(None)
                col_origin.append(None)
            R.add("delivery", key, cols + extra, [1.0] * len(cols) + [-1.0, -1.0, 1.0])
        self.R = R
        self.in_arcs, self.out_arcs, self.arc_cols, self.col_of = in_arcs, out_arcs, arc_cols, col_of
        # --- tidy index tables
        row_com = []
        for kind, ref in zip(R.kind, R.ref):
            if kind == "node" or kind == "conversion":
                row_com.append(self.node_com[ref])
            elif kind == "balance":
                row_com.append(self.node_com[ref[1]])
            elif kind == "arc":
                row_com.append(self.arc_com[ref])
            elif kind == "contract":
                row_com.append(self.contract_com[ref])
            elif kind == "contract_max":
                row_com.append(self.node_com[ref[1]])
            elif kind == "allocation":
                row_com.append(self.node_com[ref[1]])
            else:
                row_com.append(ref[1])
        self.rows = pd.DataFrame({"kind": R.kind, "ref": R.ref, "commodity": row_com})
        ref_of_col: list[object] = [None] * len(col_var)
        for r, kind in enumerate(R.kind):
            if kind in ("node", "arc"):
                ref_of_col[R.cols[r][-1]] = (kind, R.ref[r])
            elif kind == "contract":
                ref_of_col[R.cols[r][-1]] = R.ref[r]
            elif kind == "delivery":
                for k in R.cols[r][-3:]:
                    ref_of_col[k] = R.ref[r]
        com = [self.arc_com[a] if a is not None else None for a in col_arc]
        self.cols = pd.DataFrame({"var": col_var, "arc": col_arc, "origin": col_origin,
                                  "commodity": com, "ref": ref_of_col})
        self.cap_row_index = {(R.kind[r], R.ref[r]): r for r in cap_rows}
        self.contract_row_index = {R.ref[r]: r for r in range(len(R.kind)) if R.kind[r] == "contract"}
        self.contract_max_row_index = {R.ref[r]: r for r in range(len(R.kind)) if R.kind[r] == "contract_max"}
        self.delivery_row_index = {R.ref[r]: r for r in range(len(R.kind)) if R.kind[r] == "delivery"}
        self.n_cols, self.n_rows = len(col_var), len(R.kind)
        self.pyomo: pyo.ConcreteModel | None = None

    # ------------------------------------------------------------------ bounds of a year
    def bounds(self, year: int, supply: str = "baseline") -> YearBounds:
        """Row and column bounds for ``year``.

        ``supply='baseline'`` caps supply and liquefaction nodes at their observed
        output in ``year`` (capacity where no observation exists).
        """
        net = self.net
        nrow, ncol = self.n_rows, self.n_cols
        rl = np.full(nrow, -INF)
        ru = np.full(nrow, INF)
        cl = np.zeros(ncol)
        cu = np.full(ncol, INF)
        var = self.cols["var"].to_numpy()
        cu[(var == "e") | (var == "s")] = 0.0
        cu[(var == "w") | (var == "p") | (var == "m")] = 0.0
        kinds = np.array(self.R.kind)
        rl[(kinds == "balance") | (kinds == "conversion")] = 0.0
        ru[(kinds == "balance") | (kinds == "conversion") | (kinds == "allocation")] = 0.0
        caps = {"node": net.nodes.loc[active_mask(net.nodes, year)].set_index("id")["capacity"].to_dict(),
                "arc": net.arcs.loc[active_mask(net.arcs, year)].set_index("id")["capacity"].to_dict()}
        prod = net.production[net.production["year"] == year].set_index("node")["volume"].to_dict()
        supply_note: dict[str, str] = {}
        cap_value: dict[tuple[str, str], float] = {}
        for (kind, ref), r in self.cap_row_index.items():
            cap = caps[kind].get(ref)
            if cap is None:
                cap_value[(kind, ref)] = ru[r] = 0.0  # asset not in service this year
                continue
            cap = INF if cap != cap else float(cap)  # NaN = no limit
            cap_value[(kind, ref)] = cap
            if kind == "node" and supply == "baseline" and self.node_kind[ref] in ("supply", "liquefaction"):
                if ref in prod:
                    if prod[ref] < cap:
                        supply_note[ref] = "observed output"
                    cap = min(cap, float(prod[ref]))
                else:
                    supply_note[ref] = "capacity (no observed output)"
            ru[r] = cap
        con = net.contracts[active_mask(net.contracts, year)].set_index("id")
        group_max: dict[tuple[str, str], float] = {}
        for c, r in self.contract_row_index.items():
            if c in con.index:
                rl[r] = float(con.at[c, "min_volume"])
                mx = con.at[c, "max_volume"]
                g = self.contract_group[c]
                group_max[g] = group_max.get(g, 0.0) + (INF if pd.isna(mx) else float(mx))
        for g, r in self.contract_max_row_index.items():
            ru[r] = group_max.get(g, INF)
        base = net.baseline[net.baseline["year"] == year]
        observed = {}
        for _, b in base.iterrows():
            lo = b["volume_low"] if not pd.isna(b["volume_low"]) else b["volume"]
            hi = b["volume_high"] if not pd.isna(b["volume_high"]) else b["volume"]
            observed[(b["market"], b["commodity"])] = (float(min(lo, b["volume"])), float(max(hi, b["volume"])),
                                                       float(b["volume"]))
        for key, r in self.delivery_row_index.items():
            w, p, m = self.R.cols[r][-3:]
            if key in observed:
                lo, hi, _ = observed[key]
                rl[r] = ru[r] = lo
                cu[w] = hi - lo
                cu[p] = cu[m] = INF
            else:
                rl[r] = ru[r] = 0.0
                cu[p] = INF  # unobserved market: free, no penalty
        return YearBounds(year, supply, rl, ru, cl, cu, observed, cap_value, supply_note)

    # ------------------------------------------------------------------ pyomo
    def build_pyomo(self, b: YearBounds) -> pyo.ConcreteModel:
        """Build the Pyomo model with the bounds of one year (the readable formulation)."""
        m = pyo.ConcreteModel(name=f"flowmodel_{self.net.name}")
        m.v = pyo.Var(range(self.n_cols), domain=pyo.NonNegativeReals)
        vs = list(m.v.values())  # positional access is much cheaper than m.v[k]
        for k in np.flatnonzero(np.isfinite(b.col_upper)):
            vs[k].setub(float(b.col_upper[k]))
        R = self.R
        lower = [None if math.isinf(x) else float(x) for x in b.row_lower]
        upper = [None if math.isinf(x) else float(x) for x in b.row_upper]

        def rule(_m, r):
            lo, hi = lower[r], upper[r]
            expr = LinearExpression(constant=0.0, linear_coefs=R.coefs[r], linear_vars=[vs[k] for k in R.cols[r]])
            if lo is None and hi is None:
                return (None, expr, 1e30)  # free row: kept in the matrix, bounds set in HiGHS
            return (lo, expr, hi)

        m.rows = pyo.Constraint(range(self.n_rows), rule=rule)
        m.obj = pyo.Objective(expr=0.0, sense=pyo.minimize)
        self.pyomo = m
        return m

    # ------------------------------------------------------------------ objective vectors
    def weights(self) -> np.ndarray:
        """PJ per unit of each x column (0 elsewhere)."""
        com = self.cols["commodity"].to_numpy()
        w = np.zeros(self.n_cols)
        for c in ("crude", "gas", "lng"):
            w[com == c] = pj_per_unit(c)
        return w

    def delivery_vector(self, countries: set[str] | None = None, commodity: str | None = None) -> np.ndarray:
        """PJ-weighted indicator of x columns on arcs into market nodes (filtered)."""
        vec = np.zeros(self.n_cols)
        wts = self.weights()
        for n in self.node_ids:
            if self.node_kind[n] != "market":
                continue
            if countries is not None and self.node_country[n] not in countries:
                continue
            if commodity is not None and self.node_com[n] != commodity:
                continue
            for a in self.in_arcs[n]:
                for k in self.arc_cols[a]:
                    vec[k] = wts[k]
        return vec

    def cost_vector(self) -> np.ndarray:
        """Tie-break transport cost: PJ x (1 + length/1000 km) on x columns."""
        lengths = np.array([self.arc_len.get(a, 0.0) if a is not None else 0.0 for a in self.cols["arc"]])
        return self.weights() * (1.0 + lengths / 1000.0)

    def deviation_vector(self, b: YearBounds) -> np.ndarray:
        """PJ weights of the baseline excess/deficit columns of observed keys."""
        return self.anchor_vector(keys=b.observed)

    def anchored(self, b: YearBounds, x_ref: np.ndarray) -> YearBounds:
        """Copy of ``b`` whose delivery rows measure the distance to the deliveries of
        ``x_ref`` (the reference flow) for every key, observed or not."""
        rl, ru, cu = b.row_lower.copy(), b.row_upper.copy(), b.col_upper.copy()
        for r in self.delivery_row_index.values():
            cols = self.R.cols[r]
            w, p, m = cols[-3:]
            d = float(sum(x_ref[k] for k in cols[:-3]))
            rl[r] = ru[r] = d
            cu[w] = 0.0
            cu[p] = cu[m] = INF
        return replace(b, row_lower=rl, row_upper=ru, col_upper=cu)

    def anchor_vector(self, keys=None) -> np.ndarray:
        """PJ weights of the excess/deficit columns of every delivery key (or of ``keys``)."""
        vec = np.zeros(self.n_cols)
        for key, r in self.delivery_row_index.items():
            if keys is None or key in keys:
                _, p, mm = self.R.cols[r][-3:]
                vec[p] = vec[mm] = pj_per_unit(key[1])
        return vec

    def elastic_vector(self, which: str) -> np.ndarray:
        """PJ weights of overflow (``'e'``) or shortfall (``'s'``) columns."""
        vec = np.zeros(self.n_cols)
        var = self.cols["var"].to_numpy()
        for k in np.flatnonzero(var == which):
            ref = self.cols.at[k, "ref"]
            if which == "s":
                com = self.contract_com[ref]
            else:
                kind, rid = ref
                com = self.node_com[rid] if kind == "node" else self.arc_com[rid]
            vec[k] = pj_per_unit(com)
        return vec


@dataclass
class YearBounds:
    """Bounds of the LP for one year and what they were derived from."""

    year: int
    supply: str
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    observed: dict[tuple[str, str], tuple[float, float, float]]
    capacity: dict[tuple[str, str], float]
    supply_note: dict[str, str]
