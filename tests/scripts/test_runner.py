# SPDX-License-Identifier: Apache-2.0
"""Tests of scripts/pagoda (the test runner) and its library scripts/pagoda_lib.

The pure parts (verdict parsing, test plan expansion, exit decoding, unittest
output parsing, dependency messages, the reports) need no QEMU. The
end-to-end tests copy the fixture apps of runner_fixtures/ to a temporary
folder outside the repo and run `scripts/pagoda test -T <folder> -p
qemu_x86_64` on them, all at once, then check their report.json and
report.xml, and rerun them with --only-failed.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path
from unittest import mock

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PAGODA = REPO / "scripts" / "pagoda"
FIXTURES = HERE / "runner_fixtures"
BOARD = "qemu_x86_64"

sys.path.insert(0, str(REPO / "scripts"))
from pagoda_lib import build, deps, proc, pytests, qemu, report, runner, testplan, verdicts  # noqa: E402
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


JUNIT_SUITE_CHILDREN = {"properties", "testcase", "system-out", "system-err"}
JUNIT_CASE_CHILDREN = {"failure", "error", "skipped", "system-out", "system-err"}
JUNIT_COUNTS = ("tests", "failures", "errors", "skipped")


def check_junit(test, path):
    """Parse a report.xml back and check it has the common JUnit structure (the
    elements and attributes of the Jenkins/Ant schema; no Debian package ships
    an XSD of it), then read it with a JUnit consumer (python3-junitparser).
    Returns {testsuite name: element}."""
    root = ET.parse(path).getroot()
    test.assertEqual(root.tag, "testsuites")
    totals = dict.fromkeys(JUNIT_COUNTS, 0)
    suites = {}
    for suite in root:
        test.assertEqual(suite.tag, "testsuite")
        name = suite.get("name")
        test.assertTrue(name)
        test.assertNotIn(name, suites)
        suites[name] = suite
        test.assertLessEqual({child.tag for child in suite}, JUNIT_SUITE_CHILDREN)
        cases = suite.findall("testcase")
        counts = {"tests": len(cases),
                  "failures": sum(c.find("failure") is not None for c in cases),
                  "errors": sum(c.find("error") is not None for c in cases),
                  "skipped": sum(c.find("skipped") is not None for c in cases)}
        for key, value in counts.items():
            test.assertEqual(int(suite.get(key)), value, f"{name}: {key}")
            totals[key] += value
        float(suite.get("time"))
        for case in cases:
            test.assertTrue(case.get("name"))
            test.assertIsNotNone(case.get("classname"))
            if case.get("time") is not None:
                float(case.get("time"))
            kinds = [child.tag for child in case]
            test.assertLessEqual(set(kinds), JUNIT_CASE_CHILDREN)
            test.assertLessEqual(sum(k in ("failure", "error", "skipped") for k in kinds), 1)
            for child in case:
                if child.tag in ("failure", "error"):
                    test.assertTrue(child.get("message"))
    for key, value in totals.items():
        test.assertEqual(int(root.get(key)), value, key)
    float(root.get("time"))
    try:
        from junitparser import Error, Failure, JUnitXml, Skipped
    except ImportError:     # pagoda test installs python3-junitparser (deps.py)
        return suites
    parsed = JUnitXml.fromfile(str(path))
    test.assertEqual((parsed.tests, parsed.failures, parsed.errors, parsed.skipped),
                     tuple(totals[k] for k in JUNIT_COUNTS))
    kinds = {Failure: "failure", Error: "error", Skipped: "skipped"}
    for suite in parsed:
        element = suites[suite.name]
        test.assertEqual(suite.tests, int(element.get("tests")))
        for case, case_element in zip(suite, element.findall("testcase")):
            test.assertEqual((case.classname, case.name),
                             (case_element.get("classname"), case_element.get("name")))
            test.assertEqual([kinds[type(r)] for r in case.result],
                             [c.tag for c in case_element if c.tag in kinds.values()])
    return suites


def case_results(suite):
    """[(classname, name, status, message)] of a JUnit testsuite element."""
    found = []
    for case in suite.findall("testcase"):
        status, message = "passed", None
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                status, message = child.tag, child.get("message")
        found.append((case.get("classname"), case.get("name"), status, message))
    return found


class Reports(unittest.TestCase):
    """report.json and report.xml from outcomes made by hand."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="pagoda-report-"))
        self.addCleanup(shutil.rmtree, self.tmp)

    def reporter(self):
        with mock.patch.object(report, "versions", lambda: {"qemu": "QEMU emulator version 9"}):
            return report.Reporter(self.tmp, roots=[self.tmp], platforms=[BOARD])

    def outcomes(self):
        guest = Outcome(BOARD, "tests/x", "x.scenario", seconds=1.5)
        guest.add_run(SAMPLE.splitlines(), ("fail", "guest exit status 1"), ["/l/run.log"])
        crashed = Outcome(BOARD, "tests/y", "y.scenario")
        crashed.add_run(["Running TESTSUITE y", "START - test_a",
                         " PASS - test_a in 0.250 seconds", "\x1b[31mboom\x00"],
                        ("crash", "guest reset or triple fault"), [])
        style = Outcome("host", ".", "format", passed=1)
        lint = Outcome("host", ".", "lint", failed=1, failures=["pyflakes: 1 problem(s) in a.py"],
                       notes=["a.py:1:1: 'os' imported but unused"])
        broken = Outcome(BOARD, "tests/z", "z.scenario")
        broken.build_failed(build.BuildError("configure", self.tmp, self.tmp / "build.log",
                                             ["prj.conf:2: error: CONFIG_NOPE"]))
        return [guest, crashed, style, lint, broken]

    def test_json_and_junit(self):
        json_path, xml_path = self.reporter()(self.outcomes())
        self.assertEqual((json_path.name, xml_path.name), ("report.json", "report.xml"))
        self.assertEqual([p.name for p in self.tmp.joinpath("tests").iterdir()],
                         sorted(["report.json", "report.xml"]), "a temporary file was left")
        data = json.loads(json_path.read_text())
        self.assertTrue(data["complete"])
        self.assertEqual(data["roots"], [str(self.tmp.resolve())])
        self.assertEqual(data["versions"]["qemu"], "QEMU emulator version 9")
        self.assertEqual(data["counts"]["cases"],
                         {"passed": 3, "failed": 2, "skipped": 1, "error": 2})
        self.assertEqual((data["counts"]["scenarios"], data["counts"]["scenarios_failed"]),
                         (5, 4))
        by_id = {s["id"]: s for s in data["scenarios"]}
        x = by_id[f"{BOARD}/x.scenario"]
        self.assertEqual((x["status"], x["duration"], x["log"]), ("failed", 1.5, "/l/run.log"))
        two = next(c for c in x["cases"] if c["name"] == "test_two")
        self.assertEqual(two["message"], "FAIL [ASSERTION FAIL [x == 1] @ tests/alpha/src/main.c:20]")
        self.assertEqual(two["output"][1].strip(), "x is 2")
        self.assertEqual(report.failed_keys(data),
                         sorted([(BOARD, "tests/x", "x.scenario"), (BOARD, "tests/y", "y.scenario"),
                                 ("host", ".", "lint"), (BOARD, "tests/z", "z.scenario")]))

        suites = check_junit(self, xml_path)
        self.assertEqual(sorted(suites), sorted([f"{BOARD}/x.scenario", f"{BOARD}/y.scenario",
                                                 "host/format", "host/lint", f"{BOARD}/z.scenario"]))
        self.assertEqual(case_results(suites[f"{BOARD}/x.scenario"]), [
            ("alpha", "test_one", "passed", None),
            ("alpha", "test_two", "failure",
             "FAIL [ASSERTION FAIL [x == 1] @ tests/alpha/src/main.c:20]"),
            ("alpha", "test_three", "skipped", None)])
        self.assertIn("x is 2", suites[f"{BOARD}/x.scenario"].find("testcase/failure").text)
        # A crash after the verdicts: one more case, an error, for the run as a whole;
        # the unprintable console bytes do not break the XML.
        self.assertEqual(case_results(suites[f"{BOARD}/y.scenario"]), [
            ("y", "test_a", "passed", None),
            ("y.scenario", "run", "error", "guest reset or triple fault")])
        self.assertEqual(suites[f"{BOARD}/y.scenario"].find("testcase").get("time"), "0.250")
        self.assertEqual(case_results(suites["host/format"]),
                         [("format", "format", "passed", None)])
        self.assertEqual(case_results(suites["host/lint"]),
                         [("lint", "lint", "failure", "pyflakes: 1 problem(s) in a.py")])
        self.assertEqual(case_results(suites[f"{BOARD}/z.scenario"]),
                         [("z.scenario", "build", "error", "build failed (configure step)")])
        self.assertIn("CONFIG_NOPE", suites[f"{BOARD}/z.scenario"].find("testcase/error").text)

    def test_unprintable_output_stays_valid_xml(self):
        o = Outcome(BOARD, "s", "s.x")
        o.add_run(["Running TESTSUITE s", "START - t", "bad \x1b[0m \x00 \x07 byte",
                   " FAIL - t in 0.0 seconds", "PROJECT EXECUTION FAILED"],
                  ("fail", "guest exit status 1"), [])
        _, xml_path = self.reporter()([o])
        text = check_junit(self, xml_path)[f"{BOARD}/s.x"].find("testcase/failure").text
        self.assertIn("bad \\x1b[0m \\x00 \\x07 byte", text)

    def test_same_short_names_get_the_suite(self):
        names = report.suite_names([Outcome("host", "tests/fuzz/a", "fuzz"),
                                    Outcome("host", "tests/fuzz/b", "fuzz"),
                                    Outcome("host", ".", "format")])
        self.assertEqual(sorted(names.values()),
                         ["host/format", "host/tests/fuzz/a/fuzz", "host/tests/fuzz/b/fuzz"])

    def test_interrupted_run_is_reported(self):
        class Interrupt(FakeJob):
            def run(self, ctx):
                time.sleep(0.2)     # after the other job's outcome is in
                raise KeyboardInterrupt
        printed = []
        printer = runner.Printer()
        printer.line = printed.append
        ctx = runner.Context(self.tmp, None, False, printer)
        # runner.run stops all processes on Ctrl-C: undo that for the other tests.
        self.addCleanup(setattr, proc, "_stopping", False)
        with mock.patch.object(proc, "stop"), self.assertRaises(KeyboardInterrupt):
            runner.run([FakeJob("a", passed=1, failed=1), Interrupt("b")], 2, ctx,
                       self.reporter())
        data = json.loads((self.tmp / "tests" / "report.json").read_text())
        self.assertEqual((data["complete"], data["interrupted"]), (False, True))
        self.assertEqual([s["suite"] for s in data["scenarios"]], ["a"])
        self.assertEqual(data["not_run"], [{"board": "fake_board", "suite": "b",
                                            "scenario": "fake.scenario"}])
        check_junit(self, self.tmp / "tests" / "report.xml")

    def test_python_test_cases(self):
        lines = """\
test_a (test_x.T.test_a) ... ok
test_b (test_x.T.test_b) ... FAIL
test_c (test_x.T.test_c) ... skipped 'no qemu'
test_d (test_x.T.test_d)
A docstring ... ERROR

======================================================================
ERROR: test_d (test_x.T.test_d)
A docstring
----------------------------------------------------------------------
Traceback (most recent call last):
  File "x.py", line 3, in test_d
RuntimeError: boom

======================================================================
FAIL: test_b (test_x.T.test_b)
----------------------------------------------------------------------
Traceback (most recent call last):
AssertionError: 1 != 2

----------------------------------------------------------------------
Ran 4 tests in 0.010s

FAILED (failures=1, errors=1, skipped=1)
""".splitlines()
        got = [(c.classname, c.name, c.status, c.message) for c in pytests.cases(lines)]
        self.assertEqual(got, [("test_x.T", "test_a", "passed", ""),
                               ("test_x.T", "test_b", "failed", "AssertionError: 1 != 2"),
                               ("test_x.T", "test_c", "skipped", "no qemu"),
                               ("test_x.T", "test_d", "error", "RuntimeError: boom")])


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
    """The fixture apps, each group in its own `pagoda test` run, all runs at once;
    then the failing group and the passing one again with --only-failed."""

    GROUPS = {
        "passing": ["passing"],
        "failing": ["failing", "passing"],
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
        cls.reports = {group: cls.read_report(group, "first") for group in cls.GROUPS}
        # Without -T: the folders of the last run (its report says them).
        rerun = {group: subprocess.Popen(
            [str(PAGODA), "test", "--only-failed", "-p", BOARD,
             "--outdir", str(cls.tmp / group / "out"), "-j", "2"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            stdin=subprocess.DEVNULL) for group in ("failing", "passing")}
        cls.reruns = {}
        for group, p in rerun.items():
            out, _ = p.communicate(timeout=600)
            cls.reruns[group] = (p.returncode, out, cls.read_report(group, "rerun"))

    @classmethod
    def read_report(cls, group, run):
        """(report.json data, its mtime, a copy of report.xml), or None when missing."""
        tests = cls.tmp / group / "out" / "tests"
        try:
            xml_copy = cls.tmp / f"{group}-{run}-report.xml"
            shutil.copyfile(tests / "report.xml", xml_copy)
            return (json.loads((tests / "report.json").read_text()),
                    (tests / "report.json").stat().st_mtime_ns, xml_copy)
        except FileNotFoundError:
            return None

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
        self.assertEqual(counts, (8, 2, 1), out)
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

    def junit(self, group):
        data, _, xml_path = self.reports[group]
        tests = (self.tmp / group / "out" / "tests").resolve()
        self.assertIn(f"Reports: {tests / 'report.json'} and {tests / 'report.xml'}",
                      self.results[group][1])
        return data, check_junit(self, xml_path)

    def test_reports_of_a_passing_run(self):
        data, suites = self.junit("passing")
        self.assertTrue(data["complete"])
        self.assertEqual({k: data["counts"][k] for k in ("scenarios", "scenarios_failed",
                                                         "passed", "failed", "skipped")},
                         {"scenarios": 2, "scenarios_failed": 0, "passed": 7, "failed": 0,
                          "skipped": 1})
        self.assertTrue(data["versions"]["qemu"].startswith("QEMU emulator version"))
        self.assertIn("i686-linux-gnu-gcc", data["versions"])
        self.assertEqual(sorted(suites), [f"{BOARD}/runner.passing",
                                          f"{BOARD}/runner.passing.no_assert"])
        for entry in data["scenarios"]:
            self.assertEqual((entry["board"], entry["status"]), (BOARD, "passed"))
            self.assertTrue(Path(entry["log"]).name == "run.log" and Path(entry["log"]).is_file())
            self.assertGreater(entry["duration"], 0)
        results = case_results(suites[f"{BOARD}/runner.passing.no_assert"])
        self.assertEqual(sorted(r[2] for r in results), ["passed"] * 3 + ["skipped"])
        self.assertEqual({r[0] for r in results}, {"runner_pass"})

    def test_reports_of_a_failing_run(self):
        data, suites = self.junit("failing")
        self.assertEqual((data["counts"]["passed"], data["counts"]["failed"]), (8, 2))
        entry = next(s for s in data["scenarios"] if s["scenario"] == "runner.failing")
        self.assertEqual((entry["status"], entry["counts"]["failed"]), ("failed", 2))
        results = {r[1]: r for r in case_results(suites[f"{BOARD}/runner.failing"])}
        self.assertEqual(results["test_passes"][2], "passed")
        self.assertEqual(results["test_assert_fails"][2], "failure")
        self.assertRegex(results["test_assert_fails"][3], r"^FAIL \[ASSERTION FAIL")
        self.assertEqual(results["test_null_deref"][2], "failure")
        self.assertIn("page fault", results["test_null_deref"][3])
        self.assertEqual(int(suites[f"{BOARD}/runner.passing"].get("failures")), 0)

    def test_reports_of_a_hang_and_of_build_errors(self):
        _, suites = self.junit("hang")
        self.assertEqual(case_results(suites[f"{BOARD}/runner.hang"]),
                         [("runner_hang", "test_spins_forever", "error",
                           "no verdict: timeout after 5 s")])
        data, suites = self.junit("broken")
        self.assertEqual(data["counts"]["scenarios_failed"], 2)
        for name in ("runner.build_error", "runner.bad_kconfig"):
            (result,) = case_results(suites[f"{BOARD}/{name}"])
            self.assertEqual(result[:3], (name, "build", "error"))
            self.assertRegex(result[3], r"^build failed \((configure|build) step\)$")
        error = suites[f"{BOARD}/runner.bad_kconfig"].find("testcase/error")
        self.assertIn("CONFIG_ASSERTT", error.text)

    def test_only_failed_reruns_the_failures(self):
        status, out, (data, mtime, xml_path) = self.reruns["failing"]
        self.assertNotEqual(status, 0, out)
        self.assertRegex(out, r"--only-failed: rerunning 1 of the 1 failed scenario\(s\) of ")
        self.assertRegex(out, rf"pagoda test:   {BOARD} \S+/failing runner\.failing\n")
        progress = [line for line in out.splitlines() if line.startswith("[")]
        self.assertEqual(len(progress), 1, out)
        self.assertRegex(progress[0], r"^\[1/1\] FAIL .* runner\.failing ")
        self.assertEqual(self.result_of(out), (1, 2, 0), out)
        # The new report is that of the rerun: the failing scenario only.
        self.assertEqual([s["scenario"] for s in data["scenarios"]], ["runner.failing"])
        self.assertTrue(data["only_failed"])
        self.assertEqual(data["roots"], self.reports["failing"][0]["roots"])
        self.assertEqual(sorted(check_junit(self, xml_path)), [f"{BOARD}/runner.failing"])

    def test_only_failed_after_a_passing_run_runs_nothing(self):
        status, out, (_, mtime, _) = self.reruns["passing"]
        self.assertEqual(status, 0, out)
        self.assertIn("--only-failed: no failure in the last run", out)
        self.assertNotRegex(out, r"(?m)^\[")
        self.assertEqual(mtime, self.reports["passing"][1], "the report was rewritten")

    @staticmethod
    def result_of(out):
        closing = CLOSING.match(out.rstrip("\n").splitlines()[-1])
        return tuple(int(g or 0) for g in closing.groups()) if closing else None


class OnlyFailedWithoutReport(unittest.TestCase):
    def test_no_report_is_status_2(self):
        tmp = outside_repo_tmpdir()
        self.addCleanup(shutil.rmtree, tmp)
        done = pagoda("test", "--only-failed", "--outdir", str(tmp))
        self.assertEqual(done.returncode, 2, done.stdout)
        self.assertIn(f"no report of a previous run at {tmp.resolve()}/tests/report.json",
                      done.stdout)


if __name__ == "__main__":
    unittest.main()
