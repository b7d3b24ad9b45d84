"""Walk JSON Schemas the way templates see them: resolve $ref, merge allOf and if/then branches."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from referencing import Registry

from .registry import schema_registry


class Node:
    """A schema location: the schema dict plus the base URI its relative $refs resolve against."""

    def __init__(self, schema: Any, base: str, registry: Registry | None = None):
        self.schema = schema if isinstance(schema, dict) else {}
        self.base = base
        self.registry = registry or schema_registry()

    def parts(self) -> list["Node"]:
        """This node and every schema it is composed of ($ref, allOf, if/then/else branches)."""
        out, todo, seen = [], [self], set()
        while todo:
            node = todo.pop(0)
            if id(node.schema) in seen:
                continue
            seen.add(id(node.schema))
            out.append(node)
            s = node.schema
            if "$ref" in s:
                todo.append(node._follow(s["$ref"]))
            for key in ("allOf", "anyOf", "oneOf"):
                todo.extend(Node(sub, node.base, node.registry) for sub in s.get(key, []))
            for key in ("then", "else"):
                if key in s:
                    todo.append(Node(s[key], node.base, node.registry))
        return out

    def _follow(self, ref: str) -> "Node":
        resolved = self.registry.resolver(base_uri=self.base).lookup(ref)
        document = ref.split("#", 1)[0]
        return Node(resolved.contents, urljoin(self.base, document) if document else self.base, self.registry)

    def types(self) -> set[str]:
        found: set[str] = set()
        for part in self.parts():
            t = part.schema.get("type")
            if isinstance(t, str):
                found.add(t)
            elif isinstance(t, list):
                found.update(t)
            if "properties" in part.schema:
                found.add("object")
            if "items" in part.schema:
                found.add("array")
        return found

    def properties(self) -> dict[str, "Node"]:
        """Every property any part declares, as nodes merging all declarations of that name."""
        merged: dict[str, list[Node]] = {}
        for part in self.parts():
            for name, sub in part.schema.get("properties", {}).items():
                merged.setdefault(name, []).append(Node(sub, part.base, part.registry))
        return {name: _Merged(nodes) for name, nodes in merged.items()}

    def items(self) -> "Node | None":
        for part in self.parts():
            if isinstance(part.schema.get("items"), dict):
                return Node(part.schema["items"], part.base, part.registry)
        return None

    def annotation(self, key: str) -> Any:
        for part in self.parts():
            if key in part.schema:
                return part.schema[key]
        return None


class _Merged(Node):
    """Several declarations of one property seen as one node."""

    def __init__(self, nodes: list[Node]):
        super().__init__({"allOf": [n.schema for n in nodes]}, nodes[0].base, nodes[0].registry)
        self._nodes = nodes

    def parts(self) -> list[Node]:
        out: list[Node] = []
        for node in self._nodes:
            out.extend(p for p in node.parts() if p not in out)
        return out


def root(schema_id: str) -> Node:
    return Node(schema_registry()[schema_id].contents, schema_id)


def fill_defaults(data: Any, node: Node) -> Any:
    """Return a copy of ``data`` where every property the schema declares exists.

    A missing property takes the schema ``default``, else ``[]`` for lists, an object
    whose own properties are filled the same way for objects, and ``None`` for the rest.
    Templates can then test optional fields (``{% if x.y %}``) while StrictUndefined
    still catches names the schema does not have.
    """
    if isinstance(data, dict):
        props = node.properties()
        out = dict(data)
        for name, sub in props.items():
            if name in out:
                out[name] = fill_defaults(out[name], sub)
            else:
                out[name] = _empty(sub)
        return out
    if isinstance(data, list):
        item = node.items()
        return [fill_defaults(v, item) for v in data] if item else list(data)
    return data


def _empty(node: Node) -> Any:
    default = node.annotation("default")
    if default is not None:
        return default
    types = node.types()
    if types == {"array"}:
        return []
    if types == {"object"}:
        return fill_defaults({}, node)
    return None
