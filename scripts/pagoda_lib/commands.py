# SPDX-License-Identifier: Apache-2.0
"""The subcommands of scripts/pagoda. Each returns the process exit status."""

import sys
from pathlib import Path

from . import bench, build, coverage, deps, fuzz, kvm_probe, qemu, report, runner, style, testplan
from .hosttests import UnitTestJob
from .project import (DEFAULT_OUTDIR, REPO, PagodaError, boards, check_boards, cpu_count,
                      display_path, resolve_app)
from .pytests import TESTS_DIR as PYTESTS_DIR, PyTestsJob
from .scenario import KvmScenarioJob, ScenarioJob


def say(text):
    """Messages of the tool itself go to stderr: stdout is the guest's console."""
    print(f"pagoda: {text}", file=sys.stderr, flush=True)


def app_build_dir(args, app):
    if getattr(args, "dir", None):
        return Path(args.dir).resolve()
    return DEFAULT_OUTDIR / "run" / args.board / app.name


def _build(args):
    check_boards([args.board])
    app = resolve_app(args.app)
    build_dir = app_build_dir(args, app)
    return build.build_app(build_dir, args.board, app), build_dir


def _exit_status(ex):
    """pagoda's exit status for how QEMU ended (None: timed out)."""
    if ex is None:
        say("timed out; QEMU killed")
        return qemu.TIMEOUT_EXIT_STATUS
    if ex.guest_status is None:
        say(ex.reason)
        return qemu.RESET_EXIT_STATUS if ex.returncode == 0 else 1
    if ex.guest_status != 0:
        say(ex.reason)
    return ex.guest_status


def cmd_build(args):
    config, build_dir = _build(args)
    say(f"built {display_path(config.elf)} and {display_path(config.image)} "
        f"for {config.board} in {display_path(build_dir)}")
    return 0


def cmd_run(args):
    config, _ = _build(args)
    say(f"booting {display_path(config.image)} on {config.board} (Ctrl-C quits)")
    return _exit_status(qemu.run_interactive(list(config.argv), args.timeout))


def cmd_debug(args):
    config, _ = _build(args)
    print(qemu.debug_instructions(config, args.port), file=sys.stderr, flush=True)
    argv = list(config.argv) + ["-S", "-gdb", f"tcp::{args.port}"]
    return _exit_status(qemu.run_interactive(argv))


def cmd_menuconfig(args):
    check_boards([args.board])
    app = resolve_app(args.app)
    build_dir = app_build_dir(args, app)
    build.configure_only(build_dir, args.board, app)
    return build.run_target(build_dir, "menuconfig")


def kvm_jobs(scenario_jobs, outdir):
    """--kvm: a KVM boot of every booted scenario on each board this KVM can run."""
    usable, why = qemu.kvm_status()
    if not usable:
        print(f"pagoda test: --kvm: KVM not usable ({why}); scenarios boot under TCG "
              "only", flush=True)
        return []
    booted = [j for j in scenario_jobs if not j.scenario.build_only]
    probe_dir = outdir / "kvm-probe"
    print(f"pagoda test: --kvm: {why}; probing what it can run (logs: "
          f"{display_path(probe_dir)})", flush=True)
    probes = kvm_probe.probe_boards({j.scenario.board for j in booted}, probe_dir)
    chosen = set()
    for board, probe in sorted(probes.items()):
        mine = [j for j in booted if j.scenario.board == board]
        if probe.usable:
            what = "its scenarios boot under TCG and KVM"
        elif probe.slow:
            mine = [j for j in mine if kvm_probe.LIGHT_TAG in j.scenario.tags]
            what = (f"only the {len(mine)} scenario(s) tagged {kvm_probe.LIGHT_TAG} boot "
                    "under KVM too")
        else:
            mine, what = [], "TCG only"
        chosen.update(mine)
        print(f"pagoda test: --kvm: {board}: {probe.why}; {what}", flush=True)
    return [KvmScenarioJob(j) for j in booted if j in chosen]


def _last_failures(outdir):
    """--only-failed: (the failed keys of the last report, its -T folders or None
    for a full run, its path); exits 0 early when nothing failed."""
    path = report.report_dir(outdir) / report.REPORT_JSON
    last = report.load(path)
    failed = report.failed_keys(last)
    if not failed:
        print(f"pagoda test: --only-failed: no failure in the last run "
              f"({display_path(path)}); nothing to rerun", flush=True)
        return None, None, path
    return failed, last.get("roots"), path


def _only_failed(jobs, failed):
    """The jobs whose outcome key is in failed; a failed KVM boot keeps the TCG
    scenario job too, as that job builds what the KVM boot boots."""
    wanted = set(failed)
    wanted |= {(b, s, n[:-len(report.KVM_SUFFIX)]) for b, s, n in failed
               if n.endswith(report.KVM_SUFFIX)}
    return [j for j in jobs if j.outcome().key in wanted]


def cmd_test(args):
    all_boards = boards()
    if not all_boards:
        raise PagodaError(f"no boards found under {REPO / 'boards'}")
    selected = check_boards(args.platform) if args.platform else None
    outdir = Path(args.outdir).resolve() if args.outdir else DEFAULT_OUTDIR
    failed = None
    roots = args.testsuite_root
    kvm = args.kvm
    if args.only_failed:
        failed, last_roots, last_path = _last_failures(outdir)
        if failed is None:
            return 0
        if not roots and last_roots:
            roots = last_roots      # the last run's -T folders, unless -T says others
        # A failed KVM boot is rerun under KVM (if the probe still allows it).
        kvm = kvm or any(n.endswith(report.KVM_SUFFIX) for _, _, n in failed)
    default = not roots
    dirs = testplan.default_dirs() if default else [Path(d) for d in roots]
    plan = testplan.make_plan(dirs, all_boards, selected, skip=[outdir, DEFAULT_OUTDIR])

    py_jobs = [PyTestsJob()] if default and PYTESTS_DIR.is_dir() else []
    # Format, Python lint and license checks (seconds): the whole tree in a full run,
    # else the tracked files under the -T folders (none outside the repo).
    style_jobs = style.jobs(None if default else dirs)
    scenario_jobs = [ScenarioJob(s) for s in plan.scenarios]
    unit_jobs = [UnitTestJob(u) for u in plan.unit_tests]
    fuzz_jobs = [fuzz.FuzzJob(t) for t in fuzz.discover(dirs, skip=[outdir, DEFAULT_OUTDIR])]
    if failed is not None:
        py_jobs, style_jobs, scenario_jobs, unit_jobs, fuzz_jobs = (
            _only_failed(group, failed)
            for group in (py_jobs, style_jobs, scenario_jobs, unit_jobs, fuzz_jobs))
    kvm_boots = kvm_jobs(scenario_jobs, outdir) if kvm else []
    if failed is not None:
        kvm_boots = _only_failed(kvm_boots, failed)
    # The Python tests are the longest job: start them first.
    jobs = py_jobs + style_jobs + scenario_jobs + kvm_boots + unit_jobs + fuzz_jobs
    if failed is not None and not _announce_rerun(jobs, failed, last_path):
        return 0
    if not jobs:
        raise PagodaError("nothing to test: no testcase.yaml, unittest.yaml, fuzz.yaml, C or "
                          "Python file under "
                          + ", ".join(str(d) for d in dirs)
                          + (f" for board(s) {', '.join(selected)}" if selected else ""))

    workers = args.jobs or cpu_count()
    outdir.mkdir(parents=True, exist_ok=True)
    used = sorted({j.scenario.board for j in scenario_jobs})
    parts = [f"{len(scenario_jobs)} scenario(s) on {', '.join(used) or 'no board'}",
             f"{len(unit_jobs)} host unit test(s)"]
    if fuzz_jobs:
        parts.append(f"{len(fuzz_jobs)} fuzz target(s)")
    if style_jobs:
        whats = [j.what for j in style_jobs]
        parts.append(", ".join(whats[:-1]) + " and " + whats[-1] if len(whats) > 1 else whats[0])
    if py_jobs:
        parts.append("the Python tests")
    print(f"pagoda test: {'; '.join(parts)}; {workers} worker(s); "
          f"build folders under {outdir}", flush=True)
    ctx = runner.Context(outdir=outdir,
                         build_jobs=max(1, cpu_count() // workers) if workers > 1 else None,
                         verbose=args.verbose, printer=runner.Printer())
    reporter = report.Reporter(outdir, None if default else dirs, selected, kvm,
                               args.only_failed)
    return runner.run(jobs, workers, ctx, reporter)


def _announce_rerun(jobs, failed, last_path):
    """Name what --only-failed reruns and what not; False when nothing is left."""
    rerun = {j.outcome().key for j in jobs}
    chosen = [k for k in failed if k in rerun]
    left = [k for k in failed if k not in rerun]
    print(f"pagoda test: --only-failed: rerunning {len(chosen)} of the {len(failed)} failed "
          f"scenario(s) of {display_path(last_path)}", flush=True)
    for key in chosen:
        print(f"pagoda test:   {' '.join(key)}", flush=True)
    if left:
        print(f"pagoda test: --only-failed: not rerun (outside -T/-p, or no longer "
              f"there): {'; '.join(' '.join(k) for k in left)}", flush=True)
    if not chosen:
        print("pagoda test: --only-failed: nothing to rerun", flush=True)
    return bool(chosen)


def cmd_bench(args):
    if args.board:
        check_boards(args.board)
    return bench.run(args.board or None, args.outdir, args.jobs or cpu_count())


COMMANDS = {
    "bench": cmd_bench,
    "run": cmd_run,
    "build": cmd_build,
    "coverage": coverage.cmd_coverage,
    "debug": cmd_debug,
    "format": style.cmd_format,
    "fuzz": fuzz.cmd_fuzz,
    "menuconfig": cmd_menuconfig,
    "test": cmd_test,
}


def dispatch(args):
    deps.ensure(args.command)
    return COMMANDS[args.command](args)
