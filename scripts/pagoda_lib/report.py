# SPDX-License-Identifier: Apache-2.0
"""The reports of a `pagoda test` run, and reading the last one back.

Every run writes <outdir>/tests/report.json and <outdir>/tests/report.xml
(JUnit XML), each atomically (a temporary file renamed over the old one):
at the end of the run, failures included, and on Ctrl-C (or a closed
stdout) with the jobs finished by then, the rest listed as not run.

Every job of the run is a "scenario" in them: an in-guest scenario on a
board, a KVM boot ("<name> [kvm]"), a host unit test, a fuzz target, the
Python tests, the format, lint and license checks. In JUnit each is one
<testsuite> named "<board>/<scenario>" ("host/format", "python/unittest";
with the suite folder in the middle when two would have the same name),
each case one <testcase> (classname: the ztest suite, the Python test
class...). A case without a verdict (crash, hang), a build error, a run
that went wrong as a whole and an internal error are <error> testcases.

`pagoda test --only-failed` reruns the jobs whose status is "failed" in
report.json (failed_keys()).
"""

import datetime
import json
import os
import platform as host_platform
import re
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from .project import PagodaError, display_path
from .verdicts import CaseResult

FORMAT = 1
REPORT_JSON = "report.json"
REPORT_XML = "report.xml"
KVM_SUFFIX = " [kvm]"
# Tools whose versions a report names: the first line of `<tool> --version`.
VERSION_COMMANDS = {
    "qemu": ["qemu-system-x86_64", "--version"],
    "gcc": ["gcc", "--version"],
    "i686-linux-gnu-gcc": ["i686-linux-gnu-gcc", "--version"],
    "clang": ["clang", "--version"],
    "clang-format": ["clang-format-14", "--version"],
}
CASE_STATUSES = ("passed", "failed", "skipped", "error")
# Characters XML 1.0 cannot hold (guest consoles print some): shown as \xNN.
RE_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def report_dir(outdir):
    return Path(outdir) / "tests"


def versions():
    """{tool: first line of its --version output, or None when missing}."""
    found = {"python": f"Python {host_platform.python_version()} ({sys.executable})"}
    for tool, cmd in VERSION_COMMANDS.items():
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=20,
                                  stdin=subprocess.DEVNULL)
            lines = done.stdout.strip().splitlines()
            found[tool] = lines[0].strip() if done.returncode == 0 and lines else None
        except (OSError, subprocess.SubprocessError):
            found[tool] = None
    return found


def _path(value):
    return None if value is None else display_path(value)


def cases_of(o):
    """The cases of an Outcome: those its job recorded, plus one for each count
    they do not account for (jobs that only count, such as the style checks:
    a passed case named after the job, a failed one per failure line)."""
    cases = list(o.cases)
    have = {s: sum(c.status == s for c in cases) for s in CASE_STATUSES}
    for i in range(o.passed - have["passed"]):
        cases.append(CaseResult(o.scenario, o.scenario if i == 0 else f"{o.scenario}#{i + 1}",
                                "passed"))
    for i in range(o.skipped - have["skipped"]):
        cases.append(CaseResult(o.scenario, f"{o.scenario}#skipped{i + 1}", "skipped"))
    missing = o.failed - have["failed"] - have["error"]
    if missing > 0:
        known = {c.message for c in cases}
        messages = [f for f in o.failures if f not in known] or ["failed"]
        for i in range(missing):
            message = messages[min(i, len(messages) - 1)]
            cases.append(CaseResult(o.scenario, o.scenario if i == 0 else f"{o.scenario}#{i + 1}",
                                    "failed", None, message, list(o.notes) if i == 0 else []))
    return cases


def suite_names(outcomes):
    """{key: JUnit testsuite name}: "<board>/<scenario>", unique."""
    short = {o.key: f"{o.platform}/{o.scenario}" for o in outcomes}
    taken = {}
    for name in short.values():
        taken[name] = taken.get(name, 0) + 1
    return {key: name if taken[name] == 1 else f"{key[0]}/{key[1]}/{key[2]}"
            for key, name in short.items()}


def _seconds(value):
    return None if value is None else round(float(value), 3)


def _case_entry(case, log):
    entry = {"classname": case.classname, "name": case.name, "status": case.status,
             "duration": _seconds(case.seconds), "message": case.message,
             "log": case.log or log}
    if case.output:
        entry["output"] = list(case.output)
    return entry


def scenario_entry(o, name):
    log = _path(o.log if o.log is not None else (o.logs[-1] if o.logs else None))
    return {
        "id": name, "board": o.platform, "suite": o.suite, "scenario": o.scenario,
        "status": "passed" if o.ok else "failed",
        "duration": _seconds(o.seconds),
        "started": _iso(o.started) if o.started else None,
        "counts": {"passed": o.passed, "failed": o.failed, "skipped": o.skipped},
        "log": log, "logs": [_path(p) for p in o.logs],
        "failures": list(o.failures), "notes": list(o.notes),
        "cases": [_case_entry(c, log) for c in cases_of(o)],
    }


def _iso(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc) \
        .isoformat(timespec="seconds")


class Reporter:
    """Writes both reports of one run; runner.run calls it at the end (also
    on Ctrl-C) with the finished outcomes and the ones of the jobs not run."""

    def __init__(self, outdir, roots=None, platforms=None, kvm=False, only_failed=False,
                 argv=None):
        self.dir = report_dir(outdir)
        self.outdir = Path(outdir)
        self.run_info = {
            "roots": None if roots is None else [str(Path(r).resolve()) for r in roots],
            "platforms": list(platforms) if platforms else None,
            "kvm": bool(kvm), "only_failed": bool(only_failed),
        }
        self.argv = list(sys.argv if argv is None else argv)
        self.started = time.time()
        self.versions = versions()

    @property
    def json_path(self):
        return self.dir / REPORT_JSON

    @property
    def xml_path(self):
        return self.dir / REPORT_XML

    def __call__(self, outcomes, not_run=(), interrupted=False):
        outcomes = sorted(outcomes, key=lambda o: o.key)
        data = self.as_json(outcomes, not_run, interrupted)
        xml = junit_xml(outcomes, data)
        self.dir.mkdir(parents=True, exist_ok=True)
        write_atomic(self.json_path, (json.dumps(data, indent=1) + "\n").encode())
        write_atomic(self.xml_path, xml)
        return self.json_path, self.xml_path

    def as_json(self, outcomes, not_run, interrupted):
        names = suite_names(outcomes)
        scenarios = [scenario_entry(o, names[o.key]) for o in outcomes]
        cases = [c for s in scenarios for c in s["cases"]]
        return {
            "format": FORMAT,
            "tool": "pagoda test",
            "command": self.argv,
            "started": _iso(self.started),
            "duration": _seconds(time.time() - self.started),
            "hostname": socket.gethostname(),
            "outdir": str(self.outdir),
            **self.run_info,
            "complete": not interrupted and not not_run,
            "interrupted": bool(interrupted),
            "counts": {
                "scenarios": len(scenarios),
                "scenarios_failed": sum(s["status"] == "failed" for s in scenarios),
                "not_run": len(not_run),
                "passed": sum(o.passed for o in outcomes),
                "failed": sum(o.failed for o in outcomes),
                "skipped": sum(o.skipped for o in outcomes),
                "cases": {s: sum(c["status"] == s for c in cases) for s in CASE_STATUSES},
            },
            "versions": self.versions,
            "not_run": [{"board": o.platform, "suite": o.suite, "scenario": o.scenario}
                        for o in sorted(not_run, key=lambda o: o.key)],
            "scenarios": scenarios,
        }


def _xml(text):
    return RE_NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def _fmt_time(seconds):
    return f"{float(seconds or 0):.3f}"


def junit_xml(outcomes, data):
    """report.xml (bytes) from the outcomes and the report.json data."""
    root = ET.Element("testsuites")
    total = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for entry in data["scenarios"]:
        suite = ET.SubElement(root, "testsuite")
        cases = entry["cases"]
        counts = {"tests": len(cases),
                  "failures": sum(c["status"] == "failed" for c in cases),
                  "errors": sum(c["status"] == "error" for c in cases),
                  "skipped": sum(c["status"] == "skipped" for c in cases)}
        for key in total:
            total[key] += counts[key]
        suite.set("name", _xml(entry["id"]))
        for key, value in counts.items():
            suite.set(key, str(value))
        suite.set("time", _fmt_time(entry["duration"]))
        if entry["started"]:
            suite.set("timestamp", entry["started"][:19])    # no zone, as Ant writes it
        suite.set("hostname", _xml(data["hostname"]))
        props = ET.SubElement(suite, "properties")
        for name in ("board", "suite", "scenario", "log"):
            if entry[name] is not None:
                ET.SubElement(props, "property", name=name, value=_xml(entry[name]))
        for c in cases:
            case = ET.SubElement(suite, "testcase", classname=_xml(c["classname"]),
                                 name=_xml(c["name"]))
            if c["duration"] is not None:
                case.set("time", _fmt_time(c["duration"]))
            if c["status"] == "skipped":
                skipped = ET.SubElement(case, "skipped")
                if c["message"]:
                    skipped.set("message", _xml(c["message"]))
            elif c["status"] in ("failed", "error"):
                tag = "failure" if c["status"] == "failed" else "error"
                bad = ET.SubElement(case, tag, message=_xml(c["message"] or c["status"]),
                                    type="FAIL" if tag == "failure" else "error")
                text = list(c.get("output") or []) or [c["message"]]
                if c["log"]:
                    text.append(f"log: {c['log']}")
                bad.text = _xml("\n".join(text))
    root.set("name", "pagoda test")
    for key, value in total.items():
        root.set(key, str(value))
    root.set("time", _fmt_time(data["duration"]))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_atomic(path, data):
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def load(path):
    """The data of a report.json; PagodaError (status 2) when missing or unreadable."""
    path = Path(path)
    if not path.is_file():
        raise PagodaError(f"--only-failed: no report of a previous run at {path} "
                          "(run scripts/pagoda test first)", status=2)
    try:
        data = json.loads(path.read_text())
        if data.get("format") != FORMAT or not isinstance(data.get("scenarios"), list):
            raise ValueError("not a pagoda test report")
        return data
    except (OSError, ValueError, AttributeError) as e:
        raise PagodaError(f"--only-failed: cannot read {path}: {e}", status=2) from None


def failed_keys(data):
    """The (board, suite, scenario) of every failed job of a report, sorted."""
    return sorted({(s["board"], s["suite"], s["scenario"]) for s in data["scenarios"]
                   if s.get("status") == "failed"})
