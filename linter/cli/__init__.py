"""The command line: arguments in, options to linter.pipeline, formatted output and exit codes.

`main` parses arguments and dispatches subcommands, `run` turns arguments into pipeline
options and prints the report, `errors` formats one-line errors, `progress` draws the
progress bar.  It owns no stage of the pipeline; it may import every other package.
"""


def main(argv: list[str] | None = None) -> int:
    """The `mclint` program: garbage collection waits while it starts (linter.startup)."""
    from .. import startup

    startup.postpone()
    try:
        from .main import main as run

        return run(argv)
    finally:
        startup.resume()
