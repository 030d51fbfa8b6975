"""The closed set of rule kinds: the mechanisms that rule files in rules/ configure.

Each kind module has CONSUMES (what it reads: calculations, claims, fields or tables),
OPTIONS ({name: (type, default, doc)}), PLACEHOLDERS (the names its message templates may
use) and check(rule, ctx) yielding findings built by checks.build; optionally
NEEDS_FORMULA and prepare(options) to validate options when a rule file is loaded.

May import linter.model, linter.quantities, linter.arithmetic and linter.ruleset.formula;
never spaCy (the extractor's output is plain data).
"""

from . import (calculation, copied, count_parameters, epochs, field_digits, fields,
               hardware_name, lists, magnitude, name_size, nodes, notation, peak, plausible,
               relation, tables)

KINDS = {
    "calculation": calculation,
    "relation": relation,
    "range": plausible,
    "peak": peak,
    "field": fields,
    "magnitude": magnitude,
    "hardware-name": hardware_name,
    "name-size": name_size,
    "nodes-as-chips": nodes,
    "one-epoch": epochs,
    "field-digits": field_digits,
    "count-parameters": count_parameters,
    "copied-number": copied,
    "table": tables,
    "list-total": lists,
    "notation": notation,
}
