"""After the checks: inline suppressions, the baseline, and fixes, as pure functions.

`suppress` applies `mclint: disable` directives to findings and lists the unused ones,
`baseline` removes findings a baseline file already records, `fix` rewrites only the bytes
a finding's fix names.  May import linter.model; never the extractor or the checks.
"""
