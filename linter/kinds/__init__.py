"""The closed set of rule kinds: the mechanisms that rule files in rules/ configure.

Each kind module has OPTIONS ({name: (type, default, doc)}), PLACEHOLDERS (the names
its message templates may use) and check(rule, ctx) yielding findings.
"""

from . import calculation, dimension

KINDS = {
    "calculation": calculation,
    "dimension": dimension,
}
