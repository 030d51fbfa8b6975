"""Exit codes and the one error the command line reports as a usage error."""

from ..pipeline import UsageError  # noqa: F401 - bad arguments or configuration: one line, exit 2

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2
