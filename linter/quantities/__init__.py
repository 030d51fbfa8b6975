"""Quantities: the one pint registry, the unit table, the role registry and the hardware table.

`units` reads data/units.txt and data/units.yaml (every unit mclint understands, with its
kind and dimension), `roles` reads data/roles.yaml (what each number can mean, its unit,
its database fields and the extractor's keywords for it), `hardware` reads the chip table
built from Epoch AI's hardware data.  Data files, loaded once per process and never
changed; may import linter.model.
"""
