# SPDX-License-Identifier: Apache-2.0
"""k_mem_layout_dump() and k_mem_page_frames_dump() print what the image and
the page-frame database are.

Boots a tiny app that calls both and checks the printout against the ELF:
each region's bounds are its linker symbols, with the permissions
gen_mmu.py gives it (text r-x, rodata r--, data+bss rw-); the frame map has
one character per frame, its counts add up to the frame count and match the
characters, and the kernel image's frames are pinned. A suite cannot read
its own console, hence a booted app (tests/scripts/guest_app.py).
"""

import re
import sys
import textwrap
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from guest_app import GuestRun  # noqa: E402

BOARD = "qemu_x86_64"

APP_MAIN = textwrap.dedent("""\
    #include <kernel.h>
    #include <kernel/mm.h>

    int main(void)
    {
    \tk_mem_layout_dump();
    \tk_mem_page_frames_dump();
    \treturn 0;
    }
    """)

RE_REGION = re.compile(r"^  (\S+)\s+0x([0-9a-f]+)-0x([0-9a-f]+)\s+phys 0x([0-9a-f]+)\s+"
                       r"(\d+) KiB\s+(r[w-][x-])$", re.M)
RE_FRAMES = re.compile(r"^Page frames 0x([0-9a-f]+)-0x([0-9a-f]+) \((\d+) frames\)", re.M)
RE_ROW = re.compile(r"^0x([0-9a-f]{8}): ([.RPMB]+)$", re.M)
RE_COUNTS = re.compile(r"^free (\d+), reserved (\d+), pinned (\d+), mapped (\d+), busy (\d+)$",
                       re.M)


class MmDumps(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        files = {"src/main.c": APP_MAIN, "prj.conf": "# Defaults only.\n"}
        cls.guest = GuestRun("pagoda-mm-dumps-", files, BOARD, timeout=60)
        cls.out = cls.guest.out
        from elftools.elf.elffile import ELFFile
        with open(cls.guest.tmp / "build" / "pagoda.elf", "rb") as f:
            symtab = ELFFile(f).get_section_by_name(".symtab")
            cls.symbols = {s.name: s["st_value"] for s in symtab.iter_symbols()}

    @classmethod
    def tearDownClass(cls):
        cls.guest.cleanup()

    def test_the_app_ran(self):
        self.assertEqual(self.guest.returncode, 0, self.out)

    def test_regions_are_the_linker_symbols_with_their_permissions(self):
        regions = {m.group(1): m.groups()[1:] for m in RE_REGION.finditer(self.out)}
        expected = {"text": ("__text_start", "__text_end", "r-x"),
                    "rodata": ("__rodata_start", "__rodata_end", "r--"),
                    "data+bss": ("__data_start", "__bss_end", "rw-")}
        for name, (start, end, perms) in expected.items():
            with self.subTest(region=name):
                self.assertIn(name, regions, self.out)
                lo, hi, phys, kib, got = regions[name]
                self.assertEqual(int(lo, 16), self.symbols[start])
                self.assertEqual(int(hi, 16), self.symbols[end])
                self.assertEqual(got, perms)
                self.assertEqual(int(kib), (int(hi, 16) - int(lo, 16)) // 1024)
                # Loaded VIRT_OFFSET below its link address (0 on this board's default).
                self.assertEqual(int(lo, 16) - int(phys, 16), self.symbols["z_x86_virt_offset"])

    def test_frame_map_and_counts_agree(self):
        head = RE_FRAMES.search(self.out)
        self.assertIsNotNone(head, self.out)
        frames = int(head.group(3))
        start, end = int(head.group(1), 16), int(head.group(2), 16)
        self.assertEqual(frames, (end - start) // 4096)
        rows = RE_ROW.findall(self.out)
        cells = "".join(r[1] for r in rows)
        self.assertEqual(len(cells), frames)
        self.assertEqual([int(a, 16) for a, _ in rows],
                         [start + i * 64 * 4096 for i in range(len(rows))])
        counts = RE_COUNTS.search(self.out)
        self.assertIsNotNone(counts, self.out)
        free, reserved, pinned, mapped, busy = map(int, counts.groups())
        self.assertEqual(free + reserved + pinned + mapped + busy, frames)
        self.assertEqual((cells.count("."), cells.count("R"), cells.count("P"),
                          cells.count("M"), cells.count("B")),
                         (free, reserved, pinned, mapped, busy))
        # The image's frames (text to the end of .bss) are pinned.
        first = (self.symbols["__text_start"] - self.symbols["z_x86_virt_offset"] - start) // 4096
        last = (self.symbols["__bss_end"] - 1 - self.symbols["z_x86_virt_offset"] - start) // 4096
        self.assertEqual(set(cells[first:last + 1]), {"P"})


if __name__ == "__main__":
    unittest.main()
