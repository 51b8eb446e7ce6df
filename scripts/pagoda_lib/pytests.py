# SPDX-License-Identifier: Apache-2.0
"""The Python tests: `python3 -m unittest discover -s tests/scripts -p 'test_*.py' -v`.

Cases are counted from unittest's verbose output: its closing "Ran N tests"
and "OK/FAILED (failures=.., errors=.., skipped=..)" lines, the failing ones
named from its "FAIL: name" / "ERROR: name" headers. When the run is killed
or crashes before that, the per-test "... ok" lines are counted instead.
The reports get the tests one by one (cases()) from the same lines.
"""

import re

from . import proc
from .outcome import CaseResult, Outcome
from .project import PYTHON, REPO

TESTS_DIR = REPO / "tests" / "scripts"
PATTERN = "test_*.py"
TIMEOUT = 1800.0

RE_RAN = re.compile(r"^Ran (\d+) tests? in ")
RE_RESULT = re.compile(r"^(OK|FAILED)(?: \((.*)\))?$")
RE_HEADER = re.compile(r"^(FAIL|ERROR|UNEXPECTED SUCCESS): (.+)$")
RE_LINE = re.compile(r" \.\.\. (ok|FAIL|ERROR|skipped|expected failure|unexpected success)\b")
RE_TEST = re.compile(r"^(\w+) \(([\w.]+)\)")      # test_a (module.Class.test_a)
RE_SKIP_REASON = re.compile(r" \.\.\. skipped '(.*)'$")
STATUS = {"ok": "passed", "expected failure": "passed", "skipped": "skipped",
          "FAIL": "failed", "unexpected success": "failed", "ERROR": "error"}
TRACEBACK_LINES = 40


def parse(lines):
    """(passed, failed, skipped, [failure names], finished) from verbose output."""
    names = [f"{m.group(2)}: {m.group(1)}" for m in map(RE_HEADER.match, lines) if m]
    ran = result = None
    for line in lines:
        m = RE_RAN.match(line)
        if m:
            ran = int(m.group(1))
        m = RE_RESULT.match(line)
        if m and ran is not None:
            result = m
    if ran is not None and result is not None:
        counts = dict(item.strip().split("=") for item in (result.group(2) or "").split(",")
                      if "=" in item)
        failed = sum(int(counts.get(k, 0))
                     for k in ("failures", "errors", "unexpected successes"))
        skipped = int(counts.get("skipped", 0))
        if failed and not names:
            names = [f"{failed} failing Python test(s), see the log"]
        return ran - failed - skipped, failed, skipped, names, True
    # No summary: count what the verbose lines say.
    verdicts = [m.group(1) for m in map(RE_LINE.search, lines) if m]
    failed = sum(v in ("FAIL", "ERROR", "unexpected success") for v in verdicts)
    skipped = verdicts.count("skipped")
    return len(verdicts) - failed - skipped, failed, skipped, names, False


def _test_id(text):
    """(classname, name) from 'test_a (module.Class.test_a)' (or '(module.Class)')."""
    m = RE_TEST.match(text)
    if not m:
        return None
    name, dotted = m.groups()
    if dotted.endswith("." + name):
        dotted = dotted[:-len(name) - 1]
    return dotted, name


def _tracebacks(lines):
    """{(classname, name): traceback lines} from the FAIL:/ERROR: sections."""
    found, current = {}, None
    for line in lines:
        header = RE_HEADER.match(line)
        if header:
            current = found.setdefault(_test_id(header.group(2)), [])
        elif line.startswith("=" * 20) or line.startswith("Ran ") and RE_RAN.match(line):
            current = None
        elif current is not None and not (line.startswith("-" * 20) and not current):
            current.append(line)
    for tb in found.values():
        while tb and (not tb[-1].strip() or tb[-1].startswith("-" * 20)):
            tb.pop()
    return found


def cases(lines):
    """The tests one by one (CaseResult) from the verbose lines."""
    tracebacks = _tracebacks(lines)
    result, pending = [], None
    for line in lines:
        test = _test_id(line)
        if test:
            pending = test
        verdict = RE_LINE.search(line)
        if not verdict or pending is None:
            continue
        status = STATUS[verdict.group(1)]
        message, output = "", []
        if status == "skipped":
            reason = RE_SKIP_REASON.search(line)
            message = reason.group(1) if reason else ""
        elif status in ("failed", "error"):
            tb = tracebacks.get(pending, [])
            output = tb[-TRACEBACK_LINES:]
            last = next((t.strip() for t in reversed(tb) if t.strip()), "")
            message = last[:300] or verdict.group(1)
        result.append(CaseResult(pending[0], pending[1], status, None, message, output))
        pending = None
    return result


class PyTestsJob:
    def __init__(self, tests_dir=TESTS_DIR):
        self.tests_dir = tests_dir

    def outcome(self):
        return Outcome("python", str(self.tests_dir.relative_to(REPO)), "unittest")

    def run(self, ctx):
        result = self.outcome()
        log_path = ctx.outdir / "scripts" / "unittest.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        cmd = [PYTHON, "-m", "unittest", "discover", "-s", self.tests_dir, "-p", PATTERN, "-v"]
        result.log = log_path
        with open(log_path, "w") as log:
            done = proc.run_logged(cmd, log, timeout=TIMEOUT, cwd=REPO,
                                   on_line=ctx.streamer("python"))
        passed, failed, skipped, names, finished = parse(done.lines)
        result.passed, result.failed, result.skipped = passed, failed, skipped
        result.failures.extend(names)
        if done.timed_out:
            result.failures.append(f"timeout after {TIMEOUT:g} s")
        elif not finished:
            result.failures.append(f"unittest ended without its summary "
                                   f"(exit status {done.returncode})")
        elif done.returncode != 0 and not failed:
            result.failures.append(f"unittest exited with status {done.returncode}")
        if len(result.failures) > len(names):
            result.failed = max(result.failed, 1)
        found = cases(done.lines)
        bad = sum(c.status in ("failed", "error") for c in found)
        if (len(found), bad) == (passed + failed + skipped, failed):
            result.cases = found        # else report.py makes them from the counts
        if len(result.failures) > len(names):
            result.error("run", result.failures[-1])
        if not result.ok:
            result.logs.append(log_path)
        return result
