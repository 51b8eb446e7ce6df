# SPDX-License-Identifier: Apache-2.0
"""Tests of scripts/pagoda (the test runner) and its library scripts/pagoda_lib.

The pure parts (verdict parsing, test plan expansion, exit decoding, unittest
output parsing, dependency messages) need no QEMU. The end-to-end tests copy
the fixture apps of runner_fixtures/ to a temporary folder outside the repo
and run `scripts/pagoda test -T <folder> -p qemu_x86_64` on them, all at once.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest
from pathlib import Path
from unittest import mock

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PAGODA = REPO / "scripts" / "pagoda"
FIXTURES = HERE / "runner_fixtures"
BOARD = "qemu_x86_64"

sys.path.insert(0, str(REPO / "scripts"))
from pagoda_lib import build, deps, proc, pytests, qemu, runner, testplan, verdicts  # noqa: E402
from pagoda_lib.scenario import ScenarioJob  # noqa: E402
from pagoda_lib.outcome import Outcome  # noqa: E402
from pagoda_lib.project import PagodaError  # noqa: E402

CLOSING = re.compile(r"^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$")

SAMPLE = """\
*** Booting Pagoda ***
Running TESTSUITE alpha
===================================================================
START - test_one
 PASS - test_one in 0.001 seconds
===================================================================
START - test_two
    ASSERTION FAIL [x == 1] @ tests/alpha/src/main.c:20
    x is 2
 FAIL - test_two in 0.000 seconds
===================================================================
START - test_three
 SKIP - test_three in 0.000 seconds
===================================================================
TESTSUITE alpha failed.
------ TESTSUITE SUMMARY START ------
SUITE FAIL -  33.33% [alpha]: pass = 1, fail = 1, skip = 1, total = 3 duration = 0.001 seconds
 - PASS - [alpha.test_one] duration = 0.001 seconds
 - FAIL - [alpha.test_two] duration = 0.000 seconds
 - SKIP - [alpha.test_three] duration = 0.000 seconds
------ TESTSUITE SUMMARY END ------
===================================================================
PROJECT EXECUTION FAILED
"""


def statuses(report):
    return [(c.id, c.status) for c in report.cases]


class VerdictParsing(unittest.TestCase):
    def test_contract_sample(self):
        report = verdicts.parse(SAMPLE)
        self.assertEqual(statuses(report), [("alpha.test_one", "PASS"),
                                            ("alpha.test_two", "FAIL"),
                                            ("alpha.test_three", "SKIP")])
        self.assertEqual(report.project, "FAILED")
        self.assertEqual(report.cases[1].detail, "ASSERTION FAIL [x == 1] @ tests/alpha/src/main.c:20")

    def test_serial_line_endings(self):
        report = verdicts.parse(SAMPLE.replace("\n", "\r\n"))
        self.assertEqual(len(report.cases), 3)
        self.assertEqual(report.project, "FAILED")

    def test_start_without_verdict_at_end(self):
        text = "Running TESTSUITE s\nSTART - test_a\n PASS - test_a in 0.0 seconds\n" \
               "START - test_b\nFATAL: page fault at 0x0\n"
        report = verdicts.parse(text)
        self.assertEqual(statuses(report), [("s.test_a", "PASS"), ("s.test_b", "UNFINISHED")])
        self.assertEqual(report.cases[1].detail, "FATAL: page fault at 0x0")
        self.assertIsNone(report.project)

    def test_start_followed_by_start(self):
        report = verdicts.parse("Running TESTSUITE s\nSTART - test_a\nSTART - test_b\n"
                                " PASS - test_b in 0.1 seconds\n")
        self.assertEqual(statuses(report), [("s.test_a", "UNFINISHED"), ("s.test_b", "PASS")])

    def test_several_suites(self):
        report = verdicts.parse("Running TESTSUITE a\nSTART - t\n PASS - t in 0 seconds\n"
                                "Running TESTSUITE b\nSTART - t\n SKIP - t in 0 seconds\n"
                                "PROJECT EXECUTION SUCCESSFUL\n")
        self.assertEqual(statuses(report), [("a.t", "PASS"), ("b.t", "SKIP")])
        self.assertEqual(report.project, "SUCCESSFUL")

    def test_summary_lines_are_not_verdicts(self):
        report = verdicts.parse(" - PASS - [alpha.test_one] duration = 0.001 seconds\n")
        self.assertEqual(report.cases, [])


class Judging(unittest.TestCase):
    def judge(self, text, kind, reason="reason"):
        return verdicts.judge(verdicts.parse(text), kind, reason)

    def test_failed_run(self):
        j = self.judge(SAMPLE, "fail", "guest exit status 1")
        self.assertEqual((j.passed, j.failed, j.skipped), (1, 1, 1))
        self.assertEqual(len(j.failures), 1)
        self.assertIn("alpha.test_two: FAIL", j.failures[0])

    def test_successful_run(self):
        text = "Running TESTSUITE a\nSTART - t\n PASS - t in 0 seconds\n" \
               "PROJECT EXECUTION SUCCESSFUL\n"
        j = self.judge(text, "ok")
        self.assertEqual((j.passed, j.failed, j.skipped, j.failures), (1, 0, 0, []))

    def test_timeout_names_the_unfinished_case(self):
        j = self.judge("Running TESTSUITE h\nSTART - test_spin\n", "timeout", "timeout after 5 s")
        self.assertEqual(j.failed, 1)
        self.assertEqual(j.failures, ["h.test_spin: no verdict: timeout after 5 s"])

    def test_crash_after_all_cases_is_one_failure(self):
        text = "Running TESTSUITE a\nSTART - t\n PASS - t in 0 seconds\n"
        j = self.judge(text, "crash", "guest reset or triple fault")
        self.assertEqual((j.passed, j.failed), (1, 1))
        self.assertEqual(j.failures, ["guest reset or triple fault"])

    def test_no_verdicts_at_all(self):
        j = self.judge("hello\n", "ok", "guest exit status 0")
        self.assertEqual(j.failed, 1)
        self.assertIn("no test verdicts", j.failures[0])

    def test_status_contradicting_verdicts(self):
        text = "Running TESTSUITE a\nSTART - t\n PASS - t in 0 seconds\n" \
               "PROJECT EXECUTION SUCCESSFUL\n"
        j = self.judge(text, "fail", "guest exit status 1 (test failure)")
        self.assertEqual((j.passed, j.failed), (1, 1))
        j = self.judge(SAMPLE, "ok", "guest exit status 0 (success)")
        self.assertEqual(j.failed, 1)
        self.assertEqual(len(j.failures), 2)    # the case, and the contradiction

    def test_missing_project_line(self):
        j = self.judge("Running TESTSUITE a\nSTART - t\n PASS - t in 0 seconds\n", "ok")
        self.assertEqual(j.failed, 1)
        self.assertIn("PROJECT EXECUTION", j.failures[0])


class ExitDecoding(unittest.TestCase):
    def test_guest_statuses(self):
        self.assertEqual(qemu.decode_exit(1).guest_status, 0)
        self.assertEqual(qemu.decode_exit(1).kind, "ok")
        self.assertEqual(qemu.decode_exit(3).kind, "fail")
        self.assertEqual(qemu.decode_exit(5).kind, "crash")
        self.assertEqual(qemu.decode_exit(15).guest_status, 7)

    def test_reset_and_qemu_errors(self):
        self.assertIsNone(qemu.decode_exit(0).guest_status)
        self.assertIn("triple fault", qemu.decode_exit(0).reason)
        ex = qemu.decode_exit(1, ["qemu-system-x86_64: -kernel x: No such file"])
        self.assertIsNone(ex.guest_status)
        self.assertIn("QEMU failed", ex.reason)
        ex = qemu.decode_exit(1, ["qemu-system-x86_64: warning: TCG doesn't support vmx"])
        self.assertEqual(ex.guest_status, 0)
        self.assertEqual(qemu.decode_exit(-9).kind, "crash")


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


class TestPlan(unittest.TestCase):
    BOARDS = ["qemu_x86", "qemu_x86_64", "qemu_x86_pae"]

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="pagoda-plan-"))
        self.addCleanup(shutil.rmtree, self.tmp)

    def suite(self, name, yaml_text):
        write(self.tmp / name / "testcase.yaml", yaml_text)
        return self.tmp / name

    def test_scenarios_times_boards(self):
        suite = self.suite("s", """\
            common:
              tags: mm
              extra_configs:
                - CONFIG_A=y
            tests:
              s.everywhere: {}
              s.two:
                platform_allow: qemu_x86 qemu_x86_64
                extra_configs: [CONFIG_B=y]
                tags: [paging]
                timeout: 5
              s.list:
                platform_allow: [qemu_x86_pae, no_such_board]
              s.exclude:
                platform_exclude: qemu_x86
              s.skipped:
                skip: true
            """)
        jobs = testplan.expand(suite, self.BOARDS)
        got = sorted((j.name, j.board) for j in jobs)
        self.assertEqual(got, [("s.everywhere", b) for b in self.BOARDS] +
                         [("s.exclude", "qemu_x86_64"), ("s.exclude", "qemu_x86_pae"),
                          ("s.list", "qemu_x86_pae"),
                          ("s.two", "qemu_x86"), ("s.two", "qemu_x86_64")])
        two = next(j for j in jobs if j.name == "s.two")
        self.assertEqual(two.extra_configs, ("CONFIG_A=y", "CONFIG_B=y"))
        self.assertEqual(two.tags, ("mm", "paging"))
        self.assertEqual(two.timeout, 5.0)
        everywhere = next(j for j in jobs if j.name == "s.everywhere")
        self.assertEqual(everywhere.extra_configs, ("CONFIG_A=y",))
        self.assertEqual(everywhere.timeout, testplan.DEFAULT_TIMEOUT)

    def test_selected_boards(self):
        suite = self.suite("s", """\
            tests:
              s.a:
                platform_allow: qemu_x86 qemu_x86_64
              s.b:
                platform_allow: qemu_x86_pae
            """)
        jobs = testplan.expand(suite, self.BOARDS, selected=["qemu_x86_64"])
        self.assertEqual([(j.name, j.board) for j in jobs], [("s.a", "qemu_x86_64")])

    def test_common_platform_allow(self):
        suite = self.suite("s", """\
            common:
              platform_allow: qemu_x86_64
            tests:
              s.a: {}
              s.b:
                platform_allow: qemu_x86
            """)
        got = sorted((j.name, j.board) for j in testplan.expand(suite, self.BOARDS))
        self.assertEqual(got, [("s.a", "qemu_x86_64"), ("s.b", "qemu_x86"),
                               ("s.b", "qemu_x86_64")])

    def test_bad_yaml_names_the_file(self):
        suite = self.suite("s", "common: {}\n")
        with self.assertRaisesRegex(PagodaError, "testcase.yaml.*tests"):
            testplan.expand(suite, self.BOARDS)

    def test_discovery_skips_build_and_hidden_folders(self):
        self.suite("a", "tests: {a.x: {}}\n")
        self.suite("deep/b", "tests: {b.x: {}}\n")
        self.suite(".hidden/c", "tests: {c.x: {}}\n")
        self.suite("out/d", "tests: {d.x: {}}\n")
        self.suite("bld/e", "tests: {e.x: {}}\n")
        write(self.tmp / "bld" / "CMakeCache.txt", "")
        write(self.tmp / "unit" / "u" / "unittest.yaml", "sources: [kernel/lib/x.c]\n")
        suites, units = testplan.discover([self.tmp], skip=[self.tmp / "out"])
        self.assertEqual(suites, [self.tmp / "a", self.tmp / "deep" / "b"])
        self.assertEqual(units, [self.tmp / "unit" / "u"])
        unit = testplan.unit_test(units[0])
        self.assertEqual(unit.sources, ("kernel/lib/x.c",))

    def test_build_folders(self):
        out = Path("/out")
        inside = testplan.Scenario(REPO / "tests" / "kernel" / "boot", "kernel.boot", BOARD)
        self.assertEqual(inside.build_dir(out),
                         out / "tests" / BOARD / "tests/kernel/boot" / "kernel.boot")
        outside = testplan.Scenario(self.tmp / "app", "x.y", BOARD)
        sub = outside.build_dir(out).relative_to(out / "tests" / BOARD)
        self.assertEqual(sub.parts[0], "_ext")
        self.assertTrue(sub.parts[1].startswith("app-"))
        self.assertNotIn("..", sub.parts)
        other = testplan.Scenario(self.tmp / "elsewhere" / "app", "x.y", BOARD)
        self.assertNotEqual(other.build_dir(out), outside.build_dir(out))


class UnittestOutput(unittest.TestCase):
    def test_summary_counts(self):
        lines = """\
test_a (test_x.T.test_a) ... ok
test_b (test_x.T.test_b) ... FAIL
test_c (test_x.T.test_c) ... skipped 'no qemu'
test_d (test_x.T.test_d) ... ERROR

======================================================================
ERROR: test_d (test_x.T.test_d)
----------------------------------------------------------------------
FAIL: test_b (test_x.T.test_b)
----------------------------------------------------------------------
Ran 4 tests in 0.010s

FAILED (failures=1, errors=1, skipped=1)
""".splitlines()
        passed, failed, skipped, names, finished = pytests.parse(lines)
        self.assertEqual((passed, failed, skipped, finished), (1, 2, 1, True))
        self.assertEqual(names, ["test_d (test_x.T.test_d): ERROR",
                                 "test_b (test_x.T.test_b): FAIL"])

    def test_unfinished_run(self):
        lines = ["test_a (m.T.test_a) ... ok", "test_b (m.T.test_b) ... "]
        self.assertEqual(pytests.parse(lines)[:5], (1, 0, 0, [], False))

    def test_ok(self):
        lines = ["test_a (m.T.test_a) ... ok", "", "Ran 1 test in 0.001s", "", "OK"]
        self.assertEqual(pytests.parse(lines), (1, 0, 0, [], True))


class Dependencies(unittest.TestCase):
    def test_not_root_names_the_packages(self):
        present = shutil.which
        with mock.patch.object(deps.shutil, "which",
                               lambda p: None if p in ("ninja", "qemu-system-i386") else present(p)), \
             mock.patch.object(deps.os, "geteuid", lambda: 1000), \
             mock.patch.object(deps, "_sanitizers_work", lambda: True):
            with self.assertRaises(PagodaError) as cm:
                deps.ensure("test")
        self.assertEqual(cm.exception.status, 2)
        self.assertIn("sudo apt-get install ninja-build qemu-system-x86", str(cm.exception))
        self.assertNotIn("gcc-multilib", str(cm.exception))


    def test_root_installs_with_apt(self):
        present, installed, calls = shutil.which, [], []

        def which(prog):
            return None if prog == "ninja" and not installed else present(prog)

        def run(cmd, **kwargs):
            calls.append((cmd, kwargs.get("env", {}).get("DEBIAN_FRONTEND")))
            if cmd[:2] == ["apt-get", "install"]:
                installed.append(True)
            return subprocess.CompletedProcess(cmd, 0)

        with mock.patch.object(deps.shutil, "which", which), \
             mock.patch.object(deps.os, "geteuid", lambda: 0), \
             mock.patch.object(deps, "_sanitizers_work", lambda: True), \
             mock.patch.object(deps.subprocess, "run", run), \
             mock.patch("sys.stdout", new=open(os.devnull, "w")):
            deps.ensure("build")
        self.assertEqual(calls, [
            (["apt-get", "update"], "noninteractive"),
            (["apt-get", "install", "-y", "--no-install-recommends", "ninja-build"],
             "noninteractive")])

    def test_nothing_missing_means_no_apt(self):
        if deps.missing("test"):
            self.skipTest("this machine lacks packages")
        with mock.patch.object(deps.subprocess, "run", side_effect=AssertionError("apt called")), \
             mock.patch.object(deps, "_sanitizers_work", lambda: True):
            deps.ensure("test")


def process_gone(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1].startswith("Z")
    except FileNotFoundError:
        return True


class Processes(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="pagoda-proc-"))
        self.addCleanup(shutil.rmtree, self.tmp)

    def test_timeout_kills_the_process_group(self):
        pidfile = self.tmp / "pid"
        with open(self.tmp / "log", "w") as log:
            done = proc.run_logged(
                ["sh", "-c", f"echo started; sleep 60 & echo $! > {pidfile}; wait"],
                log, timeout=1)
        self.assertTrue(done.timed_out)
        self.assertIsNone(done.returncode)
        self.assertEqual(done.lines, ["started"])
        self.assertIn("killed after the 1 s timeout", (self.tmp / "log").read_text())
        pid = int(pidfile.read_text())
        for _ in range(50):
            if process_gone(pid):
                break
            time.sleep(0.1)
        self.assertTrue(process_gone(pid), "the child's own child survived the timeout")


class ScenarioWithFakeQemu(unittest.TestCase):
    """ScenarioJob from build to verdict, with a shell script standing in for QEMU."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="pagoda-fake-"))
        self.addCleanup(shutil.rmtree, self.tmp)

    def run_job(self, script, timeout=10.0, extra_configs=()):
        config = build.QemuConfig(BOARD, "x86_64", self.tmp / "pagoda.elf",
                                  self.tmp / "pagoda.bin", ("sh", "-c", script), "i386:x86-64")
        scenario = testplan.Scenario(self.tmp / "app", "fake.scenario", BOARD,
                                     tuple(extra_configs), timeout)
        ctx = runner.Context(self.tmp / "out", None, False, runner.Printer())
        with mock.patch.object(build, "build_app", return_value=config) as built:
            outcome = ScenarioJob(scenario).run(ctx)
        return outcome, built, scenario.build_dir(ctx.outdir)

    def test_success(self):
        out, built, build_dir = self.run_job(
            "printf 'Running TESTSUITE f\\nSTART - t\\n PASS - t in 0.0 seconds\\n"
            "PROJECT EXECUTION SUCCESSFUL\\n'; exit 1", extra_configs=["CONFIG_X=y"])
        self.assertEqual((out.passed, out.failed, out.failures), (1, 0, []))
        overlays = built.call_args.args[3]
        self.assertEqual(overlays[0].read_text().splitlines()[-1], "CONFIG_X=y")
        self.assertIn("PASS - t", (build_dir / "run.log").read_text())

    def test_guest_reset(self):
        out, _, _ = self.run_job("printf 'Running TESTSUITE f\\nSTART - t\\n'; exit 0")
        self.assertEqual(out.failed, 1)
        self.assertRegex(out.failures[0], r"^f\.t: no verdict: guest reset or triple fault")
        self.assertTrue(any(str(l).endswith("run.log") for l in out.logs))

    def test_timeout(self):
        out, _, _ = self.run_job("printf 'Running TESTSUITE f\\nSTART - spin\\n'; sleep 60",
                                 timeout=1)
        self.assertEqual(out.failures, ["f.spin: no verdict: timeout after 1 s"])

    def test_build_failure(self):
        scenario = testplan.Scenario(self.tmp / "app", "fake.scenario", BOARD)
        ctx = runner.Context(self.tmp / "out", None, False, runner.Printer())
        error = build.BuildError("configure", self.tmp, self.tmp / "build.log",
                                 ["prj.conf:2: error: unknown Kconfig symbol CONFIG_NOPE"])
        with mock.patch.object(build, "build_app", side_effect=error):
            out = ScenarioJob(scenario).run(ctx)
        self.assertEqual((out.failed, out.failures), (1, ["build failed (configure step)"]))
        self.assertIn("CONFIG_NOPE", out.notes[0])


class FakeJob:
    def __init__(self, suite, passed=0, failed=0, skipped=0, error=None):
        self.suite, self.counts, self.error = suite, (passed, failed, skipped), error

    def outcome(self):
        return Outcome("fake_board", self.suite, "fake.scenario")

    def run(self, ctx):
        if self.error:
            raise self.error
        o = self.outcome()
        o.passed, o.failed, o.skipped = self.counts
        if o.failed:
            o.failures.append("fake.test_x: FAIL")
        return o


class Running(unittest.TestCase):
    def run_jobs(self, jobs):
        printed = []
        printer = runner.Printer()
        printer.line = printed.append
        ctx = runner.Context(Path("/nonexistent"), None, False, printer)
        return runner.run(jobs, 2, ctx), printed

    def test_progress_and_closing_line(self):
        status, printed = self.run_jobs([FakeJob("a", passed=3, skipped=1), FakeJob("b", passed=2)])
        self.assertEqual(status, 0)
        self.assertEqual(printed[-1], "5 passed, 0 failed, 1 skipped")
        progress = [l for l in printed if l.startswith("[")]
        self.assertEqual(len(progress), 2)
        self.assertRegex(progress[0], r"^\[\d/2\] PASS  fake_board  [ab]  fake.scenario  "
                                      r"\(passed \d, failed 0, skipped \d\)  \d+\.\d s$")

    def test_failures_and_internal_errors_are_named(self):
        status, printed = self.run_jobs([FakeJob("a", passed=1, failed=1),
                                         FakeJob("b", error=RuntimeError("boom"))])
        self.assertEqual(status, 1)
        self.assertEqual(printed[-1], "1 passed, 2 failed, 0 skipped")
        self.assertIn("  FAILED fake_board a fake.scenario: fake.test_x: FAIL", printed)
        self.assertIn("  FAILED fake_board b fake.scenario: internal error: boom", printed)


def pagoda(*args, timeout=120):
    return subprocess.run([str(PAGODA), *args], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


class CommandLine(unittest.TestCase):
    def test_unknown_board_lists_the_boards(self):
        done = pagoda("build", "-b", "no_such_board")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("unknown board 'no_such_board'", done.stdout)
        self.assertIn(BOARD, done.stdout)

    def test_missing_test_folder(self):
        done = pagoda("test", "-T", "/nonexistent/pagoda-tests")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("/nonexistent/pagoda-tests", done.stdout)


def outside_repo_tmpdir():
    tmp = Path(tempfile.mkdtemp(prefix="pagoda-runner-"))
    if tmp.resolve().is_relative_to(REPO):       # TMPDIR inside the repo: go elsewhere
        shutil.rmtree(tmp)
        tmp = Path(tempfile.mkdtemp(prefix="pagoda-runner-", dir="/tmp"))
    return tmp


class EndToEnd(unittest.TestCase):
    """The fixture apps, each group in its own `pagoda test` run, all runs at once."""

    GROUPS = {
        "passing": ["passing"],
        "failing": ["failing"],
        "hang": ["hang"],
        "broken": ["build_error", "bad_kconfig"],
    }

    @classmethod
    def setUpClass(cls):
        cls.tmp = outside_repo_tmpdir()
        running = {}
        for group, apps in cls.GROUPS.items():
            root = cls.tmp / group
            for app in apps:
                shutil.copytree(FIXTURES / app, root / app)
                (root / app / "testcase.yaml.in").rename(root / app / "testcase.yaml")
            running[group] = subprocess.Popen(
                [str(PAGODA), "test", "-T", str(root), "-p", BOARD, "--outdir", str(root / "out"),
                 "-j", "2"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                stdin=subprocess.DEVNULL)
        cls.results = {}
        for group, p in running.items():
            out, _ = p.communicate(timeout=1200)
            cls.results[group] = (p.returncode, out)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def result(self, group):
        status, out = self.results[group]
        lines = out.rstrip("\n").splitlines()
        closing = CLOSING.match(lines[-1]) if lines else None
        self.assertIsNotNone(closing, f"last line is not 'N passed, N failed':\n{out}")
        counts = tuple(int(g or 0) for g in closing.groups())
        return status, out, counts

    def test_passing_suite(self):
        status, out, counts = self.result("passing")
        self.assertEqual(status, 0, out)
        self.assertEqual(counts, (7, 0, 1), out)
        for scenario, passed, skipped in (("runner.passing", 4, 0),
                                          ("runner.passing.no_assert", 3, 1)):
            self.assertRegex(out, re.compile(
                rf"^\[\s*\d+/2\] PASS\s+{BOARD}\s+\S+passing\s+{re.escape(scenario)}\s+"
                rf"\(passed {passed}, failed 0, skipped {skipped}\)\s+[\d.]+ s$", re.M))

    def test_failures_are_named(self):
        status, out, counts = self.result("failing")
        self.assertNotEqual(status, 0, out)
        self.assertEqual(counts[:2], (1, 2), out)
        self.assertRegex(out, r"FAILED .*runner\.failing: runner_fail\.test_assert_fails: FAIL")
        self.assertRegex(out, r"FAILED .*runner\.failing: runner_fail\.test_null_deref")
        self.assertNotRegex(out, r"FAILED .*test_passes")

    def test_hang_is_a_timeout(self):
        status, out, counts = self.result("hang")
        self.assertNotEqual(status, 0, out)
        self.assertEqual(counts[:2], (0, 1), out)
        self.assertRegex(out, r"FAILED .*runner\.hang: runner_hang\.test_spins_forever: "
                              r"no verdict: timeout after 5 s")

    def test_build_errors(self):
        status, out, counts = self.result("broken")
        self.assertNotEqual(status, 0, out)
        self.assertEqual(counts[:2], (0, 2), out)
        self.assertRegex(out, r"FAILED .*build_error\S* runner\.build_error: build failed")
        self.assertRegex(out, r"FAILED .*bad_kconfig\S* runner\.bad_kconfig: build failed "
                              r"\(configure step\)")
        self.assertIn("CONFIG_ASSERTT", out)
        self.assertIn("runner_fixture_undeclared", out)
        logs = re.findall(r"log: (\S+/build\.log)", out)
        self.assertTrue(any("CONFIG_ASSERTT" in Path(log).read_text() for log in logs), out)


if __name__ == "__main__":
    unittest.main()
