# SPDX-License-Identifier: Apache-2.0
"""Configurations that used to build and then crash at boot must fail the build.

Each such configuration fails at the step that can tell: a Kconfig `range` (scripts/kconfig.py
turns an out-of-range value into an error naming the symbol, the value and
the range), a configure-time check relating two options
(cmake/limits.cmake), or a link-time check that knows the image size
(linker/limits.ld.in). Each failure must name the option.

Cheap first: range errors run scripts/kconfig.py alone; the CMake checks
run the configure step only; the image-size checks link pagoda_pre.elf
only (the first link, where the ASSERTs fire).
"""

import os
import shutil
import subprocess
import tempfile
import unittest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PYTHON = "/usr/bin/python3"
KCONFIG_SCRIPT = os.path.join(REPO, "scripts", "kconfig.py")
BOARDS = ("qemu_x86", "qemu_x86_pae", "qemu_x86_64")
MAIN_C = "int main(void)\n{\n\treturn 0;\n}\n"


def have_tools(*tools):
    return all(shutil.which(tool) for tool in tools)


class LimitsTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="pagoda-limits-")
        self.addCleanup(self.tmp.cleanup)

    def app(self, lines):
        app = os.path.join(self.tmp.name, "app")
        os.makedirs(os.path.join(app, "src"), exist_ok=True)
        with open(os.path.join(app, "prj.conf"), "w", encoding="utf-8") as f:
            f.write("".join(line + "\n" for line in lines))
        with open(os.path.join(app, "src", "main.c"), "w", encoding="utf-8") as f:
            f.write(MAIN_C)
        return app

    def kconfig(self, board, lines):
        app = self.app(lines)
        out = os.path.join(self.tmp.name, "kconfig")
        return subprocess.run(
            [PYTHON, KCONFIG_SCRIPT, "--kconfig", os.path.join(REPO, "Kconfig"),
             "--srctree", REPO, "--config-out", os.path.join(out, ".config"),
             "--header-out", os.path.join(out, "autoconf.h"),
             os.path.join(REPO, "boards", board, "defconfig"), os.path.join(app, "prj.conf")],
            capture_output=True, text=True, check=False), os.path.join(app, "prj.conf")

    def configure(self, board, lines):
        app = self.app(lines)
        build = os.path.join(self.tmp.name, "build")
        result = subprocess.run(
            ["cmake", "-S", REPO, "-B", build, "-G", "Ninja", f"-DBOARD={board}", f"-DAPP={app}"],
            capture_output=True, text=True, check=False)
        return result, build

    def link_pre(self, board, lines):
        """Configure, then build only the first link; (returncode, output)."""
        result, build = self.configure(board, lines)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        result = subprocess.run(["ninja", "-C", build, "pagoda_pre.elf"],
                                capture_output=True, text=True, check=False)
        return result.returncode, result.stdout + result.stderr

    def assert_range_error(self, board, lines, option, value, bounds):
        result, prj = self.kconfig(board, lines)
        self.assertNotEqual(result.returncode, 0, f"{lines} was accepted:\n{result.stderr}")
        line = next(n for n, text in enumerate(lines, 1) if text.startswith(option + "="))
        expected = f"{prj}:{line}: error: {option}={value} is outside its range {bounds}"
        self.assertIn(expected, result.stderr)
        self.assertNotIn("Traceback", result.stderr)


class RangeTest(LimitsTestCase):
    """Static limits: Kconfig ranges, enforced as errors by scripts/kconfig.py."""

    def test_sram_size_zero_and_one(self):
        for value in ("0", "1"):
            with self.subTest(value=value):
                self.assert_range_error("qemu_x86_64", [f"CONFIG_SRAM_SIZE={value}"],
                                        "CONFIG_SRAM_SIZE", value, "[64, 4193280]")

    def test_kernel_vm_base_zero(self):
        self.assert_range_error("qemu_x86_64", ["CONFIG_KERNEL_VM_BASE=0"],
                                "CONFIG_KERNEL_VM_BASE", "0", "[0x100000, 0xfff00000]")

    def test_kernel_vm_base_below_sram_base(self):
        # The lower bound is the symbol SRAM_BASE_ADDRESS, evaluated.
        result, _ = self.kconfig("qemu_x86", ["CONFIG_SRAM_BASE_ADDRESS=0x200000",
                                              "CONFIG_KERNEL_VM_BASE=0x100000"])
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("CONFIG_KERNEL_VM_BASE=0x100000 is outside its range "
                      "[0x200000, 0xfff00000]", result.stderr)
        self.assertIn("bound by CONFIG_SRAM_BASE_ADDRESS", result.stderr)

    def test_sram_base_address_zero(self):
        self.assert_range_error("qemu_x86", ["CONFIG_SRAM_BASE_ADDRESS=0"],
                                "CONFIG_SRAM_BASE_ADDRESS", "0", "[0x100000, 0xfff00000]")

    def test_kernel_vm_size_zero(self):
        self.assert_range_error("qemu_x86_pae", ["CONFIG_KERNEL_VM_SIZE=0"],
                                "CONFIG_KERNEL_VM_SIZE", "0", "[0x100000, 0xfff00000]")

    def test_page_frames_reserve_negative(self):
        self.assert_range_error(
            "qemu_x86_64", ["CONFIG_DEMAND_PAGING=y", "CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE=-5"],
            "CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE", "-5", "[0, 65536]")

    def test_disk_pages_zero(self):
        self.assert_range_error(
            "qemu_x86_64", ["CONFIG_DEMAND_PAGING=y", "CONFIG_BACKING_STORE_DISK=y",
                            "CONFIG_BACKING_STORE_DISK_PAGES=0"],
            "CONFIG_BACKING_STORE_DISK_PAGES", "0", "[2, 524288]")

    def test_ram_pages_zero(self):
        self.assert_range_error(
            "qemu_x86_64", ["CONFIG_DEMAND_PAGING=y", "CONFIG_BACKING_STORE_RAM_PAGES=0"],
            "CONFIG_BACKING_STORE_RAM_PAGES", "0", "[2, 524288]")

    def test_main_stack_size_zero(self):
        self.assert_range_error("qemu_x86", ["CONFIG_MAIN_STACK_SIZE=0"],
                                "CONFIG_MAIN_STACK_SIZE", "0", "[1024, 16777216]")

    def test_every_error_is_reported_at_once(self):
        result, prj = self.kconfig("qemu_x86_64", ["CONFIG_SRAM_SIZE=0",
                                                   "CONFIG_MAIN_STACK_SIZE=0"])
        self.assertNotEqual(result.returncode, 0)
        self.assertIn(f"{prj}:1: error: CONFIG_SRAM_SIZE=0", result.stderr)
        self.assertIn(f"{prj}:2: error: CONFIG_MAIN_STACK_SIZE=0", result.stderr)

    def test_values_in_range_and_defaults_pass(self):
        for board in BOARDS:
            with self.subTest(board=board):
                result, _ = self.kconfig(board, [])
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertNotIn("range", result.stderr)
        result, _ = self.kconfig("qemu_x86_64", ["CONFIG_SRAM_SIZE=64", "CONFIG_DEMAND_PAGING=y",
                                                 "CONFIG_BACKING_STORE_RAM_PAGES=2",
                                                 "CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE=0",
                                                 "CONFIG_MAIN_STACK_SIZE=4096"])
        self.assertEqual(result.returncode, 0, result.stderr)


@unittest.skipUnless(have_tools("cmake", "ninja", "gcc"), "cmake, ninja and gcc are needed")
class ConfigureTest(LimitsTestCase):
    """Limits relating two options: cmake/limits.cmake fails the configure step."""

    def assert_configure_fails(self, board, lines, *needles):
        result, _ = self.configure(board, lines)
        output = result.stdout + result.stderr
        self.assertNotEqual(result.returncode, 0, f"{lines} configured:\n{output}")
        for needle in needles:
            self.assertIn(needle, output)

    def test_ram_store_bigger_than_ram(self):
        self.assert_configure_fails(
            "qemu_x86_64", ["CONFIG_SRAM_SIZE=8192", "CONFIG_DEMAND_PAGING=y",
                            "CONFIG_BACKING_STORE_RAM_PAGES=2100"],
            "CONFIG_BACKING_STORE_RAM_PAGES=2100 (8400 KiB) does not fit in "
            "CONFIG_SRAM_SIZE=8192 KiB")

    def test_demand_paging_default_store_in_400_kib(self):
        self.assert_configure_fails(
            "qemu_x86_64", ["CONFIG_SRAM_SIZE=400", "CONFIG_DEMAND_PAGING=y"],
            "CONFIG_BACKING_STORE_RAM_PAGES=256 (1024 KiB) does not fit in CONFIG_SRAM_SIZE=400 KiB")

    def test_ram_store_of_20000_pages_even_with_a_bigger_window(self):
        for extra in ([], ["CONFIG_KERNEL_VM_SIZE=0x8000000"]):
            with self.subTest(extra=extra):
                self.assert_configure_fails(
                    "qemu_x86_64", ["CONFIG_DEMAND_PAGING=y",
                                    "CONFIG_BACKING_STORE_RAM_PAGES=20000", *extra],
                    "CONFIG_BACKING_STORE_RAM_PAGES=20000", "CONFIG_SRAM_SIZE=32768")

    def test_ram_beyond_4_gib(self):
        self.assert_configure_fails(
            "qemu_x86", ["CONFIG_SRAM_BASE_ADDRESS=0x80000000", "CONFIG_SRAM_SIZE=3145728",
                         "CONFIG_KERNEL_VM_SIZE=0x1000000"],
            "CONFIG_SRAM_SIZE=3145728 KiB ends at 0x140000000, beyond 4 GiB")

    def test_window_beyond_2_gib_on_x86_64(self):
        self.assert_configure_fails(
            "qemu_x86_64", ["CONFIG_KERNEL_VM_SIZE=0x80000000"],
            "CONFIG_KERNEL_VM_SIZE=0x80000000 ends at 0x80100000")

    def test_main_stack_not_a_multiple_of_16(self):
        self.assert_configure_fails("qemu_x86_64", ["CONFIG_MAIN_STACK_SIZE=4100"],
                                    "CONFIG_MAIN_STACK_SIZE=4100 is not a multiple of 16")

    def test_out_of_range_value_fails_configure_too(self):
        self.assert_configure_fails("qemu_x86_64", ["CONFIG_SRAM_SIZE=0"],
                                    "error: CONFIG_SRAM_SIZE=0 is outside its range",
                                    "Kconfig failed")


@unittest.skipUnless(have_tools("cmake", "ninja", "gcc", "i686-linux-gnu-gcc"),
                     "cmake, ninja, gcc and i686-linux-gnu-gcc are needed")
class LinkTest(LimitsTestCase):
    """Limits depending on the image size: the link fails naming the option."""

    def assert_link_fails(self, board, lines, *needles):
        returncode, output = self.link_pre(board, lines)
        self.assertNotEqual(returncode, 0, f"{lines} linked:\n{output[-3000:]}")
        for needle in needles:
            self.assertIn(needle, output)

    def test_sram_smaller_than_the_image_64(self):
        for size in (100, 200):
            with self.subTest(size=size):
                self.assert_link_fails(
                    "qemu_x86_64", [f"CONFIG_SRAM_SIZE={size}"],
                    "the kernel image does not fit in RAM",
                    f"CONFIG_SRAM_SIZE={size} KiB", "raise CONFIG_SRAM_SIZE")

    def test_sram_smaller_than_the_image_32(self):
        self.assert_link_fails("qemu_x86", ["CONFIG_SRAM_SIZE=100"],
                               "the kernel image does not fit in RAM",
                               "CONFIG_SRAM_SIZE=100 KiB ends at 0x119000")

    def test_too_few_frames_left_for_demand_paging(self):
        self.assert_link_fails(
            "qemu_x86_pae", ["CONFIG_SRAM_SIZE=560", "CONFIG_DEMAND_PAGING=y",
                             "CONFIG_BACKING_STORE_RAM_PAGES=64"],
            "CONFIG_DEMAND_PAGING needs 22 free page frames after the kernel image",
            "CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE=16", "CONFIG_SRAM_SIZE=560 KiB")


if __name__ == "__main__":
    unittest.main()
