# SPDX-License-Identifier: Apache-2.0
"""Proof that the memory-manager fuzzer (tests/fuzz/mm) finds the bugs it is
there for (issue 19; docs/FUZZING.md, "Proof").

Two build switches put a known bug back, and each variant of the fuzzer
built with one must report a failure within 60 s of fuzzing, naming the
step it happened at:

- PAGODA_BUG_SHARED_TRANSFER_STATE (kernel/mm/paging/paging.c): the bug
  class of the hardening fix, where a call from an interrupt handler inside
  a backing-store transfer corrupted pages: one shared scratch page that a
  nested transfer does not give back, and a static flag for whether the
  transfer re-enabled interrupts. Only ALLOW_IRQ lets a transfer be
  interrupted (without it the code is compiled out and the bug cannot
  exist), so every -irq variant must catch it.
- PAGODA_BUG_NO_PAGE_OUT_TLB_FLUSH (arch/host/mmu.c, arch/x86/core/mmu.c):
  arch_mem_page_out() leaves the page's TLB entry; every variant must catch
  it.

The variants are built with the switch into a temporary folder and fuzzed
two at a time from the seed corpus; libFuzzer stops at the first failure.
Skipped where clang's libFuzzer is missing.
"""

import os
import shutil
import sys
import tempfile
import time
import unittest
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
TARGET_DIR = REPO / "tests" / "fuzz" / "mm"
LIMIT = 60          # seconds of fuzzing each variant may take to find the bug

sys.path.insert(0, str(REPO / "scripts"))
from pagoda_lib import deps, fuzz  # noqa: E402


def libfuzzer_usable():
    return shutil.which("clang") is not None and deps._libfuzzer_works()


@unittest.skipUnless(libfuzzer_usable(), "clang with libFuzzer is not installed")
class BugsAreFound(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="pagoda-fuzz-proof-"))
        cls.target = fuzz.load_target(TARGET_DIR)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def hunt(self, switch, variants):
        """Build variants with -D<switch>=1 and fuzz each up to LIMIT s: the runs."""
        out = self.tmp / switch
        binaries = fuzz.build(self.target, out, variants, jobs=os.cpu_count(),
                              extra_cflags=[f"-D{switch}=1"])
        workers = max(1, min(2, os.cpu_count() or 1))

        def one(variant):
            return fuzz.run_variant(self.target, binaries[variant], variant, LIMIT,
                                    out / "run" / variant)

        start = time.monotonic()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            runs = list(pool.map(one, variants))
        print(f"\n{switch}: {len(runs)} variants in {time.monotonic() - start:.0f} s",
              file=sys.stderr)
        return runs

    def check_found(self, runs):
        for run in runs:
            with self.subTest(variant=run.variant):
                print(f"  {run.variant}: {run.kind} after {run.seconds:.1f} s: {run.reason}",
                      file=sys.stderr)
                self.assertIsNotNone(run.kind, f"{run.variant}: not found in {LIMIT} s "
                                               f"({run.ops} ops); log {run.log}")
                # Found by fuzzing, not by the runner's time limit.
                self.assertLess(run.seconds, LIMIT + 30, run.reason)
                self.assertNotIn("time limit", run.reason)
                self.assertRegex(run.reason, r"^step #\d+ \w+", "the report names no step")
                self.assertIsNotNone(run.reproducer, f"no reproducer; log {run.log}")

    def test_shared_transfer_state_is_found_on_every_allow_irq_variant(self):
        variants = [v for v in self.target.variants if v.endswith("-irq")]
        self.assertEqual(len(variants), 7)
        self.check_found(self.hunt("PAGODA_BUG_SHARED_TRANSFER_STATE", variants))

    def test_missing_tlb_flush_after_page_out_is_found_on_every_variant(self):
        variants = list(self.target.variants)
        self.assertEqual(len(variants), 14)
        self.check_found(self.hunt("PAGODA_BUG_NO_PAGE_OUT_TLB_FLUSH", variants))


if __name__ == "__main__":
    unittest.main()
