"""Which files a command line names: folders walked like ruff walks them.

    mclint                  the working folder
    mclint notes/ data.csv  every supported file under notes/, and data.csv

A folder is walked in sorted order for the suffixes mclint reads, leaving out what git
ignores (.gitignore files, .git/info/exclude, the global excludes: asked of git itself, so
its rules hold exactly; outside a git work tree .gitignore files mean nothing, as for git
and ripgrep) and what the configuration excludes: `exclude` (default: DEFAULT_EXCLUDE)
and `extend-exclude`, globs relative to the configuration's folder.  A file named on the
command line is always linted, excluded or not, unless --force-exclude is given (for
pre-commit, which names every staged file).  mclint's own .mclint.yaml files are settings,
not data, and are never searched.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..config import CONFIG_NAMES, Config, glob_matches, relative_to

SUFFIXES = (".txt", ".md", ".markdown", ".csv", ".tsv", ".yaml", ".yml", ".json", ".jsonl",
            ".ndjson")
# ruff's default excludes, and the caches of the tools a Python project runs.
DEFAULT_EXCLUDE = (".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".hypothesis",
                   ".idea", ".ipynb_checkpoints", ".mypy_cache", ".nox", ".pants.d", ".pyenv",
                   ".pytest_cache", ".pytype", ".ruff_cache", ".svn", ".tox", ".venv",
                   ".vscode", "__pycache__", "__pypackages__", "_build", "buck-out", "build",
                   "dist", "node_modules", "site-packages", "venv")
CONFIG_FILES = tuple(n for n in CONFIG_NAMES if n.startswith(".mclint"))   # settings, not data
STDIN = "-"
# Set by git for its hooks; they would tie `git -C folder` to another repository or index.
_REPO_BINDING = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_PREFIX",
                 "GIT_OBJECT_DIRECTORY", "GIT_NAMESPACE")


@dataclass(frozen=True)
class Excludes:
    """The exclude globs of one configuration (or of none), and the folder they start from."""

    globs: tuple[str, ...]
    root: str

    @classmethod
    def of(cls, config: Config | None, exclude: tuple[str, ...] | None = None,
           extend: tuple[str, ...] = ()) -> Excludes:
        """A configuration's excludes, with the command line's --exclude/--extend-exclude."""
        base = exclude if exclude is not None else \
            config.exclude if config is not None and config.exclude is not None \
            else DEFAULT_EXCLUDE
        more = (config.extend_exclude if config is not None else ()) + tuple(extend)
        return cls(tuple(base) + more, str(config.root) if config is not None else os.getcwd())

    def matches(self, path: str) -> bool:
        """Tell whether a glob matches this file or folder itself."""
        rel = relative_to(path, self.root)
        if rel.startswith("../"):          # outside the configuration's folder: by name only
            rel = PurePosixPath(rel).name
        return any(glob_matches(rel, g) for g in self.globs)

    def excluded(self, path: str) -> bool:
        """Tell whether a file, or a folder above it below the root, is excluded."""
        rel = relative_to(path, self.root)
        if rel.startswith("../"):
            return self.matches(path)
        parts = rel.split("/")
        return any(glob_matches("/".join(parts[:k]), g)
                   for k in range(1, len(parts) + 1) for g in self.globs)


class Finder:
    """Expand command-line paths into the files to lint, with each folder's excludes."""

    def __init__(self, excludes_for, force_exclude: bool = False):
        self._excludes_for = excludes_for      # absolute folder -> Excludes
        self._force = force_exclude
        self.force_excluded: list[str] = []    # named files that --force-exclude left out

    def expand(self, paths: list[str]) -> list[str]:
        """The files to lint, in the order named, folders expanded in sorted order."""
        out: list[str] = []
        for path in paths:
            if path == STDIN:
                out.append(path)
            elif os.path.isdir(path):
                out += self._walk(path)
            elif self._force and (os.path.basename(path) in CONFIG_FILES
                                  or self._governing(path).excluded(path)):
                self.force_excluded.append(path)
            else:
                out.append(path)               # a missing file is the pipeline's input error
        return list(dict.fromkeys(out))

    def _governing(self, path: str) -> Excludes:
        return self._excludes_for(os.path.dirname(os.path.abspath(path)))

    def _walk(self, root: str) -> list[str]:
        """The supported files under a folder, '/'-relative to it, in sorted order."""
        listed = git_files(root)
        if listed is None:
            listed = self._os_walk(root)
        else:
            cache: dict[str, bool] = {}
            listed = [f for f in listed if not self._below_excluded(root, f, cache)]
        files = [f for f in listed if f.lower().endswith(SUFFIXES)
                 and PurePosixPath(f).name not in CONFIG_FILES]
        files.sort(key=lambda f: PurePosixPath(f).parts)
        return [os.path.normpath(os.path.join(root, *f.split("/"))) for f in files]

    def _below_excluded(self, root: str, rel: str, cache: dict[str, bool]) -> bool:
        """Whether a file, or a folder between root (named, so never excluded) and it, is
        excluded by the configuration governing that folder's parent."""
        parts = rel.split("/")
        for k in range(1, len(parts) + 1):
            prefix = "/".join(parts[:k])
            if prefix not in cache:
                path = os.path.join(root, *parts[:k])
                cache[prefix] = self._governing(path).matches(path)
            if cache[prefix]:
                return True
        return False

    def _os_walk(self, root: str) -> list[str]:
        out = []
        for folder, dirs, files in os.walk(root):
            excludes = self._excludes_for(os.path.abspath(folder))
            dirs[:] = sorted(d for d in dirs if not excludes.matches(os.path.join(folder, d)))
            rel = PurePosixPath(*os.path.relpath(folder, root).split(os.sep))
            out += [(rel / name).as_posix() for name in sorted(files)
                    if not excludes.matches(os.path.join(folder, name))]
        return out


def git_files(folder: str) -> list[str] | None:
    """The files git does not ignore under a folder ('/'-separated, relative to it): tracked
    ones and untracked ones no ignore rule matches.  None outside a git work tree, without
    git, or when git ignores the folder itself (named on the command line, it is linted)."""
    listing = _git(folder, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    if listing is None or _git(folder, "check-ignore", "-q", ".") is not None:
        return None
    names = listing.decode("utf-8", "surrogateescape").split("\0")
    # --cached lists files deleted from the work tree, and a conflicted file once per stage.
    return [n for n in dict.fromkeys(names) if n and os.path.isfile(os.path.join(folder, n))]


def _git(folder: str, *args: str) -> bytes | None:
    """git's output in a folder, or None if git fails there (or is not installed)."""
    env = {k: v for k, v in os.environ.items() if k not in _REPO_BINDING}
    try:
        proc = subprocess.run(["git", "-C", folder, *args], capture_output=True, timeout=120,
                              check=False, env=env)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout if proc.returncode == 0 else None
