# SPDX-License-Identifier: Apache-2.0
"""An application outside Pagoda's tree is compiled with the reference's
warning set, as warnings, unless CONFIG_COMPILER_WARNINGS_AS_ERRORS=y (the
reference's rule); Pagoda's own code stays -Werror (every in-tree build)."""

import json
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PAGODA = REPO / "scripts" / "pagoda"

# size_t to %u: a -Wformat warning on x86_64, as in some reference suites.
MAIN_C = """\
#include <zephyr/kernel.h>

int main(void)
{
	size_t n = sizeof(long);

	printk("%u\\n", n);
	return 0;
}
"""


class AppWarningsTest(unittest.TestCase):
    def build(self, prj):
        tmp = Path(tempfile.mkdtemp(prefix="pagoda-warn-"))
        self.addCleanup(shutil.rmtree, tmp, ignore_errors=True)
        app = tmp / "app"
        (app / "src").mkdir(parents=True)
        (app / "src" / "main.c").write_text(MAIN_C)
        (app / "prj.conf").write_text(prj)
        return subprocess.run([str(PAGODA), "build", "-b", "qemu_x86_64", "-a", str(app),
                               "-d", str(tmp / "build")], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=600,
                              stdin=subprocess.DEVNULL)

    def test_warning_is_not_an_error(self):
        done = self.build("# no options\n")
        self.assertEqual(done.returncode, 0, done.stdout[-3000:])
        self.assertIn("warning:", done.stdout)
        self.assertIn("-Wformat", done.stdout)

    def test_warnings_as_errors_on_request(self):
        done = self.build("CONFIG_COMPILER_WARNINGS_AS_ERRORS=y\n")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("error:", done.stdout)
        self.assertIn("-Werror=format", done.stdout)


    def test_in_tree_app_stays_strict(self):
        tmp = Path(tempfile.mkdtemp(prefix="pagoda-warn-"))
        self.addCleanup(shutil.rmtree, tmp, ignore_errors=True)
        done = subprocess.run(["cmake", "-S", str(REPO), "-B", str(tmp), "-G", "Ninja",
                               "-DBOARD=qemu_x86_64", f"-DAPP={REPO / 'samples' / 'hello'}",
                               "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=300, stdin=subprocess.DEVNULL)
        self.assertEqual(done.returncode, 0, done.stdout[-3000:])
        commands = json.loads((tmp / "compile_commands.json").read_text())
        app = [c["command"] for c in commands if "/samples/hello/" in c["file"]]
        kernel = [c["command"] for c in commands if "/kernel/" in c["file"]]
        self.assertTrue(app and kernel)
        for command in app + kernel:
            self.assertIn("-Werror ", command + " ")
            self.assertIn("-Wextra", command)


if __name__ == "__main__":
    unittest.main()
