# SPDX-License-Identifier: Apache-2.0
"""Tests of the tools that build the reference's suites unchanged: twister's
`filter` (pagoda_lib/kfilter.py), `arch_allow` and `extra_args`
(pagoda_lib/testplan.py, build.py) and the system-call headers
(scripts/gen_app_syscalls.py)."""

import os
import subprocess
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

from pagoda_lib import build, kfilter, testplan  # noqa: E402
from pagoda_lib.project import PagodaError  # noqa: E402

GEN_SYSCALLS = REPO / "scripts" / "gen_app_syscalls.py"


class FilterTest(unittest.TestCase):
    CONFIG = {"CONFIG_MMU": "y", "CONFIG_X86_64": "y", "CONFIG_SRAM_SIZE": "32768",
              "CONFIG_BOARD": "qemu_x86_64", "CONFIG_OFF": "n"}

    def check(self, expr, expected):
        self.assertEqual(kfilter.evaluate(expr, self.CONFIG), expected, expr)

    def test_symbols_and_logic(self):
        self.check("CONFIG_MMU", True)
        self.check("CONFIG_DEMAND_PAGING", False)       # absent
        self.check("CONFIG_OFF", False)                 # =n
        self.check("CONFIG_MMU and not CONFIG_X86_64", False)
        self.check("CONFIG_MMU and CONFIG_X86_64 and not CONFIG_COVERAGE", True)
        self.check("CONFIG_OFF or (CONFIG_MMU and CONFIG_X86_64)", True)
        self.check("not (CONFIG_MMU or CONFIG_OFF)", False)

    def test_comparisons(self):
        self.check("CONFIG_SRAM_SIZE > 16384", True)
        self.check("CONFIG_SRAM_SIZE <= 0x4000", False)
        self.check('CONFIG_BOARD == "qemu_x86_64"', True)
        self.check('CONFIG_BOARD != "qemu_x86"', True)
        self.check("CONFIG_ABSENT == 0", True)

    def test_unsupported_is_an_error(self):
        for expr in ("dt_compat_enabled(\"x\")", "CONFIG_MMU and", "(CONFIG_MMU",
                     "CONFIG_A in CONFIG_B"):
            with self.assertRaises(PagodaError, msg=expr):
                kfilter.evaluate(expr, self.CONFIG)

    def test_read_config(self):
        with tempfile.NamedTemporaryFile("w", suffix=".config", delete=False) as f:
            f.write('CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C="text"\nCONFIG_D=0x10\n')
        self.addCleanup(os.unlink, f.name)
        config = kfilter.read_config(f.name)
        self.assertEqual(config, {"CONFIG_A": "y", "CONFIG_C": "text", "CONFIG_D": "0x10"})
        self.assertTrue(kfilter.evaluate("CONFIG_D == 16 and not CONFIG_B", config))


class TestplanTest(unittest.TestCase):
    BOARDS = ["qemu_x86", "qemu_x86_64"]

    def suite(self, text):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        Path(tmp.name, "testcase.yaml").write_text(textwrap.dedent(text))
        return Path(tmp.name)

    def test_filter_arch_allow_extra_args(self):
        suite = self.suite("""\
            tests:
              s.x86:
                arch_allow: x86
                filter: CONFIG_MMU and not CONFIG_X86_64
                extra_args:
                  - EXTRA_CFLAGS=-DSKIP_EXECUTE_TESTS
              s.arm:
                arch_allow: [arm, arm64]
              s.conf:
                extra_args: CONF_FILE=prj_other.conf
            """)
        jobs = testplan.expand(suite, self.BOARDS)
        self.assertEqual(sorted({j.name for j in jobs}), ["s.conf", "s.x86"])
        x86 = next(j for j in jobs if j.name == "s.x86")
        self.assertEqual(x86.filter, "CONFIG_MMU and not CONFIG_X86_64")
        self.assertEqual(x86.extra_args, ("EXTRA_CFLAGS=-DSKIP_EXECUTE_TESTS",))
        conf = next(j for j in jobs if j.name == "s.conf")
        self.assertEqual(conf.extra_args, ("CONF_FILE=prj_other.conf",))

    def test_arch_exclude_and_old_key_names(self):
        """arch_exclude with x86 drops a scenario; twister's old
        arch_whitelist / platform_whitelist / platform_blacklist are read as
        arch_allow / platform_allow / platform_exclude."""
        suite = self.suite("""\
            tests:
              s.excluded:
                arch_exclude: nios2 x86
              s.other_excluded:
                arch_exclude: nios2 xtensa posix
              s.old_arm:
                arch_whitelist: arm
              s.old_x86:
                arch_whitelist: x86
                platform_whitelist: qemu_x86 qemu_x86_64
                platform_blacklist: qemu_x86
            """)
        jobs = testplan.expand(suite, self.BOARDS)
        self.assertEqual(sorted((j.name, j.board) for j in jobs),
                         [("s.old_x86", "qemu_x86_64"), ("s.other_excluded", "qemu_x86"),
                          ("s.other_excluded", "qemu_x86_64")])

    def test_depends_on_unsupported_feature_is_filtered(self):
        suite = self.suite("""\
            common:
              depends_on: [smp]
            tests:
              s.smp: {}
              s.plain:
                depends_on: []
            """)
        jobs = {j.name: j for j in testplan.expand(suite, self.BOARDS)}
        self.assertEqual(jobs["s.smp"].unmet, ("smp",))  # kept, to be reported filtered
        self.assertEqual(jobs["s.plain"].unmet, ("smp",))  # common's list concatenates
        for board in self.BOARDS:
            self.assertNotIn("smp", testplan.board_features(board))

    def test_extra_args_config_is_a_kconfig_line(self):
        # The reference's -DCONFIG_FOO=n: a Kconfig setting applied last.
        suite = self.suite("""\
            tests:
              s.cfg:
                extra_configs: [CONFIG_A=y]
                extra_args: CONFIG_TEST_HW_STACK_PROTECTION=n EXTRA_CFLAGS=-DX
            """)
        job = testplan.expand(suite, self.BOARDS)[0]
        self.assertEqual(job.extra_configs, ("CONFIG_A=y", "CONFIG_TEST_HW_STACK_PROTECTION=n"))
        self.assertEqual(job.extra_args, ("EXTRA_CFLAGS=-DX",))

    def test_extra_args_must_be_assignments(self):
        suite = self.suite("tests:\n  s.bad:\n    extra_args: [SOMETHING]\n")
        with self.assertRaises(PagodaError):
            testplan.expand(suite, self.BOARDS)

    def test_configure_command_clears_and_checks_extra_args(self):
        cmd = build.configure_cmd("/b", "qemu_x86", "/app", (), ("CONF_FILE=a.conf",))
        self.assertIn("-DCONF_FILE=a.conf", cmd)
        self.assertIn("-DEXTRA_CFLAGS=", cmd)    # a stale cached value goes away
        with self.assertRaises(PagodaError):
            build.configure_cmd("/b", "qemu_x86", "/app", (), ("DTC_OVERLAY_FILE=x",))


class GenSyscallsTest(unittest.TestCase):
    def generate(self, text, name="api.h"):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        header = Path(tmp.name, name)
        header.write_text(textwrap.dedent(text))
        out = Path(tmp.name, "gen")
        done = subprocess.run([sys.executable, str(GEN_SYSCALLS), "--out", str(out), str(header)],
                              capture_output=True, text=True, check=False)
        return done, out

    def test_wrappers_call_the_implementation(self):
        done, out = self.generate("""\
            /* __syscall int commented_out(int x); */
            __syscall void dump_my_ptables(void);
            __syscall int add(int a,
                              int b);
            __syscall const char *name_of(struct k_thread *thread, char *buf);
            """)
        self.assertEqual(done.returncode, 0, done.stderr)
        text = (out / "zephyr" / "syscalls" / "api.h").read_text()
        self.assertEqual(text, (out / "syscalls" / "api.h").read_text())
        self.assertIn("__attribute__((__weak__)) void dump_my_ptables(void)\n{\n", text)
        self.assertIn("\t}\n#endif\n\tz_impl_dump_my_ptables();\n}", text)
        self.assertIn("extern int z_impl_add(int a, int b);", text)
        self.assertIn("return z_impl_add(a, b);", text)
        self.assertIn("return z_impl_name_of(thread, buf);", text)
        self.assertNotIn("commented_out", text)
        # With user mode the wrapper traps with the call's descriptor.
        self.assertIn("return (int)Z_APP_SYSCALL_TRAP(&z_app_syscall_add, z_n, z_w);", text)
        self.assertIn("return (const char *)(uintptr_t)Z_APP_SYSCALL_TRAP(&z_app_syscall_name_of",
                      text)
        # The reference's source includes <syscalls/<name>_mrsh.c> after its
        # z_vrfy_<name>(): the marshaller and the descriptor.
        for sub in ("zephyr/syscalls", "syscalls"):
            add = (out / sub / "add_mrsh.c").read_text()
            self.assertIn("return (uint64_t)z_vrfy_add(p0.v, p1.v);", add)
            self.assertIn('section("._app_syscall.add")', add)
            # The descriptor counts the argument words (the kernel copies
            # more than five from user memory).
            self.assertIn(".words = Z_APP_SYSCALL_ARG_WORDS(int) + Z_APP_SYSCALL_ARG_WORDS(int),",
                          add)
            self.assertIn("z_vrfy_dump_my_ptables();\n\treturn 0;",
                          (out / sub / "dump_my_ptables_mrsh.c").read_text())
        self.assertFalse((out / "syscalls" / "commented_out_mrsh.c").exists())

    def test_more_than_five_words(self):
        """Seven arguments, and 64-bit ones (two words each on 32-bit
        boards): the wrapper sizes its array for them all and passes its
        address beyond five words; the descriptor says how many."""
        done, out = self.generate("""\
            __syscall uint32_t more(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4,
                                    uint32_t a5, uint32_t a6, uint32_t a7);
            __syscall uint64_t wide(uint32_t a, uint64_t b, uint64_t c);
            """)
        self.assertEqual(done.returncode, 0, done.stderr)
        text = (out / "syscalls" / "api.h").read_text()
        self.assertIn("uintptr_t z_w[MAX(z_n, Z_APP_SYSCALL_WORDS)] = {0};", text)
        self.assertIn("BUILD_ASSERT(z_n <= Z_APP_SYSCALL_MAX_WORDS", text)
        self.assertIn("return (uint32_t)Z_APP_SYSCALL_TRAP(&z_app_syscall_more, z_n, z_w);", text)
        more = (out / "syscalls" / "more_mrsh.c").read_text()
        self.assertIn(".words = " + " + ".join(["Z_APP_SYSCALL_ARG_WORDS(uint32_t)"] * 7) + ",",
                      more)
        wide = (out / "syscalls" / "wide_mrsh.c").read_text()
        self.assertIn(".words = Z_APP_SYSCALL_ARG_WORDS(uint32_t) + "
                      "Z_APP_SYSCALL_ARG_WORDS(uint64_t) + Z_APP_SYSCALL_ARG_WORDS(uint64_t),",
                      wide)

    def test_header_without_syscalls_gets_nothing(self):
        done, out = self.generate("int plain(void);\n")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertFalse(out.exists())

    def test_unreadable_parameter_is_an_error(self):
        done, _ = self.generate("__syscall int f(void (*cb)(void));\n")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("api.h:1", done.stderr)

    def test_array_parameter_is_an_error(self):
        done, _ = self.generate("__syscall int f(char buf[16]);\n")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("declare it as a pointer", done.stderr)

    def test_generated_header_compiles_with_the_declarations(self):
        done, out = self.generate("""\
            #define __syscall
            __syscall int add(int a, int b);
            #include <syscalls/api.h>
            int z_impl_add(int a, int b) { return a + b; }
            int use(void) { return add(1, 2); }
            """)
        self.assertEqual(done.returncode, 0, done.stderr)
        header = next(Path(out).parent.glob("api.h"))
        cc = subprocess.run(["gcc", "-std=gnu11", "-Wall", "-Werror", "-c", "-x", "c",
                             str(header), "-I", str(out), "-o", os.devnull],
                            capture_output=True, text=True, check=False)
        self.assertEqual(cc.returncode, 0, cc.stderr)


if __name__ == "__main__":
    unittest.main()
