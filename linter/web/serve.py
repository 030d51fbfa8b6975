"""'mclint serve': run the web page on this machine (http://127.0.0.1:8000 by default)."""

from __future__ import annotations

import argparse
import ipaddress
import sys

from ..cli.errors import EXIT_ERROR, EXIT_OK, UsageError

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="mclint serve",
        description="Serve a page where a note, a card or a database file can be pasted or "
                    "dropped and every claim in it is shown checked, in place.",
        epilog="The page and POST /api/lint (JSON, as --format json) are served to this "
               "machine only unless --host says otherwise.")
    p.add_argument("--host", default=DEFAULT_HOST,
                   help=f"address to listen on (default: {DEFAULT_HOST}, this machine only; "
                        "0.0.0.0 serves everyone who can reach this machine)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"port (default: {DEFAULT_PORT})")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="lint this many requests at once, each in its own process (default: 1)")
    p.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                   help="stop a check that takes longer than this (default: 60)")
    return p


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str) -> set[str] | None:
    """The Host names requests may use: the loopback names and the bound name; any for a
    wildcard address."""
    from .app import LOCAL_HOSTS
    from .guard import host_name

    if host in ("0.0.0.0", "::", "[::]"):
        return None
    return set(LOCAL_HOSTS) | {host_name(host)}


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    if not 0 < args.port < 65536:
        raise UsageError("--port must be between 1 and 65535")
    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    if not args.timeout > 0:
        raise UsageError("--timeout must be more than 0 seconds")
    try:
        import uvicorn

        from .app import create_app
    except ImportError as exc:
        raise UsageError(f"'mclint serve' needs the web extra ({exc.name} is missing): "
                         "pip install 'mclint[web]'") from None
    if not is_loopback(args.host):
        print(f"mclint: warning: serving on {args.host}, not only this machine: anyone who can "
              "reach it can use the page and the API (there is no login)", file=sys.stderr)
    app = create_app(workers=args.workers, timeout=args.timeout,
                     allowed_hosts=allowed_hosts(args.host))
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"mclint: serving on http://{shown}:{args.port}/ (Ctrl+C stops)", file=sys.stderr,
          flush=True)
    try:
        uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_level="warning",
                    server_header=False, timeout_graceful_shutdown=5)
    except SystemExit as exc:   # uvicorn exits 1 when it cannot bind (it said why)
        return EXIT_ERROR if exc.code else EXIT_OK
    return EXIT_OK
