"""Exit codes and the one error the command line reports as a usage error."""

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or configuration: one line on stderr, exit code 2."""
