# SPDX-License-Identifier: Apache-2.0
"""Tests of the guest coverage: the gcov dump read back (gcov_dump.py) and the
guest half of `scripts/pagoda coverage` (guest_coverage.py).

The pure parts run on small synthetic dumps and gcov JSON. The round trip
builds tests/scripts/gcov_fixture/sample.c twice with the host gcc: once
with Pagoda's runtime (subsys/coverage/gcov.c, the dump on stdout) and once
with gcc's libgcov; the .gcda written from the dump must equal libgcov's
byte for byte but for the stamp (each compile draws its own), and gcov must
read it with the counts the program's run implies. The end-to-end test
builds and boots tests/kernel/boot on qemu_x86 with CONFIG_COVERAGE_GCOV
(about 10 s) and checks the boot path shows as run.
"""

import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FIXTURE = HERE / "gcov_fixture"

sys.path.insert(0, str(REPO / "scripts"))
from pagoda_lib import coverage, gcov_dump, guest_coverage, testplan  # noqa: E402
from pagoda_lib.coverage import FileCoverage  # noqa: E402

DUMP = """console noise before the header is ignored
PAGODA-GCOV 1
O 4232322a 10 20 3 1 /tmp/x/a.c.gcda
F 1 2 3
C 0 3 5 0 ffffffffff
F -
F 4 5 6
C 0 2 0 0
O 4232322a 11 21 0 1 /tmp/x/b.c.gcda
PAGODA-GCOV END 2
"""


class Dump(unittest.TestCase):
    def test_parse_reads_objects_functions_and_counters(self):
        a, b = gcov_dump.parse(DUMP)
        self.assertEqual((a.version, a.stamp, a.checksum, a.path),
                         (0x4232322a, 0x10, 0x20, "/tmp/x/a.c.gcda"))
        self.assertEqual(a.types, [0])
        self.assertEqual(len(a.functions), 3)
        self.assertIsNone(a.functions[1])
        self.assertEqual(a.functions[0].counters, {0: [5, 0, 0xffffffffff]})
        self.assertEqual((b.path, b.functions), ("/tmp/x/b.c.gcda", []))

    def test_a_dump_cut_short_is_an_error(self):
        for text, what in ((DUMP.replace("PAGODA-GCOV END 2\n", ""), "cut short"),
                           (DUMP.replace("END 2", "END 3"), "names 3 objects"),
                           (DUMP.replace("C 0 3 5 0 ffffffffff", "C 0 3 5 0"), "cut short"),
                           (DUMP.replace("F 4 5 6\nC 0 2 0 0\n", ""), "2 of 3 functions"),
                           ("booted, no dump\n", "no dump"),
                           (DUMP.replace("C 0 2 0 0", "C 0 2 0 zz"), "not hex")):
            with self.subTest(what=what):
                with self.assertRaisesRegex(gcov_dump.DumpError, what):
                    gcov_dump.parse(text)

    def test_gcda_layout(self):
        a = gcov_dump.parse(DUMP)[0]
        data = gcov_dump.gcda_bytes(a, largest=0xffffffffff)
        words = list(memoryview(data).cast("I"))
        # magic, version, stamp, checksum; summary: tag, 8 bytes, 1 run, largest count
        self.assertEqual(words[:8], [0x67636461, 0x4232322a, 0x10, 0x20,
                                     0xa1000000, 8, 1, 0xffffffff])
        # function 1: tag, 12 bytes, ident, checksums; arcs: tag, 24 bytes, 3 counters
        self.assertEqual(words[8:15], [0x01000000, 12, 1, 2, 3, 0x01a10000, 24])
        self.assertEqual(words[15:21], [5, 0, 0, 0, 0xffffffff, 0xff])
        # another object's slot: length 0; all counters zero: negative length, no values
        self.assertEqual(words[21:23], [0x01000000, 0])
        self.assertEqual(words[23:30], [0x01000000, 12, 4, 5, 6, 0x01a10000,
                                        (-16) & 0xffffffff])
        self.assertEqual(words[30:], [0])

    def test_merge_adds_the_arcs_of_two_boots_of_one_build(self):
        first = gcov_dump.parse(DUMP)
        second = gcov_dump.parse(DUMP.replace("C 0 3 5 0 ffffffffff", "C 0 3 1 2 3"))
        merged = gcov_dump.merge(first + second)
        self.assertEqual(len(merged), 2)
        self.assertEqual(merged[0].functions[0].counters[0], [6, 2, 0xffffffffff + 3])
        self.assertEqual(first[0].functions[0].counters[0], [5, 0, 0xffffffffff])
        other = gcov_dump.parse(DUMP.replace("O 4232322a 10", "O 4232322a 99"))
        with self.assertRaisesRegex(gcov_dump.DumpError, "different builds"):
            gcov_dump.merge(first + other)


class Records(unittest.TestCase):
    DOC = {"files": [{"file": str(REPO / "kernel/mm/mm.c"),
                      "lines": [{"line_number": 10, "count": 2, "branches": [
                                    {"count": 2}, {"count": 0}]},
                                {"line_number": 11, "count": 0, "branches": []}],
                      "functions": [{"name": "k_mem_map", "start_line": 10,
                                     "execution_count": 2},
                                    {"name": "helper", "start_line": 20,
                                     "execution_count": 0}]}]}

    def test_gcov_json_becomes_records_summed_over_objects(self):
        files = guest_coverage.records_from_json([self.DOC, self.DOC])
        cov = files["kernel/mm/mm.c"]
        self.assertEqual(cov.lines, {10: 4, 11: 0})
        self.assertEqual(cov.branches, {(10, 0, 0): 4, (10, 0, 1): 0})
        self.assertEqual(cov.functions, {"k_mem_map": [10, 4], "helper": [20, 0]})

    def test_board_table_and_scope(self):
        runs = [guest_coverage.GuestRun("qemu_x86", "s", True, "", None,
                                        guest_coverage.scoped(
                                            guest_coverage.records_from_json([self.DOC])), 1.0),
                guest_coverage.GuestRun("qemu_x86_64", "s", True, "", None, {
                    "kernel/mm/mm.c": FileCoverage(lines={10: 1, 11: 1})}, 1.0)]
        boards, merged = guest_coverage.by_board(runs)
        self.assertEqual(merged["kernel/mm/mm.c"].lines, {10: 3, 11: 1})
        rows = guest_coverage.board_table_lines(boards, sorted(merged))
        self.assertEqual(rows[1].split(), ["kernel/mm/mm.c", "50.0%", "100.0%"])
        self.assertEqual(rows[-1].split(), ["total", "50.0%", "100.0%"])
        self.assertEqual(guest_coverage.scoped({"tests/kernel/boot/src/main.c": FileCoverage(),
                                                "subsys/ztest/ztest.c": FileCoverage()}), {})

    def test_instrumented_scenario(self):
        s = testplan.Scenario(REPO / "tests/kernel/boot", "kernel.boot", "qemu_x86",
                              ("CONFIG_X=y",), 60.0)
        i = guest_coverage.instrumented(s)
        self.assertEqual(i.extra_configs, ("CONFIG_X=y", guest_coverage.CONFIG_LINE))
        self.assertEqual(i.timeout, 60.0 * guest_coverage.TIME_FACTOR)

    def test_user_mode_scenarios_are_not_planned(self):
        said = []
        scenarios = guest_coverage.plan([REPO / "tests/kernel/usermode", REPO / "tests/kernel/boot"],
                                        ["qemu_x86_64"], say=said.append)
        self.assertEqual({s.suite_dir.name for s in scenarios}, {"boot"})
        self.assertTrue(said and all("CONFIG_USERSPACE" in line for line in said), said)
        extra = testplan.Scenario(REPO / "tests/kernel/boot", "kernel.boot", "qemu_x86",
                                  ("CONFIG_USERSPACE=y",), 60.0)
        self.assertTrue(guest_coverage.needs_user_mode(extra))


def _gcov():
    return shutil.which(guest_coverage.gcov_tool()) is not None and shutil.which("gcc")


def _compile(out, *args):
    subprocess.run(["gcc", "-O1", *args], cwd=out, check=True, capture_output=True)


def _line_counts(gcov_text):
    """{line: count or 0 for '#####'} of a .gcov file's executable lines."""
    counts = {}
    for line in gcov_text.splitlines():
        count, number = (p.strip() for p in line.split(":")[:2])
        if count not in ("-", "") and int(number) > 0:
            counts[int(number)] = 0 if count == "#####" else int(count.rstrip("*"))
    return counts


@unittest.skipUnless(_gcov(), "gcc or its gcov missing")
class RoundTrip(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="pagoda-gcov-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)

    def _runtime_build(self):
        out = self.tmp / "runtime"
        out.mkdir()
        inc = [f"-I{REPO / 'include'}", f"-I{REPO / 'kernel' / 'include'}"]
        _compile(out, "-fprofile-arcs", "-ftest-coverage", "-fprofile-info-section=gcov_info",
                 "-c", str(FIXTURE / "sample.c"), "-o", "sample.o")
        _compile(out, *inc, "-Wall", "-Wextra", "-Werror", "-c",
                 str(REPO / "subsys/coverage/gcov.c"), "-o", "gcov.o")
        _compile(out, *inc, "-c", str(FIXTURE / "main_runtime.c"), "-o", "main.o")
        _compile(out, "sample.o", "gcov.o", "main.o", "-o", "prog")
        run = subprocess.run([str(out / "prog")], cwd=out, capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr)
        return out, run.stdout

    def _libgcov_build(self):
        out = self.tmp / "libgcov"
        out.mkdir()
        _compile(out, "--coverage", "-c", str(FIXTURE / "sample.c"), "-o", "sample.o")
        _compile(out, "-c", str(FIXTURE / "main_libgcov.c"), "-o", "main.o")
        _compile(out, "--coverage", "sample.o", "main.o", "-o", "prog")
        self.assertEqual(subprocess.run([str(out / "prog")], cwd=out).returncode, 0)
        return out

    def test_dump_to_gcda_matches_libgcov_and_gcov_reads_it(self):
        out, dump = self._runtime_build()
        objects = gcov_dump.parse(dump)
        self.assertEqual([Path(o.path).name for o in objects], ["sample.gcda"])
        written = gcov_dump.write_gcda(objects)
        self.assertEqual(written, [out / "sample.gcda"])
        ours = written[0].read_bytes()
        theirs = (self._libgcov_build() / "sample.gcda").read_bytes()
        # Byte 8-11 is the stamp of the compile; everything else is the run's.
        self.assertEqual(len(ours), len(theirs))
        self.assertEqual(ours[:8] + ours[12:], theirs[:8] + theirs[12:])

        subprocess.run([guest_coverage.gcov_tool(), "sample.gcda"], cwd=out, check=True,
                       capture_output=True)
        counts = _line_counts((out / "sample.c.gcov").read_text())
        # collatz(6): 6 3 10 5 16 8 4 2 1, 8 steps, 6 of them halving.
        self.assertEqual(counts[10], 9)         # while (n != 1)
        self.assertEqual(counts[11], 8)         # if (n % 2 == 0)
        self.assertEqual(counts[12], 6)         # n /= 2
        self.assertEqual(counts[14], 2)         # n = 3 * n + 1
        self.assertEqual(counts[23], 0)         # never_called()

        files = guest_coverage.gcov_records(written, out)
        cov = files["tests/scripts/gcov_fixture/sample.c"]
        self.assertEqual(cov.lines[12], 6)
        self.assertEqual(cov.functions["collatz"][1], 1)
        self.assertEqual(cov.functions["never_called"][1], 0)
        self.assertEqual(sorted(c for k, c in cov.branches.items() if k[0] == 11), [2, 6])


def _boots():
    return _gcov() and shutil.which("qemu-system-i386") and shutil.which("i686-linux-gnu-gcc")


@unittest.skipUnless(_boots(), "QEMU, the i686 cross compiler or gcov missing")
class GuestBoot(unittest.TestCase):
    def test_boot_suite_dumps_and_the_command_prints_its_coverage(self):
        scenario = next(s for s in testplan.expand(REPO / "tests/kernel/boot", ["qemu_x86"])
                        if s.name == "kernel.boot")
        said = []
        with tempfile.TemporaryDirectory(prefix="pagoda-guest-cov-") as tmp:
            status, host, files = coverage.run(tmp, skip_unit=True, skip_fuzz=True, html=False,
                                               jobs=1, say=said.append, guest=[scenario])
            build = scenario.build_dir(Path(tmp) / "coverage" / "work" / "guest")
            self.assertTrue(list(build.rglob("init.c.gcda")), "the .gcda files written")
            report = (Path(tmp) / "coverage" / "report.txt").read_text().splitlines()
        self.assertEqual(status, 0, "\n".join(said))
        self.assertEqual(host, {})
        self.assertTrue(any("objects dumped" in line for line in said), "\n".join(said))
        self.assertEqual(files["kernel/init.c"].functions["z_cstart"][1], 1)
        self.assertGreater(files["arch/x86/core/cpu.c"].functions["arch_name"][1], 0)
        self.assertNotIn("subsys/coverage/gcov.c", files)
        table = coverage.parse_table(said)
        self.assertEqual(table, coverage.parse_table(report), "printed and written tables")
        covered, total, _, _ = table["arch/x86/core/prep_c.c"]
        self.assertGreater(covered, 0)
        self.assertEqual(table["kernel/init.c"][:2], (files["kernel/init.c"].lines_covered,
                                                      len(files["kernel/init.c"].lines)))
        per_board = next(i for i, line in enumerate(said) if line == "guest, lines per board:")
        self.assertEqual(said[per_board + 1].split(), ["file", "qemu_x86"])


if __name__ == "__main__":
    unittest.main()
