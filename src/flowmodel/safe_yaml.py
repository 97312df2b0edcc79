"""YAML for scenario files, parsed with limits.

PyYAML's safe loader still expands aliases without bound (a 1.4 kB "billion laughs"
file exhausts memory), recurses without a depth limit and silently keeps the last of two
equal keys.  :func:`load` refuses all three, and files over :data:`MAX_BYTES`.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_BYTES = 1_000_000
MAX_ALIASES = 100
MAX_DEPTH = 50
MAX_NODES = 100_000


class YamlLimitError(ValueError):
    """The document breaks one of the limits (message says which, with the line)."""


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str):
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.events.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise YamlLimitError(f"row {mark.line + 1}: more than {MAX_ALIASES} aliases (*refs)")
        return super().compose_node(parent, index)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                dup = key in seen
                seen.add(key)
            except TypeError:
                continue
            if dup:
                raise YamlLimitError(f"row {key_node.start_mark.line + 1}: key '{key}' appears twice")
        return super().construct_mapping(node, deep=deep)


def _check_shape(node: Node | None, depth: int = 0, count: list[int] | None = None) -> None:
    """Depth and size of the composed tree (aliases point at shared nodes: counted each time)."""
    count = count if count is not None else [0]
    if node is None:
        return
    count[0] += 1
    if count[0] > MAX_NODES:
        raise YamlLimitError(f"more than {MAX_NODES} values (aliases expand to too much)")
    if depth > MAX_DEPTH:
        raise YamlLimitError(f"row {node.start_mark.line + 1}: nested deeper than {MAX_DEPTH} levels")
    if isinstance(node, SequenceNode):
        for child in node.value:
            _check_shape(child, depth + 1, count)
    elif isinstance(node, MappingNode):
        for k, v in node.value:
            _check_shape(k, depth + 1, count)
            _check_shape(v, depth + 1, count)


def load(text: str) -> Any:
    """Parse one YAML document with the limits of this module."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise YamlLimitError(f"larger than {MAX_BYTES // 1000} kB; not a scenario file")
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise YamlLimitError(f"nested deeper than {MAX_DEPTH} levels") from None
        _check_shape(node)
        return None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()
