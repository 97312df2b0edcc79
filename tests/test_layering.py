"""Imports flow one way (data -> model -> solve -> results -> api -> cli) and never in a cycle.

Every import of a flowmodel module by another, at module level or inside a function,
is read from the source with :mod:`ast`; a module may import only from its own layer
or a lower one, and the import graph has no cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "flowmodel"
LAYERS = ["data", "model", "solve", "results", "api", "cli"]
#: Modules (or packages) by layer; a module not listed belongs to ``api``, or ``cli`` if named cli*.
EXPLICIT = {
    "vocabulary": "data", "units": "data", "errors": "data", "schema": "data", "validate": "data",
    "network": "data", "scenario": "data", "hydraulics": "data", "hydraulic_arcs": "data", "shipping": "data",
    "shipping_arcs": "data", "policies": "data", "safe_yaml": "data",
    "formulation": "model",
    "question": "solve", "solve": "solve", "interrupt": "solve",
    "limits": "results", "results": "results",
    "__init__": "api", "__main__": "cli",
}


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC).with_suffix("")
    return ".".join(rel.parts)


def layer(mod: str) -> str:
    top = mod.split(".")[0]
    if top in EXPLICIT:
        return EXPLICIT[top]
    return "cli" if top.startswith("cli") else "api"


def imports(path: Path) -> set[str]:
    """flowmodel modules imported by the file at ``path``."""
    mod = module_name(path)
    pkg = mod.split(".")[:-1] if path.name != "__init__.py" else mod.split(".")[:-1]
    if path.name == "__init__.py":
        pkg = mod.split(".")[:-1]  # '__init__' itself: its package is the folder
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg[: len(pkg) - (node.level - 1)] if node.level > 1 else pkg
                if node.module is None:  # `from . import x`: the submodules named
                    found.update(".".join([*base, a.name]) for a in node.names)
                    continue
                target = ".".join([*base, *node.module.split(".")])
            elif node.module and node.module.startswith("flowmodel."):
                target = node.module[len("flowmodel."):]
            else:
                continue
            if not target:
                target = "__init__"
            found.add(target)
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("flowmodel."):
                    found.add(a.name[len("flowmodel."):])
    return {t for t in found if t.split(".")[0] != mod.split(".")[0] or t != mod}


def graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for path in SRC.rglob("*.py"):
        mod = module_name(path)
        g.add_node(mod)
        for t in imports(path):
            g.add_edge(mod, t)
    return g


def test_imports_flow_one_way():
    bad = []
    for a, b in graph().edges:
        if LAYERS.index(layer(b)) > LAYERS.index(layer(a)):
            bad.append(f"{a} ({layer(a)}) imports {b} ({layer(b)})")
    assert not bad, "\n".join(sorted(bad))


def test_no_import_cycles_between_top_level_modules():
    g = nx.DiGraph()
    for a, b in graph().edges:
        ta, tb = a.split(".")[0], b.split(".")[0]
        if ta != tb and not ta.startswith("__"):
            g.add_edge(ta, tb)
    cycles = list(nx.simple_cycles(g))
    assert not cycles, cycles


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_modules_stay_small(path):
    """No module over ~400 lines (a longer one says why in a `# size:` comment)."""
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 420 or "# size:" in text
