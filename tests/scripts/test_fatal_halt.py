# SPDX-License-Identifier: Apache-2.0
"""k_fatal_halt() (Zephyr's) halts for good, and the run reads as failed.

Boots a tiny app whose k_sys_fatal_error_handler() override calls
k_fatal_halt() for a CPU exception (reason 0, which must not read as
success) and checks that nothing after the halt runs and that the guest's
exit status is the fatal one, not 0.
"""

import shutil
import subprocess
import tempfile
import textwrap
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PAGODA = REPO / "scripts" / "pagoda"
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
        cls.tmp = Path(tempfile.mkdtemp(prefix="pagoda-fatal-halt-"))
        app = cls.tmp / "app"
        (app / "src").mkdir(parents=True)
        (app / "src" / "main.c").write_text(APP_MAIN)
        (app / "prj.conf").write_text("# Defaults only.\n")
        cls.done = subprocess.run(
            [str(PAGODA), "run", "-b", BOARD, "-a", str(app), "-d", str(cls.tmp / "build"),
             "--timeout", "60"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600,
            stdin=subprocess.DEVNULL)
        cls.out = cls.done.stdout.replace("\r", "")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_the_handler_ran_with_reason_0(self):
        self.assertIn("fatal_halt: handler, reason 0", self.out)

    def test_nothing_runs_after_the_halt(self):
        self.assertNotIn("fatal_halt: still running", self.out)
        self.assertNotIn("Halting system", self.out)  # the handler never returned

    def test_the_exit_status_is_fatal(self):
        self.assertEqual(self.done.returncode, K_EXIT_FATAL, self.out)


if __name__ == "__main__":
    unittest.main()
