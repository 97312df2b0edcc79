r"""Variable families (all :math:`\ge 0`; upper bounds per year in :mod:`.bounds`).

* ``flow[a, o]``: flow on arc *a* produced at origin *o* (canonical unit per year);
* ``alloc[c, o]``: the part of seller *o*'s deliveries to contract *c*'s buyer that
  counts towards contract *c*;
* ``node_overflow[n]``, ``arc_overflow[a]``: capacity overflow of the assets that
  have a capacity row (:mod:`.capacity`); ``node_underflow[o]``: an origin's output
  below its recorded figure (historical check only); ``shortfall[c]``:
  contract shortfall. Fixed at 0 except in the elastic diagnosis and the historical
  check;
* ``delivery_in_range[k]``, ``delivery_excess[k]``, ``delivery_deficit[k]``: the
  in-range part, excess and deficit of deliveries against the observed range of
  delivery key *k*.
"""

from __future__ import annotations

import numpy as np

from .families import Layout, VarFamily
from .sets import Sets


def define_variables(sets: Sets, layout: Layout) -> None:
    """Add every variable family to ``layout`` (column order = the order below)."""
    add = layout.add_vars
    add(VarFamily("flow", list(zip(sets.flow["arc"], sets.flow["origin"])), "flow on arc a from origin o"))
    add(VarFamily("alloc", list(zip(sets.alloc["contract"], sets.alloc["seller"])),
                  "seller o's deliveries counted towards contract c"))
    add(VarFamily("node_overflow", list(sets.nodes.index[sets.limited_nodes]), "node capacity overflow (elastic)",
                  sets.limited_nodes))
    add(VarFamily("arc_overflow", list(sets.arcs.index[sets.limited_arcs]), "arc capacity overflow (elastic)",
                  sets.limited_arcs))
    origins = np.flatnonzero(sets.is_origin().to_numpy())
    add(VarFamily("node_underflow", list(sets.nodes.index[origins]),
                  "output below the recorded figure (elastic, historical check only)", origins))
    add(VarFamily("shortfall", list(sets.contracts.index), "contract shortfall (elastic)"))
    for name, doc in (("delivery_in_range", "deliveries within the observed range above its low end"),
                      ("delivery_excess", "deliveries above the observed range"),
                      ("delivery_deficit", "deliveries below the observed range")):
        add(VarFamily(name, list(sets.delivery_keys), doc))
