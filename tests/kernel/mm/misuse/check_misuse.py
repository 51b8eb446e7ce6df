#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Check docs/MISUSE.md, the misuse suite and its run logs against each other.

  check_misuse.py             table <-> tests, then every run log found under
                              build/tests/*/tests/kernel/mm/misuse/*/run.log
  check_misuse.py LOG...      the same with these logs only
  check_misuse.py --no-logs   table <-> tests only

Table <-> tests: every row ID has exactly one ZTEST named after it
(MAP-ZERO-SIZE -> test_map_zero_size), in suite misuse (src/main.c) for
rows of build "all" and in suite misuse_paging (src/paging.c) for rows of
build "paging", and every test has a row.

Logs (after scripts/pagoda test -T tests/kernel/mm/misuse): a scenario built
without CONFIG_DEMAND_PAGING ran exactly the "all" rows, one with it every
row, each with PASS; the "<err> mm:" lines between each misuse-call /
misuse-end pair are one line documented for the row (none where the row
says none), and every documented line was seen in some log. Exit status 1
on any mismatch.
"""

import re
import sys
from pathlib import Path

SUITE = Path(__file__).resolve().parent
REPO = SUITE.parents[3]
TABLE = REPO / "docs" / "MISUSE.md"
SUITE_OF_BUILD = {"all": ("misuse", "main.c"), "paging": ("misuse_paging", "paging.c")}

problems = []


def problem(text):
    problems.append(text)


def cells(line):
    """The cells of a Markdown table row; `\\|` is a pipe inside a cell."""
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def read_table():
    rows = {}
    header = None
    for number, line in enumerate(TABLE.read_text().splitlines(), 1):
        if line.startswith("| ID |"):
            header = cells(line)
            continue
        if not line.startswith("| `"):
            continue
        row = dict(zip(header, cells(line)))
        ident = row["ID"].strip("`")
        if not re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9]+)+", ident):
            problem(f"{TABLE.name}:{number}: bad row ID {ident!r}")
        if ident in rows:
            problem(f"{TABLE.name}:{number}: row {ident} appears twice")
        if row["Builds"] not in SUITE_OF_BUILD:
            problem(f"{TABLE.name}:{number}: {ident}: builds must be all or paging")
        messages = re.findall(r"`(<err> mm:[^`]*)`", row["`<err> mm:` line"])
        if not messages and not row["`<err> mm:` line"].startswith("none"):
            problem(f"{TABLE.name}:{number}: {ident}: no message and not 'none'")
        # "qemu_x86_64: ..." in Returns: a misuse on that board only (elsewhere the call is valid).
        only = re.match(r"(qemu_\w+):", row["Returns"])
        rows[ident] = {"builds": row["Builds"], "messages": messages, "line": number,
                       "board": only.group(1) if only else None}
    return rows


def test_name(ident):
    return "test_" + ident.lower().replace("-", "_")


def read_tests():
    tests = {}
    for source in sorted((SUITE / "src").glob("*.c")):
        for suite, name in re.findall(r"^ZTEST\((\w+), (\w+)\)", source.read_text(), re.M):
            if name in tests:
                problem(f"{source.name}: {name} defined twice")
            tests[name] = (suite, source.name)
    return tests


def check_table_against_tests(rows, tests):
    names = {test_name(i): i for i in rows}
    for ident, row in rows.items():
        name = test_name(ident)
        if name not in tests:
            problem(f"row {ident} has no test {name}")
            continue
        suite, source = tests[name]
        want = SUITE_OF_BUILD[row["builds"]]
        if (suite, source) != want:
            problem(f"{name} is in suite {suite} ({source}); a row of build {row['builds']} "
                    f"belongs in {want[0]} ({want[1]})")
    for name in tests:
        if name not in names:
            problem(f"test {name} has no row in {TABLE.name}")


def pattern(message):
    """A documented line as a regex: '…' stands for any text."""
    return re.compile("".join(".+?" if part == "…" else re.escape(part)
                              for part in re.split("(…)", message)))


def parse_log(log):
    """{test: (verdict, [[err lines of one bad call], ...])}"""
    tests = {}
    test = calls = None
    in_call = False
    for line in log.read_text(errors="replace").splitlines():
        start = re.match(r"START - (\w+)$", line)
        verdict = re.match(r" (PASS|FAIL|SKIP) - (\w+) in ", line)
        if start:
            test, calls, in_call = start.group(1), [], False
        elif verdict and verdict.group(2) == test:
            tests[test] = (verdict.group(1), calls)
            test = None
        elif test is None:
            continue
        elif line.startswith("misuse-call: "):
            calls.append([])
            in_call = True
        elif line == "misuse-end":
            in_call = False
        elif in_call and line.startswith("<err> mm:"):
            calls[-1].append(line)
    return tests


def paging_build(log):
    config = log.parent / ".config"
    if not config.exists():
        problem(f"{log}: no .config beside it: cannot tell the scenario's build")
        return False
    return "CONFIG_DEMAND_PAGING=y" in config.read_text().splitlines()


def check_logs(rows, logs):
    seen = set()
    for log in logs:
        paging = paging_build(log)
        where = f"{log.parents[5].name}/{log.parent.name}"
        ran = parse_log(log)
        expected = {test_name(i): i for i, r in rows.items() if paging or r["builds"] == "all"}
        for name, ident in expected.items():
            if name not in ran:
                problem(f"{where}: row {ident} did not run ({name})")
            elif ran[name][0] != "PASS":
                problem(f"{where}: row {ident}: {ran[name][0]}")
        for name in ran:
            if name not in expected:
                problem(f"{where}: {name} ran but is not a row of this build")
        for name, (_, calls) in ran.items():
            ident = expected.get(name)
            if ident is None:
                continue
            documented = rows[ident]["messages"]
            for number, lines in enumerate(calls, 1):
                if not documented:
                    if lines:
                        problem(f"{where}: {ident} call {number} printed {lines[0]!r}; "
                                "the table says none")
                    continue
                if len(lines) != 1:
                    problem(f"{where}: {ident} call {number} printed {len(lines)} "
                            f"'<err> mm:' lines, not one: {lines}")
                for line in lines:
                    match = [m for m in documented if pattern(m).fullmatch(line)]
                    if not match:
                        problem(f"{where}: {ident} call {number}: {line!r} is not in its row")
                    seen.update((ident, m) for m in match)
            board = rows[ident]["board"]
            if not calls and (board is None or where.startswith(board + "/")):
                problem(f"{where}: {ident} marked no misuse call")
    if logs:
        for ident, row in rows.items():
            for message in row["messages"]:
                if (ident, message) not in seen:
                    problem(f"{ident}: documented line never printed: {message!r}")


def main(argv):
    rows = read_table()
    tests = read_tests()
    check_table_against_tests(rows, tests)
    logs = []
    if argv != ["--no-logs"]:
        logs = [Path(a) for a in argv] or sorted(
            (REPO / "build" / "tests").glob("*/tests/kernel/mm/misuse/*/run.log"))
        if not logs:
            problem("no run log: run scripts/pagoda test -T tests/kernel/mm/misuse first")
        check_logs(rows, logs)
    for text in problems:
        print(text)
    builds = {b: sum(r["builds"] == b for r in rows.values()) for b in SUITE_OF_BUILD}
    print(f"{len(rows)} rows ({builds['all']} all, {builds['paging']} paging), "
          f"{len(tests)} tests, {len(logs)} logs: "
          f"{'OK' if not problems else f'{len(problems)} problem(s)'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
