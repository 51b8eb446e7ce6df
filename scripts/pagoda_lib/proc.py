# SPDX-License-Identifier: Apache-2.0
"""Child processes whose output is captured line by line into a log file.

Each child runs in its own session (process group), so a timeout or Ctrl-C
kills it together with anything it started (ninja's compilers, QEMU).
"""

import os
import shlex
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field

_active = set()
_active_lock = threading.Lock()
_stopping = False


class Stopped(Exception):
    """Raised instead of starting a process once stop() was called."""


@dataclass
class Completed:
    returncode: int | None          # None when killed after the timeout
    timed_out: bool
    seconds: float
    lines: list = field(default_factory=list)   # output, stdout and stderr merged


def _kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def stop():
    """Kill every captured child still running and start no more (Ctrl-C)."""
    global _stopping
    with _active_lock:
        _stopping = True
        procs = list(_active)
    for proc in procs:
        _kill_group(proc)


def run_logged(cmd, log, *, timeout=None, cwd=None, env=None, on_line=None):
    """Run cmd, appending its command line and output to the open text file log.

    on_line(line) is called for every output line as it arrives (streaming).
    """
    log.write(f"$ {shlex.join(str(c) for c in cmd)}\n")
    log.flush()
    start = time.monotonic()
    with _active_lock:
        if _stopping:
            raise Stopped()
        proc = subprocess.Popen([str(c) for c in cmd], cwd=cwd, env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True)
        _active.add(proc)
    lines = []
    stream = [on_line]

    def reader():
        for raw in proc.stdout:
            # The serial console ends lines with \r\n.
            line = raw.decode("utf-8", errors="replace").rstrip("\n").replace("\r", "")
            lines.append(line)
            log.write(line + "\n")
            log.flush()
            if stream[0]:
                try:
                    stream[0](line)
                except Exception:   # streaming is a courtesy: keep draining the pipe
                    stream[0] = None

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    timed_out = False
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_group(proc)
        proc.wait()
    finally:
        with _active_lock:
            _active.discard(proc)
    # A grandchild that escaped the group could hold the pipe open: don't hang on it.
    thread.join(timeout=10)
    proc.stdout.close()
    seconds = time.monotonic() - start
    if timed_out:
        log.write(f"[pagoda: killed after the {timeout:g} s timeout]\n")
    else:
        log.write(f"[pagoda: exit status {proc.returncode} after {seconds:.1f} s]\n")
    log.flush()
    return Completed(None if timed_out else proc.returncode, timed_out, seconds, lines)
