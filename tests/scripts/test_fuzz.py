# SPDX-License-Identifier: Apache-2.0
"""Tests of the fuzz runner (scripts/pagoda_lib/fuzz.py) and of the fuzzer itself.

The pure parts (summary line, judging a run from its output, exit status,
target discovery) need nothing. The end-to-end tests build the LRU fuzzer
of tests/fuzz/mm with clang into a temporary folder and show that a
deliberately broken invariant and a deliberately wrong byte are caught,
reported with a reproducer, and counted in the summary; and that the seed
corpus runs clean. They are skipped where clang's libFuzzer is missing.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PAGODA = REPO / "scripts" / "pagoda"
TARGET_DIR = REPO / "tests" / "fuzz" / "mm"
VARIANT = "ram-lru"

sys.path.insert(0, str(REPO / "scripts"))
from pagoda_lib import deps, fuzz  # noqa: E402
from pagoda_lib.project import PagodaError  # noqa: E402


def run_result(kind=None, ops=100, seconds=2.0, variant="lru"):
    run = fuzz.FuzzRun(variant, Path("/x/fuzz_mm_lru"), Path("/x/fuzz.log"), ops, seconds)
    run.kind = kind
    return run


class SummaryLine(unittest.TestCase):
    def test_counts_and_rate(self):
        runs = [run_result(None, 1000, 2.0), run_result("invariant", 500, 1.0, "clock"),
                run_result("crash", 0, 1.0, "nru")]
        line = fuzz.summary_line(runs)
        self.assertEqual(line, "fuzz: 1500 ops in 4 s (375 ops/s), 1 invariant break, "
                               "0 model mismatches, 1 crash")
        self.assertEqual(fuzz.parse_summary(line), {"ops": 1500, "seconds": 4, "rate": 375,
                                                    "invariant": 1, "model": 0, "crash": 1})

    def test_plurals_and_zero_time(self):
        line = fuzz.summary_line([], seconds=0)
        self.assertEqual(line, "fuzz: 0 ops in 0 s (0 ops/s), 0 invariant breaks, "
                               "0 model mismatches, 0 crashes")
        self.assertIsNotNone(fuzz.parse_summary(line))
        self.assertIsNone(fuzz.parse_summary("fuzz: many ops"))

    def test_exit_status(self):
        self.assertEqual(fuzz.exit_status([run_result(), run_result()]), 0)
        for kind in fuzz.KINDS:
            self.assertEqual(fuzz.exit_status([run_result(), run_result(kind)]), 1, kind)
        self.assertEqual(fuzz.exit_status([]), 1, "nothing ran: not a success")


class Sharing(unittest.TestCase):
    def test_variants_share_wall_time_per_worker(self):
        self.assertEqual(fuzz.share_seconds(600, 12, 2), 100)
        self.assertEqual(fuzz.share_seconds(600, 3, 1), 200)
        self.assertEqual(fuzz.share_seconds(60, 12, 2), 10)
        self.assertEqual(fuzz.share_seconds(10, 12, 2), fuzz.MIN_SECONDS)


class Judging(unittest.TestCase):
    ARTIFACT = "artifact_prefix='/o/'; Test unit written to /o/crash-0123abcd"

    def test_clean_run(self):
        self.assertEqual(fuzz.judge(["#1 INITED", "Done 10 runs in 1 second(s)"], 0, False),
                         (None, "", None))

    def test_harness_report_names_kind_and_reproducer(self):
        for kind in fuzz.KINDS:
            lines = ["#5 NEW", f"FUZZ-MM FAILURE ({kind}): what went wrong", "  #0 map_anon",
                     "==1== ERROR: libFuzzer: deadly signal", self.ARTIFACT]
            self.assertEqual(fuzz.judge(lines, 77, False),
                             (kind, "what went wrong", Path("/o/crash-0123abcd")))

    def test_replayed_file_is_the_reproducer(self):
        lines = ["Running: /c/a.bin", "Executed /c/a.bin in 1 ms", "Running: /c/b.bin",
                 "FUZZ-MM FAILURE (model): read of 0x40001000: byte 0x01, the model says 0x00",
                 "Running: /c/never.bin"]
        self.assertEqual(fuzz.judge(lines, 1, False)[2], Path("/c/b.bin"))
        self.assertIsNone(fuzz.judge(lines[:2], 0, False)[2], "no failure, no reproducer")

    def test_first_report_wins(self):
        lines = ["FUZZ-MM FAILURE (model): first", "FUZZ-MM FAILURE (crash): second"]
        self.assertEqual(fuzz.judge(lines, 1, False)[:2], ("model", "first"))

    def test_sanitizer_without_harness_report_is_a_crash(self):
        lines = ["mm.c:170:24: runtime error: applying non-zero offset 4096 to null pointer",
                 self.ARTIFACT]
        kind, reason, repro = fuzz.judge(lines, 1, False)
        self.assertEqual((kind, repro), ("crash", Path("/o/crash-0123abcd")))
        self.assertIn("null pointer", reason)

    def test_nonzero_exit_or_timeout_without_output(self):
        self.assertEqual(fuzz.judge([], 3, False)[0], "crash")
        self.assertEqual(fuzz.judge([], None, True)[:2],
                         ("crash", "killed after its time limit"))

    def test_unknown_kind_counts_as_crash(self):
        self.assertEqual(fuzz.judge(["FUZZ-MM FAILURE (weird): x"], 1, False)[0], "crash")

    def test_failure_lines_name_reproducer_and_replay(self):
        run = run_result("invariant")
        run.reason = "k_mem_check_invariants() found 1 broken invariant(s)"
        run.reproducer = Path("/o/crash-1")
        text = "\n".join(fuzz.failure_lines(run))
        self.assertIn("lru: invariant: k_mem_check_invariants()", text)
        self.assertIn("reproducer: /o/crash-1", text)
        self.assertIn("FUZZ_MM_TRACE=1 /x/fuzz_mm_lru /o/crash-1", text)


class Targets(unittest.TestCase):
    def test_discovery_finds_the_mm_fuzzer(self):
        targets = fuzz.discover([REPO / "tests" / "fuzz"])
        self.assertEqual([t.folder for t in targets], [TARGET_DIR])
        target = targets[0]
        self.assertEqual(sorted(target.variants),
                         sorted([f"{store}-{ev}{irq}" for store in ("ram", "disk")
                                 for ev in ("lru", "clock", "nru") for irq in ("", "-irq")]
                                + ["ram-clock_2q", "ram-clock_2q-irq"]))
        self.assertIn("kernel/mm/invariants.c", target.support)
        for src in (*target.sources, *target.support,
                    *(s for v in target.variants.values() for s in v[0])):
            self.assertTrue((REPO / src).is_file(), src)
        self.assertTrue(target.corpus.is_dir())

    def test_bad_fuzz_yaml_names_the_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / fuzz.FUZZ_YAML).write_text("sources: [a.c]\n")
            with self.assertRaises(PagodaError) as cm:
                fuzz.discover([tmp])
            self.assertIn(fuzz.FUZZ_YAML, str(cm.exception))

    def test_seed_corpus_is_current(self):
        done = subprocess.run([sys.executable, TARGET_DIR / "gen_corpus.py", "--check"],
                              capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)

    def test_command_line(self):
        done = subprocess.run([PAGODA, "fuzz", "--help"], capture_output=True, text=True)
        self.assertEqual(done.returncode, 0)
        self.assertIn("--seconds", done.stdout)


def libfuzzer_usable():
    return shutil.which("clang") is not None and deps._libfuzzer_works()


@unittest.skipUnless(libfuzzer_usable(), "clang with libFuzzer is not installed")
class EndToEnd(unittest.TestCase):
    """One real build (RAM store, LRU), reused by every test of the class."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="pagoda-fuzz-"))
        cls.target = fuzz.load_target(TARGET_DIR)
        cls.binary = fuzz.build(cls.target, cls.tmp, [VARIANT], jobs=os.cpu_count())[VARIANT]
        cls.seeds = sorted(cls.target.corpus.glob("*.bin"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def replay(self, name, env=None):
        return fuzz.run_variant(self.target, self.binary, VARIANT, 60, self.tmp / name, env=env,
                                inputs=self.seeds)

    def test_seed_corpus_runs_clean(self):
        run = self.replay("clean")
        self.assertTrue(run.ok, f"{run.kind}: {run.reason}; log {run.log}")
        self.assertGreater(run.ops, len(self.seeds), "the op count file was not kept")

    def test_broken_invariant_is_caught(self):
        run = self.replay("inject-invariant", {"FUZZ_MM_INJECT": "invariant"})
        self.assertEqual(run.kind, "invariant", run.reason)
        self.assertIn("k_mem_check_invariants()", run.reason)
        self.assertIsNotNone(run.reproducer)
        self.assertTrue(run.reproducer.is_file(), run.reproducer)
        log = run.log.read_text(errors="replace")
        self.assertIn("<err> mm: invariant:", log, "the checker's own report is not shown")
        self.assertIn("map_anon(", log, "the decoded steps are not shown")
        self.assertEqual(fuzz.exit_status([run]), 1)
        self.assertEqual(fuzz.parse_summary(fuzz.summary_line([run]))["invariant"], 1)

        # The reproducer alone brings it back.
        again = fuzz.run_variant(self.target, self.binary, VARIANT, 60, self.tmp / "again",
                                 env={"FUZZ_MM_INJECT": "invariant"},
                                 inputs=[run.reproducer])
        self.assertEqual(again.kind, "invariant")

    def test_wrong_byte_is_caught(self):
        run = self.replay("inject-model", {"FUZZ_MM_INJECT": "model"})
        self.assertEqual(run.kind, "model", run.reason)
        self.assertIn("the model says", run.reason)
        self.assertEqual(fuzz.parse_summary(fuzz.summary_line([run]))["model"], 1)

    def test_short_fuzzing_run(self):
        run = fuzz.run_variant(self.target, self.binary, VARIANT, 2, self.tmp / "fuzz")
        self.assertTrue(run.ok, f"{run.kind}: {run.reason}; log {run.log}")
        self.assertGreater(run.ops, 1000)


if __name__ == "__main__":
    unittest.main()
