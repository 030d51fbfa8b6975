"""Load YAML safely, keeping where each key was, so errors read 'file:line:col: message'."""

from __future__ import annotations

import yaml

MAX_NODES = 200_000
MAX_DEPTH = 100          # PyYAML's composer recurses: keep well inside Python's stack
_MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


class YamlError(ValueError):
    """A YAML document that cannot be used; carries the position of the problem."""

    def __init__(self, message: str, line: int = 0, column: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


Marks = dict  # (key, key, ...) -> (line, column), 1-based


def load_documents(text: str, packaged: bool = False) -> list[tuple[object, Marks]]:
    """Parse every document of a YAML stream into plain data and the marks of its nodes.

    Only the safe YAML tags are accepted (yaml.SafeLoader), and none on mappings and
    lists (a python/* tag there would be ignored, not refused, by building plain data);
    aliases are refused, which also shuts out "billion laughs" expansion bombs, and so is
    nesting deeper than MAX_DEPTH levels.  A file shipped with mclint (`packaged`) is
    composed by libyaml's C parser, ten times faster; it cannot refuse deep nesting while it
    composes, so a user's file never goes that way.
    """
    c_loader = getattr(yaml, "CSafeLoader", None)
    loader = c_loader(text) if packaged and c_loader is not None else SafeComposer(text)
    out = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            marks: Marks = {}
            counter = [0]
            data = _build(node, (), marks, set(), counter)
            out.append((data, marks))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        col = mark.column + 1 if mark else 0
        message = exc.problem or exc.context or ""
        if not message.startswith("YAML aliases"):
            message = f"invalid YAML: {message}"
        raise YamlError(message, line, col) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    return out


class SafeComposer(yaml.SafeLoader):
    """A safe composer that refuses aliases and deep nesting while it builds nodes
    (also the database YAML reader's)."""

    ALIAS_MESSAGE = "YAML aliases are not allowed here"

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):    # refused where it is used, not defined
            raise yaml.composer.ComposerError(None, None, self.ALIAS_MESSAGE,
                                              self.peek_event().start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nesting deeper than {MAX_DEPTH} levels",
                    self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _check_tag(node, expected: str) -> None:
    if node.tag != expected:
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        raise YamlError(f"unsupported YAML tag {tag!r}", node.start_mark.line + 1,
                        node.start_mark.column + 1)


def _build(node, path: tuple, marks: Marks, seen: set, counter: list) -> object:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise YamlError("document too large", node.start_mark.line + 1, node.start_mark.column + 1)
    if id(node) in seen:
        raise YamlError("YAML aliases are not allowed here",
                        node.start_mark.line + 1, node.start_mark.column + 1)
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        _check_tag(node, _MAP)
        out = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError("mapping keys must be plain values",
                                key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            key = _scalar(key_node)
            if key in out:
                raise YamlError(f"duplicate key {key!r}", key_node.start_mark.line + 1,
                                key_node.start_mark.column + 1)
            marks[path + (key, "__key__")] = (key_node.start_mark.line + 1,
                                               key_node.start_mark.column + 1)
            out[key] = _build(value_node, path + (key,), marks, seen, counter)
        return out
    if isinstance(node, yaml.SequenceNode):
        _check_tag(node, _SEQ)
        return [_build(v, path + (i,), marks, seen, counter) for i, v in enumerate(node.value)]
    return _scalar(node)


def _scalar(node) -> object:
    # Construct one scalar with the safe constructor (no python/* tags exist there).
    constructor = yaml.constructor.SafeConstructor()
    try:
        return constructor.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        problem = exc.problem or ""
        if problem.startswith("could not determine a constructor for the tag"):
            problem = "tag " + repr(str(node.tag).replace("tag:yaml.org,2002:", "!!"))
        raise YamlError(f"unsupported YAML value: {problem}",
                        mark.line + 1 if mark else 0, mark.column + 1 if mark else 0) from None
    except ValueError as exc:    # an int of thousands of digits, a timestamp out of range
        raise YamlError(f"unsupported YAML value: {str(exc).split(':')[0]}",
                        node.start_mark.line + 1, node.start_mark.column + 1) from None


def mark_of(marks: Marks, path: tuple, key: bool = False) -> tuple[int, int]:
    """Best position for a path: the key itself, or the nearest enclosing node."""
    if key and path + ("__key__",) in marks:
        return marks[path + ("__key__",)]
    while path and path not in marks:
        path = path[:-1]
    return marks.get(path, (1, 1))
