# SPDX-License-Identifier: Apache-2.0
"""Finding test suites and expanding them into runnable jobs.

- testcase.yaml (twister format): a `tests:` map of scenario name ->
  {platform_allow, platform_exclude, arch_allow, filter, extra_configs, tags,
  timeout, build_only, skip}, with an optional top-level `common:` merged into each scenario the
  way twister does it (lists and strings concatenate, other values replace).
  Each scenario runs on every board it allows, intersected with -p.
  `extra_args` (NAME=VALUE words) become CMake -D definitions: the build
  reads CONF_FILE (the app's Kconfig fragments instead of prj.conf) and
  EXTRA_CFLAGS (flags for every C file), as the reference's build does. A
  CONFIG_<name>=<value> word sets that Kconfig option, as the reference's
  -DCONFIG_... does: it is applied after the scenario's extra_configs.
  `filter` is evaluated on each build's .config after the configure step
  (kfilter.py): a scenario whose filter fails is reported as filtered, not
  built further and not counted. `arch_allow` without x86, or `arch_exclude`
  with it, drops the scenario (also under twister's old names,
  `arch_whitelist`, `arch_blacklist`, `platform_whitelist`, `platform_blacklist`).
  `depends_on` (twister's): features the board must support, from the
  `supported:` list of boards/<board>/board.yaml; a scenario on a board
  lacking one is reported as filtered, not built.
- unittest.yaml: a host unit test (see hosttests.py and tests/unit/README.md).
"""

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .project import REPO, PagodaError, display_path

TESTCASE_YAML = "testcase.yaml"
UNITTEST_YAML = "unittest.yaml"
DEFAULT_TIMEOUT = 60.0
# Keys whose values are lists of words (a string is split on whitespace).
LIST_KEYS = ("platform_allow", "platform_exclude", "arch_allow", "arch_exclude", "tags",
             "depends_on")
# Twister's names before 2020 (`*_whitelist`, `*_blacklist`), which older
# suites still use, as the keys that replaced them.
OLD_KEYS = {"arch_whitelist": "arch_allow", "arch_blacklist": "arch_exclude",
            "platform_whitelist": "platform_allow", "platform_blacklist": "platform_exclude"}
BOARD_YAML = "board.yaml"
# The one architecture of Pagoda's boards, as twister's arch_allow names it.
ARCH = "x86"


@dataclass(frozen=True)
class Scenario:
    suite_dir: Path             # the app folder holding testcase.yaml
    name: str                   # scenario name, e.g. kernel.boot
    board: str
    extra_configs: tuple = ()   # Kconfig lines, e.g. "CONFIG_FOO=y"
    timeout: float = DEFAULT_TIMEOUT
    build_only: bool = False
    tags: tuple = ()
    filter: str = ""            # twister's filter expression ("" = none)
    extra_args: tuple = ()      # NAME=VALUE, passed to CMake as -DNAME=VALUE
    unmet: tuple = ()           # depends_on features the board lacks (filtered)

    @property
    def suite(self):
        return display_path(self.suite_dir)

    def build_dir(self, outdir):
        return Path(outdir) / "tests" / self.board / suite_subpath(self.suite_dir) / \
            safe_component(self.name)


@dataclass(frozen=True)
class UnitTest:
    suite_dir: Path             # folder holding unittest.yaml and src/
    sources: tuple = ()         # repo-relative .c files under test
    timeout: float = DEFAULT_TIMEOUT
    defines: tuple = ()         # NAME or NAME=VALUE, passed as -D
    include_dirs: tuple = ()    # repo-relative, added after the common ones

    @property
    def suite(self):
        return display_path(self.suite_dir)

    @property
    def name(self):
        return self.suite_dir.name

    def build_dir(self, outdir):
        return Path(outdir) / "unit" / suite_subpath(self.suite_dir)


def safe_component(name):
    name = name.replace(os.sep, "_")
    return "_" + name if name in ("", ".", "..") else name


def suite_subpath(suite_dir):
    """Relative path for a suite's build folders: its repo-relative path inside
    the repo; outside, `_ext/<name>-<hash of the absolute path>` so that it can
    neither escape the output folder nor collide with another suite."""
    suite_dir = Path(suite_dir).resolve()
    try:
        return suite_dir.relative_to(REPO)
    except ValueError:
        digest = hashlib.sha1(str(suite_dir).encode()).hexdigest()[:10]
        return Path("_ext") / f"{safe_component(suite_dir.name)}-{digest}"


def _is_build_dir(path):
    return (path / "CMakeCache.txt").exists()


def discover(dirs, skip=()):
    """(testcase dirs, unittest dirs) found under dirs, sorted.

    Hidden folders, CMake build folders and the folders in skip are not entered.
    """
    skip = {Path(s).resolve() for s in skip}
    suites, units = set(), set()
    for top in dirs:
        top = Path(top).resolve()
        if not top.is_dir():
            raise PagodaError(f"test folder not found: {top}")
        for root, subdirs, files in os.walk(top):
            here = Path(root)
            if TESTCASE_YAML in files:
                suites.add(here)
            if UNITTEST_YAML in files:
                units.add(here)
            subdirs[:] = sorted(d for d in subdirs if not d.startswith(".")
                                and here / d not in skip and not _is_build_dir(here / d))
    return sorted(suites), sorted(units)


def load_yaml(path):
    import yaml     # after deps.ensure(): python3-yaml may have just been installed
    try:
        with open(path) as f:
            data = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise PagodaError(f"cannot read {path}: {e}") from None
    return {} if data is None else data


def _words(value, key, path):
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [str(v) for v in value]
    raise PagodaError(f"{path}: '{key}' must be a list or a string, not {value!r}")


def _as_list(value):
    return value.split() if isinstance(value, str) else list(value)


def merge_common(common, scenario):
    """Twister's rule: list/string values concatenate, anything else replaces."""
    merged = dict(common)
    for key, value in scenario.items():
        old = merged.get(key)
        if isinstance(old, str) and isinstance(value, str):
            merged[key] = f"{old} {value}"
        elif isinstance(old, (list, str)) and isinstance(value, (list, str)):
            merged[key] = _as_list(old) + _as_list(value)
        else:
            merged[key] = value
    return merged


def scenarios_of(path):
    """{scenario name: merged settings} from one testcase.yaml."""
    data = load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("tests"), dict) or not data["tests"]:
        raise PagodaError(f"{path}: expected a non-empty 'tests:' map of scenarios")
    common = data.get("common") or {}
    if not isinstance(common, dict):
        raise PagodaError(f"{path}: 'common:' must be a map")
    result = {}
    for name, settings in data["tests"].items():
        settings = settings or {}
        if not isinstance(settings, dict):
            raise PagodaError(f"{path}: scenario {name!r} must be a map")
        result[str(name)] = merge_common(common, settings)
    return result


def _timeout(settings, where):
    try:
        return float(settings.get("timeout", DEFAULT_TIMEOUT))
    except (TypeError, ValueError):
        raise PagodaError(f"{where}: timeout must be a number of seconds") from None


def board_features(board):
    """Twister's `supported:` features of a board (boards/<board>/board.yaml)."""
    path = REPO / "boards" / board / BOARD_YAML
    if not path.is_file():
        return ()
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise PagodaError(f"{path}: expected a map (supported: [...])")
    return tuple(_words(data.get("supported"), "supported", path))


def expand(suite_dir, boards, selected=None):
    """The Scenario jobs of one suite: each scenario on each allowed board.

    boards: all boards that exist; selected: the -p boards (None = all).
    """
    path = Path(suite_dir) / TESTCASE_YAML
    jobs = []
    for name, s in scenarios_of(path).items():
        s = {OLD_KEYS.get(key, key): value for key, value in s.items()}
        allow = _words(s.get("platform_allow"), "platform_allow", path)
        exclude = set(_words(s.get("platform_exclude"), "platform_exclude", path))
        configs = s.get("extra_configs") or []
        if isinstance(configs, str):
            configs = [configs]
        if not isinstance(configs, list):
            raise PagodaError(f"{path}: scenario {name!r}: extra_configs must be a list")
        timeout = _timeout(s, f"{path}: scenario {name!r}")
        if s.get("skip"):
            continue
        arch_allow = _words(s.get("arch_allow"), "arch_allow", path)
        if arch_allow and ARCH not in arch_allow:
            continue
        if ARCH in _words(s.get("arch_exclude"), "arch_exclude", path):
            continue
        extra_args = _words(s.get("extra_args"), "extra_args", path)
        for arg in extra_args:
            if "=" not in arg:
                raise PagodaError(f"{path}: scenario {name!r}: extra_args entry {arg!r} is not "
                                  f"NAME=VALUE")
        # The reference's build takes -DCONFIG_<name>=<value> as a Kconfig
        # setting merged last.
        configs = list(configs) + [a for a in extra_args if a.startswith("CONFIG_")]
        extra_args = [a for a in extra_args if not a.startswith("CONFIG_")]
        depends_on = _words(s.get("depends_on"), "depends_on", path)
        kfilter = s.get("filter") or ""
        if not isinstance(kfilter, str):
            raise PagodaError(f"{path}: scenario {name!r}: filter must be a string")
        for board in boards:
            if (allow and board not in allow) or board in exclude:
                continue
            if selected is not None and board not in selected:
                continue
            jobs.append(Scenario(Path(suite_dir).resolve(), name, board,
                                 tuple(str(c) for c in configs), timeout,
                                 bool(s.get("build_only", False)),
                                 tuple(_words(s.get("tags"), "tags", path)), kfilter,
                                 tuple(extra_args),
                                 tuple(f for f in depends_on
                                       if f not in board_features(board))))
    return jobs


def unit_test(suite_dir):
    path = Path(suite_dir) / UNITTEST_YAML
    spec = load_yaml(path)
    if not isinstance(spec, dict):
        raise PagodaError(f"{path}: expected a map (sources: [...])")
    lists = {}
    for key, what in (("sources", "repo-relative files"), ("defines", "NAME or NAME=VALUE"),
                      ("include_dirs", "repo-relative folders")):
        value = spec.get(key) or []
        if not isinstance(value, list):
            raise PagodaError(f"{path}: '{key}' must be a list of {what}")
        lists[key] = tuple(str(v) for v in value)
    return UnitTest(Path(suite_dir).resolve(), lists["sources"], _timeout(spec, path),
                    lists["defines"], lists["include_dirs"])


@dataclass
class Plan:
    scenarios: list
    unit_tests: list


def make_plan(dirs, boards, selected=None, skip=()):
    suite_dirs, unit_dirs = discover(dirs, skip)
    scenarios = [job for d in suite_dirs for job in expand(d, boards, selected)]
    return Plan(scenarios, [unit_test(d) for d in unit_dirs])


def default_dirs():
    return [REPO / "tests"]
