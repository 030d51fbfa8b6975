"""Readers for structured files: model-database CSV, YAML, JSON, JSON Lines, model cards."""

from __future__ import annotations

from ..model.entries import Entry
from . import csv_reader, json_reader, markdown, yaml_reader


def read(kind: str, path: str, text: str, config=None) -> list[Entry]:
    """Entries of a decoded file of the given kind (csv, yaml, json, jsonl or markdown).

    `config` may be None or have a `columns` attribute: a user's column mapping for CSV
    files that are not in Epoch's layout (see schema.schema_from_mapping).
    """
    if kind == "csv":
        return csv_reader.read(path, text, getattr(config, "columns", None))
    if kind == "yaml":
        return yaml_reader.read(path, text)
    if kind == "json":
        return json_reader.read(path, text)
    if kind == "jsonl":
        return json_reader.read_lines(path, text)
    if kind == "markdown":
        return markdown.read(path, text)
    raise ValueError(f"no structured reader for {kind!r}")
