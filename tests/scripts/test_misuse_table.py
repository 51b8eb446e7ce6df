# SPDX-License-Identifier: Apache-2.0
"""docs/MISUSE.md and tests/kernel/mm/misuse agree: every row has its test
and every test its row (tests/kernel/mm/misuse/check_misuse.py --no-logs).
The run logs are checked by the same script after the suite has run."""

import importlib.util
import tempfile
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHECKER = REPO / "tests" / "kernel" / "mm" / "misuse" / "check_misuse.py"


def load_checker():
    spec = importlib.util.spec_from_file_location("check_misuse", CHECKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class MisuseTable(unittest.TestCase):
    def test_every_row_has_a_test_and_every_test_a_row(self):
        checker = load_checker()
        self.assertEqual(checker.main(["--no-logs"]), 0, checker.problems)

    def test_a_row_without_its_test_is_reported(self):
        checker = load_checker()
        lines = checker.TABLE.read_text().splitlines()
        dropped = next(i for i, l in enumerate(lines) if l.startswith("| `MAP-"))
        ident = lines[dropped].split("`")[1]
        with tempfile.TemporaryDirectory() as tmp:
            table = Path(tmp) / "MISUSE.md"
            table.write_text("\n".join(lines[:dropped] + lines[dropped + 1:]) + "\n")
            checker.TABLE = table
            self.assertEqual(checker.main(["--no-logs"]), 1)
        self.assertTrue(any(ident.lower().replace("-", "_") in p for p in checker.problems),
                        checker.problems)


if __name__ == "__main__":
    unittest.main()
