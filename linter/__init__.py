"""mclint: fact-check the numbers in AI model cards and model-database notes."""

__version__ = "0.1.0"


def lint(text: str, path: str = "<text>", **options):
    """Lint a text and return its findings (the Python API; same loop as the CLI)."""
    from .pipeline import default_settings, lint_text

    return lint_text(text, path, default_settings(**options)).findings
