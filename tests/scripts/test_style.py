# SPDX-License-Identifier: Apache-2.0
"""Tests of the style checks (scripts/pagoda_lib/style.py, `scripts/pagoda format`).

The format check, the lint and the license check run on files in a
temporary folder: a copy of the tree's .clang-format with a misformatted and
a formatted C file, a Python file with an unused import, and source files
with and without their SPDX line. Nothing in the repo is checked or changed.
"""

import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path
from unittest import mock

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PAGODA = REPO / "scripts" / "pagoda"

sys.path.insert(0, str(REPO / "scripts"))
from pagoda_lib import deps, runner, style  # noqa: E402

FORMATTED = textwrap.dedent("""\
    #include <stdint.h>

    #define ONE   1
    #define THREE 3

    int add(int a, int b)
    {
    \tif (a > b) {
    \t\treturn a - b;
    \t}
    \treturn a + b;
    }
    """)
# The same code as a person might type it: spaces, a one-line body, no alignment.
MISFORMATTED = textwrap.dedent("""\
    #include <stdint.h>

    #define ONE 1
    #define THREE 3

    int add(int a,int b) {
        if (a>b) { return a-b; }
        return a + b;
    }
    """)
UNUSED_IMPORT = "import os\nimport sys\n\nprint(sys.argv)\n"
CLEAN_PYTHON = "import sys\n\nprint(sys.argv)\n"


@unittest.skipUnless(shutil.which(style.CLANG_FORMAT), f"{style.CLANG_FORMAT} not installed")
class FormatCheck(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="pagoda-style-"))
        self.addCleanup(shutil.rmtree, self.tmp)
        shutil.copy(REPO / ".clang-format", self.tmp / ".clang-format")
        (self.tmp / "src").mkdir()
        (self.tmp / "src" / "good.c").write_text(FORMATTED)
        (self.tmp / "src" / "bad.c").write_text(MISFORMATTED)

    def test_formatted_file_passes(self):
        self.assertEqual(style.unformatted(["src/good.c"], self.tmp), [])

    def test_misformatted_file_is_named(self):
        self.assertEqual(style.unformatted(["src/bad.c", "src/good.c"], self.tmp), ["src/bad.c"])
        diff = "".join(style.format_diff("src/bad.c", self.tmp))
        self.assertIn("-int add(int a,int b) {", diff)
        self.assertIn("+int add(int a, int b)", diff)

    def test_reformat_fixes_only_what_differs(self):
        good = self.tmp / "src" / "good.c"
        before = good.stat().st_mtime_ns
        self.assertEqual(style.reformat(["src/bad.c", "src/good.c"], self.tmp), ["src/bad.c"])
        self.assertEqual((self.tmp / "src" / "bad.c").read_text(), FORMATTED)
        self.assertEqual(good.stat().st_mtime_ns, before)
        self.assertEqual(style.unformatted(["src/bad.c", "src/good.c"], self.tmp), [])

    def test_job_fails_naming_the_file_and_the_fix(self):
        ctx = runner.Context(outdir=self.tmp / "out", build_jobs=None, verbose=False,
                             printer=runner.Printer())
        result = style.FormatJob(roots=[self.tmp], files=["src/bad.c", "src/good.c"],
                                 cwd=self.tmp).run(ctx)
        self.assertEqual((result.passed, result.failed), (0, 1))
        self.assertIn("1 of 2 C file(s) differ", result.failures[0])
        self.assertIn("src/bad.c", result.failures[0])
        self.assertIn("fix: scripts/pagoda format", result.failures[0])
        self.assertIn("+int add(int a, int b)", result.logs[0].read_text())

        ok = style.FormatJob(roots=[self.tmp], files=["src/good.c"], cwd=self.tmp).run(ctx)
        self.assertEqual((ok.passed, ok.failed, ok.failures), (1, 0, []))


class Lint(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="pagoda-lint-"))
        self.addCleanup(shutil.rmtree, self.tmp)
        (self.tmp / "unused.py").write_text(UNUSED_IMPORT)
        (self.tmp / "clean.py").write_text(CLEAN_PYTHON)

    def test_unused_import_is_caught(self):
        bad, messages = style.lint(["unused.py", "clean.py"], self.tmp)
        self.assertEqual(bad, ["unused.py"])
        self.assertEqual(len(messages), 1, messages)
        self.assertRegex(messages[0], r"^unused\.py:1:(\d+:)? 'os' imported but unused$")

    def test_clean_file_passes(self):
        self.assertEqual(style.lint(["clean.py"], self.tmp), ([], []))

    def test_job_fails_naming_the_problem(self):
        ctx = runner.Context(outdir=self.tmp / "out", build_jobs=None, verbose=False,
                             printer=runner.Printer())
        result = style.LintJob(roots=[self.tmp], files=["unused.py", "clean.py"],
                               cwd=self.tmp).run(ctx)
        self.assertEqual((result.passed, result.failed), (0, 1))
        self.assertIn("pyflakes: 1 problem(s) in unused.py", result.failures[0])
        self.assertTrue(any("'os' imported but unused" in n for n in result.notes), result.notes)


class License(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="pagoda-license-"))
        self.addCleanup(shutil.rmtree, self.tmp)
        (self.tmp / "src").mkdir()
        files = {
            "src/bare.c": FORMATTED,
            "src/good.c": "/* SPDX-License-Identifier: Apache-2.0 */\n" + FORMATTED,
            "tool": "#!/usr/bin/python3\n" + CLEAN_PYTHON,
            "good_tool": "#!/usr/bin/python3\n# SPDX-License-Identifier: Apache-2.0\n"
                         + CLEAN_PYTHON,
            "testcase.yaml": "tests:\n  a.b: {}\n",
            "prj.conf": "# SPDX-License-Identifier: Apache-2.0\nCONFIG_ZTEST=y\n",
            # The tag in the wrong syntax, or too far down, does not count.
            "src/hash.h": "# SPDX-License-Identifier: Apache-2.0\n",
            "late.py": '"""Doc."""\n\n# SPDX-License-Identifier: Apache-2.0\n',
        }
        for name, text in files.items():
            (self.tmp / name).write_text(text)
        self.names = sorted(files)

    def test_files_without_the_line_are_named(self):
        self.assertEqual(sorted(style.unlicensed(self.names, self.tmp)),
                         ["late.py", "src/bare.c", "src/hash.h", "testcase.yaml", "tool"])

    def test_file_with_the_line_passes(self):
        self.assertEqual(style.unlicensed(["src/good.c", "good_tool", "prj.conf"], self.tmp), [])

    def test_comment_syntax_per_kind(self):
        self.assertEqual(style.spdx_line("linker/ia32.ld.S"), style.C_SPDX_LINE)
        self.assertEqual(style.spdx_line("linker/limits.ld.in"), style.C_SPDX_LINE)
        self.assertEqual(style.spdx_line("arch/x86/Kconfig"), style.HASH_SPDX_LINE)
        self.assertEqual(style.spdx_line("boards/qemu_x86/defconfig"), style.HASH_SPDX_LINE)
        self.assertEqual(style.spdx_line("tests/kernel/boot/CMakeLists.txt"),
                         style.HASH_SPDX_LINE)
        self.assertEqual(style.spdx_line(".ci/run"), style.HASH_SPDX_LINE)  # a shell script
        for name in ("LICENSE", "README.md", "docs/performance.png", ".clang-format",
                     "tests/fuzz/mm/corpus/repro-map-null-region.bin"):
            self.assertIsNone(style.spdx_line(name), name)

    def test_fixer_adds_the_line_and_keeps_the_rest(self):
        self.assertTrue(style.add_license_line("src/bare.c", self.tmp))
        self.assertEqual((self.tmp / "src" / "bare.c").read_text(),
                         "/* SPDX-License-Identifier: Apache-2.0 */\n" + FORMATTED)
        self.assertTrue(style.add_license_line("tool", self.tmp))
        self.assertEqual((self.tmp / "tool").read_text(),
                         "#!/usr/bin/python3\n# SPDX-License-Identifier: Apache-2.0\n"
                         + CLEAN_PYTHON)
        self.assertFalse(style.add_license_line("src/good.c", self.tmp))
        self.assertEqual(style.unlicensed(["src/bare.c", "tool"], self.tmp), [])

    def test_job_fails_naming_the_file_and_the_fix(self):
        ctx = runner.Context(outdir=self.tmp / "out", build_jobs=None, verbose=False,
                             printer=runner.Printer())
        result = style.LicenseJob(roots=[self.tmp], files=["src/bare.c", "src/good.c"],
                                  cwd=self.tmp).run(ctx)
        self.assertEqual((result.passed, result.failed), (0, 1))
        self.assertIn("1 of 2 source file(s) lack", result.failures[0])
        self.assertIn("src/bare.c", result.failures[0])
        self.assertIn("fix: scripts/pagoda format", result.failures[0])
        ok = style.LicenseJob(roots=[self.tmp], files=["src/good.c"], cwd=self.tmp).run(ctx)
        self.assertEqual((ok.passed, ok.failed, ok.failures), (1, 0, []))

    def test_exempt_paths_are_not_checked(self):
        files = style.license_files()
        self.assertIn("kernel/mm/mm.c", files)
        self.assertIn("scripts/pagoda", files)
        self.assertIn("boards/qemu_x86/defconfig", files)
        for name in style.LICENSE_EXEMPT:
            self.assertNotIn(name, files)


class Scope(unittest.TestCase):
    def test_python_files_include_the_pagoda_script(self):
        # Tracked files only (git ls-files): a new file counts once added.
        files = style.python_files()
        self.assertIn("scripts/pagoda", files)
        self.assertIn("scripts/pagoda_lib/commands.py", files)
        self.assertNotIn(".ci/run", files)      # a shell script

    def test_c_files_are_tracked_c_and_headers(self):
        files = style.c_files([REPO / "subsys" / "ztest"])
        self.assertIn("subsys/ztest/ztest.c", files)
        self.assertTrue(all(f.endswith((".c", ".h")) for f in files), files)

    def test_no_jobs_for_a_folder_outside_the_repo(self):
        tmp = Path(tempfile.mkdtemp(prefix="pagoda-style-", dir="/tmp"))
        self.addCleanup(shutil.rmtree, tmp)
        (tmp / "x.c").write_text(MISFORMATTED)
        if tmp.resolve().is_relative_to(REPO):
            self.skipTest("temporary folder inside the repo")
        self.assertEqual(style.jobs([tmp]), [])

    def test_full_run_has_all_three_jobs(self):
        self.assertEqual([j.outcome().scenario for j in style.jobs()],
                         ["format", "lint", "license"])

    def test_test_and_format_need_the_pinned_tools(self):
        present = shutil.which
        with mock.patch.object(deps.shutil, "which",
                               lambda p: None if p == style.CLANG_FORMAT else present(p)), \
             mock.patch.object(deps, "_module_present", lambda m: m != style.LINT_MODULE), \
             mock.patch.object(deps, "_sanitizers_work", lambda: True), \
             mock.patch.object(deps, "_libfuzzer_works", lambda: True):
            for command in ("test", "format"):
                need = deps.missing(command)
                self.assertIn("clang-format-14", need, command)
                self.assertIn("python3-pyflakes", need, command)
            self.assertNotIn("clang-format-14", deps.missing("build"))


@unittest.skipUnless(shutil.which(style.CLANG_FORMAT), f"{style.CLANG_FORMAT} not installed")
class CommandLine(unittest.TestCase):
    def test_check_of_one_folder(self):
        done = subprocess.run([str(PAGODA), "format", "--check", "subsys/ztest"], cwd=REPO,
                              capture_output=True, text=True)
        self.assertIn("C file(s) differ from .clang-format (clang-format-14)", done.stderr)
        self.assertIn("pyflakes problem(s)", done.stderr)
        self.assertIn("source file(s) lack the SPDX line", done.stderr)

    def test_path_without_tracked_files(self):
        tmp = Path(tempfile.mkdtemp(prefix="pagoda-style-", dir="/tmp"))
        self.addCleanup(shutil.rmtree, tmp)
        done = subprocess.run([str(PAGODA), "format", "--check", str(tmp)], cwd=REPO,
                              capture_output=True, text=True)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("no tracked C or Python files", done.stderr)


if __name__ == "__main__":
    unittest.main()
