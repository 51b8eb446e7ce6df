# SPDX-License-Identifier: Apache-2.0
"""Running test jobs in parallel workers: progress lines and the closing summary.

A job is any object with outcome() (an empty Outcome naming it) and
run(ctx) -> Outcome. Each finished job prints one progress line at once;
the run ends with the failures by name and exactly one last line
`N passed, N failed, N skipped` counting test cases. A reporter (see
report.Reporter) given to run() gets the outcomes at the end, and on Ctrl-C
the finished ones with the jobs not run.
"""

import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from . import proc
from .project import display_path


class Printer:
    """Whole lines to stdout, one writer at a time, flushed at once."""

    def __init__(self):
        self._lock = threading.Lock()

    def line(self, text=""):
        with self._lock:
            try:
                print(text, flush=True)
            except BrokenPipeError:
                # Nobody reads any more (e.g. `| head`): stop the whole run.
                proc.stop()
                raise proc.Stopped("stdout closed") from None


@dataclass
class Context:
    outdir: Path
    build_jobs: int | None      # ninja -j for each build (None: ninja's default)
    verbose: bool
    printer: Printer

    def streamer(self, prefix):
        """A callback printing a job's output lines with -v, else None."""
        if not self.verbose:
            return None
        return lambda line: self.printer.line(f"[{prefix}] {line}")


def _run_one(job, ctx):
    start, started = time.monotonic(), time.time()
    try:
        outcome = job.run(ctx)
    except proc.Stopped:
        raise
    except Exception as e:     # a bug or an environment problem: report, don't abort all
        outcome = job.outcome()
        outcome.failed += 1
        outcome.failures.append(f"internal error: {e}")
        outcome.notes.extend(traceback.format_exc().splitlines())
        outcome.error("internal", outcome.failures[-1], outcome.notes)
    outcome.seconds = time.monotonic() - start
    outcome.started = started
    return outcome


def progress_line(index, total, o):
    width = len(str(total))
    return (f"[{index:>{width}}/{total}] {'PASS' if o.ok else 'FAIL'}  {o.platform}  {o.suite}  "
            f"{o.scenario}  (passed {o.passed}, failed {o.failed}, skipped {o.skipped})  "
            f"{o.seconds:.1f} s")


def closing_line(outcomes):
    passed = sum(o.passed for o in outcomes)
    failed = sum(o.failed for o in outcomes)
    skipped = sum(o.skipped for o in outcomes)
    return f"{passed} passed, {failed} failed, {skipped} skipped"


def summary_lines(outcomes):
    """The failures by name, with their notes and logs, for the end of the run."""
    bad = sorted((o for o in outcomes if not o.ok), key=lambda o: o.name)
    if not bad:
        return []
    lines = [f"Failures ({sum(o.failed for o in bad)}):"]
    for o in bad:
        for failure in o.failures:
            lines.append(f"  FAILED {o.name}: {failure}")
        lines += [f"      | {note}" for note in o.notes]
        lines += [f"      log: {log}" for log in o.logs]
    return lines


def _report(reporter, outcomes, jobs, done, interrupted):
    """Write the reports; a line naming them, or why they could not be written."""
    not_run = [job.outcome() for i, job in enumerate(jobs) if i not in done]
    try:
        paths = reporter(outcomes, not_run, interrupted)
    except Exception as e:      # never hide the run's own result behind this
        return f"reports not written: {e}"
    return "Reports: " + " and ".join(display_path(p) for p in paths)


def run(jobs, workers, ctx, reporter=None):
    """Run the jobs; return the exit status (0 when every case passed).

    reporter(outcomes, not-run outcomes, interrupted) writes the reports:
    before the summary at the end, and after the running jobs are killed on
    Ctrl-C (or any other exception), with the outcomes finished before it.
    """
    total = len(jobs)
    outcomes, done = [], set()
    pool = ThreadPoolExecutor(max_workers=max(1, workers))
    try:
        futures = {pool.submit(_run_one, job, ctx): i for i, job in enumerate(jobs)}
        for index, future in enumerate(as_completed(futures), 1):
            outcome = future.result()
            outcomes.append(outcome)
            done.add(futures[future])
            ctx.printer.line(progress_line(index, total, outcome))
            for failure in outcome.failures:
                ctx.printer.line(f"      {failure}")
    except BaseException:
        # Ctrl-C (or a bug): stop starting processes and kill the running ones.
        proc.stop()
        pool.shutdown(wait=True, cancel_futures=True)
        if reporter is not None:
            line = _report(reporter, outcomes, jobs, done, interrupted=True)
            try:
                ctx.printer.line(line)
            except BaseException:
                pass
        raise
    pool.shutdown()
    if reporter is not None:
        ctx.printer.line(_report(reporter, outcomes, jobs, done, interrupted=False))
    for line in summary_lines(outcomes):
        ctx.printer.line(line)
    ctx.printer.line(closing_line(outcomes))
    return 0 if all(o.ok for o in outcomes) else 1
