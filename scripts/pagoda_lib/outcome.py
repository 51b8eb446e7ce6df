# SPDX-License-Identifier: Apache-2.0
"""The result of one test job: counts of cases, the failures by name, the logs,
and the cases one by one for the reports (report.py)."""

from dataclasses import dataclass, field

from . import verdicts
from .verdicts import CaseResult


@dataclass
class Outcome:
    platform: str               # board name, "host" (unit tests) or "python"
    suite: str                  # the suite's folder, as shown to a person
    scenario: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    failures: list = field(default_factory=list)    # "what: why", one line each
    notes: list = field(default_factory=list)       # extra lines (build error excerpt)
    logs: list = field(default_factory=list)        # paths of the full logs
    # The cases one by one (CaseResult); empty: report.py makes them from the counts.
    cases: list = field(default_factory=list)
    log: object = None          # the job's main log, passed or not (None: none kept)
    started: float | None = None    # time.time() when the job started

    @property
    def ok(self):
        return self.failed == 0

    @property
    def name(self):
        return f"{self.platform} {self.suite} {self.scenario}"

    @property
    def key(self):
        """What names this job across runs (report.json, --only-failed)."""
        return (self.platform, self.suite, self.scenario)

    def add(self, judgement):
        """Take the counts, failures and cases of a verdicts.Judgement."""
        self.passed += judgement.passed
        self.failed += judgement.failed
        self.skipped += judgement.skipped
        self.failures.extend(judgement.failures)
        self.cases.extend(judgement.cases)
        if judgement.problem:
            # The run as a whole went wrong: one more case when there are
            # verdicts, the only one when there are none.
            self.error("run" if judgement.cases else self.scenario, judgement.problem)
        return self

    def add_run(self, lines, end, logs):
        """Judge a finished ztest program from its output; end = (kind, reason)
        as verdicts.judge takes them. Keeps the logs when something failed."""
        self.add(verdicts.judge(verdicts.parse(lines), *end))
        if not self.ok:
            self.logs.extend(logs)
        return self

    def error(self, name, message, output=()):
        """Record a case of the job itself that errored (build, crash, internal
        error) in the reports; the counts are the caller's business."""
        self.cases.append(CaseResult(self.scenario, name, "error", None, message,
                                     list(output)))
        return self

    def build_failed(self, error):
        """Record a build.BuildError as one failure of this job."""
        self.failed += 1
        self.failures.append(f"build failed ({error.step} step)")
        self.notes.extend(error.excerpt)
        if error.log:
            self.logs.append(error.log)
            self.log = error.log
        self.error("build", self.failures[-1], error.excerpt)
        return self
