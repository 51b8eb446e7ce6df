# SPDX-License-Identifier: Apache-2.0
"""Source style: the C formatting of .clang-format, a lint of the Python, and
the SPDX license line of every source file.

- C: every tracked *.c and *.h file must be what clang-format (pinned to
  version 14, Debian bookworm's) makes of it with the tree's .clang-format.
  `scripts/pagoda format` rewrites the files that differ; `--check` only
  names them.
- Python: every tracked *.py file, and scripts with a python #! line
  (scripts/pagoda), must pass pyflakes (unused imports and variables,
  undefined names, syntax errors). It has no fixer: its messages say what to
  change.
- License: every tracked source file (C, headers, assembly and linker
  scripts; Python; CMake; Kconfig files, defconfigs and prj.conf fragments;
  YAML; shell scripts) must carry `SPDX-License-Identifier: Apache-2.0`, in
  its own comment syntax, on its first line, or on its second after a #!
  line. `scripts/pagoda format` adds the missing lines; `--check` only names
  the files. Documents, binaries and editor/tool settings are not checked.

`scripts/pagoda test` runs the three checks as three host jobs, "format",
"lint" and "license", one test case each: in a full run over the whole tree,
with -T over the tracked files under the -T folders (none outside the repo).
"""

import difflib
import os
import re
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

from .outcome import Outcome
from .project import PYTHON, REPO, PagodaError, display_path

# Pinned: each clang-format release breaks some lines differently, so the
# check, the fixer and every contributor must run the same one.
CLANG_FORMAT = "clang-format-14"
CLANG_FORMAT_PACKAGE = "clang-format-14"
LINT_MODULE = "pyflakes"                # run as `/usr/bin/python3 -m pyflakes`
LINT_PACKAGE = "python3-pyflakes"
FIX_COMMAND = "scripts/pagoda format"
C_SUFFIXES = (".c", ".h")
# Repo-relative fnmatch patterns of generated or third-party C sources, which
# keep their own style. None today: generated files live under build/.
C_EXCLUDE = ()
BATCH = 200                             # files per clang-format call
MAX_NOTES = 40                          # lint messages shown under a failure

# The project's license (LICENSE), as an SPDX identifier.
SPDX_ID = "SPDX-License-Identifier: Apache-2.0"
C_SPDX_LINE = f"/* {SPDX_ID} */"        # C, headers, assembly, linker scripts
HASH_SPDX_LINE = f"# {SPDX_ID}"         # Python, CMake, Kconfig, YAML, shell
C_STYLE_SUFFIXES = (".c", ".h", ".S", ".ld", ".ld.in")
HASH_STYLE_SUFFIXES = (".py", ".cmake", ".yaml", ".yaml.in", ".conf")
HASH_STYLE_NAMES = ("CMakeLists.txt", "Kconfig", "defconfig")
# Tracked source files exempt from the SPDX line (exact paths): none.
LICENSE_EXEMPT = ()

RE_VIOLATION = re.compile(r"^(.+?):\d+:\d+: (?:error|warning): code should be clang-formatted")


def _in_repo(path):
    try:
        return Path(path).resolve().relative_to(REPO)
    except ValueError:
        return None


def tracked_files(roots=None):
    """Repo-relative paths (str) of the tracked files that exist, under roots
    (None: the whole tree; folders or files, in or out of the repo)."""
    if roots is None:
        specs = ["."]
    else:
        specs = [str(rel) for rel in map(_in_repo, roots) if rel is not None]
        if not specs:
            return []
    done = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "--", *specs],
                          capture_output=True)
    if done.returncode != 0:
        raise PagodaError("git ls-files failed (the style checks look at tracked files): "
                          + done.stderr.decode(errors="replace").strip())
    names = sorted({n for n in done.stdout.decode().split("\0") if n})
    # Deleted but not yet staged: nothing to check.
    return [n for n in names if (REPO / n).is_file()]


def _shebang(name, cwd=REPO):
    """The file's #! line (bytes), or b"" when it has none."""
    try:
        with open(Path(cwd) / name, "rb") as f:
            first = f.readline(200)
    except OSError:
        return b""
    return first if first.startswith(b"#!") else b""


def _is_python_script(name):
    return b"python" in _shebang(name)


def c_files(roots=None):
    return [n for n in tracked_files(roots) if n.endswith(C_SUFFIXES)
            and not any(fnmatch(n, pattern) for pattern in C_EXCLUDE)]


def python_files(roots=None):
    return [n for n in tracked_files(roots)
            if n.endswith(".py") or ("." not in os.path.basename(n) and _is_python_script(n))]


def spdx_line(name, cwd=REPO):
    """The SPDX line the file must carry, or None when it is not a source
    file of a checked kind (documents, binaries, settings, LICENSE)."""
    base = os.path.basename(name)
    if base.endswith(C_STYLE_SUFFIXES):
        return C_SPDX_LINE
    if base.endswith(HASH_STYLE_SUFFIXES) or base in HASH_STYLE_NAMES:
        return HASH_SPDX_LINE
    if "." not in base and _shebang(name, cwd):
        return HASH_SPDX_LINE           # scripts: python, sh, bash
    return None


def license_files(roots=None):
    return [n for n in tracked_files(roots)
            if n not in LICENSE_EXEMPT and spdx_line(n) is not None]


def _head(path, lines=2):
    with open(path, "rb") as f:
        return [f.readline(400).decode(errors="replace").rstrip("\r\n") for _ in range(lines)]


def unlicensed(files, cwd=REPO):
    """The files (paths relative to cwd) without their SPDX line in the
    first two lines."""
    bad = []
    for name in files:
        want = spdx_line(name, cwd)
        try:
            head = _head(Path(cwd) / name) if want is not None else []
        except FileNotFoundError:
            continue                    # deleted since listed: nothing to check
        if want is not None and want not in (line.rstrip() for line in head):
            bad.append(name)
    return bad


def add_license_line(name, cwd=REPO):
    """Put the SPDX line first (second after a #! line), the rest byte for
    byte as it was. False when the file already has it or is not checked."""
    path = Path(cwd) / name
    want = spdx_line(name, cwd)
    if want is None or not unlicensed([name], cwd):
        return False
    data = path.read_bytes()
    newline = b"\r\n" if data.split(b"\n", 1)[0].endswith(b"\r") else b"\n"
    line = want.encode() + newline
    if data.startswith(b"#!"):
        end = data.find(b"\n") + 1
        if end == 0:                    # a lone #! line without a newline
            data, end = data + newline, len(data) + len(newline)
        data = data[:end] + line + data[end:]
    else:
        data = line + data
    path.write_bytes(data)
    return True


def _run(cmd, cwd):
    return subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)


def unformatted(files, cwd=REPO):
    """The files (paths relative to cwd) clang-format would change."""
    bad = set()
    for i in range(0, len(files), BATCH):
        batch = list(files[i:i + BATCH])
        done = _run([CLANG_FORMAT, "--dry-run", "--Werror", "--ferror-limit=1", *batch], cwd)
        found = {m.group(1) for m in map(RE_VIOLATION.match, done.stderr.splitlines()) if m}
        if done.returncode != 0 and not found:
            raise PagodaError(f"{CLANG_FORMAT} failed (exit status {done.returncode}): "
                              + " ".join(done.stderr.strip().splitlines()[:3]))
        bad |= found & set(batch)
    return sorted(bad)


def format_diff(name, cwd=REPO):
    """A unified diff from the file to what clang-format makes of it."""
    path = Path(cwd) / name
    done = _run([CLANG_FORMAT, name], cwd)
    if done.returncode != 0:
        return [f"{name}: {CLANG_FORMAT} failed: {done.stderr.strip()}"]
    old = path.read_text(errors="replace").splitlines(keepends=True)
    new = done.stdout.splitlines(keepends=True)
    return list(difflib.unified_diff(old, new, f"a/{name}", f"b/{name}"))


def reformat(files, cwd=REPO):
    """clang-format -i the files; only those that differ are rewritten, so
    the others keep their timestamps (and builds stay up to date)."""
    bad = unformatted(files, cwd)
    for i in range(0, len(bad), BATCH):
        done = _run([CLANG_FORMAT, "-i", *bad[i:i + BATCH]], cwd)
        if done.returncode != 0:
            raise PagodaError(f"{CLANG_FORMAT} -i failed: {done.stderr.strip()}")
    return bad


def lint(files, cwd=REPO):
    """(files with problems, pyflakes' messages 'file:line:col: what')."""
    if not files:
        return [], []
    done = _run([PYTHON, "-m", LINT_MODULE, *files], cwd)
    messages = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    if done.returncode not in (0, 1) or (done.returncode == 1 and not messages):
        raise PagodaError(f"{PYTHON} -m {LINT_MODULE} failed (exit status {done.returncode}): "
                          + " ".join(messages[:3]))
    # One line per problem, "file:line:col: what" (a syntax error adds the
    # offending source line and a caret line, kept with it).
    names = set(files)
    bad = {line.split(":", 1)[0] for line in messages} & names
    return sorted(bad), messages


def problem_count(messages, files):
    names = set(files)
    return sum(line.split(":", 1)[0] in names for line in messages) or len(messages)


def _names(files, limit=8):
    shown = ", ".join(files[:limit])
    return shown + (f" and {len(files) - limit} more" if len(files) > limit else "")


# ---- scripts/pagoda test -------------------------------------------------------------

def _scope(roots):
    return "." if roots is None else ",".join(display_path(r) for r in roots)


class FormatJob:
    """clang-format over the tracked C files in scope: one case."""

    what = "the format check"

    def __init__(self, roots=None, files=None, cwd=REPO):
        self.roots = roots
        self.files = files if files is not None else c_files(roots)
        self.cwd = cwd                  # what the file names are relative to

    def outcome(self):
        return Outcome("host", _scope(self.roots), "format")

    def run(self, ctx):
        result = self.outcome()
        bad = unformatted(self.files, self.cwd)
        if not bad:
            result.passed = 1
            return result
        log = ctx.outdir / "style" / "format.diff"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("".join(line for name in bad for line in format_diff(name, self.cwd)))
        result.failed = 1
        result.failures.append(
            f"{len(bad)} of {len(self.files)} C file(s) differ from .clang-format "
            f"({CLANG_FORMAT}): {_names(bad)}; fix: {FIX_COMMAND}")
        result.notes.extend(bad)
        result.logs.append(log)
        return result


class LintJob:
    """pyflakes over the tracked Python files in scope: one case."""

    what = "the Python lint"

    def __init__(self, roots=None, files=None, cwd=REPO):
        self.roots = roots
        self.files = files if files is not None else python_files(roots)
        self.cwd = cwd                  # what the file names are relative to

    def outcome(self):
        return Outcome("host", _scope(self.roots), "lint")

    def run(self, ctx):
        result = self.outcome()
        bad, messages = lint(self.files, self.cwd)
        if not messages:
            result.passed = 1
            return result
        log = ctx.outdir / "style" / "lint.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("".join(m + "\n" for m in messages))
        result.failed = 1
        result.failures.append(
            f"{LINT_MODULE}: {problem_count(messages, self.files)} problem(s) in "
            f"{_names(bad or ['?'])}; "
            f"fix them by hand, then check with `{FIX_COMMAND} --check`")
        result.notes.extend(messages[:MAX_NOTES])
        if len(messages) > MAX_NOTES:
            result.notes.append(f"... {len(messages) - MAX_NOTES} more in the log")
        result.logs.append(log)
        return result


class LicenseJob:
    """The SPDX line of the tracked source files in scope: one case."""

    what = "the license check"

    def __init__(self, roots=None, files=None, cwd=REPO):
        self.roots = roots
        self.files = files if files is not None else license_files(roots)
        self.cwd = cwd                  # what the file names are relative to

    def outcome(self):
        return Outcome("host", _scope(self.roots), "license")

    def run(self, ctx):
        result = self.outcome()
        bad = unlicensed(self.files, self.cwd)
        if not bad:
            result.passed = 1
            return result
        result.failed = 1
        result.failures.append(
            f"{len(bad)} of {len(self.files)} source file(s) lack the line "
            f"'{SPDX_ID}' (first line, or second after #!): {_names(bad)}; "
            f"fix: {FIX_COMMAND}")
        result.notes.extend(bad)
        return result


def jobs(roots=None):
    """The style jobs of a test run: roots None for a full run, else the -T
    folders; a job only when its scope holds files to check."""
    found = []
    c, py, lic = c_files(roots), python_files(roots), license_files(roots)
    if c:
        found.append(FormatJob(roots, c))
    if py:
        found.append(LintJob(roots, py))
    if lic:
        found.append(LicenseJob(roots, lic))
    return found


# ---- scripts/pagoda format -----------------------------------------------------------

def cmd_format(args):
    roots = None
    if args.paths:
        roots = [Path(p).resolve() for p in args.paths]
        for given, root in zip(args.paths, roots):
            if not root.exists():
                raise PagodaError(f"no such file or folder: {given}")
    c, py, lic = c_files(roots), python_files(roots), license_files(roots)
    if roots is not None and not c and not py and not lic:
        raise PagodaError("no tracked C or Python files (nor other source files) under "
                          + ", ".join(args.paths))
    status = 0
    if args.check:
        missing = unlicensed(lic)
        for name in missing:
            print(f"{name}: no '{SPDX_ID}' line", flush=True)
        if missing:
            status = 1
        lic_line = (f"{len(missing)} of {len(lic)} source file(s) lack the SPDX line"
                    + (f"; fix: {FIX_COMMAND}" if missing else ""))
    else:
        missing = [name for name in lic if add_license_line(name)]
        for name in missing:
            print(f"{name}: SPDX line added", flush=True)
        lic_line = f"SPDX line added to {len(missing)} of {len(lic)} source file(s)"
    if args.check:
        bad = unformatted(c)
        for name in bad:
            print(f"{name}: differs from .clang-format", flush=True)
        if bad:
            status = 1
        c_line = (f"{len(bad)} of {len(c)} C file(s) differ from .clang-format "
                  f"({CLANG_FORMAT})" + (f"; fix: {FIX_COMMAND}" if bad else ""))
    else:
        bad = reformat(c)
        for name in bad:
            print(f"{name}: reformatted", flush=True)
        c_line = f"{len(bad)} of {len(c)} C file(s) reformatted ({CLANG_FORMAT})"
    _, messages = lint(py)
    for message in messages:
        print(message, flush=True)
    if messages:
        status = 1
    py_line = (f"{problem_count(messages, py)} {LINT_MODULE} problem(s) in {len(py)} "
               "Python file(s)"
               + ("; fix them by hand" if messages else ""))
    print(f"pagoda format: {c_line}; {py_line}; {lic_line}", file=sys.stderr, flush=True)
    return status
