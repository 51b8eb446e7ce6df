# SPDX-License-Identifier: Apache-2.0
"""CMake configure + Ninja build of an app for a board, and <build>/qemu.json."""

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from . import proc
from .project import REPO, PagodaError

# How many lines of a failed build's log to show.
EXCERPT_LINES = 12


@dataclass(frozen=True)
class QemuConfig:
    """What the build says about booting its image (<build>/qemu.json)."""
    board: str
    arch: str           # "x86_64" or "ia32"
    elf: Path
    image: Path
    argv: tuple         # full QEMU command line, without the runner's extras
    gdb_arch: str

    @classmethod
    def load(cls, build_dir):
        path = Path(build_dir) / "qemu.json"
        try:
            data = json.loads(path.read_text())
            return cls(board=data["board"], arch=data["arch"], elf=Path(data["elf"]),
                       image=Path(data["image"]), argv=tuple(data["qemu"]),
                       gdb_arch=data["gdb_arch"])
        except FileNotFoundError:
            raise PagodaError(f"{path} is missing: the build did not write it") from None
        except (ValueError, KeyError, TypeError) as e:
            raise PagodaError(f"{path} is malformed: {e!r}") from None


class BuildError(PagodaError):
    def __init__(self, step, build_dir, log=None, excerpt=()):
        where = f"; log: {log}" if log else ""
        super().__init__(f"{step} failed in {build_dir}{where}")
        self.step = step            # "configure" or "build"
        self.log = log
        self.excerpt = list(excerpt)


def error_excerpt(lines):
    """The lines of a failed build worth showing: each error line with the
    indented lines that explain it (CMake, gcc), else the tail of the log."""
    picked = []
    follow = 0
    for line in lines:
        if line.startswith("$ ") or line.startswith("[pagoda:"):
            follow = 0
        elif "error" in line.lower():
            picked.append(line)
            follow = 3
        elif follow and line.strip() and line[:1].isspace():
            picked.append(line)
            follow -= 1
    return picked[:EXCERPT_LINES] if picked else lines[-EXCERPT_LINES:]


# What a testcase.yaml's extra_args may set (the reference's names).
CMAKE_ARGS = ("CONF_FILE", "EXTRA_CFLAGS")


def configure_cmd(build_dir, board, app, overlays=(), cmake_args=()):
    # OVERLAY_CONFIG, CONF_FILE and EXTRA_CFLAGS are always given so that a
    # stale value in the cache goes away.
    given = dict(arg.split("=", 1) for arg in cmake_args)
    unknown = sorted(set(given) - set(CMAKE_ARGS))
    if unknown:
        raise PagodaError(f"extra_args {', '.join(unknown)}: Pagoda's build reads "
                          f"{', '.join(CMAKE_ARGS)} only")
    return ["cmake", "-S", str(REPO), "-B", str(build_dir), "-G", "Ninja",
            f"-DBOARD={board}", f"-DAPP={app}",
            f"-DOVERLAY_CONFIG={';'.join(str(o) for o in overlays)}"] + \
        [f"-D{name}={given.get(name, '')}" for name in CMAKE_ARGS]


def ninja_cmd(build_dir, target=None, jobs=None):
    return ["ninja", "-C", str(build_dir)] + ([f"-j{jobs}"] if jobs else []) + \
        ([target] if target else [])


def _steps(build_dir, board, app, overlays, jobs, cmake_args=()):
    return [("configure", configure_cmd(build_dir, board, app, overlays, cmake_args)),
            ("build", ninja_cmd(build_dir, jobs=jobs))]


def build_app(build_dir, board, app, overlays=(), *, log=None, jobs=None, keep=None,
              cmake_args=()):
    """Configure and build; return the QemuConfig. Raises BuildError.

    With log (a path) the output goes there only; without, to the terminal.
    cmake_args: NAME=VALUE words of CMAKE_ARGS (a scenario's extra_args).
    keep: called with the .config path after the configure step; when it
    returns False the build stops there and None is returned.
    """
    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    if log is None:
        for step, cmd in _steps(build_dir, board, app, overlays, jobs, cmake_args):
            if subprocess.run(cmd, stdin=subprocess.DEVNULL).returncode != 0:
                raise BuildError(step, build_dir)
            if step == "configure" and keep is not None and not keep(build_dir / ".config"):
                return None
    else:
        with open(log, "w") as out:
            for step, cmd in _steps(build_dir, board, app, overlays, jobs, cmake_args):
                done = proc.run_logged(cmd, out)
                if done.returncode != 0:
                    raise BuildError(step, build_dir, log, error_excerpt(done.lines))
                if step == "configure" and keep is not None and not keep(build_dir / ".config"):
                    return None
    return QemuConfig.load(build_dir)


def configure_only(build_dir, board, app):
    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    if subprocess.run(configure_cmd(build_dir, board, app),
                      stdin=subprocess.DEVNULL).returncode != 0:
        raise BuildError("configure", build_dir)


def run_target(build_dir, target):
    """Run a Ninja target on the terminal (e.g. menuconfig); return its status."""
    return subprocess.run(ninja_cmd(build_dir, target)).returncode
