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
RE_SECONDS = re.compile(r" in (\d+(?:\.\d*)?) seconds")

PASS, FAIL, SKIP, UNFINISHED = "PASS", "FAIL", "SKIP", "UNFINISHED"
DETAIL_CHARS = 160
OUTPUT_LINES = 60               # lines of a case's output kept for the reports


@dataclass
class Case:
    suite: str | None
    name: str
    status: str                 # PASS, FAIL, SKIP or UNFINISHED
    detail: str = ""            # first line the case printed (assertion, fault...)
    seconds: float | None = None    # from its verdict line
    output: tuple = ()          # what it printed between START and verdict (capped)

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
            report.cases.append(Case(suite, current[0], UNFINISHED, _detail(current[1]),
                                     output=_output(current[1])))

    for line in lines:
        line = line.rstrip("\r\n")
        verdict = RE_VERDICT.match(line)
        if verdict:
            status, name = verdict.groups()
            detail, output = "", ()
            if current is not None and current[0] == name:
                detail, output = _detail(current[1]), _output(current[1])
            else:
                close_unfinished()
            took = RE_SECONDS.search(line)
            report.cases.append(Case(suite, name, status, detail,
                                     float(took.group(1)) if took else None, output))
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


def _output(lines):
    lines = [line for line in lines if line.strip() and not set(line.strip()) <= set("=-")]
    if len(lines) > OUTPUT_LINES:
        lines = lines[:OUTPUT_LINES // 2] + ["..."] + lines[-OUTPUT_LINES // 2:]
    return tuple(lines)


def _detail(lines):
    for line in lines:
        text = line.strip()
        if text and not set(text) <= set("=-"):
            return text[:DETAIL_CHARS]
    return ""


@dataclass
class CaseResult:
    """One test case as the reports (report.json, report.xml) give it."""
    classname: str              # ztest suite, Python test class, "style", "fuzz"...
    name: str
    status: str                 # passed, failed, skipped or error
    seconds: float | None = None
    message: str = ""           # why it failed, errored or was skipped (one line)
    output: list = field(default_factory=list)     # excerpt of its output or log
    log: str | None = None      # its log when not the job's own


@dataclass
class Judgement:
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list = field(default_factory=list)   # one line each, naming what failed
    cases: list = field(default_factory=list)      # outcome.CaseResult, one per case
    problem: str | None = None  # what went wrong with the run as a whole, if anything


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
        j.cases.append(_case_result(case, abnormal, end_reason))
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
        j.problem = "; ".join(problems)
        j.failures.append(j.problem)
        j.failed = max(j.failed, 1)
    return j


def _case_result(case, abnormal, end_reason):
    """The report entry of one case: PASS, SKIP, FAIL as they are; a case
    without a verdict (crash, hang, output cut) is an error."""
    status = {PASS: "passed", SKIP: "skipped", FAIL: "failed"}.get(case.status, "error")
    if case.status == FAIL:
        message = "FAIL"
    elif case.status == UNFINISHED:
        message = f"no verdict: {end_reason}" if abnormal else \
            f"no verdict (output ended; {end_reason})"
    else:
        message = ""
    if message and case.detail:
        message += f" [{case.detail}]"
    return CaseResult(case.suite or "", case.name, status, case.seconds, message,
                      list(case.output))
