# SPDX-License-Identifier: Apache-2.0
"""Tests of scripts/kconfig.py: fragment merging, unknown symbols, overrides."""

import os
import subprocess
import tempfile
import unittest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = os.path.join(REPO, "scripts", "kconfig.py")
DEFCONFIG_64 = os.path.join(REPO, "boards", "qemu_x86_64", "defconfig")
DEFCONFIG_PAE = os.path.join(REPO, "boards", "qemu_x86_pae", "defconfig")


class KconfigRun(unittest.TestCase):
    """Runs scripts/kconfig.py in a temporary folder."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.config = os.path.join(self.tmp.name, ".config")
        self.header = os.path.join(self.tmp.name, "include", "autoconf.h")

    def fragment(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def run_kconfig(self, *fragments):
        return subprocess.run(
            ["/usr/bin/python3", SCRIPT, "--kconfig", os.path.join(REPO, "Kconfig"),
             "--srctree", REPO, "--config-out", self.config, "--header-out", self.header,
             *fragments],
            capture_output=True, text=True, check=False)

    def header_text(self):
        with open(self.header, encoding="utf-8") as f:
            return f.read()


class KconfigScriptTest(KconfigRun):
    def test_board_then_app_then_overlay(self):
        prj = self.fragment("prj.conf", "CONFIG_ZTEST=y\nCONFIG_KERNEL_VM_SIZE=0x800000\n")
        overlay = self.fragment("overlay.conf", "CONFIG_KERNEL_VM_SIZE=0x1000000\n")
        result = self.run_kconfig(DEFCONFIG_64, prj, overlay)
        self.assertEqual(result.returncode, 0, result.stderr)
        header = self.header_text()
        self.assertIn('#define CONFIG_BOARD "qemu_x86_64"', header)
        self.assertIn("#define CONFIG_X86_64 1", header)
        self.assertIn("#define CONFIG_ZTEST 1", header)
        self.assertIn("#define CONFIG_KERNEL_VM_SIZE 0x1000000", header)
        with open(self.config, encoding="utf-8") as f:
            self.assertIn("CONFIG_ZTEST=y", f.read())

    def test_unknown_symbol_fails_naming_symbol_file_and_line(self):
        prj = self.fragment("prj.conf", "# comment\nCONFIG_ZTST=y\n")
        result = self.run_kconfig(DEFCONFIG_64, prj)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn(f"{prj}:2", result.stderr)
        self.assertIn("CONFIG_ZTST", result.stderr)
        self.assertIn("did you mean CONFIG_ZTEST", result.stderr)
        self.assertFalse(os.path.exists(self.header), "a header was written despite the error")

    def test_overridden_value_warns_naming_symbol(self):
        prj = self.fragment("prj.conf", "CONFIG_X86_PAE=y\n")
        result = self.run_kconfig(DEFCONFIG_64, prj)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("warning: CONFIG_X86_PAE", result.stderr)
        self.assertNotIn("CONFIG_X86_PAE 1", self.header_text())

    def test_consistent_value_does_not_warn(self):
        prj = self.fragment("prj.conf", "CONFIG_X86_PAE=y\n")
        result = self.run_kconfig(DEFCONFIG_PAE, prj)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("warning", result.stderr)
        self.assertIn("#define CONFIG_X86_PAE 1", self.header_text())
        self.assertIn("#define CONFIG_X86_XD 1", self.header_text())

    def test_garbage_line_is_an_error(self):
        prj = self.fragment("prj.conf", "CONFIG_ZTEST y\n")
        result = self.run_kconfig(DEFCONFIG_64, prj)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("not a Kconfig assignment", result.stderr)

    def test_menuconfig_edits_survive_reconfigure(self):
        prj = self.fragment("prj.conf", "")
        self.assertEqual(self.run_kconfig(DEFCONFIG_64, prj).returncode, 0)
        with open(self.config, encoding="utf-8") as f:
            text = f.read()
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(text.replace("CONFIG_SYS_CLOCK_TICKS_PER_SEC=100",
                                 "CONFIG_SYS_CLOCK_TICKS_PER_SEC=250"))
        self.assertEqual(self.run_kconfig(DEFCONFIG_64, prj).returncode, 0)
        self.assertIn("#define CONFIG_SYS_CLOCK_TICKS_PER_SEC 250", self.header_text())
        # A changed fragment starts again from the fragments.
        self.fragment("prj.conf", "CONFIG_ZTEST=y\n")
        self.assertEqual(self.run_kconfig(DEFCONFIG_64, prj).returncode, 0)
        self.assertIn("#define CONFIG_SYS_CLOCK_TICKS_PER_SEC 100", self.header_text())


class ReferenceSymbolsTest(KconfigRun):
    """The reference's symbols its suites set: each means what it says here."""

    def config_of(self, text):
        result = self.run_kconfig(DEFCONFIG_64, self.fragment("prj.conf", text))
        return result, self.header_text() if result.returncode == 0 else ""

    def test_suite_fragments_configure(self):
        result, header = self.config_of(
            "CONFIG_ZTEST=y\nCONFIG_TEST_USERSPACE=y\nCONFIG_TEST_HW_STACK_PROTECTION=n\n"
            "CONFIG_APPLICATION_DEFINED_SYSCALL=y\nCONFIG_DEMAND_PAGING=y\n"
            "CONFIG_DEMAND_PAGING_STATS=y\nCONFIG_DEMAND_PAGING_THREAD_STATS=y\n"
            "CONFIG_DEMAND_PAGING_TIMING_HISTOGRAM=y\n"
            "CONFIG_DEMAND_PAGING_STATS_USING_TIMING_FUNCTIONS=y\n"
            "CONFIG_COMMON_LIBC_MALLOC_ARENA_SIZE=0\nCONFIG_ZTEST_NEW_API=y\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("warning", result.stderr)
        self.assertIn("#define CONFIG_TEST_USERSPACE 1", header)
        self.assertIn("#define CONFIG_DEMAND_PAGING_THREAD_STATS 1", header)
        # The timing API comes with the option that uses it.
        self.assertIn("#define CONFIG_TIMING_FUNCTIONS 1", header)
        # TEST_USERSPACE turns user mode on (the reference's hidden
        # TEST_ENABLE_USERSPACE), and user mode needs guarded stacks even
        # though no hardware stack protection was asked for.
        self.assertIn("#define CONFIG_TEST_ENABLE_USERSPACE 1", header)
        self.assertIn("#define CONFIG_USERSPACE 1", header)
        self.assertIn("#define CONFIG_THREAD_STACK_MEM_MAPPED 1", header)
        self.assertIn("#define CONFIG_SRAM_REGION_PERMISSIONS 1", header)
        self.assertIn("#define CONFIG_LINKER_USE_BOOT_SECTION 1", header)
        self.assertIn("#define CONFIG_LINKER_USE_PINNED_SECTION 1", header)

    def test_no_hw_stack_protection_no_guard_pages(self):
        result, header = self.config_of("CONFIG_ZTEST=y\nCONFIG_TEST_HW_STACK_PROTECTION=n\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("CONFIG_THREAD_STACK_MEM_MAPPED", header)
        self.assertNotIn("CONFIG_USERSPACE", header)

    def test_test_userspace_not_with_coverage(self):
        # User mode cannot be built with gcov: the test then runs in supervisor mode.
        result, header = self.config_of("CONFIG_ZTEST=y\nCONFIG_TEST_USERSPACE=y\n"
                                        "CONFIG_COVERAGE_GCOV=y\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("warning", result.stderr)
        self.assertIn("#define CONFIG_TEST_USERSPACE 1", header)
        self.assertNotIn("CONFIG_USERSPACE", header)

    def test_stack_protection_by_default(self):
        result, header = self.config_of("CONFIG_ZTEST=y\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("#define CONFIG_THREAD_STACK_MEM_MAPPED 1", header)

    def test_coverage_means_gcov(self):
        result, header = self.config_of("CONFIG_COVERAGE=y\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("#define CONFIG_COVERAGE_GCOV 1", header)

    def test_what_pagoda_cannot_do_warns_and_stays(self):
        result, header = self.config_of("CONFIG_CBPRINTF_REDUCED_INTEGRAL=y\n"
                                        "CONFIG_SRAM_REGION_PERMISSIONS=n\n"
                                        "CONFIG_ARCH_MAPS_ALL_RAM=y\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        for name in ("CBPRINTF_REDUCED_INTEGRAL", "SRAM_REGION_PERMISSIONS", "ARCH_MAPS_ALL_RAM"):
            self.assertIn(f"warning: CONFIG_{name}", result.stderr)
        self.assertNotIn("CONFIG_CBPRINTF_REDUCED_INTEGRAL", header)
        self.assertNotIn("CONFIG_ARCH_MAPS_ALL_RAM", header)
        self.assertIn("#define CONFIG_SRAM_REGION_PERMISSIONS 1", header)

    def test_malloc_arena_must_be_empty(self):
        result, _ = self.config_of("CONFIG_COMMON_LIBC_MALLOC_ARENA_SIZE=4096\n")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("CONFIG_COMMON_LIBC_MALLOC_ARENA_SIZE=4096 is outside its range", result.stderr)

    def test_unknown_reference_symbol_stays_an_error(self):
        result, _ = self.config_of("CONFIG_X86_NO_MELTDOWN=y\n")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("unknown Kconfig symbol CONFIG_X86_NO_MELTDOWN", result.stderr)

    def test_stack_canaries_and_random_generator(self):
        result, header = self.config_of("CONFIG_STACK_CANARIES=y\nCONFIG_ENTROPY_GENERATOR=y\n"
                                        "CONFIG_TEST_RANDOM_GENERATOR=y\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("#define CONFIG_STACK_CANARIES 1", header)
        self.assertIn("#define CONFIG_TEST_RANDOM_GENERATOR 1", header)
        # No entropy driver: promptless, a warning.
        self.assertIn("warning: CONFIG_ENTROPY_GENERATOR", result.stderr)
        # Canaries need a random source, as in the reference.
        result, header = self.config_of("CONFIG_STACK_CANARIES=y\n")
        self.assertIn("warning: CONFIG_STACK_CANARIES", result.stderr)
        self.assertNotIn("CONFIG_STACK_CANARIES", header)


class ConfigdefaultTest(KconfigRun):
    """The reference's `configdefault`: defaults for a symbol defined
    elsewhere, whose dependencies stay its own."""

    def run_app_kconfig(self, app_kconfig, *fragments):
        root = self.fragment("Kconfig", app_kconfig + 'source "Kconfig.zephyr"\n')
        return subprocess.run(
            ["/usr/bin/python3", SCRIPT, "--kconfig", root, "--srctree", REPO,
             "--config-out", self.config, "--header-out", self.header, *fragments],
            capture_output=True, text=True, check=False)

    def test_default_added_dependencies_kept(self):
        app = "configdefault MAX_THREAD_BYTES\n\tdefault 7 if USERSPACE\n\tdefault 5\n"
        user = self.fragment("user.conf", "CONFIG_TEST_USERSPACE=y\n")
        result = self.run_app_kconfig(app, DEFCONFIG_64, user)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("#define CONFIG_MAX_THREAD_BYTES 7\n", self.header_text())
        # MAX_THREAD_BYTES depends on USERSPACE: without it the symbol stays
        # off (a second `config` entry would have made it visible, = 5).
        plain = self.fragment("plain.conf", "CONFIG_ZTEST=y\n")
        result = self.run_app_kconfig(app, DEFCONFIG_64, plain)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("CONFIG_MAX_THREAD_BYTES", self.header_text())
        # prj.conf still wins over the default.
        mine = self.fragment("mine.conf", "CONFIG_TEST_USERSPACE=y\nCONFIG_MAX_THREAD_BYTES=3\n")
        result = self.run_app_kconfig(app, DEFCONFIG_64, mine)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("#define CONFIG_MAX_THREAD_BYTES 3\n", self.header_text())

    def test_only_defaults_allowed(self):
        for body in ('\tbool "a prompt"\n', "\tselect ZTEST\n", "\trange 1 3\n",
                     "\thelp\n\t  text\n"):
            result = self.run_app_kconfig("configdefault MAX_THREAD_BYTES\n" + body,
                                          DEFCONFIG_64)
            self.assertNotEqual(result.returncode, 0, body)
            self.assertIn("configdefault MAX_THREAD_BYTES may only have 'default' lines",
                          result.stderr)

    def test_symbol_must_be_defined(self):
        result = self.run_app_kconfig("configdefault NO_SUCH_SYMBOL\n\tdefault y\n",
                                      DEFCONFIG_64)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("no config entry defines NO_SUCH_SYMBOL", result.stderr)


if __name__ == "__main__":
    unittest.main()
