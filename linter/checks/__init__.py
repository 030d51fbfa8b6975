"""The closed set of rule kinds: the mechanisms that rule files in rules/ configure.

Each kind module has OPTIONS ({name: (type, default, doc)}), PLACEHOLDERS (the names
its message templates may use) and check(rule, ctx) yielding findings; optionally
NEEDS_FORMULA and prepare(options) to validate options when a rule file is loaded.
"""

from . import (calculation, dimension, field_relation, fields, hardware_name, magnitude, peak,
               plausible, relation)

KINDS = {
    "calculation": calculation,
    "dimension": dimension,
    "relation": relation,
    "range": plausible,
    "peak": peak,
    "field": fields,
    "magnitude": magnitude,
    "field-relation": field_relation,
    "hardware-name": hardware_name,
}
