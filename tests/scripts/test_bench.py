# SPDX-License-Identifier: Apache-2.0
"""Tests of scripts/pagoda_lib/bench.py: parsing, variants, derived figures and
the Markdown table. Pure: no build, no QEMU."""

import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "scripts"))
from pagoda_lib import bench, bench_targets, bench_workloads, workloads  # noqa: E402
from pagoda_lib.project import PagodaError  # noqa: E402

F = bench.Figure


def result(name, board, figures, configs=("CONFIG_EVICTION_LRU=y",), error=None):
    return bench.Result(bench.Variant(name, board, tuple(configs)), list(figures), error=error)


class ParseTest(unittest.TestCase):
    def test_line(self):
        self.assertEqual(bench.parse_line("BENCH qemu_x86 map_lock_rw 16 628 instr/page\r"),
                         ("qemu_x86", F("map_lock_rw", "16", 628, "instr/page")))

    def test_not_a_figure(self):
        for line in ("BENCH done", "hello", "BENCH a b c notanumber unit",
                     "BENCH warning clean: 1 faults", "XBENCH a b c 1 d"):
            self.assertIsNone(bench.parse_line(line), line)

    def test_output_problems(self):
        figs, problems = bench.parse_output([
            "*** Booting Pagoda ***", "BENCH b page_copy - 526 instr/page",
            "BENCH warning clean: 64 faults, 60 clean and 4 dirty evictions", "BENCH done"])
        self.assertEqual(figs, [F("page_copy", "-", 526, "instr/page")])
        self.assertEqual(len(problems), 1)
        self.assertIn("warning clean", problems[0])


class VariantsTest(unittest.TestCase):
    DATA = {"boards": ["a", "b"], "timeout": 10,
            "variants": {"v1": {"configs": ["CONFIG_X=y"]},
                         "v2": {"boards": ["b", "c"], "configs": ["CONFIG_Y=1"], "timeout": 5,
                                "alone": True}}}

    def test_expand(self):
        vs = bench.variants_from_data(self.DATA)
        self.assertEqual([(v.board, v.name) for v in vs],
                         [("a", "v1"), ("b", "v1"), ("b", "v2"), ("c", "v2")])
        self.assertEqual(vs[2].configs, ("CONFIG_Y=1",))
        self.assertEqual((vs[0].timeout, vs[2].timeout), (10.0, 5.0))
        self.assertEqual([v.alone for v in vs], [False, False, True, True])

    def test_filter(self):
        vs = bench.variants_from_data(self.DATA, boards_filter=["c"])
        self.assertEqual([(v.board, v.name) for v in vs], [("c", "v2")])

    def test_bad(self):
        with self.assertRaises(PagodaError):
            bench.variants_from_data({"boards": ["a"]})
        with self.assertRaises(PagodaError):
            bench.variants_from_data({"boards": ["a"], "variants": {"v": {"configs": "X"}}})

    def test_repo_file(self):
        vs = bench.load_variants(bench.BENCH_APP / bench.BENCHMARK_YAML)
        boards = {v.board for v in vs}
        self.assertEqual(boards, {"qemu_x86", "qemu_x86_pae", "qemu_x86_64"})


class DeriveTest(unittest.TestCase):
    def test_memory_figures(self):
        facts = {"text": 100, "data": 200, "bss": 300, "pagetables": 8192 * 16,
                 "page_frames_bytes": 8 * 1024}
        cfg = {"CONFIG_SRAM_SIZE": "4096", "CONFIG_KERNEL_VM_SIZE": "0x4000000"}
        figs = {f.op: f for f in bench.derive(facts, cfg)}
        self.assertEqual(figs["pagetables_per_window_mib"].value, 8192 * 16 // 64)
        self.assertEqual(figs["frame_metadata"].value, 8)
        self.assertEqual(figs["image_bss"].value, 300)

    def test_no_frame_symbol(self):
        facts = {"text": 1, "data": 1, "bss": 1, "pagetables": 4096, "page_frames_bytes": None}
        cfg = {"CONFIG_SRAM_SIZE": "4096", "CONFIG_KERNEL_VM_SIZE": "0x400000"}
        self.assertNotIn("frame_metadata", [f.op for f in bench.derive(facts, cfg)])

    def test_init_slope(self):
        rs = [result("small", "b", [F("ram_frames", "-", 1000, "frames"),
                                    F("boot_to_main", "-", 50000, "instr")]),
              result("big", "b", [F("ram_frames", "-", 3000, "frames"),
                                  F("boot_to_main", "-", 90000, "instr")]),
              result("disk", "b", [F("ram_frames", "-", 9000, "frames"),
                                   F("boot_to_main", "-", 1, "instr")],
                     configs=("CONFIG_EVICTION_LRU=y", "CONFIG_BACKING_STORE_DISK=y"))]
        self.assertEqual(bench.init_per_frame(rs), {"b": 20.0})


class MarkdownTest(unittest.TestCase):
    def test_table(self):
        rs = [result("v1", "b", [F("map", "1", 10, "instr/page"), F("copy", "-", 5, "instr")]),
              result("v2", "b", [F("map", "1", 11, "instr/page"), F("copy", "-", 5, "instr"),
                                 F("live", "10000", 7, "instr")], error="timed out")]
        md = bench.markdown(rs)
        lines = md.splitlines()
        self.assertEqual(lines[0], "### b")
        self.assertIn("| figure | unit | v1 | v2 |", lines)
        self.assertIn("| map 1 | instr/page | 10 | 11 |", lines)
        self.assertIn("| copy | instr | 5 | 5 |", lines)
        self.assertIn("| live 10000 | instr |  | 7 |", lines)
        self.assertIn("v2: **timed out**", md)

    def test_scaling_series(self):
        rs = [result("big", "b", [F("ram_frames", "-", 3000, "frames"),
                                  F("fault_overhead", "read_clean", 600, "instr/fault")]),
              result("small", "b", [F("ram_frames", "-", 1000, "frames"),
                                    F("fault_overhead", "read_clean", 590, "instr/fault"),
                                    F("map_live_regions", "10", 1200, "instr"),
                                    F("map_live_regions", "1000", 1300, "instr")])]
        s = bench.scaling_series(rs)["b"]
        self.assertEqual(s["fault"], [(1000, {"read_clean": 590}), (3000, {"read_clean": 600})])
        self.assertEqual(s["regions"], [(10, 1200), (1000, 1300)])


class Targets(unittest.TestCase):
    """bench_targets.check: each limit, on both sides of it."""

    def rows(self, results):
        rows = bench_targets.check(results, bench.scaling_series(results))
        return {(r.target, r.board): r for r in rows}

    def test_map_targets_on_x86_64_only(self):
        figs = [F("page_zero", "-", 530, "instr/page"),
                F("map_lock_rw", "64", 552, "instr/page"), F("map_lock_rw", "1", 681, "instr/page"),
                F("map_lock_uninit", "1", 150, "instr/page"),
                F("unmap_lock_uninit", "1", 150, "instr/page"),
                F("map_lock_uninit", "64", 40, "instr/page"),
                F("unmap_lock_uninit", "64", 58, "instr/page")]
        rows = self.rows([result("v", "qemu_x86_64", figs), result("v", "qemu_x86", figs)])
        rw1 = rows["eager k_mem_map RW, 1 page", "qemu_x86_64"]
        self.assertEqual((rw1.limit, rw1.holds), ("<= zeroing + 150 = 530 + 150 = 680", False))
        self.assertTrue(rows["eager UNINIT map + unmap, 1 page, in all", "qemu_x86_64"].holds)
        self.assertTrue(rows["eager k_mem_map RW, 64 pages, per page (no worse than before)",
                             "qemu_x86_64"].holds)
        uninit = rows["eager UNINIT map + unmap, 64 pages, per page (no worse than before)",
                      "qemu_x86_64"]
        self.assertEqual((uninit.measured, uninit.holds), ("40 + 58 = 98", False))
        self.assertEqual(len(rows), 4)      # nothing for qemu_x86

    def test_default_fault_overhead_on_x86_64(self):
        def variant(name, board, over):
            return result(name, board, [F("fault_overhead", "read_clean", over, "instr/fault")],
                          configs=("CONFIG_EVICTION_CLOCK_2Q=y",))
        rows = self.rows([variant("clock2q-ram-64M", "qemu_x86_64", 300),
                          variant("clock2q-ram-4M", "qemu_x86_64", 301),
                          variant("clock2q-ram-64M", "qemu_x86", 301)])
        key = "fault overhead, default algorithm (clock2q-ram-64M)"
        self.assertTrue(rows[key, "qemu_x86_64"].holds)
        self.assertNotIn((key, "qemu_x86"), rows)
        rows = self.rows([variant("clock2q-ram-64M", "qemu_x86_64", 301)])
        self.assertFalse(rows[key, "qemu_x86_64"].holds)

    def test_fault_overhead_of_every_algorithm_and_scaling(self):
        def variant(name, frames, over, algo="LRU"):
            return result(name, "b", [F("ram_frames", "-", frames, "frames"),
                                      F("fault_overhead", "read_clean", over, "instr/fault")],
                          configs=(f"CONFIG_EVICTION_{algo}=y",))
        rows = self.rows([variant("small", 1000, 1000), variant("large", 16000, 1201),
                          variant("nru", 1000, 50000, "NRU")])
        self.assertTrue(rows["fault overhead, small", "b"].holds)
        self.assertFalse(rows["fault overhead, large", "b"].holds)
        self.assertFalse(rows["fault overhead, nru", "b"].holds)   # NRU is O(1) now: no exemption
        scaling = rows["fault overhead read_clean, 16x the frames", "b"]
        self.assertEqual((scaling.measured, scaling.holds), ("1201 vs 1000 (1.20x)", False))

    def test_page_io_and_regions(self):
        figs = [F("page_copy", "-", 500, "instr/page"), F("page_out", "-", 800, "instr/page"),
                F("page_in", "-", 801, "instr/page"), F("map_live_regions", "10", 1000, "instr"),
                F("map_live_regions", "10000", 2000, "instr")]
        rows = self.rows([result("v", "b", figs)])
        self.assertFalse(rows["k_mem_page_out / k_mem_page_in per page, v", "b"].holds)
        self.assertTrue(rows["k_mem_map with 10,000 live regions vs 10", "b"].holds)
        md = bench_targets.markdown(list(rows.values()))
        self.assertIn("| **no** |", md)
        self.assertIn("1 of 2 target rows hold.", md)

    def test_disk_targets_each_side(self):
        good = [F("disk_fault_cpu", "read", 2000, "instr"),
                F("disk_compute_share", "permille", 500, "permille"),
                F("disk_random_fault_wrote", "permille", 50, "permille")]
        bad = [F("disk_fault_cpu", "read", 2001, "instr"),
               F("disk_compute_share", "permille", 499, "permille"),
               F("disk_random_fault_wrote", "permille", 51, "permille")]
        rows = self.rows([result("ok", "b", good), result("miss", "b", bad)])
        disk = [r for (t, _), r in rows.items() if t.startswith(("disk", "CPU", "faults"))]
        self.assertEqual(len(disk), 6)
        for r in disk:
            self.assertEqual(r.holds, r.target.endswith(", ok"), r.target)


class WorkloadsTest(unittest.TestCase):
    def test_opt_textbook_example(self):
        # Silberschatz's reference string: 9 faults with 3 frames under OPT.
        seq = [7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1]
        self.assertEqual(workloads.opt_faults(seq, 3), 9)
        self.assertEqual(workloads.opt_faults(seq, 3, window=10), 3)

    def test_opt_on_a_loop_faults_about_once_a_pass(self):
        seq = list(range(11)) * 6
        self.assertEqual(workloads.opt_faults(seq, 10, window=33), 3)

    def test_sequences_are_the_guests(self):
        # Hashes the guest printed (qemu_x86_64, F = 256): the two generators agree.
        self.assertEqual(workloads.facts("cyclic_read_103", 256)["hash"], 1813504901)
        self.assertEqual(workloads.facts("zipf_400", 256)["hash"], 725699117)
        self.assertEqual(workloads.facts("hotset_400", 256)["hash"], 159372855)

    def test_bounds(self):
        u = workloads.facts("uniform_200", 64)
        self.assertEqual(u["bound"], round(u["accesses"] / 2))
        z = workloads.facts("zipf_400", 64)
        self.assertTrue(z["opt"] < z["bound"] < z["accesses"])


def wl_result(policy, board, faults, hash_delta=0, frames=64, name="cyclic_read_150"):
    host = workloads.facts(name, frames)
    figs = [F("wl_frames", "-", frames, "frames"),
            F("wl_pages", name, host["pages"], "pages"),
            F("wl_accesses", name, host["accesses"], "accesses"),
            F("wl_hash", name, host["hash"] + hash_delta, "fnv1a"),
            F("wl_faults", name, faults, "faults"),
            F("wl_instr_per_fault", name, 1500, "instr/fault"),
            F("wl_overhead", name, 900, "instr/fault")]
    return result(f"{policy}-ram-64M", board, figs, configs=(f"CONFIG_EVICTION_{policy.upper()}=y",))


class WorkloadTargetsTest(unittest.TestCase):
    def test_hash_mismatch_is_a_problem(self):
        rows, problems = bench_workloads.rows([wl_result("clock_2q", "qemu_x86_64", 10, 1)])
        self.assertEqual(rows, [])
        self.assertEqual(len(problems), 1)
        self.assertIn("is not the host's", problems[0])

    def test_cyclic_goal_against_opt(self):
        opt = workloads.facts("cyclic_read_150", 64)["opt"]
        rows, problems = bench_workloads.rows([
            wl_result("clock_2q", "qemu_x86_64", 2 * opt),
            wl_result("clock_2q", "qemu_x86", 2 * opt + 1),
            wl_result("lru", "qemu_x86", 10 * opt)])
        self.assertEqual(problems, [])
        checks = {(r.board, r.target): r for r in bench_workloads.check(rows, bench_targets.Row)}
        target = "cyclic_read_150: steady-pass faults <= 2 x OPT"
        self.assertTrue(checks["qemu_x86_64", target].holds)
        self.assertFalse(checks["qemu_x86", target].holds)
        self.assertEqual(len([c for c in checks.values() if "lru" in c.measured]), 0)
        md = bench_workloads.markdown(rows)
        self.assertIn("#### cyclic_read_150", md)
        self.assertIn("| qemu_x86 | lru |", md)

    def test_doc_section_replaced_between_markers(self):
        text = f"a\n{bench_workloads.BEGIN}\nold\n{bench_workloads.END}\nb\n"
        new = bench_workloads.replace_section(text, "new")
        self.assertIn("new", new)
        self.assertNotIn("old", new)
        self.assertTrue(new.startswith("a\n") and new.endswith("b\n"))
        self.assertIsNone(bench_workloads.replace_section("no markers", "new"))


if __name__ == "__main__":
    unittest.main()
