# SPDX-License-Identifier: Apache-2.0
"""Tests of scripts/gen_mmu.py, arch/x86/include/x86_mmu_size.h and scripts/check_relink.py.

GeometryTest checks that gen_mmu.py's PAGING_MODES and the C headers
(x86_mmu_size.h, the level table of x86_mmu.h) describe the same levels.

Run from the repository root:
    /usr/bin/python3 -m unittest discover -s tests/scripts -p 'test_*.py'

The core (size formula, table builder, walker) is tested without an ELF; the
command-line modes on synthetic two-pass images linked here from
tests/scripts/gen_mmu/image.S with i686-linux-gnu-gcc (ELF32) and gcc (ELF64).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from string import Template
from typing import Dict, List, Optional, Tuple

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts"
FIXTURES = Path(__file__).resolve().parent / "gen_mmu"
HEADER_DIR = REPO / "arch" / "x86" / "include"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"pagoda_{name}", SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


gm = _load("gen_mmu")
relink = _load("check_relink")

P, RW, US, XD = gm.MMU_P, gm.MMU_RW, gm.MMU_US, gm.MMU_XD
MODES = {1: gm.MODE_32BIT, 2: gm.MODE_PAE, 3: gm.MODE_IA32E}
KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


def entry(mode, blob: bytes, table: int, index: int) -> int:
    """Entry `index` of the table at page `table` of the blob."""
    size = mode.leaf.entry_size
    (value,) = struct.unpack_from(mode.entry_format, blob, table * 4096 + index * size)
    return value


def region(name: str, vaddr: int, size: int, perms: str, paddr: Optional[int] = None):
    return gm.Region(name, vaddr, vaddr if paddr is None else paddr, size,
                     writable="w" in perms, executable="x" in perms)


def brute_force_tables(mode, vm_base: int, vm_size: int, sram_base: int) -> int:
    """Tables counted page by page: the definition the formula must agree with."""
    pages = list(range(vm_base, vm_base + vm_size, 4096))
    if vm_base != sram_base:
        pages.append(sram_base)
    total = 1
    for parent in mode.levels[:-1]:
        total += len({p >> parent.shift for p in pages})
    return total


# (mode, vm_base, vm_size, sram_base, expected tables), worked out by hand.
SIZE_CASES: List[Tuple[int, int, int, int, int]] = [
    (1, 0x100000, 8 * MIB, 0x100000, 1 + 3),               # identity, PTs 0..2
    (1, 0xC0000000, 16 * MIB, 0x100000, 1 + 4 + 1),        # offset: 4 PTs + boot PT
    (1, 0x3FF000, 0x2000, 0x3FF000, 1 + 2),                # crosses a 4 MiB PT boundary
    (1, 0x200000, 2 * MIB, 0x100000, 1 + 1),               # boot page shares the window's PT
    (1, 0xFFC00000, 4 * MIB, 0x100000, 1 + 1 + 1),         # window ends at 4 GiB
    (2, 0x100000, 8 * MIB, 0x100000, 1 + 1 + 5),
    (2, 0xC0000000, 16 * MIB, 0x100000, 1 + 2 + 9),        # boot adds a PD and a PT
    (2, 0x3FFFF000, 0x2000, 0x3FFFF000, 1 + 2 + 2),        # crosses 1 GiB (PD) and 2 MiB (PT)
    (2, 0x40000000, 2 * MIB, 0x100000, 1 + 2 + 2),
    (3, 0x100000, 64 * MIB, 0x100000, 1 + 1 + 1 + 33),     # qemu_x86_64 default window
    (3, 0x40000000, 8 * MIB, 0x100000, 1 + 1 + 2 + 5),
    (3, 0x7FFFFFF000, 0x2000, 0x100000, 1 + 2 + 3 + 3),    # crosses 512 GiB (PDPT)
    (3, 0xFFFFFFFF80000000, 2 * MIB, 0x100000, 1 + 2 + 2 + 2),  # upper half
]


class PagingLevelsTest(unittest.TestCase):
    def test_level_table(self) -> None:
        self.assertEqual([lvl.name for lvl in gm.MODE_32BIT.levels], ["PD", "PT"])
        self.assertEqual([lvl.name for lvl in gm.MODE_PAE.levels], ["PDPT", "PD", "PT"])
        self.assertEqual([lvl.name for lvl in gm.MODE_IA32E.levels], ["PML4", "PDPT", "PD", "PT"])
        for mode in MODES.values():
            self.assertEqual(mode.leaf.shift, 12)
            for upper, lower in zip(mode.levels, mode.levels[1:]):
                # Each entry of a level covers exactly one table of the next.
                self.assertEqual(upper.entry_scope, lower.entry_scope * lower.entries)
            for lvl in mode.levels[1:]:
                self.assertEqual(lvl.table_bytes, 4096)
        self.assertEqual(gm.MODE_PAE.top.table_bytes, 32)
        self.assertFalse(gm.MODE_32BIT.has_xd)
        self.assertTrue(gm.MODE_PAE.has_xd and gm.MODE_IA32E.has_xd)


# A program that prints the C side's paging geometry: the macros of
# x86_mmu_size.h and the level table of x86_mmu.h, one fact a line.
GEOMETRY_PROGRAM = r"""
#include <stdio.h>
#include "x86_mmu.h"

#define SIZE_LEVEL(n) printf("size-level %d %d %d\n", n, Z_X86_LEVEL_SHIFT(n), Z_X86_LEVEL_ENTRIES(n))

int main(void)
{
	printf("entry-size %d %d\n", (int)sizeof(pentry_t), Z_X86_ENTRY_SIZE);
	printf("levels %d %d\n", (int)ARRAY_SIZE(z_x86_paging_levels), Z_X86_NUM_LEVELS);
	printf("va-bits %d\n", Z_X86_VA_BITS);
	printf("xd %d\n", X86_MMU_XD != 0);
	printf("addr-mask %llu\n", (unsigned long long)X86_MMU_ADDR_MASK);
	SIZE_LEVEL(0);
	SIZE_LEVEL(1);
#if Z_X86_NUM_LEVELS > 2
	SIZE_LEVEL(2);
#endif
#if Z_X86_NUM_LEVELS > 3
	SIZE_LEVEL(3);
#endif
	for (unsigned int i = 0; i < ARRAY_SIZE(z_x86_paging_levels); i++) {
		const struct x86_paging_level *l = &z_x86_paging_levels[i];

		printf("level %u %s %u %u %d\n", i, l->name, l->shift, l->entries, l->large_pages);
	}
	return 0;
}
"""


def mode_defines(mode_no: int, base: int = 0x100000, size: int = 16 * MIB,
                 sram: int = 0x100000) -> List[str]:
    """-D flags for a build in paging mode mode_no (1, 2, 3) with the given window."""
    flags = [f"-DCONFIG_KERNEL_VM_BASE=0x{base:x}", f"-DCONFIG_KERNEL_VM_SIZE=0x{size:x}",
             f"-DCONFIG_SRAM_BASE_ADDRESS=0x{sram:x}"]
    if mode_no == 3:
        flags += ["-DCONFIG_X86_64=1", "-DCONFIG_X86_XD=1"]
    elif mode_no == 2:
        flags += ["-DCONFIG_X86_PAE=1", "-DCONFIG_X86_XD=1"]
    return flags


def compile_geometry(mode_no: int, header_dir: Path, tmp: Path) -> subprocess.CompletedProcess:
    """Build GEOMETRY_PROGRAM on the host against header_dir; the compile result."""
    src = tmp / "geometry.c"
    src.write_text(GEOMETRY_PROGRAM)
    return subprocess.run(["gcc", "-std=gnu11", "-Wall", "-Wextra", "-Werror",
                           "-DCONFIG_MMU_PAGE_SIZE=4096", *mode_defines(mode_no),
                           "-I", str(header_dir), "-I", str(REPO / "include"), str(src),
                           "-o", str(tmp / "geometry")],
                          capture_output=True, text=True)


@unittest.skipUnless(shutil.which("gcc"), "host gcc is not installed")
class GeometryTest(unittest.TestCase):
    """gen_mmu.py's PAGING_MODES and the C headers describe the same paging levels."""

    def test_c_headers_match_the_mode_table(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            for mode_no, mode in MODES.items():
                with self.subTest(mode=mode.name):
                    built = compile_geometry(mode_no, HEADER_DIR, Path(tmp))
                    self.assertEqual(built.returncode, 0, built.stderr)
                    out = subprocess.run([str(Path(tmp) / "geometry")], check=True,
                                         capture_output=True, text=True).stdout
                    facts: Dict[str, List[List[str]]] = {}
                    for line in out.splitlines():
                        key, *values = line.split()
                        facts.setdefault(key, []).append(values)
                    n = len(mode.levels)
                    self.assertEqual(facts["levels"], [[str(n), str(n)]])
                    self.assertEqual({lvl.entry_size for lvl in mode.levels}, {mode.leaf.entry_size})
                    size = str(mode.leaf.entry_size)
                    self.assertEqual(facts["entry-size"], [[size, size]])
                    self.assertEqual(facts["va-bits"], [[str(mode.va_bits)]])
                    self.assertEqual(facts["xd"], [[str(int(mode.has_xd))]])
                    self.assertEqual({lvl.addr_mask for lvl in mode.levels}, {mode.leaf.addr_mask})
                    self.assertEqual(facts["addr-mask"], [[str(mode.leaf.addr_mask)]])
                    self.assertEqual(facts["size-level"],
                                     [[str(i), str(lvl.shift), str(lvl.entries)]
                                      for i, lvl in enumerate(mode.levels)])
                    self.assertEqual(facts["level"],
                                     [[str(i), lvl.name, str(lvl.shift), str(lvl.entries),
                                       str(int(lvl.large_pages))]
                                      for i, lvl in enumerate(mode.levels)])

    def test_inconsistent_geometry_fails_the_build(self) -> None:
        # A shift changed in x86_mmu_size.h alone no longer chains with the
        # entries of the level below: x86_mmu.h's build-time asserts refuse it.
        cases = [
            (1, "Z_X86_LEVEL0_SHIFT", "22", "21"),
            (2, "Z_X86_LEVEL1_SHIFT", "21", "22"),
            (3, "Z_X86_LEVEL2_ENTRIES", "512", "1024"),
            (3, "Z_X86_ENTRY_SIZE", "8", "4"),
        ]
        marker = {1: "/* 32-bit:", 2: "/* PAE:", 3: "/* IA-32e:"}
        header = (HEADER_DIR / "x86_mmu_size.h").read_text()
        for mode_no, name, before, after in cases:
            with self.subTest(mode=mode_no, macro=name, value=after), \
                    tempfile.TemporaryDirectory() as tmp:
                # The first definition of name in the mode's block.
                start = header.index(marker[mode_no])
                define = re.compile(rf"^(#define {name}\s+){before}$", re.M)
                found = define.search(header, start)
                self.assertIsNotNone(found, f"{name} {before} in {marker[mode_no]}")
                assert found is not None
                changed = header[:found.start()] + found.group(1) + after + header[found.end():]
                headers = Path(tmp) / "include"
                shutil.copytree(HEADER_DIR, headers)
                (headers / "x86_mmu_size.h").write_text(changed)
                built = compile_geometry(mode_no, headers, Path(tmp))
                self.assertNotEqual(built.returncode, 0, "the inconsistent geometry compiled")
                self.assertRegex(built.stderr, r"static assertion failed: \"x86_mmu_size.h: ")


class SizeFormulaTest(unittest.TestCase):
    def test_hand_computed(self) -> None:
        for mode_no, base, size, sram, tables in SIZE_CASES:
            with self.subTest(mode=mode_no, base=hex(base), size=hex(size), sram=hex(sram)):
                self.assertEqual(gm.pagetables_size(MODES[mode_no], base, size, sram), tables * 4096)

    def test_matches_page_by_page_count(self) -> None:
        for mode_no, base, size, sram, _ in SIZE_CASES:
            with self.subTest(mode=mode_no, base=hex(base)):
                mode = MODES[mode_no]
                self.assertEqual(gm.pagetables_size(mode, base, size, sram),
                                 brute_force_tables(mode, base, size, sram) * 4096)

    def test_matches_table_plan(self) -> None:
        # The generator lays out exactly as many tables as the formula reserves.
        for mode_no, base, size, sram, tables in SIZE_CASES:
            with self.subTest(mode=mode_no, base=hex(base)):
                plan = gm.plan_tables(gm.Layout(MODES[mode_no], base, size, sram))
                self.assertEqual(plan.size, tables * 4096)

    @staticmethod
    def _defines(mode_no: int, base: int, size: int, sram: int) -> List[str]:
        flags = [f"-DCONFIG_KERNEL_VM_BASE=0x{base:x}", f"-DCONFIG_KERNEL_VM_SIZE=0x{size:x}",
                 f"-DCONFIG_SRAM_BASE_ADDRESS=0x{sram:x}"]
        if mode_no == 3:
            flags.append("-DCONFIG_X86_64=1")
        elif mode_no == 2:
            flags.append("-DCONFIG_X86_PAE=1")
        return flags

    @unittest.skipUnless(shutil.which("gcc"), "host gcc is not installed")
    def test_c_header_gives_the_same_size(self) -> None:
        program = (
            '#include <stdio.h>\n#include "x86_mmu_size.h"\n'
            "/* Usable as an array size: an integer constant expression. */\n"
            "static char area[Z_X86_PAGETABLES_SIZE];\n"
            "int main(void) { printf(\"%llu %d\\n\", (unsigned long long)sizeof(area), "
            "Z_X86_NUM_LEVELS); return 0; }\n")
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "size.c"
            src.write_text(program)
            for mode_no, base, size, sram, _ in SIZE_CASES:
                with self.subTest(mode=mode_no, base=hex(base), size=hex(size), sram=hex(sram)):
                    exe = Path(tmp) / "size"
                    subprocess.run(["gcc", "-std=gnu11", "-Wall", "-Wextra", "-Werror",
                                    *self._defines(mode_no, base, size, sram),
                                    "-I", str(HEADER_DIR), str(src), "-o", str(exe)],
                                   check=True, capture_output=True, text=True)
                    out = subprocess.run([str(exe)], check=True, capture_output=True,
                                         text=True).stdout.split()
                    mode = MODES[mode_no]
                    self.assertEqual(int(out[0]), gm.pagetables_size(mode, base, size, sram))
                    self.assertEqual(int(out[1]), len(mode.levels))

    @unittest.skipUnless(shutil.which("i686-linux-gnu-gcc"), "i686-linux-gnu-gcc is not installed")
    def test_c_header_on_the_32bit_compiler(self) -> None:
        # The firmware compiler sees the same value (checked at compile time).
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "size.c"
            for mode_no, base, size, sram, _ in SIZE_CASES:
                if mode_no == 3:
                    continue
                expected = gm.pagetables_size(MODES[mode_no], base, size, sram)
                src.write_text('#include "x86_mmu_size.h"\n'
                               f"_Static_assert(Z_X86_PAGETABLES_SIZE == {expected}ULL, \"size\");\n"
                               "char z_x86_pagetables_placeholder[Z_X86_PAGETABLES_SIZE];\n")
                with self.subTest(mode=mode_no, base=hex(base)):
                    r = subprocess.run(["i686-linux-gnu-gcc", "-std=gnu11", "-ffreestanding",
                                        "-Wall", "-Wextra", "-Werror", "-c",
                                        *self._defines(mode_no, base, size, sram),
                                        "-I", str(HEADER_DIR), str(src), "-o", os.devnull],
                                       capture_output=True, text=True)
                    self.assertEqual(r.returncode, 0, r.stderr)

    def test_size_cli(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / ".config"
            config.write_text(dot_config(2, 0xC0000000, 16 * MIB, 0x100000))
            out = run_script("gen_mmu.py", "--size", "--config", str(config))
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertEqual(out.stdout.strip(), str(12 * 4096))


class BuildTablesTest(unittest.TestCase):
    TP = 0x200000  # physical address of the area in these tests

    def test_32bit_identity(self) -> None:
        mode = gm.MODE_32BIT
        regions = [region(".boot", 0x100000, 0x100, "rx"), region(".text", 0x101000, 0x1000, "rx"),
                   region(".rodata", 0x102000, 0x1800, "r"), region(".data", 0x104000, 0x2000, "rw")]
        blob = gm.build_tables(mode, regions, vm_base=0x100000, vm_size=8 * MIB,
                               sram_base=0x100000, tables_phys=self.TP)
        self.assertEqual(len(blob), 4 * 4096)
        # PD -> PTs for the three 4 MiB blocks the window touches, P|RW.
        self.assertEqual([entry(mode, blob, 0, i) for i in range(4)],
                         [self.TP + 0x1000 | P | RW, self.TP + 0x2000 | P | RW,
                          self.TP + 0x3000 | P | RW, 0])
        pt = [entry(mode, blob, 1, i) for i in range(1024)]
        self.assertEqual(pt[0], 0, "NULL page")
        self.assertEqual(pt[0x100:0x107], [0x100000 | P, 0x101000 | P, 0x102000 | P, 0x103000 | P,
                                           0x104000 | P | RW, 0x105000 | P | RW, 0])
        self.assertEqual(sum(1 for e in pt if e), 6)
        self.assertFalse(any(blob[2 * 4096:]), "PTs of the rest of the window are empty")

    def test_pae_offset(self) -> None:
        mode = gm.MODE_PAE
        off = 0xC0000000 - 0x100000
        regions = [region(".boot", 0x100000, 0x20, "rx"),
                   region(".text", 0xC0001000, 0x800, "rx", 0x101000),
                   region(".rodata", 0xC0002000, 0x1000, "r", 0x102000),
                   region(".data", 0xC0003000, 0x10, "rw", 0xC0003000 - off),
                   region(".bss", 0xC0003010, 0x3000, "rw", 0xC0003010 - off)]
        blob = gm.build_tables(mode, regions, vm_base=0xC0000000, vm_size=4 * MIB,
                               sram_base=0x100000, tables_phys=self.TP)
        # PDPT, PD(0 GiB), PD(3 GiB), PT(boot), PT(0xC0000000), PT(0xC0200000)
        self.assertEqual(len(blob), 6 * 4096)
        self.assertEqual([entry(mode, blob, 0, i) for i in range(4)],
                         [self.TP + 0x1000 | P, 0, 0, self.TP + 0x2000 | P], "PDPTEs are P only")
        self.assertFalse(any(blob[32:4096]), "the PDPT page is zero past its 4 entries")
        self.assertEqual(entry(mode, blob, 1, 0), self.TP + 0x3000 | P | RW)
        self.assertEqual(entry(mode, blob, 2, 0), self.TP + 0x4000 | P | RW)
        self.assertEqual(entry(mode, blob, 2, 1), self.TP + 0x5000 | P | RW)
        self.assertEqual(entry(mode, blob, 3, 0x100), 0x100000 | P, "boot page identity RX")
        self.assertEqual(entry(mode, blob, 4, 0), 0, "first window page unmapped")
        self.assertEqual(entry(mode, blob, 4, 1), 0x101000 | P)
        self.assertEqual(entry(mode, blob, 4, 2), 0x102000 | P | XD)
        for i, phys in ((3, 0x103000), (4, 0x104000), (5, 0x105000), (6, 0x106000)):
            self.assertEqual(entry(mode, blob, 4, i), phys | P | RW | XD)
        self.assertEqual(entry(mode, blob, 4, 7), 0)
        self.assertFalse(any(blob[5 * 4096:]))

    def test_ia32e_identity(self) -> None:
        mode = gm.MODE_IA32E
        regions = [region(".boot", 0x100000, 0x10, "rx"), region(".text", 0x101000, 0x2000, "rx"),
                   region(".rodata", 0x103000, 0x1000, "r"), region(".data", 0x104000, 0x1000, "rw")]
        blob = gm.build_tables(mode, regions, vm_base=0x100000, vm_size=4 * MIB,
                               sram_base=0x100000, tables_phys=self.TP, area_size=7 * 4096)
        self.assertEqual(len(blob), 7 * 4096, "padded to the area size")
        self.assertFalse(any(blob[6 * 4096:]))
        self.assertEqual(entry(mode, blob, 0, 0), self.TP + 0x1000 | P | RW)   # PML4
        self.assertEqual(entry(mode, blob, 1, 0), self.TP + 0x2000 | P | RW)   # PDPT
        self.assertEqual([entry(mode, blob, 2, i) for i in range(4)],          # PD
                         [self.TP + 0x3000 | P | RW, self.TP + 0x4000 | P | RW,
                          self.TP + 0x5000 | P | RW, 0])
        self.assertEqual([entry(mode, blob, 3, i) for i in range(0xFF, 0x106)],
                         [0, 0x100000 | P, 0x101000 | P, 0x102000 | P, 0x103000 | P | XD,
                          0x104000 | P | RW | XD, 0])
        self.assertEqual(entry(mode, blob, 3, 0), 0, "NULL page")
        for value in struct.unpack(f"<{len(blob) // 8}Q", blob):
            self.assertFalse(value & US, "US is never set")

    def test_ia32e_upper_half(self) -> None:
        mode = gm.MODE_IA32E
        base = 0xFFFFFFFF80000000
        off = base - 0x100000
        regions = [region(".boot", 0x100000, 0x10, "rx"),
                   region(".text", base + 0x1000, 0x1000, "rx", base + 0x1000 - off)]
        blob = gm.build_tables(mode, regions, vm_base=base, vm_size=2 * MIB,
                               sram_base=0x100000, tables_phys=self.TP)
        self.assertEqual(len(blob), gm.pagetables_size(mode, base, 2 * MIB, 0x100000))
        self.assertNotEqual(entry(mode, blob, 0, 511), 0, "PML4[511] covers the top 512 GiB")
        result = gm.walk(mode, memory_reader(blob, self.TP), self.TP)
        self.assertEqual(sorted((m.vaddr, m.paddr) for m in result.mappings),
                         [(0x100000, 0x100000), (base + 0x1000, 0x101000)])

    def test_walk_reads_back_every_mode(self) -> None:
        for mode_no, mode in MODES.items():
            with self.subTest(mode=mode.name):
                base, sram = 0x40000000, 0x100000
                off = base - sram
                regions = [region(".boot", sram, 0x100, "rx"),
                           region(".text", base + 0x1000, 0x1800, "rx", sram + 0x1000),
                           region(".rodata", base + 0x3000, 0x1000, "r", sram + 0x3000),
                           region(".data", base + 0x4000, 0x3000, "rw", sram + 0x4000)]
                blob = gm.build_tables(mode, regions, vm_base=base, vm_size=8 * MIB,
                                       sram_base=sram, tables_phys=self.TP)
                result = gm.walk(mode, memory_reader(blob, self.TP), self.TP)
                got = {m.vaddr: (m.paddr, m.writable, m.executable) for m in result.mappings}
                want: Dict[int, Tuple[int, bool, bool]] = {sram: (sram, False, True)}
                for va, (w, x) in {0x1000: (False, True), 0x2000: (False, True),
                                   0x3000: (False, not mode.has_xd), 0x4000: (True, not mode.has_xd),
                                   0x5000: (True, not mode.has_xd), 0x6000: (True, not mode.has_xd)}.items():
                    want[base + va] = (base + va - off, w, x)
                self.assertEqual(got, want)
                # Every table in the area is reachable: all are preallocated for the window.
                self.assertEqual(len({phys for _, phys in result.tables}), len(blob) // 4096)

    def test_deterministic(self) -> None:
        regions = [region(".text", 0x101000, 0x1000, "rx"), region(".data", 0x102000, 0x10, "rw")]
        args = dict(vm_base=0x100000, vm_size=4 * MIB, sram_base=0x100000, tables_phys=self.TP)
        self.assertEqual(gm.build_tables(gm.MODE_PAE, regions, **args),
                         gm.build_tables(gm.MODE_PAE, list(reversed(regions)), **args))


def memory_reader(blob: bytes, base: int):
    def read(phys: int, size: int) -> bytes:
        assert base <= phys and phys + size <= base + len(blob), hex(phys)
        return blob[phys - base:phys - base + size]
    return read


class PermissionRulesTest(unittest.TestCase):
    ARGS = dict(vm_base=0x100000, vm_size=8 * MIB, sram_base=0x100000, tables_phys=0x200000)

    def build(self, regions, mode=gm.MODE_PAE, **overrides) -> bytes:
        return gm.build_tables(mode, regions, **{**self.ARGS, **overrides})

    def assertRejected(self, regions, *fragments: str, **overrides) -> None:
        for mode in MODES.values():
            with self.subTest(mode=mode.name):
                with self.assertRaises(gm.GenMmuError) as ctx:
                    self.build(regions, mode, **overrides)
                for fragment in fragments:
                    self.assertIn(fragment, str(ctx.exception))

    def test_writable_and_executable_rejected(self) -> None:
        self.assertRejected([region(".wx", 0x101000, 0x100, "rwx")],
                            ".wx", "0x101000", "writable and executable")

    def test_shared_page_with_different_permissions_rejected(self) -> None:
        self.assertRejected([region(".text", 0x101000, 0x800, "rx"),
                             region(".rodata", 0x101800, 0x800, "r")],
                            ".text", ".rodata", "share page 0x101000")
        self.assertRejected([region(".rodata", 0x102000, 0x1010, "r"),
                             region(".data", 0x103010, 0x10, "rw")],
                            ".rodata", ".data", "0x103000")

    def test_shared_page_with_same_permissions_allowed(self) -> None:
        blob = self.build([region(".data", 0x104000, 0x10, "rw"), region(".bss", 0x104010, 0x10, "rw")])
        self.assertEqual(entry(gm.MODE_PAE, blob, 2, 0x104), 0x104000 | P | RW | XD)

    def test_app_memory_shares_no_page(self) -> None:
        # Memory-domain partitions hand app_smem's pages to user mode: no
        # other section's data may sit on them, whatever its permissions.
        self.assertRejected([region("app_smem", 0x104000, 0x1010, "rw"),
                             region(".data", 0x105010, 0x10, "rw")],
                            "app_smem", ".data", "0x105000")
        self.assertRejected([region(".data", 0x104000, 0x10, "rw"),
                             region("app_smem", 0x104010, 0x1000, "rw")],
                            "app_smem", "0x104000")
        blob = self.build([region(".data", 0x104000, 0x10, "rw"),
                           region("app_smem", 0x105000, 0x1000, "rw")])
        self.assertEqual(entry(gm.MODE_PAE, blob, 2, 0x105), 0x105000 | P | RW | XD)

    def test_null_page_rejected(self) -> None:
        self.assertRejected([region(".vectors", 0x800, 0x10, "r")], ".vectors", "NULL page",
                            vm_base=0, sram_base=0)
        self.assertRejected([region(".low", 0x0, 0x2000, "rw", 0x100000)], "NULL page",
                            vm_base=0, vm_size=4 * MIB, sram_base=0x100000)

    def test_outside_window_rejected(self) -> None:
        self.assertRejected([region(".far", 0x900000, 0x10, "r")], ".far", "outside",
                            "0x100000-0x900000")
        # With an offset, low memory other than the boot page is outside too.
        self.assertRejected([region(".low", 0x101000, 0x10, "r")], ".low", "outside", "boot page",
                            vm_base=0x40000000)
        # A section running off the end of the window.
        self.assertRejected([region(".bss", 0x8FF000, 0x2000, "rw")], ".bss", "0x900000")

    def test_wrong_physical_address_rejected(self) -> None:
        self.assertRejected([region(".text", 0x40001000, 0x10, "rx", 0x40001000)], ".text",
                            "VMA = LMA + offset", vm_base=0x40000000)
        self.assertRejected([region(".boot", 0x100000, 0x10, "rx", 0x200000)], "identity",
                            vm_base=0x40000000)

    def test_tables_must_fit_the_area(self) -> None:
        with self.assertRaises(gm.GenMmuError) as ctx:
            self.build([region(".text", 0x101000, 0x10, "rx")], area_size=4096)
        self.assertIn("holds 4096", str(ctx.exception))

    def test_window_must_be_addressable(self) -> None:
        with self.assertRaises(gm.GenMmuError):
            self.build([], gm.MODE_32BIT, vm_base=0xFFC00000, vm_size=8 * MIB)
        with self.assertRaises(gm.GenMmuError):
            self.build([], gm.MODE_IA32E, vm_base=0x7FFFFFE00000, vm_size=4 * MIB)
        with self.assertRaises(gm.GenMmuError):
            self.build([], gm.MODE_PAE, vm_size=0x1800)


class CheckRelinkCompareTest(unittest.TestCase):
    """check_relink.compare on hand-made symbol tables."""

    BASE = ({"a": [(0x1000, 4)], "b": [(0x2000, 8)], "z_x86_pagetables_start": [(0x5000, 0)],
             "z_x86_pagetables_end": [(0x6000, 0)], relink.PLACEHOLDER: [(0x5000, 0x1000)]},
            {".text": (0x1000, 0x1000), ".pagetables": (0x5000, 0x1000)}, 0x1000)

    def final(self, symbols=None, sections=None, entry_point=0x1000):
        syms = {k: v for k, v in self.BASE[0].items() if k != relink.PLACEHOLDER}
        syms.update(symbols or {})
        return ({k: v for k, v in syms.items() if v is not None},
                {**self.BASE[1], **(sections or {})}, entry_point)

    def test_identical_apart_from_placeholder(self) -> None:
        self.assertEqual(relink.compare(self.BASE, self.final({"blob": [(0x5000, 0)]})), [])

    def test_moved_resized_missing_and_new(self) -> None:
        problems = relink.compare(self.BASE, self.final(
            {"a": [(0x1004, 4)], "b": [(0x2000, 12)], "c": [(0x3000, 4)]},
            {".text": (0x1000, 0x1004)}, 0x1004))
        text = "\n".join(problems)
        self.assertIn("symbol a: 0x1000 (size 4) -> 0x1004 (size 4)", text)
        self.assertIn("symbol b: 0x2000 (size 8) -> 0x2000 (size 12)", text)
        self.assertIn("symbol c: only in the final link", text)
        self.assertIn("section .text: 0x1000 (size 4096) -> 0x1000 (size 4100)", text)
        self.assertIn("entry point", text)
        problems = relink.compare(self.BASE, self.final({"b": None}))
        self.assertEqual(problems, ["symbol b: missing from the final link (was 0x2000 (size 8))"])


# --------------------------------------------------------------------------
# Command-line modes on synthetic ELF images.


def run_script(name: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPTS / name), *args],
                          capture_output=True, text=True, cwd=str(REPO))


def dot_config(mode_no: int, vm_base: int, vm_size: int, sram_base: int) -> str:
    lines = [f"CONFIG_SRAM_BASE_ADDRESS=0x{sram_base:x}", f"CONFIG_KERNEL_VM_BASE=0x{vm_base:x}",
             f"CONFIG_KERNEL_VM_SIZE=0x{vm_size:x}", "CONFIG_MMU_PAGE_SIZE=0x1000",
             "CONFIG_SRAM_SIZE=32768", 'CONFIG_BOARD="synthetic"']
    lines.append("CONFIG_X86_64=y" if mode_no == 3 else "# CONFIG_X86_64 is not set")
    lines.append("CONFIG_X86_PAE=y" if mode_no == 2 else "# CONFIG_X86_PAE is not set")
    return "\n".join(lines) + "\n"


class Image:
    """A two-pass link of the synthetic image in its own folder."""

    LINK = ["-nostdlib", "-static", "-no-pie", "-Wl,--build-id=none", "-Wl,-z,max-page-size=4096",
            "-Wl,-z,noexecstack", "-Wl,--no-warn-rwx-segments"]

    def __init__(self, root: Path, name: str, mode_no: int, vm_base: int, vm_size: int,
                 sram_base: int = 0x100000, align_text: bool = True):
        self.dir = root / name
        self.dir.mkdir()
        self.mode_no, self.vm_base, self.vm_size, self.sram_base = mode_no, vm_base, vm_size, sram_base
        self.mode = MODES[mode_no]
        self.cc = "gcc" if mode_no == 3 else "i686-linux-gnu-gcc"
        self.offset = (vm_base - sram_base) % (1 << (64 if mode_no == 3 else 32))
        self.config = self.dir / ".config"
        self.config.write_text(dot_config(mode_no, vm_base, vm_size, sram_base))
        self.script = self.dir / "image.ld"
        self.script.write_text(Template((FIXTURES / "image.ld.in").read_text()).substitute(
            sram_base=f"0x{sram_base:x}", vm_base=f"0x{vm_base:x}", offset=f"0x{self.offset:x}",
            mode=str(mode_no), text_end_align=". = ALIGN(4096);" if align_text else ""))
        self.size = gm.pagetables_size(self.mode, vm_base, vm_size, sram_base)
        self.pre = self.dir / "pre.elf"
        self.blob = self.dir / "pagetables.bin"
        self.final = self.dir / "pagoda.elf"

    def link(self, out: Path, *defines: str) -> None:
        r = subprocess.run([self.cc, *self.LINK, f"-Wl,-T,{self.script}", *defines,
                            str(FIXTURES / "image.S"), "-o", str(out)],
                           capture_output=True, text=True)
        if r.returncode:
            raise AssertionError(f"linking {out} failed:\n{r.stderr}")

    def link_pre(self, *defines: str, pt_size: Optional[int] = None) -> None:
        self.link(self.pre, f"-DPT_SIZE={self.size if pt_size is None else pt_size}", *defines)

    def generate(self) -> subprocess.CompletedProcess:
        return run_script("gen_mmu.py", "--config", str(self.config), "--elf", str(self.pre),
                          "--output", str(self.blob))

    def link_final(self, *defines: str, out: Optional[Path] = None) -> Path:
        out = out or self.final
        self.link(out, f'-DBLOB="{self.blob}"', *defines)
        return out

    def build(self) -> "Image":
        self.link_pre()
        r = self.generate()
        if r.returncode:
            raise AssertionError(f"gen_mmu.py failed on {self.pre}:\n{r.stderr}")
        self.link_final()
        return self

    @property
    def text(self) -> int:
        """Virtual address of .text: the page after .boot's frame, in the window."""
        return self.sram_base + 0x1000 + ((self.vm_base - self.sram_base) % (1 << 64))

    def pagetables_file_offset(self, path: Path) -> int:
        from elftools.elf.elffile import ELFFile
        with open(path, "rb") as f:
            return ELFFile(f).get_section_by_name(".pagetables")["sh_offset"]

    def patch_entry(self, src: Path, dst: Path, table: int, index: int, value: int) -> None:
        data = bytearray(src.read_bytes())
        pos = self.pagetables_file_offset(src) + table * 4096 + index * self.mode.leaf.entry_size
        struct.pack_into(self.mode.entry_format, data, pos, value)
        dst.write_bytes(bytes(data))

    def read_entry(self, path: Path, table: int, index: int) -> int:
        data = path.read_bytes()
        pos = self.pagetables_file_offset(path) + table * 4096 + index * self.mode.leaf.entry_size
        return struct.unpack_from(self.mode.entry_format, data, pos)[0]

    def leaf_table_of(self, vaddr: int) -> int:
        """Page index in the area of the PT covering vaddr (the generator's layout)."""
        plan = gm.plan_tables(gm.Layout(self.mode, self.vm_base, self.vm_size, self.sram_base))
        last = len(self.mode.levels) - 1
        return plan.offsets[(last, vaddr >> self.mode.levels[last - 1].shift)] // 4096

    def leaf_index(self, vaddr: int) -> int:
        return (vaddr >> 12) % self.mode.leaf.entries


DUMP_LINE = re.compile(r"^0x([0-9a-f]+)-0x([0-9a-f]+)  phys 0x([0-9a-f]+)\s+(\d+ [KM]iB)  "
                       r"([r-][w-][x-])(?:  (.*))?$")


def parse_dump(text: str) -> List[Tuple[int, int, int, str, str, str]]:
    rows = []
    for line in text.splitlines():
        m = DUMP_LINE.match(line)
        if m:
            rows.append((int(m[1], 16), int(m[2], 16), int(m[3], 16), m[4], m[5], m[6] or ""))
    return rows


HAVE_I686 = shutil.which("i686-linux-gnu-gcc") is not None
HAVE_GCC = shutil.which("gcc") is not None


@unittest.skipUnless(HAVE_I686 and HAVE_GCC, "needs i686-linux-gnu-gcc and gcc")
class ElfTest(unittest.TestCase):
    root: Path
    images: Dict[str, Image]
    _tmp: tempfile.TemporaryDirectory

    @classmethod
    def setUpClass(cls) -> None:
        cls._tmp = tempfile.TemporaryDirectory(prefix="test_gen_mmu_")
        cls.root = Path(cls._tmp.name)
        cls.images = {
            "x86": Image(cls.root, "x86", 1, 0x100000, 4 * MIB).build(),
            "pae": Image(cls.root, "pae", 2, 0xC0000000, 8 * MIB).build(),
            "x86_64": Image(cls.root, "x86_64", 3, 0x40000000, 8 * MIB).build(),
            "x86_64_identity": Image(cls.root, "x86_64_identity", 3, 0x100000, 64 * MIB).build(),
        }

    @classmethod
    def tearDownClass(cls) -> None:
        cls._tmp.cleanup()

    def test_blob_is_placeholder_sized_and_stored(self) -> None:
        for name, img in self.images.items():
            with self.subTest(image=name):
                blob = img.blob.read_bytes()
                self.assertEqual(len(blob), img.size)
                start = img.pagetables_file_offset(img.final)
                self.assertEqual(img.final.read_bytes()[start:start + len(blob)], blob)

    def test_check_passes(self) -> None:
        for name, img in self.images.items():
            with self.subTest(image=name):
                r = run_script("gen_mmu.py", "--config", str(img.config), "--check", str(img.final))
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn("page tables OK", r.stdout)
                # --config defaults to the .config next to the ELF.
                r = run_script("gen_mmu.py", "--check", str(img.final), "-q")
                self.assertEqual((r.returncode, r.stdout), (0, ""), r.stderr)

    def test_check_relink_passes(self) -> None:
        for name, img in self.images.items():
            with self.subTest(image=name):
                r = run_script("check_relink.py", str(img.pre), str(img.final))
                self.assertEqual(r.returncode, 0, r.stderr)

    def test_check_relink_reports_moved_symbols(self) -> None:
        img = self.images["pae"]
        moved = img.link_final("-DEXTRA_DATA", out=img.dir / "moved.elf")
        r = run_script("check_relink.py", str(img.pre), str(moved))
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"symbol data_var: 0x[0-9a-f]+ \(size 4\) -> 0x[0-9a-f]+ \(size 8\)")
        self.assertRegex(r.stderr, r"section \.data: 0x[0-9a-f]+ \(size 4\) -> 0x[0-9a-f]+ \(size 8\)")
        self.assertNotIn("z_x86_pagetables_placeholder", r.stderr)

    def test_dump_offset_layout(self) -> None:
        img = self.images["x86_64"]
        r = run_script("gen_mmu.py", "--dump", str(img.final))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("\033[", r.stdout, "no colours when stdout is not a terminal")
        text, phys_text = img.text, 0x101000
        rw_end = text + 0x4000 + img.size + 0x2000  # .data page, .pagetables, .bss
        self.assertEqual(parse_dump(r.stdout), [
            (0x100000, 0x101000, 0x100000, "4 KiB", "r-x", ".boot"),
            (text, text + 0x1000, phys_text, "4 KiB", "r-x", ".text"),
            (text + 0x1000, text + 0x3000, phys_text + 0x1000, "8 KiB", "r--", ".rodata"),
            (text + 0x3000, rw_end, phys_text + 0x3000, f"{(rw_end - text - 0x3000) // 1024} KiB",
             "rw-", ".data .pagetables .bss"),
        ])
        self.assertIn("0x00100000-0x00101000  phys 0x00100000     4 KiB  r-x  .boot", r.stdout)
        tables = img.size // 4096
        self.assertIn(f"page tables: {tables} of {tables} tables used", r.stdout)

    def test_dump_identity_32bit(self) -> None:
        img = self.images["x86"]
        r = run_script("gen_mmu.py", "--dump", str(img.final), "--config", str(img.config))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("no XD", r.stdout)
        rows = parse_dump(r.stdout)
        # No XD: text and rodata coalesce into one executable range, data is rwx.
        self.assertEqual([(row[0], row[4], row[5]) for row in rows], [
            (0x100000, "r-x", ".boot .text .rodata"),
            (0x104000, "rwx", ".data .pagetables .bss"),
        ])
        self.assertEqual(rows[0][1], 0x104000)

    def test_dump_pae_and_colours(self) -> None:
        img = self.images["pae"]
        r = run_script("gen_mmu.py", "--dump", str(img.final), "--color", "always")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("\033[32mr-x\033[0m  .boot", r.stdout)
        self.assertIn("\033[33mrw-\033[0m  .data .pagetables .bss", r.stdout)
        plain = run_script("gen_mmu.py", "--dump", str(img.final), "--color", "never").stdout
        self.assertEqual([row[4] for row in parse_dump(plain)], ["r-x", "r-x", "r--", "rw-"])
        self.assertEqual(parse_dump(plain)[1][:3], (0xC0001000, 0xC0002000, 0x101000))

    def test_dump_of_prebuilt_elf_shows_nothing_mapped(self) -> None:
        img = self.images["x86_64_identity"]
        r = run_script("gen_mmu.py", "--dump", str(img.pre))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(parse_dump(r.stdout), [])
        self.assertIn("0 pages mapped", r.stdout)

    def check_patched(self, img: Image, name: str, table: int, index: int, value: int) -> str:
        bad = img.dir / name
        img.patch_entry(img.final, bad, table, index, value)
        r = run_script("gen_mmu.py", "--check", str(bad))
        self.assertEqual(r.returncode, 1, r.stdout)
        return r.stderr

    def test_check_rejects_writable_text(self) -> None:
        for name, fragment in (("x86_64", "both writable and executable"),
                               ("x86", "executable section(s) .text is writable")):
            with self.subTest(image=name):
                img = self.images[name]
                table, index = img.leaf_table_of(img.text), img.leaf_index(img.text)
                original = img.read_entry(img.final, table, index)
                self.assertEqual(original, 0x101000 | P)
                err = self.check_patched(img, "wx.elf", table, index, original | RW)
                self.assertIn(f"page 0x{img.text:x}", err)
                self.assertIn(fragment, err)
                self.assertIn("differs from the generator's output", err)

    def test_check_rejects_executable_data(self) -> None:
        img = self.images["pae"]
        data = img.text + 0x3000
        table, index = img.leaf_table_of(data), img.leaf_index(data)
        original = img.read_entry(img.final, table, index)
        self.assertEqual(original, 0x104000 | P | RW | XD)
        err = self.check_patched(img, "xdata.elf", table, index, original & ~XD)
        self.assertIn(f"page 0x{data:x} is both writable and executable (.data)", err)

    def test_check_rejects_null_page(self) -> None:
        img = self.images["x86_64_identity"]
        err = self.check_patched(img, "null.elf", img.leaf_table_of(0), 0, 0 | P)
        self.assertIn("NULL page", err)

    def test_check_rejects_missing_page_and_wrong_flags(self) -> None:
        img = self.images["x86_64_identity"]
        rodata = img.text + 0x1000
        table = img.leaf_table_of(rodata)
        err = self.check_patched(img, "norodata.elf", table, img.leaf_index(rodata), 0)
        self.assertIn(f"page 0x{rodata:x} of section .rodata is not present", err)
        err = self.check_patched(img, "us.elf", table, img.leaf_index(rodata),
                                 rodata | P | US | XD)
        self.assertIn(f"page 0x{rodata:x} of section .rodata: entry", err)

    def test_check_rejects_extra_mapping(self) -> None:
        # A mapping no section asks for: only the comparison with the generator sees it.
        img = self.images["x86_64"]
        spare = img.vm_base + img.vm_size - 0x1000
        err = self.check_patched(img, "extra.elf", img.leaf_table_of(spare), img.leaf_index(spare),
                                 0x7FF000 | P | XD)
        self.assertIn("differs from the generator's output", err)

    def test_check_needs_config(self) -> None:
        img = self.images["x86"]
        lone = self.root / "lone"
        lone.mkdir(exist_ok=True)
        shutil.copy(img.final, lone / "pagoda.elf")
        r = run_script("gen_mmu.py", "--check", str(lone / "pagoda.elf"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("pass --config", r.stderr)

    def test_generator_rejects_placeholder_size_mismatch(self) -> None:
        img = Image(self.root, "mismatch", 2, 0x100000, 4 * MIB)
        img.link_pre(pt_size=img.size + 4096)
        r = img.generate()
        self.assertEqual(r.returncode, 1)
        for fragment in ("arch/x86/include/x86_mmu_size.h", "scripts/gen_mmu.py",
                         f"gave {img.size + 4096}", f"gave {img.size}"):
            self.assertIn(fragment, r.stderr)
        self.assertFalse(img.blob.exists())

    def test_generator_rejects_wx_section(self) -> None:
        img = Image(self.root, "wx", 3, 0x100000, 4 * MIB)
        img.link_pre("-DWX_SECTION")
        r = img.generate()
        self.assertEqual(r.returncode, 1)
        self.assertIn("section .wx (0x", r.stderr)
        self.assertIn("writable and executable", r.stderr)

    def test_generator_rejects_shared_page(self) -> None:
        img = Image(self.root, "shared", 1, 0x100000, 4 * MIB, align_text=False)
        img.link_pre()
        r = img.generate()
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"sections \.text \(r-x\) and \.rodata \(0x101001-0x[0-9a-f]+\) "
                                   r"\(r--\) share page 0x101000")

    def test_generator_rejects_config_of_another_board(self) -> None:
        img = self.images["pae"]
        other = img.dir / "other.config"
        other.write_text(dot_config(1, img.vm_base, img.vm_size, img.sram_base))
        r = run_script("gen_mmu.py", "--config", str(other), "--elf", str(img.pre),
                       "--output", str(img.dir / "other.bin"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("z_x86_paging_mode is 2", r.stderr)
        other.write_text(dot_config(3, img.vm_base, img.vm_size, img.sram_base))
        r = run_script("gen_mmu.py", "--config", str(other), "--elf", str(img.pre),
                       "--output", str(img.dir / "other.bin"))
        self.assertIn("ELFCLASS32", r.stderr)

    def test_generator_rejects_section_outside_window(self) -> None:
        # A window too small for the image: .bss runs past its end.
        img = Image(self.root, "small", 3, 0x100000, 0x6000)
        img.link_pre()
        r = img.generate()
        self.assertEqual(r.returncode, 1)
        self.assertIn("lies outside the kernel virtual window 0x100000-0x106000", r.stderr)


if __name__ == "__main__":
    unittest.main()
