"""The mclint web page: `mclint serve` (needs the web extra: pip install 'mclint[web]').

static/ holds the page and the assets the HTML report inlines (mclint.css, marks.js), so
this package imports nothing beyond the standard library; app.py needs Starlette.
"""
