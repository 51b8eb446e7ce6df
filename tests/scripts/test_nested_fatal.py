# SPDX-License-Identifier: Apache-2.0
"""What k_mem_page_in() cannot serve in an interrupt handler is fatal, clearly.

With CONFIG_DEMAND_PAGING_ALLOW_IRQ an interrupt handler may run inside a
backing-store transfer. k_mem_page_in() returns nothing, so on the page that
transfer moves it can neither be served nor refused: the documented result is
a fatal error naming the call. ztest must then not resume the test (it would
leave the transfer half done): z_fatal_error() halts first, saying why.
Builds a one-case suite in a temporary folder whose timer handler calls
k_mem_page_in() on the page in transit, boots it, and reads the console.
"""

import sys
import textwrap
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from guest_app import GuestRun  # noqa: E402

BOARD = "qemu_x86_64"

SUITE_MAIN = textwrap.dedent("""\
    /* The timer handler pages in the page the interrupted transfer moves. */
    #include <kernel.h>
    #include <kernel/mm.h>
    #include <kernel/mm/demand_paging.h>
    #include <paging.h>
    #include <ztest.h>

    #define PAGE CONFIG_MMU_PAGE_SIZE

    static void handler(void *arg)
    {
    \tARG_UNUSED(arg);
    \tif (z_paging_transfer_depth() > 0U) {
    \t\tztest_set_assert_valid(true); /* ztest would resume: it must not */
    \t\tk_mem_page_in(z_paging_transfer_page(0), PAGE);
    \t}
    }

    ZTEST(nested_fatal, test_page_in_of_the_page_in_transit)
    {
    \tsize_t pages = k_mem_free_get() / PAGE + 64;
    \tuint8_t *arena = k_mem_map(pages * PAGE, K_MEM_PERM_RW);

    \tzassert_not_null(arena);
    \tz_test_tick_hook_set(handler, NULL);
    \tfor (unsigned int i = 0; i < 2000000U; i++) {
    \t\tsize_t p = (i * 7919U) % pages;

    \t\tarena[p * PAGE] = (uint8_t)i;
    \t\t(void)k_mem_page_out(arena + p * PAGE, PAGE);
    \t}
    \tz_test_tick_hook_set(NULL, NULL);
    \tprintk("nested_fatal: the handler never landed in a transfer\\n");
    }

    ZTEST_SUITE(nested_fatal, NULL, NULL, NULL, NULL, NULL);
    """)

PRJ_CONF = textwrap.dedent("""\
    # SPDX-License-Identifier: Apache-2.0
    CONFIG_ZTEST=y
    CONFIG_DEMAND_PAGING=y
    CONFIG_DEMAND_PAGING_ALLOW_IRQ=y
    CONFIG_SYS_CLOCK_TICKS_PER_SEC=10000
    """)

SUITE_CMAKE = "target_include_directories(app PRIVATE ${PAGODA_BASE}/kernel/include)\n"


class PageInOfThePageInTransit(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        files = {"src/main.c": SUITE_MAIN, "prj.conf": PRJ_CONF, "CMakeLists.txt": SUITE_CMAKE}
        cls.guest = GuestRun("pagoda-nested-fatal-", files, BOARD, timeout=120)
        cls.done, cls.out = cls.guest.done, cls.guest.out

    @classmethod
    def tearDownClass(cls):
        cls.guest.cleanup()

    def test_the_call_is_named(self):
        self.assertNotIn("the handler never landed in a transfer", self.out)
        self.assertRegex(self.out, r"k_mem_page_in\(0x[0-9a-f]+, 0x1000\) in an interrupt "
                                   r"handler: a page of the range is in transit")

    def test_ztest_does_not_resume_inside_the_transfer(self):
        self.assertRegex(self.out, r">>> the fatal error interrupted a backing-store transfer "
                                   r"of page 0x[0-9a-f]+: resuming elsewhere would leave it "
                                   r"half done; halting")
        self.assertNotIn("Assert error expected as part of test case", self.out)
        self.assertNotIn("PASS - test_page_in_of_the_page_in_transit", self.out)

    def test_the_guest_stops_with_the_fatal_status(self):
        self.assertNotEqual(self.done.returncode, 0, self.out)


if __name__ == "__main__":
    unittest.main()
