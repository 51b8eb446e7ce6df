# SPDX-License-Identifier: Apache-2.0
"""Repository layout: where things are, which boards exist, what an app is."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Only Debian's interpreter sees python3-pyelftools, -kconfiglib and -yaml.
PYTHON = "/usr/bin/python3"

DEFAULT_BOARD = "qemu_x86_64"
DEFAULT_APP = "samples/hello"
DEFAULT_OUTDIR = REPO / "build"


class PagodaError(Exception):
    """A failure to report in one message (no traceback) with an exit status."""

    def __init__(self, message, status=1):
        super().__init__(message)
        self.status = status


def boards():
    """Names of the boards: folders boards/<name>/ holding board.cmake and defconfig."""
    root = REPO / "boards"
    if not root.is_dir():
        return []
    return sorted(d.name for d in root.iterdir()
                  if (d / "board.cmake").is_file() and (d / "defconfig").is_file())


def check_boards(names):
    """Return names if every one is a board, else fail listing the available ones."""
    known = boards()
    unknown = [n for n in names if n not in known]
    if unknown:
        raise PagodaError(f"unknown board{'s' if len(unknown) > 1 else ''} "
                          f"{', '.join(repr(n) for n in unknown)}; available: "
                          f"{', '.join(known) or '(none: boards/ is empty)'}")
    return list(names)


def resolve_app(arg):
    """The app folder for -a ARG: relative to the current folder, else to the repo."""
    candidates = [Path(arg).expanduser()]
    if not candidates[0].is_absolute():
        candidates.append(REPO / arg)
    for path in candidates:
        if path.is_dir():
            path = path.resolve()
            if not (path / "prj.conf").is_file():
                raise PagodaError(f"{path} is not an app: it has no prj.conf")
            return path
    raise PagodaError(f"app folder not found: {arg} (tried "
                      f"{', '.join(str(c) for c in candidates)})")


def display_path(path):
    """A path as a person wants to read it: repo-relative inside the repo."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def cpu_count():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
