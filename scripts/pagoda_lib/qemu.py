# SPDX-License-Identifier: Apache-2.0
"""Booting an image in QEMU and decoding how it ended.

The guest writes status s to the isa-debug-exit port and QEMU exits with
(s << 1) | 1. QEMU exiting with 0 means the guest never got there: it reset
(a triple fault, with -no-reboot).
"""

import signal
import subprocess
import sys
import threading
from dataclasses import dataclass

from . import proc

GUEST_STATUS = {
    0: "success",
    1: "test failure",
    2: "fatal error: crash or kernel panic",
    3: "main() returned non-zero",
}
# pagoda run's own status when the guest reset instead of exiting.
RESET_EXIT_STATUS = 2
TIMEOUT_EXIT_STATUS = 124


@dataclass(frozen=True)
class Exit:
    returncode: int | None
    guest_status: int | None    # None when the guest did not exit through the port
    reason: str                 # for a person

    @property
    def kind(self):
        """"ok", "fail" (tests failed), "crash" or "other" (odd status, QEMU error)."""
        if self.guest_status == 0:
            return "ok"
        if self.guest_status == 1:
            return "fail"
        if self.guest_status == 2 or self.guest_status is None:
            return "crash"
        return "other"


def _qemu_errors(lines):
    """QEMU's own error messages ("qemu-system-x86_64: ..."), warnings excluded."""
    return [l for l in lines if l.startswith("qemu-system-") and ": " in l
            and "warning:" not in l]


def decode_exit(returncode, qemu_output=()):
    """Decode QEMU's exit status; qemu_output lets a QEMU error be told from a guest exit."""
    if returncode < 0:
        return Exit(returncode, None, f"QEMU killed by signal {-returncode}")
    if returncode == 0:
        return Exit(0, None, "guest reset or triple fault (QEMU exited 0 without isa-debug-exit)")
    errors = _qemu_errors(qemu_output)
    if returncode == 1 and errors:
        # QEMU's own failures also exit 1, which would read as guest status 0.
        return Exit(1, None, f"QEMU failed: {errors[0]}")
    if returncode & 1:
        status = returncode >> 1
        meaning = GUEST_STATUS.get(status, f"main() returned {status}")
        return Exit(returncode, status, f"guest exit status {status} ({meaning})")
    return Exit(returncode, None, f"QEMU exited with unexpected status {returncode}")


@dataclass
class Run:
    exit: Exit | None           # None on timeout
    timed_out: bool
    seconds: float
    lines: list


def run_captured(argv, timeout, log, on_line=None):
    """Boot with output captured into the open file log; kill the group on timeout."""
    done = proc.run_logged(argv, log, timeout=timeout, on_line=on_line)
    ex = None if done.timed_out else decode_exit(done.returncode, done.lines)
    if ex is not None:
        log.write(f"[pagoda: {ex.reason}]\n")
    return Run(ex, done.timed_out, done.seconds, done.lines)


def run_interactive(argv, timeout=None):
    """Boot with the console on the terminal. Returns the Exit, None on timeout.

    QEMU stays in our process group so that it keeps the terminal; Ctrl-C
    reaches it directly (it quits), we note it and raise KeyboardInterrupt
    once QEMU is gone.
    """
    stderr_lines = []
    interrupted = []
    previous = signal.signal(signal.SIGINT, lambda *_: interrupted.append(True))
    try:
        qemu = subprocess.Popen(argv, stderr=subprocess.PIPE)

        def relay():
            for raw in qemu.stderr:
                line = raw.decode("utf-8", errors="replace")
                stderr_lines.append(line.rstrip("\r\n"))
                sys.stderr.write(line)
                sys.stderr.flush()

        thread = threading.Thread(target=relay, daemon=True)
        thread.start()
        try:
            qemu.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            qemu.kill()
            qemu.wait()
            thread.join(timeout=5)
            return None
        thread.join(timeout=5)
    finally:
        signal.signal(signal.SIGINT, previous)
    if interrupted:
        raise KeyboardInterrupt
    return decode_exit(qemu.returncode, stderr_lines)


def debug_instructions(config, port):
    """How to attach GDB to a QEMU started with -S -gdb tcp::port."""
    text = (f"QEMU is waiting for GDB on port {port}. Attach with:\n"
            f"    gdb {config.elf} -ex 'set architecture {config.gdb_arch}' "
            f"-ex 'target remote :{port}'\n")
    if config.arch == "x86_64":
        text += ("Note: the kernel starts in 32-bit protected mode and switches to long mode "
                 "itself; while GDB is set to i386:x86-64 the 32-bit boot code disassembles "
                 "wrongly. To step through it use 'set architecture i386' first; to skip it, "
                 "'hbreak main' (or another 64-bit function) and 'continue'.\n")
    return text + "Quit QEMU with Ctrl-C in this terminal (or 'kill' in GDB).\n"



# ---- KVM -------------------------------------------------------------------

KVM_DEVICE = "/dev/kvm"
_KVM_GET_API_VERSION = 0xAE00
_KVM_API_VERSION = 12       # the only stable version the kernel has ever had


def kvm_status(device=KVM_DEVICE):
    """(usable, why): whether QEMU can use KVM here, and a reason a person can act on."""
    import errno
    import fcntl
    import os

    try:
        fd = os.open(device, os.O_RDWR | os.O_CLOEXEC)
    except OSError as e:
        hint = {errno.ENOENT: "no KVM device: no hardware virtualization, or the kvm module "
                              "is not loaded (nested virtualization off in a VM?)",
                errno.EACCES: "permission denied: add the user to the kvm group"}
        return False, f"{device}: {hint.get(e.errno, e.strerror)}"
    try:
        version = fcntl.ioctl(fd, _KVM_GET_API_VERSION)
    except OSError as e:
        return False, f"{device}: KVM_GET_API_VERSION failed: {e.strerror}"
    finally:
        os.close(fd)
    if version != _KVM_API_VERSION:
        return False, f"{device}: KVM API version {version}, expected {_KVM_API_VERSION}"
    return True, f"{device}: KVM API version {version}"


def kvm_argv(argv):
    """The same boot under KVM: the real MMU and TLB instead of TCG's.

    -icount only exists under TCG (it counts emulated instructions), so it
    goes; the board's -cpu model stays (KVM exposes that model's features).
    """
    out = [argv[0], "-accel", "kvm"]
    args = iter(argv[1:])
    for arg in args:
        if arg == "-icount":
            next(args, None)
        elif arg == "-accel":
            next(args, None)
        else:
            out.append(arg)
    return out
