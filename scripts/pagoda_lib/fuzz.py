# SPDX-License-Identifier: Apache-2.0
"""Fuzz targets: folders holding fuzz.yaml (tests/fuzz/mm, see docs/FUZZING.md).

A target is built with clang into one libFuzzer binary per variant (the
memory manager's: one per store, eviction algorithm and ALLOW_IRQ setting) under <outdir>/fuzz/<target
path>/<variant>/, run for a time with its seed corpus, and judged from its
output: the harness prints `FUZZ-MM FAILURE (<kind>): <what>` (kind
invariant, model or crash) before it aborts, libFuzzer names the input it
kept, and the harness counts the operations it ran in a file the runner
reads afterwards (whatever way the process ended).

`scripts/pagoda fuzz --seconds N` fuzzes every variant, one process per CPU
at a time, N seconds of wall time in all, and ends with the summary line

    fuzz: 12345678 ops in 60 s (205761 ops/s), 0 invariant breaks, 0 model mismatches, 0 crashes

`scripts/pagoda test` runs every target it finds as one job (FuzzJob) of
about test_seconds of wall time, a case per variant.
"""

import os
import re
import shlex
import struct
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

from . import proc
from .build import BuildError, error_excerpt
from .outcome import CaseResult, Outcome
from .project import DEFAULT_OUTDIR, REPO, PagodaError, cpu_count, display_path
from .testplan import _is_build_dir, load_yaml, suite_subpath

FUZZ_YAML = "fuzz.yaml"
CLANG = "clang"
CFLAGS = ["-std=gnu11", "-g", "-O1", "-Wall", "-Wextra", "-Werror", "-Wno-format-zero-length",
          "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
          "-fno-omit-frame-pointer", "-fno-pie"]
COVERAGE_CFLAGS = ["-fsanitize=fuzzer-no-link"]
# No PIE: arch/host/image.c gives the kernel's image symbols fixed addresses.
LDFLAGS = ["-fsanitize=fuzzer,address,undefined", "-no-pie"]
MIN_SECONDS = 5             # per variant, whatever the budget says
KINDS = ("invariant", "model", "crash")

RE_FAILURE = re.compile(r"^FUZZ-MM FAILURE \((\w+)\): (.*)$")
RE_ARTIFACT = re.compile(r"Test unit written to (\S+)")
RE_RUNNING = re.compile(r"^Running: (\S+)")     # replaying files: the input is the reproducer
RE_LIBFUZZER_ERROR = re.compile(r"ERROR: libFuzzer: (.*)$")
RE_SANITIZER = re.compile(r"ERROR: AddressSanitizer: (.*)$|runtime error: (.*)$")
RE_SUMMARY = re.compile(r"^fuzz: (\d+) ops in (\d+) s \((\d+) ops/s\), (\d+) invariant breaks?, "
                        r"(\d+) model mismatch(?:es)?, (\d+) crash(?:es)?$")


@dataclass(frozen=True)
class Target:
    folder: Path
    name: str
    sources: tuple
    support: tuple
    include_dirs: tuple
    imacros: str
    variants: dict              # name -> (sources, defines)
    corpus: Path
    max_len: int = 2048
    test_seconds: float = 60.0

    @property
    def suite(self):
        return display_path(self.folder)

    def out_dir(self, outdir):
        return Path(outdir) / "fuzz" / suite_subpath(self.folder)


def _list(spec, key, path):
    value = spec.get(key) or []
    if not isinstance(value, list):
        raise PagodaError(f"{path}: '{key}' must be a list")
    return tuple(str(v) for v in value)


def load_target(folder):
    folder = Path(folder).resolve()
    path = folder / FUZZ_YAML
    spec = load_yaml(path)
    if not isinstance(spec, dict) or not isinstance(spec.get("variants"), dict) \
            or not spec["variants"]:
        raise PagodaError(f"{path}: expected a map with a non-empty 'variants:' map")
    variants = {}
    for name, v in spec["variants"].items():
        v = v or {}
        variants[str(name)] = (_list(v, "sources", path), _list(v, "defines", path))
    try:
        return Target(folder, str(spec.get("name", folder.name)), _list(spec, "sources", path),
                      _list(spec, "support", path), _list(spec, "include_dirs", path),
                      str(spec.get("imacros", "")), variants,
                      folder / str(spec.get("corpus", "corpus")),
                      int(spec.get("max_len", 2048)), float(spec.get("test_seconds", 60)))
    except (TypeError, ValueError) as e:
        raise PagodaError(f"{path}: {e}") from None


def discover(dirs, skip=()):
    """The fuzz targets under dirs (same folder rules as testplan.discover)."""
    skip = {Path(s).resolve() for s in skip}
    found = set()
    for top in dirs:
        top = Path(top).resolve()
        if not top.is_dir():
            continue        # testplan.discover has said so already
        for root, subdirs, files in os.walk(top):
            here = Path(root)
            if FUZZ_YAML in files:
                found.add(here)
            subdirs[:] = sorted(d for d in subdirs if not d.startswith(".")
                                and here / d not in skip and not _is_build_dir(here / d))
    return [load_target(f) for f in sorted(found)]


# ---- build --------------------------------------------------------------------------

def _object_name(source):
    return source.replace("/", "__").removesuffix(".c") + ".o"


def _deps_newer(obj, dep_file):
    """True unless obj is newer than every file its .d lists."""
    try:
        text = dep_file.read_text()
        mtime = obj.stat().st_mtime
    except OSError:
        return True
    words = text.replace("\\\n", " ").split()
    for dep in words[1:]:       # words[0] is "<object>:"
        try:
            if Path(dep).stat().st_mtime > mtime:
                return True
        except OSError:
            return True
    return False


def compile_commands(target, variant, obj_dir, extra_cflags=()):
    """[(object, command)] for one variant's binary; extra_cflags go to every file
    (the coverage build's profiling flags, coverage.py)."""
    sources, defines = target.variants[variant]
    common = [*CFLAGS, *(f"-D{d}" for d in defines),
              *(arg for d in target.include_dirs for arg in ("-I", str(REPO / d)))]
    if target.imacros:
        common += ["-imacros", str(REPO / target.imacros)]
    commands = []
    for src, coverage in [(s, True) for s in (*target.sources, *sources)] + \
                         [(s, False) for s in target.support]:
        obj = obj_dir / _object_name(src)
        commands.append((obj, [CLANG, *common, *(COVERAGE_CFLAGS if coverage else []),
                               *extra_cflags, "-MMD", "-MF", str(obj.with_suffix(".d")),
                               "-c", str(REPO / src), "-o", str(obj)]))
    return commands


def binary_path(target, outdir, variant):
    return target.out_dir(outdir) / variant / f"{target.name}_{variant}"


def build(target, outdir, variants=None, jobs=None, log_path=None, extra_cflags=(),
          extra_ldflags=()):
    """Compile (what changed) and link each variant; {variant: binary}.

    extra_cflags and extra_ldflags are added to every compile and link (the
    coverage build's, into its own outdir).

    Raises BuildError naming the log on a compiler or linker error.
    """
    variants = list(variants or target.variants)
    out = target.out_dir(outdir)
    out.mkdir(parents=True, exist_ok=True)
    log_path = log_path or out / "build.log"
    lock = threading.Lock()
    failed = []

    with open(log_path, "w") as log:
        def run(cmd):
            buf = StringIO()
            done = proc.run_logged(cmd, buf, cwd=REPO)
            with lock:
                log.write(buf.getvalue())
                log.flush()
            if done.returncode != 0:
                with lock:
                    failed.append(done.lines)
            return done.returncode == 0

        work = []
        for variant in variants:
            obj_dir = out / variant / "obj"
            obj_dir.mkdir(parents=True, exist_ok=True)
            for obj, cmd in compile_commands(target, variant, obj_dir, extra_cflags):
                stamp = obj.with_suffix(".cmd")
                line = shlex.join(cmd)
                stale = not obj.exists() or not stamp.exists() \
                    or stamp.read_text() != line or _deps_newer(obj, obj.with_suffix(".d"))
                if stale:
                    stamp.unlink(missing_ok=True)
                    work.append((obj, cmd, stamp, line))
        with ThreadPoolExecutor(max_workers=max(1, jobs or cpu_count())) as pool:
            results = list(pool.map(lambda w: run(w[1]), work))
        for (obj, cmd, stamp, line), ok in zip(work, results):
            if ok:
                stamp.write_text(line)
        if failed:
            raise BuildError("compile", out, log_path, error_excerpt(failed[0]))

        binaries = {}
        for variant in variants:
            objs = [obj for obj, _ in compile_commands(target, variant, out / variant / "obj")]
            binary = binary_path(target, outdir, variant)
            if not run([CLANG, *LDFLAGS, *extra_ldflags, *map(str, objs), "-o", str(binary)]):
                raise BuildError("link", out, log_path, error_excerpt(failed[-1]))
            binaries[variant] = binary
    return binaries


# ---- run ----------------------------------------------------------------------------

@dataclass
class FuzzRun:
    variant: str
    binary: Path
    log: Path
    ops: int = 0
    seconds: float = 0.0
    kind: str | None = None         # None: nothing broke; else one of KINDS
    reason: str = ""
    reproducer: Path | None = None
    lines: list = field(default_factory=list)

    @property
    def ok(self):
        return self.kind is None

    def replay_command(self):
        if self.reproducer is None:
            return None
        return f"FUZZ_MM_TRACE=1 {shlex.quote(display_path(self.binary))} " \
               f"{shlex.quote(display_path(self.reproducer))}"


def judge(lines, returncode, timed_out):
    """(kind, reason, reproducer) of one fuzzer run from its output; kind None: all well."""
    kind = reason = reproducer = running = None
    for line in lines:
        m = RE_FAILURE.match(line)
        if m and kind is None:
            kind, reason = m.group(1), m.group(2)
            if kind not in KINDS:
                kind = "crash"
        m = RE_ARTIFACT.search(line)
        if m:
            reproducer = Path(m.group(1))
        m = RE_RUNNING.match(line)
        if m and kind is None:
            running = Path(m.group(1))
    reproducer = reproducer or running
    if kind is None and not timed_out and returncode == 0:
        return None, "", None
    if kind is None:
        kind = "crash"
        for line in lines:
            m = RE_SANITIZER.search(line) or RE_LIBFUZZER_ERROR.search(line)
            if m:
                reason = next(g for g in m.groups() if g)
                break
        else:
            reason = "killed after its time limit" if timed_out \
                else f"exit status {returncode} without a report"
    return kind, reason, reproducer


def read_ops(path):
    try:
        data = Path(path).read_bytes()
    except OSError:
        return 0
    return struct.unpack("<Q", data[:8])[0] if len(data) >= 8 else 0


def run_variant(target, binary, variant, seconds, work_dir, env=None, on_line=None,
                inputs=None):
    """Fuzz for seconds (or, with inputs, run just those files once)."""
    work_dir = Path(work_dir)
    corpus = work_dir / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    # Unique: another runner may be fuzzing into the same folder.
    ops_file = work_dir / f"ops.{os.getpid()}.{threading.get_ident()}"
    ops_file.unlink(missing_ok=True)
    log_path = work_dir / ("replay.log" if inputs else "fuzz.log")
    seconds = max(1, int(round(seconds)))
    cmd = [binary, "-print_final_stats=1", f"-artifact_prefix={work_dir}/",
           f"-max_len={target.max_len}", "-timeout=60"]
    if inputs:
        cmd += [str(p) for p in inputs]
    else:
        cmd += [f"-max_total_time={seconds}", str(corpus)]
        if target.corpus.is_dir():
            cmd.append(str(target.corpus))     # read only: new inputs go to the first folder
    run_env = dict(os.environ, FUZZ_MM_OPS_FILE=str(ops_file), **(env or {}))
    with open(log_path, "w") as log:
        done = proc.run_logged(cmd, log, timeout=seconds + 300, cwd=work_dir, env=run_env,
                               on_line=on_line)
    result = FuzzRun(variant, Path(binary), log_path, read_ops(ops_file), done.seconds,
                     lines=done.lines)
    ops_file.unlink(missing_ok=True)
    result.kind, result.reason, result.reproducer = judge(done.lines, done.returncode,
                                                          done.timed_out)
    if result.reproducer is not None and not result.reproducer.is_absolute():
        result.reproducer = work_dir / result.reproducer
    if result.kind is not None and result.reproducer is not None and \
            not any(RE_FAILURE.match(line) for line in done.lines):
        # No decoded steps in the log (a report the harness could not hook):
        # replay the input with tracing, into the same log.
        with open(log_path, "a") as log:
            log.write("\n[pagoda: replaying the reproducer with FUZZ_MM_TRACE=1]\n")
            proc.run_logged([binary, str(result.reproducer)], log, timeout=120, cwd=work_dir,
                            env=dict(run_env, FUZZ_MM_TRACE="1", FUZZ_MM_OPS_FILE=""))
    return result


def summary_line(runs, seconds=None):
    ops = sum(r.ops for r in runs)
    seconds = sum(r.seconds for r in runs) if seconds is None else seconds
    counts = {kind: sum(r.kind == kind for r in runs) for kind in KINDS}
    rate = ops / seconds if seconds > 0 else 0
    return (f"fuzz: {ops} ops in {seconds:.0f} s ({rate:.0f} ops/s), "
            f"{counts['invariant']} invariant break{'s' if counts['invariant'] != 1 else ''}, "
            f"{counts['model']} model mismatch{'es' if counts['model'] != 1 else ''}, "
            f"{counts['crash']} crash{'es' if counts['crash'] != 1 else ''}")


def parse_summary(line):
    """{ops, seconds, rate, invariant, model, crash} from a summary line, or None."""
    m = RE_SUMMARY.match(line.strip())
    if not m:
        return None
    keys = ("ops", "seconds", "rate", "invariant", "model", "crash")
    return dict(zip(keys, map(int, m.groups())))


def exit_status(runs):
    return 0 if runs and all(r.ok for r in runs) else 1


def failure_lines(run):
    """What a person needs about one failed run: what, where kept, how to replay."""
    lines = [f"{run.variant}: {run.kind}: {run.reason}"]
    if run.reproducer is not None:
        lines.append(f"  reproducer: {display_path(run.reproducer)}")
        lines.append(f"  replay:     {run.replay_command()}")
    else:
        lines.append("  no reproducer was written (see the log)")
    lines.append(f"  log:        {display_path(run.log)}")
    return lines


def share_seconds(seconds, nvariants, workers):
    """Each variant's run time when nvariants share seconds of wall time, workers at once."""
    rounds = -(-nvariants // max(1, workers))
    return max(MIN_SECONDS, seconds / max(1, rounds))


def run_parallel(target, binaries, seconds, outdir, workers, done=None, on_line=None):
    """Fuzz each of binaries ({variant: binary}) for seconds, workers at a time (one
    process per CPU: the variants are independent); done(run) as each ends."""
    lock = threading.Lock()

    def one(item):
        variant, binary = item
        run = run_variant(target, binary, variant, seconds, target.out_dir(outdir) / variant,
                          on_line=on_line(variant) if on_line else None)
        if done is not None:
            with lock:
                done(run)
        return run

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(one, binaries.items()))


def fuzz_target(target, outdir, seconds, variants=None, jobs=None, say=print, on_line=None):
    """Build, then fuzz the variants, jobs (default: one per CPU) at a time, so that
    they end after about seconds of wall time in all; the FuzzRuns."""
    variants = list(variants or target.variants)
    binaries = build(target, outdir, variants, jobs)
    workers = jobs or cpu_count()
    share = share_seconds(seconds, len(variants), workers)

    def done(run):
        status = "ok" if run.ok else f"FAILED ({run.kind})"
        say(f"fuzz {target.name} {run.variant}: {run.ops} ops in {run.seconds:.1f} s "
            f"({run.ops / max(run.seconds, 1e-9):.0f} ops/s): {status}")
        if not run.ok:
            for line in failure_lines(run):
                say("  " + line)

    return run_parallel(target, binaries, share, outdir, workers, done,
                        (lambda v: on_line) if on_line else None)


# ---- `scripts/pagoda fuzz` and the job of `scripts/pagoda test` -----------------------------

def cmd_fuzz(args):
    if args.seconds <= 0:
        raise PagodaError("--seconds must be positive")
    outdir = Path(args.outdir).resolve() if args.outdir else DEFAULT_OUTDIR
    targets = discover([REPO / "tests" / "fuzz"])
    if not targets:
        raise PagodaError(f"no {FUZZ_YAML} under {REPO / 'tests' / 'fuzz'}")
    wanted = set(args.variant or [])
    known = {v for t in targets for v in t.variants}
    if wanted - known:
        raise PagodaError(f"unknown variant(s) {', '.join(sorted(wanted - known))}; "
                          f"available: {', '.join(sorted(known))}")
    plan = [(t, [v for v in t.variants if not wanted or v in wanted]) for t in targets]
    plan = [(t, vs) for t, vs in plan if vs]
    total = sum(len(vs) for _, vs in plan)
    runs = []
    say = lambda text: print(text, flush=True)  # noqa: E731
    start = time.monotonic()
    try:
        for target, variants in plan:
            share = args.seconds * len(variants) / total
            runs += fuzz_target(target, outdir, share, variants, args.jobs, say)
    except BuildError as e:
        print(f"fuzz: build failed ({e.step} step); log: {display_path(e.log)}", flush=True)
        for line in e.excerpt:
            print(f"  | {line}", flush=True)
        return 1
    # Wall time (build included): the variants ran side by side.
    print(summary_line(runs, time.monotonic() - start), flush=True)
    return exit_status(runs)


class FuzzJob:
    """One fuzz target in `scripts/pagoda test`: a case per variant."""

    def __init__(self, target):
        self.target = target

    def outcome(self):
        return Outcome("host", self.target.suite, "fuzz")

    def run(self, ctx):
        target = self.target
        result = self.outcome()
        start = time.monotonic()
        try:
            # build_jobs None: no other worker to share the CPUs with.
            binaries = build(target, ctx.outdir, jobs=ctx.build_jobs or cpu_count())
        except BuildError as e:
            return result.build_failed(e)
        left = target.test_seconds - (time.monotonic() - start)
        workers = ctx.build_jobs or cpu_count()
        runs = run_parallel(target, binaries, share_seconds(left, len(binaries), workers),
                            ctx.outdir, workers,
                            on_line=lambda v: ctx.streamer(f"fuzz {v}"))
        for run in runs:
            variant = run.variant
            case = CaseResult("fuzz", variant, "passed", run.seconds, log=str(run.log))
            if run.ok:
                result.passed += 1
            else:
                result.failed += 1
                first, *rest = failure_lines(run)
                result.failures.append(first)
                result.notes.extend(line.strip() for line in rest)
                result.logs.append(run.log)
                case.status, case.message = "failed", first
                case.output = [line.strip() for line in rest]
            result.cases.append(case)
        ctx.printer.line(f"      {summary_line(runs, time.monotonic() - start)}")
        return result

