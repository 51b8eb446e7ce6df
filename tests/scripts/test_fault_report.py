# SPDX-License-Identifier: Apache-2.0
"""The fatal page-fault report names the guard page a fault hit.

Builds a tiny app (written to a temporary folder) that maps a page and
writes just below it, boots it on one board with `scripts/pagoda run`, and
checks the console for the line z_mem_fault_print() adds after the error
code. The lookup itself is tested in-guest by tests/kernel/mm/fault_report.
"""

import re
import sys
import textwrap
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from guest_app import GuestRun  # noqa: E402

BOARD = "qemu_x86"

APP_MAIN = textwrap.dedent("""\
    /* Overflow a mapping downward: the write hits the guard page below it. */
    #include <kernel.h>
    #include <kernel/mm.h>

    int main(void)
    {
    \tvolatile char *m = k_mem_map(CONFIG_MMU_PAGE_SIZE, K_MEM_PERM_RW);

    \tprintk("fault_report: mapped at %p\\n", (void *)m);
    \tm[-1] = 1;
    \tprintk("fault_report: no fault\\n");
    \treturn 0;
    }
    """)


class GuardPageReport(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        files = {"src/main.c": APP_MAIN, "prj.conf": "# Defaults only.\n"}
        cls.guest = GuestRun("pagoda-fault-report-", files, BOARD, timeout=60)
        cls.done, cls.out = cls.guest.done, cls.guest.out

    @classmethod
    def tearDownClass(cls):
        cls.guest.cleanup()

    def test_line_names_the_guard_and_the_mapping(self):
        mapped = re.search(r"^fault_report: mapped at (0x[0-9a-f]+)$", self.out, re.M)
        self.assertIsNotNone(mapped, self.out)
        mapping = int(mapped.group(1), 16)
        self.assertRegex(self.out, re.compile(
            rf"^Address {hex(mapping - 1)}: guard page below the mapping at "
            rf"{hex(mapping)} \(0x1000 bytes, anonymous\)$", re.M))
        self.assertNotIn("fault_report: no fault", self.out)

    def test_line_follows_the_error_code(self):
        lines = self.out.splitlines()
        codes = [i for i, line in enumerate(lines) if line.startswith("Error code 0x")]
        self.assertEqual(len(codes), 1, self.out)
        self.assertIn("guard page below the mapping at", lines[codes[0] + 1])

    def test_the_guest_died_of_it(self):
        self.assertNotEqual(self.done.returncode, 0, self.out)
        self.assertIn("CPU exception 14: page fault", self.out)


if __name__ == "__main__":
    unittest.main()
