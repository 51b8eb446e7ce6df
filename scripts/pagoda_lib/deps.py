# SPDX-License-Identifier: Apache-2.0
"""The Debian packages the tools need, checked (fast) and installed on first use.

Every subcommand calls ensure() before doing anything else. When all is
present it only looks at PATH and imports, with no apt call. As root it runs
`apt-get update` once and installs what is missing; otherwise it prints the
exact `sudo apt-get install` line and stops with status 2.
"""

import importlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

from .project import PYTHON, PagodaError
from .style import CLANG_FORMAT, CLANG_FORMAT_PACKAGE, LINT_MODULE, LINT_PACKAGE

# Never gcc-multilib: it conflicts with gcc-i686-linux-gnu.
COMMANDS = {
    "qemu-system-x86_64": "qemu-system-x86",
    "qemu-system-i386": "qemu-system-x86",
    "i686-linux-gnu-gcc": "gcc-i686-linux-gnu",
    "i686-linux-gnu-objcopy": "binutils-i686-linux-gnu",
    "gcc": "gcc",
    "cmake": "cmake",
    "ninja": "ninja-build",
}
PY_MODULES = {
    "elftools": "python3-pyelftools",
    "kconfiglib": "python3-kconfiglib",
    "yaml": "python3-yaml",
}
# What only some subcommands use.
EXTRA_COMMANDS = {
    "debug": {"gdb": "gdb"},
    # The host fuzzer (tests/fuzz/mm): clang, plus its libFuzzer runtime (below).
    # The format check (style.py): clang-format pinned to one version.
    "test": {"clang": "clang", CLANG_FORMAT: CLANG_FORMAT_PACKAGE},
    "fuzz": {"clang": "clang"},
    # Host coverage (coverage.py): clang (its llvm-profdata and llvm-cov: below), and
    # genhtml for the HTML report.
    "coverage": {"clang": "clang", "genhtml": "lcov"},
    "format": {CLANG_FORMAT: CLANG_FORMAT_PACKAGE},
}
EXTRA_PY_MODULES = {
    "bench": {"matplotlib": "python3-matplotlib"},
    # The Python lint (style.py); a JUnit reader the runner's tests check report.xml with.
    "test": {LINT_MODULE: LINT_PACKAGE, "junitparser": "python3-junitparser"},
    "format": {LINT_MODULE: LINT_PACKAGE},
}
SANITIZER_FLAGS = ["-fsanitize=address,undefined"]


def _module_present(name):
    if os.path.realpath(sys.executable) == os.path.realpath(PYTHON):
        importlib.invalidate_caches()
        return importlib.util.find_spec(name) is not None
    # Running under another interpreter: ask the one the build uses.
    return subprocess.run([PYTHON, "-c", f"import {name}"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def _sanitizers_work():
    """Can gcc link a program with ASan and UBSan (needed by host unit tests)?"""
    with tempfile.TemporaryDirectory(prefix="pagoda-probe-") as tmp:
        result = subprocess.run(
            ["gcc", *SANITIZER_FLAGS, "-x", "c", "-", "-o", os.path.join(tmp, "probe")],
            input=b"int main(void) { return 0; }\n",
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return result.returncode == 0


_gcc_major_seen = None


def _gcc_major():
    """The installed gcc's major version (remembered: asked once per process, so
    that a check with everything present runs no process after the first)."""
    global _gcc_major_seen
    if _gcc_major_seen is None:
        out = subprocess.run(["gcc", "-dumpversion"], capture_output=True, text=True).stdout
        _gcc_major_seen = out.strip().split(".")[0] or "12"
    return _gcc_major_seen


def _sanitizer_package():
    # libgcc-N-dev pulls in libasan and libubsan for gcc N.
    return f"libgcc-{_gcc_major()}-dev"


_libfuzzer_seen = False


def _libfuzzer_works():
    """Can clang link a libFuzzer program with ASan and UBSan? (A yes is remembered.)"""
    global _libfuzzer_seen
    if not _libfuzzer_seen:
        with tempfile.TemporaryDirectory(prefix="pagoda-probe-") as tmp:
            result = subprocess.run(
                ["clang", "-fsanitize=fuzzer,address,undefined", "-x", "c", "-",
                 "-o", os.path.join(tmp, "probe")],
                input=b"#include <stddef.h>\n#include <stdint.h>\n"
                      b"int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)"
                      b" { (void)d; (void)n; return 0; }\n",
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _libfuzzer_seen = result.returncode == 0
    return _libfuzzer_seen


def _libfuzzer_package():
    major = _clang_major()
    # Debian splits compiler-rt (libFuzzer, the sanitizer runtimes) out of clang.
    return f"libclang-rt-{major}-dev"


_clang_major_seen = None


def _clang_major():
    """The installed clang's major version (remembered: asked once per process)."""
    global _clang_major_seen
    if _clang_major_seen is None:
        out = subprocess.run(["clang", "-dumpversion"], capture_output=True, text=True).stdout
        _clang_major_seen = out.strip().split(".")[0] or "14"
    return _clang_major_seen


def missing(command):
    """{package: [what needs it]} for everything `command` needs and lacks."""
    need = {}
    commands = dict(COMMANDS, **EXTRA_COMMANDS.get(command, {}))
    for prog, pkg in commands.items():
        if shutil.which(prog) is None:
            need.setdefault(pkg, []).append(prog)
    for mod, pkg in dict(PY_MODULES, **EXTRA_PY_MODULES.get(command, {})).items():
        if not _module_present(mod):
            need.setdefault(pkg, []).append(f"{PYTHON} module {mod}")
    if command == "test" and "gcc" not in need and not _sanitizers_work():
        need.setdefault(_sanitizer_package(), []).append("gcc -fsanitize=address,undefined")
    if command in ("test", "fuzz", "coverage") and "clang" not in need \
            and not _libfuzzer_works():
        need.setdefault(_libfuzzer_package(), []).append("clang -fsanitize=fuzzer")
    if command in ("test", "coverage") and "gcc" not in need:
        # gcov of gcc's own version reads the guest's .gcda files (guest_coverage.py;
        # test: tests/scripts/test_gcov_dump.py). Debian ships it in gcc-N.
        major = _gcc_major()
        if shutil.which(f"gcov-{major}") is None:
            need.setdefault(f"gcc-{major}", []).append(f"gcov-{major}")
    if command in ("test", "coverage") and "clang" not in need:
        # The coverage tools of clang's own version (test: tests/scripts/test_coverage.py).
        major = _clang_major()
        for tool in ("llvm-profdata", "llvm-cov"):
            if shutil.which(f"{tool}-{major}") is None:
                need.setdefault(f"llvm-{major}", []).append(f"{tool}-{major}")
    return need


def _describe(need):
    return "; ".join(f"{pkg} (for {', '.join(what)})" for pkg, what in sorted(need.items()))


def ensure(command):
    need = missing(command)
    if not need:
        return
    packages = sorted(need)
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise PagodaError(
            f"missing: {_describe(need)}\n"
            f"Install them with:\n    sudo apt-get install {' '.join(packages)}", status=2)
    print(f"pagoda: installing missing packages: {_describe(need)}", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update"],
                ["apt-get", "install", "-y", "--no-install-recommends", *packages]):
        print("pagoda: $ " + " ".join(cmd), flush=True)
        # apt's chatter goes to stderr so stdout stays the tool's own report.
        if subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL,
                          stdout=sys.stderr).returncode != 0:
            raise PagodaError(f"'{' '.join(cmd)}' failed", status=2)
    still = missing(command)
    if still:
        raise PagodaError(f"still missing after apt-get install: {_describe(still)}", status=2)
