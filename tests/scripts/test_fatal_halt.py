# SPDX-License-Identifier: Apache-2.0
"""k_fatal_halt() (Zephyr's) halts for good, and the run reads as failed.

Boots a tiny app whose k_sys_fatal_error_handler() override calls
k_fatal_halt() for a CPU exception (reason 0, which must not read as
success) and checks that nothing after the halt runs and that the guest's
exit status is the fatal one, not 0.
"""

import sys
import textwrap
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from guest_app import GuestRun  # noqa: E402

BOARD = "qemu_x86_64"
K_EXIT_FATAL = 2

APP_MAIN = textwrap.dedent("""\
    #include <kernel.h>

    void k_sys_fatal_error_handler(unsigned int reason, const struct arch_esf *esf)
    {
    \tARG_UNUSED(esf);
    \tprintk("fatal_halt: handler, reason %u\\n", reason);
    \tk_fatal_halt(reason);
    }

    int main(void)
    {
    \tprintk("fatal_halt: faulting\\n");
    \t*(volatile int *)0 = 1;
    \tprintk("fatal_halt: still running\\n");
    \treturn 0;
    }
    """)


class FatalHalt(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        files = {"src/main.c": APP_MAIN, "prj.conf": "# Defaults only.\n"}
        cls.guest = GuestRun("pagoda-fatal-halt-", files, BOARD, timeout=60)
        cls.done, cls.out = cls.guest.done, cls.guest.out

    @classmethod
    def tearDownClass(cls):
        cls.guest.cleanup()

    def test_the_handler_ran_with_reason_0(self):
        self.assertIn("fatal_halt: handler, reason 0", self.out)

    def test_nothing_runs_after_the_halt(self):
        self.assertNotIn("fatal_halt: still running", self.out)
        self.assertNotIn("Halting system", self.out)  # the handler never returned

    def test_the_exit_status_is_fatal(self):
        self.assertEqual(self.done.returncode, K_EXIT_FATAL, self.out)


if __name__ == "__main__":
    unittest.main()
