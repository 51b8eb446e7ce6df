"""Tests of the style checks (scripts/pagoda_lib/style.py, `scripts/pagoda format`).

The format check and the lint run on files in a temporary folder: a copy of
the tree's .clang-format with a misformatted and a formatted C file, and a
Python file with an unused import. Nothing in the repo is checked or changed.
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

    def test_full_run_has_both_jobs(self):
        self.assertEqual([j.outcome().scenario for j in style.jobs()], ["format", "lint"])

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

    def test_path_without_tracked_files(self):
        tmp = Path(tempfile.mkdtemp(prefix="pagoda-style-", dir="/tmp"))
        self.addCleanup(shutil.rmtree, tmp)
        done = subprocess.run([str(PAGODA), "format", "--check", str(tmp)], cwd=REPO,
                              capture_output=True, text=True)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("no tracked C or Python files", done.stderr)


if __name__ == "__main__":
    unittest.main()
