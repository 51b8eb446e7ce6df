# SPDX-License-Identifier: Apache-2.0
"""Host unit tests: tests/unit/<name>/ with unittest.yaml and src/*.c.

Built with the host gcc under ASan and UBSan as tests/unit/README.md
describes, then run with a timeout; the output follows the ztest contract and
the exit status is 0 (success) or 1 (a test failed).

unittest.yaml keys: sources (repo-relative .c files under test), optional
timeout (seconds, default 60), optional defines (NAME or NAME=VALUE, passed
as -D) and include_dirs (repo-relative, searched after the common ones).
"""

from pathlib import Path

from . import proc, verdicts
from .build import BuildError, error_excerpt
from .outcome import Outcome
from .project import REPO

COMMON = REPO / "tests" / "unit" / "common"
CFLAGS = ["-std=gnu11", "-g", "-O1", "-Wall", "-Wextra", "-Werror", "-Wno-format-zero-length",
          "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
          "-fno-omit-frame-pointer", "-DZTEST_HOST=1"]
# Linked into every host test: ztest itself, printk and its formatter, the
# kernel's fatal-error path, and the host port's CPU side, the fuzzer's too
# (console on stdout, the host's clock, exit status, interrupt locking as a
# flag).
ALWAYS_LINKED = ["subsys/ztest/ztest.c", "kernel/lib/printk.c", "kernel/lib/cbprintf.c",
                 "kernel/fatal.c", "arch/host/cpu.c"]


def compile_cmd(test, output, compiler="gcc", extra_flags=()):
    """The build command; compiler and extra_flags (appended, so they win) are for
    builds other than the tests' own: the coverage build (coverage.py) uses clang."""
    own = sorted((test.suite_dir / "src").glob("*.c"))
    return [compiler, *CFLAGS, *(f"-D{d}" for d in test.defines),
            "-I", COMMON, "-I", REPO / "include", "-I", REPO / "kernel" / "include",
            *(arg for d in test.include_dirs for arg in ("-I", REPO / d)),
            "-imacros", COMMON / "autoconf.h", *own,
            *(REPO / s for s in test.sources), *(REPO / s for s in ALWAYS_LINKED),
            *extra_flags, "-o", output]


def judge_exit(returncode):
    """(kind, reason) for verdicts.judge from the test program's exit status."""
    if returncode == 0:
        return "ok", "exit status 0"
    if returncode == 1:
        return "fail", "exit status 1 (test failure or sanitizer error)"
    if returncode < 0:
        return "crash", f"killed by signal {-returncode}"
    return "other", f"exit status {returncode}"


class UnitTestJob:
    def __init__(self, test):
        self.test = test

    def outcome(self):
        return Outcome("host", self.test.suite, self.test.name)

    def run(self, ctx):
        test = self.test
        result = self.outcome()
        out_dir = Path(test.build_dir(ctx.outdir))
        out_dir.mkdir(parents=True, exist_ok=True)
        build_log, run_log = out_dir / "build.log", out_dir / "run.log"
        program = out_dir / test.name
        result.log = build_log
        with open(build_log, "w") as log:
            built = proc.run_logged(compile_cmd(test, program), log, cwd=REPO)
        if built.returncode != 0:
            return result.build_failed(
                BuildError("compile", out_dir, build_log, error_excerpt(built.lines)))
        result.log = run_log
        with open(run_log, "w") as log:
            done = proc.run_logged([program], log, timeout=test.timeout, cwd=out_dir,
                                   on_line=ctx.streamer(f"host {test.name}"))
        end = verdicts.timeout_end(test.timeout) if done.timed_out else judge_exit(done.returncode)
        result.add_run(done.lines, end, [build_log, run_log])
        return result
