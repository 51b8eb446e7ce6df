# SPDX-License-Identifier: Apache-2.0
"""Guest-side coverage: the in-kernel suites under QEMU, for `scripts/pagoda
coverage --guest` (docs/TESTING.md).

Each scenario is built with CONFIG_COVERAGE_GCOV (gcc's arc counters and
Pagoda's gcov runtime, subsys/coverage/gcov.c) into its own folder under
<work>/guest/, booted as `scripts/pagoda test` boots it (with three times its
timeout), and the counters it dumps on COM2 at halt (<build>/gcov.dump) are
written back as .gcda files next to the .gcno files (gcov_dump.py). gcov
(of gcc's own version) then reads each build's files as JSON, and the counts
become the same per-file records as the host side's (coverage.FileCoverage),
summed by file and line over the scenarios of a board, and over the boards.

Every build is a different configuration, so the records are merged here
by source line rather than the .gcda files by gcc: two builds' objects of one
source file differ (stamps, checksums, configured-out code). A line counts
as covered when any scenario ran it. Branches are gcc's: per line, the
outcomes of each conditional jump of the object code, keyed (line, 0, index).
"""

import dataclasses
import json
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import gcov_dump, runner, testplan
from .coverage import FileCoverage, merge_into, repo_path
from .project import REPO, boards as all_boards, check_boards, display_path
from .scenario import ScenarioJob

CONFIG_LINE = "CONFIG_COVERAGE_GCOV=y"
DUMP = "gcov.dump"
TIME_FACTOR = 3                 # instrumented scenarios get this times their timeout
SCOPE = ("kernel/", "arch/x86/", "drivers/")


def gcov_tool():
    """gcov of the host gcc's major version (the x86_64 board's compiler; the
    32-bit boards' i686-linux-gnu-gcc is the same release on Debian)."""
    out = subprocess.run(["gcc", "-dumpversion"], capture_output=True, text=True).stdout
    major = out.strip().split(".")[0]
    versioned = f"gcov-{major}"
    return versioned if major and shutil.which(versioned) else "gcov"


def records_from_json(documents):
    """{repo-relative path (or as written): FileCoverage} from gcov's JSON
    documents (one per .gcda: `gcov --json-format --stdout -b`)."""
    files = {}
    for doc in documents:
        for entry in doc.get("files", []):
            name = repo_path(entry["file"]) or entry["file"]
            cov = files.setdefault(name, FileCoverage())
            for line in entry.get("lines", []):
                number = line["line_number"]
                cov.lines[number] = cov.lines.get(number, 0) + line["count"]
                for index, branch in enumerate(line.get("branches", [])):
                    key = (number, 0, index)
                    cov.branches[key] = cov.branches.get(key, 0) + branch["count"]
            for fn in entry.get("functions", []):
                mine = cov.functions.setdefault(fn["name"], [fn["start_line"], 0])
                mine[1] += fn["execution_count"]
    return files


def gcov_records(gcda_files, cwd, log=None):
    """Run gcov on .gcda files (each next to its .gcno): {file: FileCoverage}."""
    if not gcda_files:
        return {}
    done = subprocess.run([gcov_tool(), "--json-format", "--stdout", "-b",
                           *map(str, gcda_files)], cwd=cwd, capture_output=True, text=True)
    if log is not None:
        log.write(done.stderr)
    if done.returncode != 0:
        raise gcov_dump.DumpError(f"gcov failed (status {done.returncode}): "
                                  f"{done.stderr.strip()[:200]}")
    return records_from_json(json.loads(line) for line in done.stdout.splitlines()
                             if line.startswith("{"))


def scoped(files):
    return {n: c for n, c in files.items() if n.startswith(SCOPE)}


def instrumented(scenario):
    """The scenario with CONFIG_COVERAGE_GCOV and a longer timeout."""
    return dataclasses.replace(scenario, extra_configs=scenario.extra_configs + (CONFIG_LINE,),
                               timeout=scenario.timeout * TIME_FACTOR)


@dataclass
class GuestRun:
    board: str
    what: str                   # "tests/kernel/boot kernel.boot"
    ok: bool                    # the suite passed and its dump was read
    reason: str
    log: Path | None
    files: dict
    seconds: float


# User mode is not built with gcov's counters (kernel data that user code
# would write: CONFIG_USERSPACE depends on !CONFIG_COVERAGE_GCOV).
USER_MODE_LINE = "CONFIG_USERSPACE=y"


def needs_user_mode(scenario):
    """Whether the scenario's prj.conf or extra_configs turn user mode on."""
    lines = list(scenario.extra_configs)
    prj = Path(scenario.suite_dir) / "prj.conf"
    if prj.is_file():
        lines += prj.read_text().splitlines()
    return USER_MODE_LINE in (line.strip() for line in lines)


def plan(roots=None, selected=None, skip=(), say=print):
    """The booted scenarios of the -T folders (default tests/) on the -p boards,
    but those that need user mode (said, one line each)."""
    dirs = [Path(r) for r in roots] if roots else testplan.default_dirs()
    if selected:
        check_boards(selected)
    scenarios = testplan.make_plan(dirs, all_boards(), selected or None, skip=skip).scenarios
    booted = []
    for s in scenarios:
        if s.build_only:
            continue
        if needs_user_mode(s):
            say(f"coverage: guest {s.board} {s.suite} {s.name}: not measured "
                f"(CONFIG_USERSPACE is not built with CONFIG_COVERAGE_GCOV)")
        else:
            booted.append(s)
    return booted


def run_scenario(scenario, ctx):
    """Build and boot one instrumented scenario, read its dump: a GuestRun."""
    start = time.monotonic()
    s = instrumented(scenario)
    what = f"{s.suite} {s.name}"
    build_dir = s.build_dir(ctx.outdir)
    dump = build_dir / DUMP
    dump.unlink(missing_ok=True)         # a stale dump must not stand for this boot
    outcome = ScenarioJob(s).run(ctx)
    log = outcome.log
    if outcome.failures and not dump.is_file():
        return GuestRun(s.board, what, False, outcome.failures[0], log, {},
                        time.monotonic() - start)
    try:
        objects = gcov_dump.parse(dump.read_text(errors="replace") if dump.is_file() else "")
        gcda = gcov_dump.write_gcda(objects)
        with open(build_dir / "gcov.log", "w") as gcov_log:
            files = scoped(gcov_records(gcda, build_dir, gcov_log))
    except gcov_dump.DumpError as e:
        # A boot that timed out or reset leaves a dump cut short: say both.
        why = f"{outcome.failures[0]}; " if outcome.failures else ""
        return GuestRun(s.board, what, False, f"{why}{display_path(dump)}: {e}", log, {},
                        time.monotonic() - start)
    reason = (f"passed {outcome.passed}, {len(objects)} objects dumped" if outcome.ok else
              f"{outcome.failures[0]} (its coverage counts)")
    return GuestRun(s.board, what, outcome.ok, reason, log, files, time.monotonic() - start)


def run(scenarios, work, jobs, say=print):
    """Every scenario, jobs at a time (a build each with one ninja job when
    several run): [GuestRun]."""
    workers = max(1, min(jobs, len(scenarios)))
    ctx = runner.Context(outdir=Path(work) / "guest", build_jobs=None if workers == 1 else 1,
                         verbose=False, printer=runner.Printer())
    runs = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for r in pool.map(lambda s: run_scenario(s, ctx), scenarios):
            runs.append(r)
            say(f"coverage: guest {r.board} {r.what}: {r.reason} ({r.seconds:.1f} s)")
    return runs


def by_board(runs):
    """({board: {file: FileCoverage}}, {file: FileCoverage} merged over the boards)."""
    boards, total = {}, {}
    for r in runs:
        merge_into(boards.setdefault(r.board, {}), r.files)
        merge_into(total, r.files)
    return boards, total


def board_table_lines(boards, names):
    """Per file, the share of its lines each board's suites ran."""
    order = sorted(boards)
    width = max([len(n) for n in names] + [len("total"), 40])
    rows = [f"{'file':<{width}}" + "".join(f"  {b:>14}" for b in order)]

    def cell(covered, total):
        return f"{100.0 * covered / total:.1f}%" if total else "-"

    sums = {b: [0, 0] for b in order}
    for name in names:
        cells = []
        for b in order:
            cov = boards[b].get(name)
            lc, lt = (cov.lines_covered, len(cov.lines)) if cov else (0, 0)
            sums[b][0] += lc
            sums[b][1] += lt
            cells.append(cell(lc, lt))
        rows.append(f"{name:<{width}}" + "".join(f"  {c:>14}" for c in cells))
    rows.append(f"{'total':<{width}}" + "".join(f"  {cell(*sums[b]):>14}" for b in order))
    return rows


def not_built(files, root=REPO):
    """The .c files of kernel/ and arch/x86/ that no instrumented build compiled."""
    absent = []
    for top in ("kernel", "arch/x86"):
        for path in sorted((Path(root) / top).rglob("*.c")):
            name = str(path.relative_to(root))
            if name not in files:
                absent.append(name)
    return absent
