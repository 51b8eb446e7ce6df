# SPDX-License-Identifier: Apache-2.0
"""Parsing ztest output (guest and host alike) and judging a run from it.

The output contract (see the ztest README/spec):
    Running TESTSUITE <suite>
    START - <test>
     PASS - <test> in 0.001 seconds        (or FAIL / SKIP)
    PROJECT EXECUTION SUCCESSFUL           (or FAILED)
A START with no verdict when the output ends (or when the next START comes)
is a case that crashed or hung.
"""

import re
from dataclasses import dataclass, field

RE_SUITE = re.compile(r"Running TESTSUITE (\S+)")
RE_START = re.compile(r"START - (\S+)")
RE_VERDICT = re.compile(r"^\s*(PASS|FAIL|SKIP) - (\S+) in ")
RE_PROJECT = re.compile(r"PROJECT EXECUTION (SUCCESSFUL|FAILED)")

PASS, FAIL, SKIP, UNFINISHED = "PASS", "FAIL", "SKIP", "UNFINISHED"
DETAIL_CHARS = 160


@dataclass
class Case:
    suite: str | None
    name: str
    status: str                 # PASS, FAIL, SKIP or UNFINISHED
    detail: str = ""            # first line the case printed (assertion, fault...)

    @property
    def id(self):
        return f"{self.suite}.{self.name}" if self.suite else self.name


@dataclass
class Report:
    cases: list = field(default_factory=list)
    project: str | None = None  # "SUCCESSFUL", "FAILED" or None (line missing)

    def count(self, status):
        return sum(1 for c in self.cases if c.status == status)


def parse(lines):
    """Parse ztest output (an iterable of lines, or one string) into a Report."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    report = Report()
    suite = None
    current = None      # (name, detail lines) of the START awaiting its verdict

    def close_unfinished():
        if current is not None:
            report.cases.append(Case(suite, current[0], UNFINISHED, _detail(current[1])))

    for line in lines:
        line = line.rstrip("\r\n")
        verdict = RE_VERDICT.match(line)
        if verdict:
            status, name = verdict.groups()
            detail = ""
            if current is not None and current[0] == name:
                detail = _detail(current[1])
            else:
                close_unfinished()
            report.cases.append(Case(suite, name, status, detail))
            current = None
            continue
        start = RE_START.search(line)
        if start:
            close_unfinished()
            current = (start.group(1), [])
            continue
        found = RE_SUITE.search(line)
        if found:
            close_unfinished()
            current = None
            suite = found.group(1)
            continue
        found = RE_PROJECT.search(line)
        if found:
            close_unfinished()
            current = None
            report.project = found.group(1)
            continue
        if current is not None:
            current[1].append(line)
    close_unfinished()
    return report


def _detail(lines):
    for line in lines:
        text = line.strip()
        if text and not set(text) <= set("=-"):
            return text[:DETAIL_CHARS]
    return ""


@dataclass
class Judgement:
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list = field(default_factory=list)   # one line each, naming what failed


def timeout_end(seconds):
    """The (kind, reason) of a run killed after its timeout."""
    return "timeout", f"timeout after {seconds:g} s"


def judge(report, end_kind, end_reason):
    """Count cases and name the failures of one run.

    end_kind says how the program ended: "ok" (status 0), "fail" (status 1,
    tests failed), "crash", "timeout" or "other"; end_reason says it for a
    person ("timeout after 5 s", "guest reset or triple fault ...").
    Abnormal ends, missing verdicts and a status that contradicts the verdicts
    are failures: named with the unfinished case when there is one, else
    counted as one failure of the run.
    """
    j = Judgement()
    abnormal = end_kind in ("crash", "timeout", "other")
    for case in report.cases:
        if case.status == PASS:
            j.passed += 1
        elif case.status == SKIP:
            j.skipped += 1
        else:
            j.failed += 1
            if case.status == FAIL:
                why = "FAIL"
            elif abnormal:
                why = f"no verdict: {end_reason}"
            else:
                why = f"no verdict (output ended; {end_reason})"
            j.failures.append(f"{case.id}: {why}" + (f" [{case.detail}]" if case.detail else ""))
    problems = []
    if abnormal and not report.count(UNFINISHED):
        problems.append(end_reason)
    if not report.cases:
        problems.append("no test verdicts in the output")
    elif not abnormal:
        if report.project is None:
            problems.append("no PROJECT EXECUTION line in the output")
        if end_kind == "ok" and (j.failed or report.project == "FAILED"):
            problems.append(f"tests failed but {end_reason}")
        elif not j.failed and (end_kind == "fail" or report.project == "FAILED"):
            problems.append(f"{end_reason}, PROJECT EXECUTION {report.project}, "
                            "but no case failed")
    if problems:
        j.failures.append("; ".join(problems))
        j.failed = max(j.failed, 1)
    return j
