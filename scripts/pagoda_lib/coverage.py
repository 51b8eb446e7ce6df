# SPDX-License-Identifier: Apache-2.0
"""Host-side coverage, and the report of both halves: `scripts/pagoda coverage`
(docs/TESTING.md); the guest half is guest_coverage.py.

Builds every host unit test (tests/unit/*/unittest.yaml) and every variant of
the fuzz targets (tests/fuzz/*/fuzz.yaml) with clang's source-based coverage
(-fprofile-instr-generate -fcoverage-mapping), runs the unit tests and
replays the fuzzers' seed corpora once (libFuzzer's -runs=0), and reports
line and branch coverage per file of kernel/ and arch/host/.

One tool for both halves: the fuzzer can only be built with clang, and the
unit tests build with clang as well (with -Wno-error: clang warns where gcc
does not, and the warnings are the normal build's business). So every
program writes LLVM profiles; each is merged (llvm-profdata) and exported
with its own binary (llvm-cov export -format=lcov). Exporting per binary and
merging the lcov records here by file and line, rather than handing all
binaries to one llvm-cov call, keeps the counts of a file built differently
by different programs (arch/host/cpu.c with and without the fuzzer's test
clock, mm.c per eviction algorithm): llvm-cov keeps only the first binary's
copy of a function of the same name. Lines and branches are keyed by
(line) and (line, block, branch); a line is covered when any program ran it.

Output folder <outdir>/coverage/: index.html and the pages genhtml (lcov)
writes, coverage.lcov (the merged records of kernel/ and arch/host/),
report.txt (the printed table), and work/ (the builds, profiles and logs).
"""

import os
import re
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import fuzz, hosttests, proc, testplan
from .build import BuildError
from .project import DEFAULT_OUTDIR, REPO, PagodaError, cpu_count, display_path

PROFILE_CFLAGS = ["-fprofile-instr-generate", "-fcoverage-mapping"]
PROFILE_LDFLAGS = ["-fprofile-instr-generate"]
# The unit tests' own flags stay, -Werror excepted (see above).
UNIT_EXTRA_FLAGS = [*PROFILE_CFLAGS, "-Wno-error"]
SCOPE = ("kernel/", "arch/host/")
TIME_FACTOR = 3                 # instrumented unit tests get this times their timeout
REPLAY_TIMEOUT = 300.0


# ---- lcov records ----------------------------------------------------------------------

@dataclass
class FileCoverage:
    lines: dict = field(default_factory=dict)       # line -> count
    branches: dict = field(default_factory=dict)    # (line, block, branch) -> count
    functions: dict = field(default_factory=dict)   # name -> [first line, count]

    @property
    def lines_covered(self):
        return sum(1 for c in self.lines.values() if c > 0)

    @property
    def branches_covered(self):
        return sum(1 for c in self.branches.values() if c > 0)

    def merge(self, other):
        for line, count in other.lines.items():
            self.lines[line] = self.lines.get(line, 0) + count
        for key, count in other.branches.items():
            self.branches[key] = self.branches.get(key, 0) + count
        for name, (line, count) in other.functions.items():
            mine = self.functions.setdefault(name, [line, 0])
            mine[1] += count


def repo_path(path):
    """The repo-relative path of a source file named in a record, or None outside."""
    path = os.path.normpath(path)
    root = str(REPO)
    if path.startswith(root + os.sep):
        return path[len(root) + 1:]
    try:
        return str(Path(path).resolve().relative_to(REPO))
    except (OSError, ValueError):
        return None


def function_name(name):
    """`file.c:helper` (how llvm names a static function) -> `helper`."""
    return name.rsplit(":", 1)[-1]


def parse_lcov(text):
    """{repo-relative path (or the path as written, outside the repo): FileCoverage}."""
    files = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        tag, _, value = line.partition(":")
        if tag == "SF":
            name = repo_path(value) or value
            current = files.setdefault(name, FileCoverage())
        elif current is None:
            continue
        elif tag == "end_of_record":
            current = None
        elif tag == "DA":
            parts = value.split(",")
            number, count = int(parts[0]), int(parts[1])
            current.lines[number] = current.lines.get(number, 0) + count
        elif tag == "BRDA":
            number, block, branch, taken = value.split(",")
            key = (int(number), int(block), int(branch))
            count = 0 if taken == "-" else int(taken)
            current.branches[key] = current.branches.get(key, 0) + count
        elif tag == "FN":
            number, name = value.split(",", 1)
            current.functions.setdefault(function_name(name), [int(number), 0])
        elif tag == "FNDA":
            count, name = value.split(",", 1)
            entry = current.functions.setdefault(function_name(name), [0, 0])
            entry[1] += int(count)
    return files


def merge_into(total, files):
    for name, cov in files.items():
        total.setdefault(name, FileCoverage()).merge(cov)
    return total


def in_scope(name):
    return name.startswith(SCOPE)


def scoped(files):
    return {n: c for n, c in files.items() if in_scope(n)}


def to_lcov(files):
    """lcov tracefile text of files (paths absolute again, for genhtml)."""
    out = []
    for name in sorted(files):
        cov = files[name]
        out += ["TN:", f"SF:{REPO / name}"]
        for fname, (line, _) in sorted(cov.functions.items(), key=lambda f: (f[1][0], f[0])):
            out.append(f"FN:{line},{fname}")
        for fname, (_, count) in sorted(cov.functions.items(), key=lambda f: (f[1][0], f[0])):
            out.append(f"FNDA:{count},{fname}")
        out.append(f"FNF:{len(cov.functions)}")
        out.append(f"FNH:{sum(1 for _, c in cov.functions.values() if c > 0)}")
        for (line, block, branch), count in sorted(cov.branches.items()):
            out.append(f"BRDA:{line},{block},{branch},{count if count else '-'}")
        out.append(f"BRF:{len(cov.branches)}")
        out.append(f"BRH:{cov.branches_covered}")
        for line, count in sorted(cov.lines.items()):
            out.append(f"DA:{line},{count}")
        out.append(f"LF:{len(cov.lines)}")
        out.append(f"LH:{cov.lines_covered}")
        out.append("end_of_record")
    return "\n".join(out) + "\n"


# ---- the table ------------------------------------------------------------------------

TABLE_HEADER = "file"
RE_ROW = re.compile(r"^(\S+)\s+(\d+)/(\d+)\s+(\S+)\s+(\d+)/(\d+)\s+(\S+)$")


def _percent(covered, total):
    return f"{100.0 * covered / total:.1f}%" if total else "-"


def table_lines(files):
    """One row per file (lines covered/total %, branches covered/total %), then total."""
    names = sorted(files)
    width = max([len(n) for n in names] + [len("total"), 40])
    rows = [f"{TABLE_HEADER:<{width}}  {'lines':>18}  {'branches':>18}"]
    sums = [0, 0, 0, 0]

    def row(name, lc, lt, bc, bt):
        return (f"{name:<{width}}  {f'{lc}/{lt}':>11} {_percent(lc, lt):>6}  "
                f"{f'{bc}/{bt}':>11} {_percent(bc, bt):>6}")

    for name in names:
        cov = files[name]
        counts = (cov.lines_covered, len(cov.lines), cov.branches_covered, len(cov.branches))
        sums = [a + b for a, b in zip(sums, counts)]
        rows.append(row(name, *counts))
    rows.append(row("total", *sums))
    return rows


def parse_table(lines):
    """{file or 'total': (lines covered, lines total, branches covered, branches total)}."""
    result = {}
    for line in lines:
        m = RE_ROW.match(line.strip())
        if m:
            result[m.group(1)] = tuple(int(m.group(i)) for i in (2, 3, 5, 6))
    return result


def never_run(files, prefix=""):
    """{file: [functions no program ran]} of the files under prefix."""
    result = {}
    for name in sorted(files):
        if not name.startswith(prefix):
            continue
        missed = sorted(f for f, (_, count) in files[name].functions.items() if count == 0)
        if missed:
            result[name] = missed
    return result


def not_measured(files, built=(), root=REPO):
    """(the .c files of kernel/ and arch/host/ that no host program compiles, those
    compiled without code to measure: arch/host/image.c is symbols only)."""
    absent, empty = [], []
    for top in SCOPE:
        for path in sorted((Path(root) / top).rglob("*.c")):
            name = str(path.relative_to(root))
            if name not in files:
                (empty if name in built else absent).append(name)
    return absent, empty


def built_sources(tests, targets):
    """The repo-relative .c files the unit tests and fuzz targets compile;
    targets: [(fuzz target, the variants built)]."""
    names = set()
    for test in tests:
        names.update(test.sources)
        names.update(hosttests.ALWAYS_LINKED)
    for target, variants in targets:
        names.update(target.sources)
        names.update(target.support)
        for variant in variants:
            names.update(target.variants[variant][0])
    return names


# ---- tools ----------------------------------------------------------------------------

def llvm_major():
    """The major version of the clang in PATH (its profiles need the same llvm tools)."""
    try:
        out = subprocess.run(["clang", "-dumpversion"], capture_output=True, text=True).stdout
    except OSError:
        return None
    major = out.strip().split(".")[0]
    return major if major.isdigit() else None


def llvm_tool(name):
    """llvm-cov-N / llvm-profdata-N matching clang, else the unversioned name."""
    major = llvm_major()
    if major and shutil.which(f"{name}-{major}"):
        return f"{name}-{major}"
    return name


def _run(cmd, log, cwd=None, timeout=None, env=None):
    log.write(f"$ {' '.join(map(str, cmd))}\n")
    log.flush()
    done = proc.run_logged([str(c) for c in cmd], log, cwd=cwd, timeout=timeout, env=env)
    return done


def export(binary, profraws, work, log):
    """Merge one program's profiles and export them with it: {file: FileCoverage}."""
    profdata = Path(work) / "merged.profdata"
    done = _run([llvm_tool("llvm-profdata"), "merge", "-sparse", *profraws, "-o", profdata],
                log)
    if done.returncode != 0:
        raise PagodaError(f"llvm-profdata merge failed; log: {display_path(log.name)}")
    out = subprocess.run([llvm_tool("llvm-cov"), "export", "-format=lcov",
                          f"-instr-profile={profdata}", str(binary)],
                         capture_output=True, text=True)
    if out.returncode != 0:
        log.write(out.stderr)
        raise PagodaError(f"llvm-cov export failed; log: {display_path(log.name)}")
    (Path(work) / "coverage.lcov").write_text(out.stdout)
    return parse_lcov(out.stdout)


def _fresh_profile_dir(work):
    prof = Path(work) / "profiles"
    shutil.rmtree(prof, ignore_errors=True)
    prof.mkdir(parents=True)
    return prof


@dataclass
class ProgramRun:
    what: str                   # "unit bitarray", "fuzz fuzz_mm lru"
    ok: bool
    reason: str
    log: Path
    files: dict
    seconds: float


# ---- unit tests -----------------------------------------------------------------------

def unit_tests(names=None):
    tests = testplan.make_plan([REPO / "tests" / "unit"], []).unit_tests
    if names:
        known = {t.name for t in tests}
        unknown = sorted(set(names) - known)
        if unknown:
            raise PagodaError(f"unknown unit test(s) {', '.join(unknown)}; "
                              f"available: {', '.join(sorted(known))}")
        tests = [t for t in tests if t.name in names]
    return tests


def run_unit(test, work_root):
    """Build one unit test with coverage, run it, export its counts."""
    start = time.monotonic()
    work = Path(work_root) / "unit" / test.name
    work.mkdir(parents=True, exist_ok=True)
    program = work / test.name
    log_path = work / "coverage.log"
    with open(log_path, "w") as log:
        cmd = hosttests.compile_cmd(test, program, compiler="clang",
                                    extra_flags=UNIT_EXTRA_FLAGS)
        if _run(cmd, log, cwd=REPO).returncode != 0:
            return ProgramRun(f"unit {test.name}", False, "build failed", log_path, {},
                              time.monotonic() - start)
        prof = _fresh_profile_dir(work)
        env = dict(os.environ, LLVM_PROFILE_FILE=str(prof / "%p.profraw"))
        done = _run([program], log, cwd=work, timeout=test.timeout * TIME_FACTOR, env=env)
        if done.timed_out:
            kind, reason = "timeout", "killed after its time limit"
        else:
            kind, reason = hosttests.judge_exit(done.returncode)
        profraws = sorted(prof.glob("*.profraw"))
        if not profraws:
            return ProgramRun(f"unit {test.name}", False, f"{reason}; no profile written",
                              log_path, {}, time.monotonic() - start)
        files = export(program, profraws, work, log)
    return ProgramRun(f"unit {test.name}", kind == "ok", reason, log_path, files,
                      time.monotonic() - start)


# ---- fuzz corpus replay ---------------------------------------------------------------

def replay_fuzz(target, work_root, variants, jobs, local_corpus=False, say=print):
    """Build each variant with coverage (every file: the host port and the checkers
    too), replay its seed corpus once, export its counts; [ProgramRun]."""
    runs = []
    outdir = Path(work_root)
    binaries = fuzz.build(target, outdir, variants, jobs, extra_cflags=PROFILE_CFLAGS,
                          extra_ldflags=PROFILE_LDFLAGS)
    for variant in variants:
        start = time.monotonic()
        work = target.out_dir(outdir) / variant
        log_path = work / "coverage.log"
        corpora = [target.corpus] if target.corpus.is_dir() else []
        if local_corpus:
            mine = target.out_dir(DEFAULT_OUTDIR) / variant / "corpus"
            if mine.is_dir():
                corpora.append(mine)
        with open(log_path, "w") as log:
            prof = _fresh_profile_dir(work)
            env = dict(os.environ, LLVM_PROFILE_FILE=str(prof / "%p.profraw"),
                       FUZZ_MM_OPS_FILE="")
            # -runs=0: run every input of the corpora once, generate nothing.
            done = _run([binaries[variant], "-runs=0", f"-max_len={target.max_len}",
                         "-timeout=60", f"-artifact_prefix={work}/", *corpora], log,
                        cwd=work, timeout=REPLAY_TIMEOUT, env=env)
            kind, reason, _ = fuzz.judge(done.lines, done.returncode, done.timed_out)
            reason = reason or f"{len(done.lines)} lines of output"
            profraws = sorted(prof.glob("*.profraw"))
            files = export(binaries[variant], profraws, work, log) if profraws else {}
        what = f"fuzz {target.name} {variant}"
        ok = kind is None and bool(profraws)
        runs.append(ProgramRun(what, ok, "corpus replayed" if ok else
                               (f"{kind}: {reason}" if kind else "no profile written"),
                               log_path, files, time.monotonic() - start))
    return runs


# ---- the report -----------------------------------------------------------------------

def write_html(lcov_path, out_dir, log_path, title="Pagoda host coverage"):
    """genhtml's pages (index.html first) into out_dir; None or why not."""
    genhtml = shutil.which("genhtml")
    if genhtml is None:
        return "genhtml (Debian package lcov) not found"
    with open(log_path, "w") as log:
        done = _run([genhtml, "--quiet", "--branch-coverage", "--legend",
                     "--title", title, "--prefix", str(REPO),
                     "--output-directory", out_dir, lcov_path], log)
    return None if done.returncode == 0 else f"genhtml failed; log: {display_path(log_path)}"


def _clear_report(out_dir):
    """Everything of the last report in out_dir, not the builds (work/)."""
    for entry in Path(out_dir).iterdir() if Path(out_dir).is_dir() else []:
        if entry.name == "work":
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def report_lines(files, built=()):
    """The table, then the .c files no host program builds, then the functions of
    kernel/mm no program ran."""
    lines = table_lines(files)
    absent, empty = not_measured(files, built)
    if absent:
        lines += ["", "not built on the host: " + ", ".join(absent)]
    if empty:
        lines += ["built, no code to measure: " + ", ".join(empty)]
    lines += ["", "kernel/mm functions no host program ran:"]
    missed = never_run(files, "kernel/mm/")
    for name, functions in missed.items():
        lines.append(f"  {name}: {', '.join(functions)}")
    if not missed:
        lines.append("  (none)")
    return lines


def guest_report_lines(runs):
    """The guest tables: merged over the boards (lines, branches), then the line
    share per board; the .c files no build compiled; the functions of kernel/mm
    and arch/x86/core that no suite ran."""
    from . import guest_coverage
    boards, merged = guest_coverage.by_board(runs)
    lines = [f"guest: the in-kernel suites under QEMU, gcc's gcov, merged over the boards "
             f"{', '.join(sorted(boards))} ({len(runs)} boot(s))", ""]
    lines += table_lines(merged)
    lines += ["", "guest, lines per board:"]
    lines += guest_coverage.board_table_lines(boards, sorted(merged))
    absent = guest_coverage.not_built(merged)
    if absent:
        lines += ["", "not built for the guest (or no code): " + ", ".join(absent)]
    for prefix in ("kernel/mm/", "arch/x86/core/"):
        lines += ["", f"{prefix} functions no guest suite ran:"]
        missed = never_run(merged, prefix)
        for name, functions in missed.items():
            lines.append(f"  {name}: {', '.join(functions)}")
        if not missed:
            lines.append("  (none)")
    return lines


def run(outdir=None, units=None, variants=None, skip_unit=False, skip_fuzz=False,
        local_corpus=False, html=True, jobs=None, say=print, guest=None):
    """The whole pipeline; (exit status, {file: FileCoverage} of the host scope,
    {file: FileCoverage} of the guest scope merged over the boards).

    guest: the scenarios (testplan.Scenario) to measure in QEMU, None for none.
    """
    outdir = Path(outdir).resolve() if outdir else DEFAULT_OUTDIR
    out_dir = outdir / "coverage"
    work = out_dir / "work"
    work.mkdir(parents=True, exist_ok=True)
    jobs = max(1, jobs or cpu_count())
    start = time.monotonic()
    runs = []
    tests, targets = [], []

    if not skip_unit:
        tests = unit_tests(units)
        say(f"coverage: {len(tests)} host unit test(s) with clang coverage, "
            f"{jobs} at a time")
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for r in pool.map(lambda t: run_unit(t, work), tests):
                runs.append(r)
                say(f"coverage: {r.what}: {r.reason} ({r.seconds:.1f} s)")
    if not skip_fuzz:
        found = fuzz.discover([REPO / "tests" / "fuzz"])
        wanted = set(variants or [])
        known = {v for t in found for v in t.variants}
        if wanted - known:
            raise PagodaError(f"unknown variant(s) {', '.join(sorted(wanted - known))}; "
                              f"available: {', '.join(sorted(known))}")
        for target in found:
            chosen = [v for v in target.variants if not wanted or v in wanted]
            if not chosen:
                continue
            say(f"coverage: fuzz target {target.name}: {', '.join(chosen)}, replaying "
                f"{display_path(target.corpus)}" + (" and the local corpora" if local_corpus
                                                     else ""))
            try:
                fuzz_runs = replay_fuzz(target, work, chosen, jobs, local_corpus, say)
            except BuildError as e:
                say(f"coverage: fuzz {target.name}: build failed ({e.step} step); "
                    f"log: {display_path(e.log)}")
                for line in e.excerpt:
                    say(f"  | {line}")
                runs.append(ProgramRun(f"fuzz {target.name}", False, "build failed",
                                       Path(e.log), {}, 0.0))
                continue
            targets.append((target, chosen))
            for r in fuzz_runs:
                runs.append(r)
                say(f"coverage: {r.what}: {r.reason} ({r.seconds:.1f} s)")
    host_seconds = time.monotonic() - start

    guest_runs = []
    if guest is not None:
        from . import guest_coverage
        guest_start = time.monotonic()
        say(f"coverage: {len(guest)} in-kernel scenario(s) built with CONFIG_COVERAGE_GCOV "
            f"and booted, {jobs} at a time")
        guest_runs = guest_coverage.run(guest, work, jobs, say)
        guest_seconds = time.monotonic() - guest_start

    total = {}
    for r in runs:
        merge_into(total, r.files)
    files = scoped(total)
    guest_files = {}
    if guest_runs:
        from . import guest_coverage
        guest_files = guest_coverage.by_board(guest_runs)[1]
    _clear_report(out_dir)
    lines = []
    where = []
    if runs:
        lcov_path = out_dir / "coverage.lcov"
        lcov_path.write_text(to_lcov(files))
        lines += ["host: the unit tests and the fuzz corpus replay, clang's source-based "
                  "coverage", ""]
        lines += report_lines(files, built_sources(tests, targets))
        where.append(f"records {display_path(lcov_path)}")
        if html:
            why_not = write_html(lcov_path, out_dir, work / "genhtml.log")
            if why_not:
                say(f"coverage: no host HTML report: {why_not}")
            else:
                where.insert(0, f"HTML {display_path(out_dir / 'index.html')}")
    if guest is not None:
        guest_lcov = out_dir / "guest.lcov"
        guest_lcov.write_text(to_lcov(guest_files))
        lines += ([""] if lines else []) + guest_report_lines(guest_runs)
        where.append(f"guest records {display_path(guest_lcov)}")
        if html and guest_files:
            why_not = write_html(guest_lcov, out_dir / "guest", work / "genhtml-guest.log",
                                 "Pagoda guest coverage")
            if why_not:
                say(f"coverage: no guest HTML report: {why_not}")
            else:
                where.append(f"guest HTML {display_path(out_dir / 'guest' / 'index.html')}")
    (out_dir / "report.txt").write_text("\n".join(lines) + "\n")
    where.append(f"table {display_path(out_dir / 'report.txt')}")
    say("")
    for line in lines:
        say(line)
    say("")
    say(f"coverage: {'; '.join(where)}")
    failed = [r for r in runs if not r.ok]
    for r in failed:
        say(f"coverage: FAILED {r.what}: {r.reason}; log: {display_path(r.log)}")
    guest_failed = [r for r in guest_runs if not r.ok]
    for r in guest_failed:
        log = f"; log: {display_path(r.log)}" if r.log else ""
        say(f"coverage: FAILED guest {r.board} {r.what}: {r.reason}{log}")
    if runs:
        say(f"coverage: host: {len(runs)} program(s), {len(failed)} failed, "
            f"{host_seconds:.0f} s")
    if guest is not None:
        say(f"coverage: guest: {len(guest_runs)} boot(s), {len(guest_failed)} failed, "
            f"{guest_seconds:.0f} s")
    bad = failed or guest_failed or not (runs or guest_runs)
    return (1 if bad else 0), files, guest_files


def cmd_coverage(args):
    guest = args.guest or args.guest_only or bool(args.testsuite_root) or bool(args.platform)
    skip_unit = args.skip_unit or args.guest_only
    skip_fuzz = args.skip_fuzz or args.guest_only
    if skip_unit and skip_fuzz and not guest:
        raise PagodaError("--skip-unit and --skip-fuzz leave nothing to measure")
    scenarios = None
    if guest:
        from . import guest_coverage
        outdir = Path(args.outdir).resolve() if args.outdir else DEFAULT_OUTDIR
        scenarios = guest_coverage.plan(args.testsuite_root, args.platform,
                                        skip=[outdir, DEFAULT_OUTDIR])
        if not scenarios:
            raise PagodaError("no in-kernel scenario to boot under the -T folders on the "
                              "-p boards")
    say = lambda text: print(text, flush=True)  # noqa: E731
    status, _, _ = run(args.outdir, args.unit or None, args.variant or None, skip_unit,
                       skip_fuzz, args.local_corpus, not args.no_html, args.jobs, say,
                       scenarios)
    return status
