"""Rule files as data: loading, validating, formulas, examples and explanations.

`load` reads rules/*.yaml safely and refuses a bad file with its position, `formula`
parses formulas with a whitelist (never eval), `cases` runs each rule's examples exactly
(also for `mclint check-rules`), `explain` renders `mclint rule CODE`.  May import
linter.model, linter.quantities and linter.checks (for the kinds' options).
"""
