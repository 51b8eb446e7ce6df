# SPDX-License-Identifier: Apache-2.0
"""Build a small app or suite in a temporary folder and boot it once.

For the Python tests that must read what a guest prints when it dies (a
fatal report, a halt), which an in-guest suite cannot see of itself.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PAGODA = REPO / "scripts" / "pagoda"


class GuestRun:
    """files: {relative path: text} of the app (src/main.c, prj.conf, ...)."""

    def __init__(self, prefix, files, board, timeout=60):
        self.tmp = Path(tempfile.mkdtemp(prefix=prefix))
        app = self.tmp / "app"
        for name, text in files.items():
            (app / name).parent.mkdir(parents=True, exist_ok=True)
            (app / name).write_text(text)
        self.done = subprocess.run(
            [str(PAGODA), "run", "-b", board, "-a", str(app), "-d", str(self.tmp / "build"),
             "--timeout", str(timeout)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            timeout=timeout * 5 + 300, stdin=subprocess.DEVNULL)
        self.out = self.done.stdout.replace("\r", "")
        self.returncode = self.done.returncode

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)
