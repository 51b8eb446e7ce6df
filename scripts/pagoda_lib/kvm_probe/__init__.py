# SPDX-License-Identifier: Apache-2.0
"""Can this machine's KVM run a board's suites? (pagoda test --kvm)

/dev/kvm answering is not enough. Some KVMs cannot run every paging mode
(kvm-pvm, which runs guests without hardware virtualization, refuses to turn
on paging outside long mode: the 32-bit boards reset at their first
instruction after CR0.PG), and some run the memory manager's work, which is
page-table writes, invlpg and interrupt locking, far slower than TCG (a KVM
that traps each of those: the suites would overrun every time limit).

So before any suite boots under KVM, probe.S, a guest of a few hundred
bytes, turns on the board's paging mode with the board's QEMU and -cpu and
runs a loop of exactly that work, once under TCG and once under KVM. The
board boots its suites under KVM only when the KVM run ended well (every
read saw the frame its entry named) and its loop took at most SLOW_FACTOR
times TCG's, in guest TSC cycles, which run at the host's rate under both.
On a KVM that is correct but slower than that, only the suites tagged
LIGHT_TAG (short page-table and boot suites) boot under it too.
"""

import re
import shlex
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .. import proc, qemu
from ..project import REPO

PROBE_SOURCE = Path(__file__).with_name("probe.S")
# Always the 32-bit toolchain: the probe starts in 32-bit protected mode on
# every board (multiboot), as Pagoda's own boot does.
ASSEMBLER = "i686-linux-gnu-gcc"
PROBE_OK, PROBE_STALE = 0x10, 0x11
SLOW_FACTOR = 8
LIGHT_TAG = "kvm_light"
TIMEOUT = 60
RE_CYCLES = re.compile(r"PAGODA-KVM-PROBE cycles=([0-9a-f]{16})")
RE_SET = re.compile(r"^\s*set\(\s*(\w+)\s+(.*?)\s*\)\s*$", re.M)


@dataclass(frozen=True)
class BoardKvm:
    board: str
    usable: bool
    why: str            # for a person, either way
    slow: bool = False  # not usable only because it is slow: LIGHT_TAG suites still are


@dataclass(frozen=True)
class ProbeRun:
    status: int | None  # the probe's isa-debug-exit status; None: reset, killed, QEMU error
    cycles: int | None  # the loop's TSC cycles, when it got that far
    reason: str         # how it ended, for a person


def paging_mode(board):
    """"32", "PAE" or "LONG": the paging mode board's defconfig selects."""
    config = (REPO / "boards" / board / "defconfig").read_text()
    if re.search(r"^CONFIG_X86_64=y", config, re.M):
        return "LONG"
    if re.search(r"^CONFIG_X86_PAE=y", config, re.M):
        return "PAE"
    return "32"


def board_qemu(board):
    """[qemu binary, *board flags]: PAGODA_QEMU and PAGODA_QEMU_FLAGS of board.cmake."""
    values = dict(RE_SET.findall((REPO / "boards" / board / "board.cmake").read_text()))
    return shlex.split(values["PAGODA_QEMU"]) + shlex.split(values.get("PAGODA_QEMU_FLAGS", ""))


def build_probe(mode, out_dir, defines=()):
    """The probe's ELF for mode under out_dir (rebuilt when probe.S changed)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    elf = out_dir / f"probe-{mode.lower()}{''.join('-' + d.lower() for d in defines)}.elf"
    if elf.exists() and elf.stat().st_mtime >= PROBE_SOURCE.stat().st_mtime:
        return elf
    cmd = [ASSEMBLER, f"-DPROBE_MODE_{mode}", *(f"-D{d}" for d in defines), "-m32", "-nostdlib", "-static", "-no-pie",
           "-Wl,-n", "-Wl,-Ttext=0x100000", "-Wl,--build-id=none", str(PROBE_SOURCE),
           "-o", str(elf)]
    with open(elf.with_suffix(".build.log"), "w") as log:
        done = proc.run_logged(cmd, log, timeout=TIMEOUT)
    if done.returncode != 0:
        raise RuntimeError(f"building the KVM probe failed: {' '.join(done.lines[-3:])}")
    return elf


def run_probe(argv, log_path):
    """Boot the probe with argv (a full QEMU command line); how it ended."""
    with open(log_path, "w") as log:
        run = qemu.run_captured(argv, TIMEOUT, log)
    if run.timed_out:
        return ProbeRun(None, None, f"no exit after {TIMEOUT} s")
    cycles = next((int(m.group(1), 16) for m in map(RE_CYCLES.search, run.lines) if m), None)
    return ProbeRun(run.exit.guest_status, cycles, run.exit.reason)


def verdict(board, mode, tcg, kvm):
    """BoardKvm from the probe's runs under TCG and KVM."""
    name = {"32": "32-bit", "PAE": "PAE", "LONG": "IA-32e (64-bit)"}[mode]
    if tcg.status != PROBE_OK or not tcg.cycles:
        return BoardKvm(board, False, f"the probe itself failed under TCG ({tcg.reason})")
    if kvm.status == PROBE_STALE:
        return BoardKvm(board, False, "KVM missed a TLB invalidation in the probe (a read "
                                      "through a remapped entry saw the old frame)")
    if kvm.status != PROBE_OK or not kvm.cycles:
        return BoardKvm(board, False, f"KVM cannot run {name} paging here: the probe "
                                      f"{kvm.reason} (kvm-pvm, for one, runs long-mode "
                                      "guests only)")
    factor = kvm.cycles / tcg.cycles
    if factor > SLOW_FACTOR:
        return BoardKvm(board, False,
                        f"KVM runs page-table writes, invlpg and cli/sti {factor:.0f}x slower "
                        f"than TCG here (the probe's loop; a KVM that traps each of them, "
                        f"such as kvm-pvm): most suites would overrun their time limits",
                        slow=True)
    return BoardKvm(board, True, f"KVM runs {name} paging (probe loop {factor:.1f}x TCG's "
                                 "cycles)")


def probe_board(board, out_dir):
    """Probe board under TCG and KVM; a BoardKvm. Logs go to out_dir."""
    mode = paging_mode(board)
    if shutil.which(ASSEMBLER) is None:
        return BoardKvm(board, False, f"{ASSEMBLER} missing: cannot build the KVM probe")
    try:
        elf = build_probe(mode, out_dir)
    except RuntimeError as e:
        return BoardKvm(board, False, str(e))
    base = probe_argv(board, elf)
    tcg = run_probe(tcg_argv(base), Path(out_dir) / f"{board}-tcg.log")
    kvm = run_probe(qemu.kvm_argv(base), Path(out_dir) / f"{board}-kvm.log")
    return verdict(board, mode, tcg, kvm)


def probe_argv(board, elf):
    """The QEMU command line booting the probe elf as board's machine and CPU."""
    return [*board_qemu(board), "-m", "8M", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-serial", "stdio", "-display", "none", "-vga", "none", "-nic", "none",
            "-monitor", "none", "-no-reboot", "-kernel", str(elf)]


def tcg_argv(argv):
    return [argv[0], "-accel", "tcg", *argv[1:]]


def probe_boards(boards, out_dir):
    """{board: BoardKvm}, the boards probed in parallel (a KVM boot can take seconds)."""
    boards = sorted(set(boards))
    if not boards:
        return {}
    with ThreadPoolExecutor(max_workers=len(boards)) as pool:
        results = pool.map(lambda b: probe_board(b, out_dir), boards)
    return {r.board: r for r in results}
