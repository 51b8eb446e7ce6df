# SPDX-License-Identifier: Apache-2.0
"""Tests of `pagoda test --kvm`: detecting KVM, the KVM command line, and the
job that boots a scenario's build a second time under KVM.

No test here needs KVM: a shell script stands in for QEMU and records the
arguments it was given.
"""

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BOARD = "qemu_x86_64"

sys.path.insert(0, str(REPO / "scripts"))
from pagoda_lib import build, kvm_probe, qemu, runner, testplan  # noqa: E402
from pagoda_lib.scenario import KvmScenarioJob, ScenarioJob  # noqa: E402

VERDICT = ("Running TESTSUITE f\nSTART - t\n PASS - t in 0.0 seconds\n"
           "PROJECT EXECUTION SUCCESSFUL\n")


class KvmStatus(unittest.TestCase):
    def test_missing_device_explains(self):
        usable, why = qemu.kvm_status("/nonexistent/kvm")
        self.assertFalse(usable)
        self.assertIn("/nonexistent/kvm", why)
        self.assertIn("no KVM device", why)

    def test_device_that_is_not_kvm(self):
        with tempfile.NamedTemporaryFile() as f:
            usable, why = qemu.kvm_status(f.name)
        self.assertFalse(usable)
        self.assertIn("KVM_GET_API_VERSION failed", why)

    @unittest.skipUnless(os.path.exists(qemu.KVM_DEVICE), "this machine has no /dev/kvm")
    def test_real_device(self):
        usable, why = qemu.kvm_status()
        self.assertEqual(usable, "API version 12" in why, why)


class KvmArgv(unittest.TestCase):
    def test_icount_and_accel_replaced(self):
        argv = ["qemu-system-x86_64", "-accel", "tcg", "-icount", "shift=0,align=off",
                "-cpu", "qemu64", "-kernel", "pagoda.bin"]
        self.assertEqual(qemu.kvm_argv(argv),
                         ["qemu-system-x86_64", "-accel", "kvm", "-cpu", "qemu64",
                          "-kernel", "pagoda.bin"])

    def test_plain_command_gains_accel(self):
        self.assertEqual(qemu.kvm_argv(["q", "-m", "9M"]), ["q", "-accel", "kvm", "-m", "9M"])


class KvmJob(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="pagoda-kvm-"))
        self.addCleanup(shutil.rmtree, self.tmp)
        fake = self.tmp / "fake-qemu"
        fake.write_text("#!/bin/sh\necho \"args: $*\"\nprintf '%s' \"$VERDICT\"\nexit 1\n")
        fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
        self.fake = fake
        self.scenario = testplan.Scenario(self.tmp / "app", "fake.scenario", BOARD, (), 10.0)
        self.ctx = runner.Context(self.tmp / "out", None, False, runner.Printer())

    def config(self):
        return build.QemuConfig(BOARD, "x86_64", self.tmp / "pagoda.elf",
                                self.tmp / "pagoda.bin",
                                (str(self.fake), "-icount", "shift=0", "-m", "9M"),
                                "i386:x86-64")

    def test_boots_the_same_build_under_kvm(self):
        tcg = ScenarioJob(self.scenario)
        kvm = KvmScenarioJob(tcg)
        with mock.patch.dict(os.environ, {"VERDICT": VERDICT}), \
                mock.patch.object(build, "build_app", return_value=self.config()) as built:
            tcg_out = tcg.run(self.ctx)
            kvm_out = kvm.run(self.ctx)
        self.assertEqual(built.call_count, 1, "the KVM boot must reuse the TCG job's build")
        self.assertEqual((tcg_out.passed, kvm_out.passed, kvm_out.failed), (1, 1, 0))
        self.assertEqual(kvm_out.scenario, "fake.scenario [kvm]")
        log = (self.scenario.build_dir(self.ctx.outdir) / "run-kvm.log").read_text()
        self.assertIn("args: -accel kvm -m 9M", log)
        tcg_log = (self.scenario.build_dir(self.ctx.outdir) / "run.log").read_text()
        self.assertIn("args: -icount shift=0 -m 9M", tcg_log)

    def test_failed_build_fails_the_kvm_job_too(self):
        tcg = ScenarioJob(self.scenario)
        kvm = KvmScenarioJob(tcg)
        error = build.BuildError("build", self.tmp, self.tmp / "build.log", ["error: nope"])
        with mock.patch.object(build, "build_app", side_effect=error):
            tcg.run(self.ctx)
            out = kvm.run(self.ctx)
        self.assertEqual(out.failed, 1)
        self.assertIn("build failed", out.failures[0])


class KvmCommandLine(unittest.TestCase):
    def test_says_when_kvm_is_not_usable(self):
        """`pagoda test --kvm` on a folder with no scenario still reports KVM first."""
        empty = Path(tempfile.mkdtemp(prefix="pagoda-kvm-empty-"))
        self.addCleanup(shutil.rmtree, empty)
        (empty / "unit").mkdir()
        (empty / "unit" / "unittest.yaml").write_text("sources: []\n")
        (empty / "unit" / "src").mkdir()
        (empty / "unit" / "src" / "t.c").write_text(
            "#include <ztest.h>\nZTEST(k, test_a) { zassert_true(1); }\n"
            "ZTEST_SUITE(k, NULL, NULL, NULL, NULL, NULL);\n")
        done = subprocess.run([str(REPO / "scripts" / "pagoda"), "test", "--kvm", "-T",
                               str(empty), "--outdir", str(empty / "out")],
                              capture_output=True, text=True, timeout=300)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        usable, _ = qemu.kvm_status()
        expected = "probing what it can run" if usable else "KVM not usable"
        self.assertIn(expected, done.stdout)


class KvmProbe(unittest.TestCase):
    """The probe guest under TCG, and the verdict drawn from its two runs."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="pagoda-kvm-probe-"))
        self.addCleanup(shutil.rmtree, self.tmp)

    def boot(self, board, defines=()):
        elf = kvm_probe.build_probe(kvm_probe.paging_mode(board), self.tmp, defines)
        argv = kvm_probe.tcg_argv(kvm_probe.probe_argv(board, elf))
        return kvm_probe.run_probe(argv, self.tmp / f"{board}.log")

    def test_board_paging_modes(self):
        self.assertEqual({b: kvm_probe.paging_mode(b) for b in ("qemu_x86", "qemu_x86_pae",
                                                               "qemu_x86_64")},
                         {"qemu_x86": "32", "qemu_x86_pae": "PAE", "qemu_x86_64": "LONG"})
        self.assertEqual(kvm_probe.board_qemu("qemu_x86"),
                         ["qemu-system-i386", "-machine", "pc", "-cpu", "qemu32,-pae,-nx,+smep,+smap"])

    def test_probe_runs_every_paging_mode_under_tcg(self):
        for board in ("qemu_x86", "qemu_x86_pae", "qemu_x86_64"):
            with self.subTest(board=board):
                run = self.boot(board)
                self.assertEqual(run.status, kvm_probe.PROBE_OK, run.reason)
                self.assertGreater(run.cycles, 0)

    def test_probe_catches_a_missed_invalidation(self):
        """Without its invlpg, the loop reads the old frame through TCG's TLB."""
        run = self.boot("qemu_x86_64", ["PROBE_SKIP_INVLPG"])
        self.assertEqual(run.status, kvm_probe.PROBE_STALE, run.reason)

    def test_verdicts(self):
        ok = kvm_probe.ProbeRun(kvm_probe.PROBE_OK, 1000, "guest exit status 16")
        reset = kvm_probe.ProbeRun(None, None, "guest reset or triple fault")
        stale = kvm_probe.ProbeRun(kvm_probe.PROBE_STALE, None, "guest exit status 17")
        slow = kvm_probe.ProbeRun(kvm_probe.PROBE_OK, 1000 * kvm_probe.SLOW_FACTOR + 1, "")
        fast = kvm_probe.ProbeRun(kvm_probe.PROBE_OK, 1000 * kvm_probe.SLOW_FACTOR, "")
        cases = [(ok, ok, True, "KVM runs IA-32e"), (ok, fast, True, "8.0x"),
                 (ok, slow, False, "slower than TCG"), (ok, reset, False, "cannot run IA-32e"),
                 (ok, stale, False, "missed a TLB invalidation"),
                 (reset, ok, False, "failed under TCG")]
        for tcg, kvm, usable, text in cases:
            with self.subTest(text=text):
                got = kvm_probe.verdict("b", "LONG", tcg, kvm)
                self.assertEqual(got.usable, usable, got.why)
                self.assertIn(text, got.why)


class KvmJobChoice(unittest.TestCase):
    """Which scenarios get a KVM boot, from each board's probe verdict."""

    def test_usable_slow_and_unusable_boards(self):
        from pagoda_lib import commands
        light = (kvm_probe.LIGHT_TAG,)
        jobs = [ScenarioJob(testplan.Scenario(Path("/s"), name, board, (), 10.0, build_only,
                                              tags))
                for name, board, tags, build_only in [
                    ("fast.all", "fast", (), False), ("fast.built", "fast", (), True),
                    ("slow.light", "slow", light, False), ("slow.heavy", "slow", (), False),
                    ("no.light", "no", light, False)]]
        probes = {"fast": kvm_probe.BoardKvm("fast", True, "ok"),
                  "slow": kvm_probe.BoardKvm("slow", False, "slow", slow=True),
                  "no": kvm_probe.BoardKvm("no", False, "cannot run")}
        with mock.patch.object(qemu, "kvm_status", return_value=(True, "fake")), \
                mock.patch.object(kvm_probe, "probe_boards", return_value=probes), \
                mock.patch("builtins.print"):
            chosen = commands.kvm_jobs(jobs, Path(tempfile.gettempdir()))
        self.assertEqual([j.tcg_job.scenario.name for j in chosen], ["fast.all", "slow.light"])

    def test_slow_verdict_is_marked_slow(self):
        ok = kvm_probe.ProbeRun(kvm_probe.PROBE_OK, 100, "")
        slow = kvm_probe.ProbeRun(kvm_probe.PROBE_OK, 100 * kvm_probe.SLOW_FACTOR + 1, "")
        self.assertTrue(kvm_probe.verdict("b", "PAE", ok, slow).slow)
        self.assertFalse(kvm_probe.verdict("b", "PAE", ok, ok).slow)


if __name__ == "__main__":
    unittest.main()
