"""A progress bar on stderr for long runs (rich), only when stderr is a terminal."""

from __future__ import annotations

MIN_ENTRIES = 200   # smaller inputs finish before a bar is worth drawing


class Progress:
    """A pipeline progress callback: one bar per large file, removed when it is done."""

    def __init__(self):
        self._bar = None
        self._task = None
        self._path = None

    def __call__(self, path: str, done: int, total: int | None) -> None:
        """`total` None: not known yet (a database read piece by piece)."""
        if path != self._path and (done if total is None else total) < MIN_ENTRIES:
            return
        if path != self._path:
            self.close()
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
            from rich.progress import Progress as Bar

            self._bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("entries"), transient=True)
            self._bar.start()
            self._task = self._bar.add_task(path, total=total)
            self._path = path
        self._bar.update(self._task, completed=done, total=total)
        if total is not None and done >= total:
            self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
        self._bar = self._task = self._path = None
