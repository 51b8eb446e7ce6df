# SPDX-License-Identifier: Apache-2.0
"""Tests of the host coverage report (scripts/pagoda_lib/coverage.py).

The pure parts (reading lcov records, merging the programs' records, the
table and reading it back, the functions never run, the files not built) run
on small synthetic records. The end-to-end test runs the real pipeline on a
reduced set, the bitarray unit test and the LRU fuzzer's corpus replay, into a
temporary folder (about 6 s); it is skipped where clang or its llvm-cov and
llvm-profdata are missing.
"""

import shutil
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

sys.path.insert(0, str(REPO / "scripts"))
from pagoda_lib import coverage, deps  # noqa: E402
from pagoda_lib.project import PagodaError  # noqa: E402

# What `llvm-cov export -format=lcov` writes, for two programs building one file.
FIRST = f"""SF:{REPO}/kernel/mm/mm.c
FN:10,k_mem_map
FN:20,mm.c:helper
FNDA:3,k_mem_map
FNDA:0,mm.c:helper
FNF:2
FNH:1
BRDA:11,0,0,3
BRDA:11,0,1,-
BRF:2
BRH:1
DA:10,3
DA:11,3
DA:12,0
DA:20,0
LF:4
LH:2
end_of_record
SF:{REPO}/tests/fuzz/mm/fuzz_mm.c
DA:1,1
end_of_record
"""
SECOND = f"""SF:{REPO}/tests/unit/string/src/../../../../kernel/mm/mm.c
FN:10,k_mem_map
FN:20,mm.c:helper
FN:30,other_config_only
FNDA:0,k_mem_map
FNDA:2,mm.c:helper
FNDA:0,other_config_only
BRDA:11,0,0,0
BRDA:11,0,1,1
DA:10,0
DA:11,0
DA:12,0
DA:20,2
DA:30,0
end_of_record
SF:{REPO}/arch/host/cpu.c
DA:5,1
DA:6,0
end_of_record
"""


class Records(unittest.TestCase):
    def test_parse(self):
        files = coverage.parse_lcov(FIRST)
        self.assertEqual(sorted(files), ["kernel/mm/mm.c", "tests/fuzz/mm/fuzz_mm.c"])
        mm = files["kernel/mm/mm.c"]
        self.assertEqual(mm.lines, {10: 3, 11: 3, 12: 0, 20: 0})
        self.assertEqual(mm.branches, {(11, 0, 0): 3, (11, 0, 1): 0})
        self.assertEqual(mm.functions, {"k_mem_map": [10, 3], "helper": [20, 0]})
        self.assertEqual((mm.lines_covered, mm.branches_covered), (2, 1))

    def test_merge_by_file_and_line(self):
        total = {}
        coverage.merge_into(total, coverage.parse_lcov(FIRST))
        coverage.merge_into(total, coverage.parse_lcov(SECOND))
        mm = total["kernel/mm/mm.c"]      # the ../ path of the second is the same file
        self.assertEqual(mm.lines, {10: 3, 11: 3, 12: 0, 20: 2, 30: 0})
        self.assertEqual(mm.branches, {(11, 0, 0): 3, (11, 0, 1): 1})
        self.assertEqual(mm.functions["helper"], [20, 2])
        self.assertEqual((mm.lines_covered, len(mm.lines)), (3, 5))
        self.assertEqual((mm.branches_covered, len(mm.branches)), (2, 2))
        self.assertEqual(sorted(coverage.scoped(total)), ["arch/host/cpu.c", "kernel/mm/mm.c"])

    def test_lcov_round_trip(self):
        total = coverage.merge_into({}, coverage.parse_lcov(FIRST))
        coverage.merge_into(total, coverage.parse_lcov(SECOND))
        files = coverage.scoped(total)
        text = coverage.to_lcov(files)
        self.assertIn(f"SF:{REPO}/kernel/mm/mm.c", text)
        self.assertIn("BRDA:11,0,1,1", text)
        again = coverage.parse_lcov(text)
        self.assertEqual({n: (c.lines, c.branches, c.functions) for n, c in again.items()},
                         {n: (c.lines, c.branches, c.functions) for n, c in files.items()})


class Table(unittest.TestCase):
    def files(self):
        total = coverage.merge_into({}, coverage.parse_lcov(FIRST))
        return coverage.scoped(coverage.merge_into(total, coverage.parse_lcov(SECOND)))

    def test_rows_and_total_parse_back(self):
        lines = coverage.table_lines(self.files())
        self.assertTrue(lines[0].startswith("file"))
        table = coverage.parse_table(lines)
        self.assertEqual(table, {"arch/host/cpu.c": (1, 2, 0, 0),
                                 "kernel/mm/mm.c": (3, 5, 2, 2),
                                 "total": (4, 7, 2, 2)})
        row = next(line for line in lines if line.startswith("kernel/mm/mm.c"))
        self.assertIn(" 60.0% ", row + " ")
        self.assertIn("100.0%", row)
        cpu = next(line for line in lines if line.startswith("arch/host/cpu.c"))
        self.assertTrue(cpu.rstrip().endswith("-"), "no branches: no percentage")

    def test_never_run_and_not_built(self):
        files = self.files()
        self.assertEqual(coverage.never_run(files, "kernel/mm/"),
                         {"kernel/mm/mm.c": ["other_config_only"]})
        absent, empty = coverage.not_measured(files, built={"arch/host/image.c"})
        self.assertIn("kernel/init.c", absent)
        self.assertNotIn("kernel/mm/mm.c", absent)
        self.assertEqual(empty, ["arch/host/image.c"])
        text = "\n".join(coverage.report_lines(files, {"arch/host/image.c"}))
        self.assertIn("kernel/mm/mm.c: other_config_only", text)
        self.assertIn("built, no code to measure: arch/host/image.c", text)

    def test_static_function_names(self):
        self.assertEqual(coverage.function_name("/x/kernel/mm/mm.c:helper"), "helper")
        self.assertEqual(coverage.function_name("k_mem_map"), "k_mem_map")

    def test_unknown_unit_test_is_named(self):
        with self.assertRaises(PagodaError) as cm:
            coverage.unit_tests(["no_such_test"])
        self.assertIn("bitarray", str(cm.exception))


def tools_present():
    if shutil.which("clang") is None or not deps._libfuzzer_works():
        return False
    return all(shutil.which(coverage.llvm_tool(t)) for t in ("llvm-profdata", "llvm-cov"))


@unittest.skipUnless(tools_present(), "clang with libFuzzer, llvm-cov or llvm-profdata missing")
class Pipeline(unittest.TestCase):
    """The real builds and runs, reduced to one unit test and one fuzz variant."""

    def test_bitarray_and_lru_replay(self):
        said = []
        with tempfile.TemporaryDirectory(prefix="pagoda-coverage-") as tmp:
            status, files, _ = coverage.run(tmp, units=["bitarray"], variants=["ram-lru"],
                                            html=shutil.which("genhtml") is not None,
                                            jobs=2, say=said.append)
            out = Path(tmp) / "coverage"
            report = (out / "report.txt").read_text().splitlines()
            html = (out / "index.html").is_file()
            lcov = (out / "coverage.lcov").read_text()
        self.assertEqual(status, 0, "\n".join(said))
        table = coverage.parse_table(report)
        self.assertEqual(table, coverage.parse_table(said), "printed and written tables")
        for name in ("kernel/lib/bitarray.c", "kernel/mm/mm.c", "kernel/mm/eviction/clock.c",
                     "arch/host/mmu.c"):
            covered, total, _, _ = table[name]
            self.assertGreater(covered, 0, name)
            self.assertLessEqual(covered, total, name)
        self.assertGreater(table["kernel/mm/mm.c"][2], 0, "branches of mm.c")
        self.assertNotIn("kernel/mm/eviction/nru.c", table, "only the lru variant ran")
        self.assertFalse(any(n.startswith("tests/") for n in table), "scope: kernel/, arch/host/")
        lc, lt, bc, bt = table["total"]
        self.assertEqual((lc, lt), (sum(r[0] for n, r in table.items() if n != "total"),
                                    sum(r[1] for n, r in table.items() if n != "total")))
        self.assertIn(f"SF:{REPO}/kernel/mm/mm.c", lcov)
        # (arch/host/disk.c is compiled empty too without the disk store)
        self.assertRegex("\n".join(report), r"built, no code to measure: .*arch/host/image\.c")
        if shutil.which("genhtml"):
            self.assertTrue(html, "index.html written")
        self.assertEqual(files["kernel/lib/bitarray.c"].lines_covered,
                         table["kernel/lib/bitarray.c"][0])


if __name__ == "__main__":
    unittest.main()
