"""The data every stage shares, and nothing else: numbers, claims, entries, findings.

Plain dataclasses and pure helpers (parsing written numbers, intervals, positions, the
wording of differences).  Imports only the standard library: every other package may
import it, and it imports none of them.
"""
