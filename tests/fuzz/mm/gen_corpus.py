#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Write the seed corpus of the memory-manager fuzzer (tests/fuzz/mm/corpus/).

Each seed is a short sequence of steps in the encoding fuzz_mm.c documents
at its top (opcode byte, then argument bytes), chosen so that every kind of
step starts out meaningful: mappings of every flag combination and kind,
accesses that must work and ones that must fault, paging under pressure,
misuse. seed-*.bin files are rewritten by this script; repro-*.bin files
(inputs that once found a bug) are kept as they are, and the ones this
script can describe are written too.

    tests/fuzz/mm/gen_corpus.py            # rewrite the seeds
    tests/fuzz/mm/gen_corpus.py --check    # fail if a seed on disk differs
"""

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"

# Opcodes (enum op in fuzz_mm.c).
(MAP_ANON, MAP_PHYS_GUARD, MAP_PHYS_BARE, UNMAP, READ, WRITE, EXEC, TOUCH, CHECK, PAGE_OUT,
 PAGE_IN, PIN, UNPIN, FRAME_EVICT, UPDATE_FLAGS, TIME, FLAGS_GET, PAGE_FAULT, DUMP, IRQ) = range(20)
# What an interrupt handler's step opcode selects (isr_ops[] in fuzz_mm.c).
(ISR_READ, ISR_WRITE, ISR_PAGE_OUT, ISR_PAGE_IN, ISR_FRAME_EVICT, ISR_FLAGS_GET, ISR_TIME, ISR_DUMP,
 ISR_REFUSED) = range(9)

# Flag selectors: low bits as in anon_flags()/phys_flags(), high nibble picks misuse.
RW, EXEC_BIT, UNINIT, LOCK = 1, 2, 4, 8
WT, NOCACHE = 1 << 2, 2 << 2            # phys cache mode in bits 2-3
USER_SEL, CACHE_SEL, RANDOM_BIT_SEL, BAD_CACHE_SEL = 0xF0, 0xE0, 0xD0, 0xC0
PHYS_LOCK_SEL = 0xE0

# pick_phys() selectors.
RESERVED, DEVICE, KERNEL_RAM, OPEN_BUS, UNALIGNED, TOP = 0, 2, 4, 5, 6, 7


def pages(n):
    """size selector for 1..8 pages (map_size())."""
    assert 1 <= n <= 8
    return n - 1


def pages32(n):
    assert 1 <= n <= 32
    return 0xA0 | (n - 1)


ODD_SIZES = {"zero": 0xE0, "one": 0xE1, "page+1": 0xE2, "max-valid": 0xE3, "too-big": 0xE4,
             "huge": 0xE5, "window": 0xE6, "page-1": 0xE7}


def map_anon(slot, flags, size, extra=0):
    return [MAP_ANON, slot, flags, extra, size]


def map_guard(slot, phys_sel, phys_arg, flags, size, extra=0):
    return [MAP_PHYS_GUARD, slot, phys_sel, phys_arg, flags, extra, size]


def map_bare(slot, phys_sel, phys_arg, offset, flags, nbytes, extra=0):
    """nbytes in 1..0x5fff; offset applies when phys_sel has bit 3 set."""
    n = nbytes - 1
    return [MAP_PHYS_BARE, slot, phys_sel, phys_arg, offset & 0xFF, (offset >> 8) & 0x0F,
            flags, extra, n >> 8, n & 0xFF]


def unmap(slot, variant=0):
    return [UNMAP, slot, variant]


def addr(slot, page, offset=0, bare=False):
    """pick_addr() bytes for data page `page` (-1: the guard) of the mapping in slot."""
    assert 0 <= offset < 128 * 32
    return [slot, page + (1 if bare else 2), offset // 32]


def addr_end(slot, page, back=0):
    """The last bytes of a guarded mapping's page (back bytes before its end)."""
    return [slot, page + 2, 0x80 | back]


def len_sel(length):
    """The access_len() selector for at least length bytes (exact up to 64)."""
    if length <= 64:
        return length - 1
    if length <= 1 + 55 * 73:
        return 192 + -(-(length - 1) // 73)
    return min(255, 248 + -(-(length - 4097) // 512))


def read(a, length=16):
    return [READ, *a, len_sel(length)]


def write(a, length=16, seed=0x5A):
    return [WRITE, *a, len_sel(length), seed]


def exec_(a, length=8):
    return [EXEC, *a, len_sel(length)]


def rng(slot, variant=0):
    return [slot, variant]


def irq(skip, count):
    """Arm an interrupt taken at the (skip+1)-th interrupt point of the next
    kernel calls; its count (1 to 4) steps, in the ISR_* opcodes, come in the
    input after the bytes of the step whose call it lands in."""
    assert 0 <= skip <= 3 and 1 <= count <= 4
    return [IRQ, skip, count - 1]


def steps(*parts):
    out = []
    for p in parts:
        out += p
    return bytes(out)


SEEDS = {
    # Every anonymous flag combination, written, read back, checked, unmapped.
    **{f"map-anon-flags-{f:x}": steps(map_anon(0, f, pages(2)), write(addr(0, 0)), read(addr(0, 0)),
                                      exec_(addr(0, 1)), [TOUCH, 0, 3], [CHECK, 0], unmap(0))
       for f in range(16)},
    "map-anon-misuse": steps(map_anon(0, RW | USER_SEL, pages(1)),
                             map_anon(0, RW | CACHE_SEL, pages(1), extra=1),
                             map_anon(0, RW | RANDOM_BIT_SEL, pages(1), extra=20),
                             map_anon(0, UNINIT | USER_SEL, pages(1)),
                             *[map_anon(0, RW, s) for s in ODD_SIZES.values()]),
    "map-phys-guard-kinds": steps(map_guard(0, RESERVED, 1, RW, pages(2)),
                                  map_guard(1, DEVICE, 3, RW | NOCACHE, pages(3)),
                                  map_guard(2, KERNEL_RAM, 0, 0, pages(1)),
                                  map_guard(3, OPEN_BUS, 7, RW | WT, pages(1)),
                                  map_guard(4, UNALIGNED, 0, RW, pages(1)),
                                  map_guard(5, TOP, 1, RW, pages(2)),
                                  map_guard(6, TOP, 3, 0, pages(2)),
                                  map_guard(7, DEVICE, 0, RW | PHYS_LOCK_SEL, pages(1)),
                                  map_guard(7, DEVICE, 0, RW | BAD_CACHE_SEL, pages(1), extra=2),
                                  write(addr(0, 1)), read(addr(1, 0)), read(addr(2, 0)),
                                  write(addr(3, 0)), read(addr(3, 0)), read(addr(5, 0))),
    "map-phys-bare-alias": steps(map_bare(0, DEVICE | 8, 1, 0x123, RW, 0x80),
                                 map_guard(1, DEVICE, 1, RW, pages(1)),
                                 map_bare(2, RESERVED, 2, 0, 0, 0x2001),
                                 write(addr(0, 0, 0x120, bare=True), 32, seed=0x11),
                                 read(addr(1, 0, 0x100), 64), write(addr(1, 0), 8, 0x33),
                                 read(addr(0, 0, bare=True), 64), read(addr(2, 1, bare=True), 8),
                                 [MAP_PHYS_BARE, 3, DEVICE, 0, 0, 0xF0, RW, 0, 0, 10]),
    "map-phys-bare-misuse": steps([MAP_PHYS_BARE, 0, DEVICE, 0, 0, 0, RW, 0, 0xE0, 0],
                                  [MAP_PHYS_BARE, 0, DEVICE, 0, 0, 0, RW, 0, 0xE1, 0],
                                  [MAP_PHYS_BARE, 0, DEVICE, 0, 0, 0, RW, 0, 0xE3, 0],
                                  [MAP_PHYS_BARE, 0, TOP, 0, 0, 0, RW, 0, 0xE6, 0],
                                  map_bare(0, DEVICE, 0, 0, RW | USER_SEL, 10),
                                  map_bare(0, DEVICE, 0, 0, RW | BAD_CACHE_SEL, 10)),
    # Each unmap variant (exact, wrong size, address, kind) on each kind of mapping.
    **{f"unmap-variant-{v}": steps(map_anon(0, RW, pages(2)), map_guard(1, DEVICE, 0, RW, pages(2)),
                                   map_bare(2, RESERVED, 0, 0, RW, 0x1800),
                                   unmap(0, v), unmap(1, v), unmap(2, v),
                                   read(addr(0, 0)), read(addr(1, 0)), read(addr(2, 0, bare=True)),
                                   unmap(0, 0), unmap(1, 0), unmap(2, 0), unmap(0, 0))
       for v in range(12)},
    "paging-pressure": steps(map_anon(0, RW, pages32(30)), [TOUCH, 0, 1],
                             map_anon(1, RW, pages32(30)), [TOUCH, 1, 2], [CHECK, 0], [CHECK, 1],
                             map_anon(2, RW | UNINIT, pages32(20)), [TOUCH, 2, 3], [CHECK, 0]),
    "page-out-in": steps(map_anon(0, RW, pages(6)), [TOUCH, 0, 9],
                         [PAGE_OUT, *rng(0, 0)], read(addr(0, 2)), [PAGE_IN, *rng(0, 0)],
                         [PAGE_OUT, *rng(0, 4)], [PAGE_OUT, *rng(0, 5)], [PAGE_OUT, *rng(0, 6)],
                         [PAGE_OUT, *rng(0, 7)], [PAGE_OUT, *rng(0, 8)], [PAGE_OUT, *rng(0, 9)],
                         [PAGE_IN, *rng(0, 5)], [CHECK, 0]),
    "pin-unpin": steps(map_anon(0, RW, pages(4)), [PIN, *rng(0, 0)], write(addr(0, 3)),
                       [PAGE_OUT, *rng(0, 0)], [UNPIN, *rng(0, 4)], [PAGE_OUT, *rng(0, 0)],
                       [UNPIN, *rng(0, 0)], [PAGE_OUT, *rng(0, 0)], [PIN, *rng(0, 5)],
                       [PIN, *rng(0, 9)], map_anon(1, RW | LOCK, pages(3)), [UNPIN, *rng(1, 0)],
                       [PAGE_OUT, *rng(1, 0)], [CHECK, 1], [CHECK, 0]),
    "paging-on-physical": steps(map_guard(0, DEVICE, 2, RW, pages(2)),
                                map_bare(1, RESERVED, 1, 0, RW, 0x1000),
                                [PAGE_OUT, *rng(0, 0)], [PIN, *rng(0, 0)], [UNPIN, *rng(0, 0)],
                                [PAGE_IN, *rng(0, 0)], [PAGE_OUT, *rng(1, 0)], [PIN, *rng(1, 0)],
                                [UNPIN, *rng(1, 0)], [PAGE_FAULT, *addr(0, 0)]),
    "frame-evict": steps(map_anon(0, RW, pages(8)), [TOUCH, 0, 4],
                         *[[FRAME_EVICT, 0, f] for f in range(0, 64, 3)],
                         [FRAME_EVICT, 5, 9], [FRAME_EVICT, 6, 0], [FRAME_EVICT, 7, 1], [CHECK, 0]),
    "update-flags": steps(map_anon(0, 0, pages(3)), write(addr(0, 0)),
                          [UPDATE_FLAGS, *rng(0, 0), RW, 0], write(addr(0, 1)),
                          [UPDATE_FLAGS, *rng(0, 4), 0, 0], write(addr(0, 0)),
                          [UPDATE_FLAGS, *rng(0, 0), RW | EXEC_BIT | WT, 0], exec_(addr(0, 2)),
                          [UPDATE_FLAGS, *rng(0, 5), RW, 0], [UPDATE_FLAGS, *rng(0, 6), RW, 0],
                          [UPDATE_FLAGS, *rng(0, 0), RW | USER_SEL, 0],
                          [UPDATE_FLAGS, *rng(0, 0), RW | BAD_CACHE_SEL, 1],
                          [UPDATE_FLAGS, *rng(0, 9), RW, 0], [FLAGS_GET, *addr(0, 0)],
                          [CHECK, 0]),
    "update-flags-dirty-backed": steps(map_anon(0, RW, pages(2)), [TOUCH, 0, 1],
                                       [PAGE_OUT, *rng(0, 0)], read(addr(0, 0)),
                                       write(addr(0, 0), 16, 0x77),
                                       [UPDATE_FLAGS, *rng(0, 0), RW, 0],
                                       [PAGE_OUT, *rng(0, 0)], read(addr(0, 0)), [CHECK, 0]),
    "exec-and-faults": steps(map_anon(0, RW | EXEC_BIT, pages(2)), map_anon(1, RW, pages(2)),
                             exec_(addr(0, 0)), exec_(addr(1, 0)), read(addr(0, -1)),
                             write(addr(1, 2)), read(addr_end(0, 0, 3), 8),
                             write(addr_end(1, 1, 2), 300), read([0xF0, 0, 0], 8),
                             read([0xF1, 1, 0], 8), read([0xC0, 0, 0], 8), read([0xC0, 255, 1], 8),
                             read(addr(0, 0), 6000)),
    "flags-get-and-fault": steps(map_anon(0, RW, pages(2)), map_guard(1, DEVICE, 0, WT, pages(1)),
                                 [FLAGS_GET, *addr(0, 0)], [FLAGS_GET, *addr(0, -1)],
                                 [FLAGS_GET, *addr(1, 0)], [FLAGS_GET, 0xC0, 0, 0],
                                 [FLAGS_GET, 0xF0, 2, 0], [PAGE_FAULT, *addr(0, 0)],
                                 [PAGE_FAULT, *addr(0, -1)], [PAGE_FAULT, *addr(1, 0)],
                                 [PAGE_OUT, *rng(0, 0)], [PAGE_FAULT, *addr(0, 1)]),
    "dump": steps(map_anon(0, RW, pages(3)), [TOUCH, 0, 1], map_guard(1, DEVICE, 0, RW, pages(1)),
                  [PAGE_OUT, *rng(0, 4)], [DUMP]),
    "nru-periods": steps(map_anon(0, RW, pages32(24)), [TOUCH, 0, 1], [TIME, 30],
                         map_anon(1, RW, pages32(24)), [TOUCH, 1, 2], [TIME, 60], [TOUCH, 0, 3],
                         map_anon(2, RW, pages32(16)), [TOUCH, 2, 4], [TIME, 1], [CHECK, 0],
                         [CHECK, 1], [CHECK, 2]),
    "exhaustion": steps(map_anon(0, RW | LOCK, pages32(32)), map_anon(1, RW | LOCK, pages32(32)),
                        map_anon(2, RW, pages32(32)), [TOUCH, 2, 1],
                        map_anon(3, RW | LOCK | UNINIT, pages32(32)),
                        *[map_anon(4 + i, RW, 0xDF) for i in range(6)],
                        map_bare(10, DEVICE, 0, 0, RW, 0x5000), [CHECK, 2]),
    "store-full": steps(map_anon(0, RW, pages32(32)), [TOUCH, 0, 1], map_anon(1, RW, pages32(32)),
                        [TOUCH, 1, 2], map_anon(2, RW, pages32(32)), [TOUCH, 2, 3],
                        map_anon(3, RW, pages32(32)), [TOUCH, 3, 4],
                        [PAGE_OUT, *rng(0, 0)], [PAGE_OUT, *rng(1, 0)], [CHECK, 0], [CHECK, 3]),
    # Interrupts inside the kernel's calls (ALLOW_IRQ: inside a transfer; else
    # where the call unlocks), the handler's steps following the call's bytes.
    "irq-in-page-out": steps(map_anon(0, RW, pages(8)), [TOUCH, 0, 1], map_anon(1, RW, pages(8)),
                             [TOUCH, 1, 2], irq(0, 4), [PAGE_OUT, *rng(0, 0)],
                             [ISR_WRITE, *addr(1, 2), len_sel(16), 0x31],
                             [ISR_PAGE_OUT, *rng(1, 0)], [ISR_REFUSED], [ISR_READ, *addr(1, 3), 16],
                             [CHECK, 0], [CHECK, 1], read(addr(0, 1)), [CHECK, 0]),
    "irq-in-fault": steps(map_anon(0, RW, pages(6)), [TOUCH, 0, 3], map_anon(1, RW, pages(6)),
                          [TOUCH, 1, 4], [PAGE_OUT, *rng(0, 0)], irq(1, 3),
                          read(addr(0, 2)), [ISR_PAGE_IN, *rng(1, 0)],
                          [ISR_FRAME_EVICT, 0, 20], [ISR_PAGE_OUT, *rng(1, 4 | 0x20)],
                          [CHECK, 0], [CHECK, 1]),
    "irq-in-eviction": steps(map_anon(0, RW, pages32(28)), [TOUCH, 0, 1],
                             map_anon(1, RW, pages32(28)), irq(2, 4), [TOUCH, 1, 2],
                             [ISR_PAGE_OUT, *rng(0, 4)], [ISR_WRITE, *addr(0, 5), 8, 0x44],
                             [ISR_FLAGS_GET, *addr(0, 0)], [ISR_DUMP],
                             irq(3, 2), [CHECK, 0], [ISR_PAGE_OUT, *rng(1, 0x14)],
                             [ISR_REFUSED], [CHECK, 1], [CHECK, 0]),
    "irq-in-disk-sectors": steps(map_anon(0, RW, pages(8)), [TOUCH, 0, 5], map_anon(1, RW, pages(8)),
                                 [TOUCH, 1, 6], irq(3, 2), [PAGE_OUT, *rng(0, 0)],
                                 [ISR_PAGE_OUT, *rng(1, 0)], [ISR_READ, *addr(1, 1), 16],
                                 irq(2, 2), [PAGE_IN, *rng(0, 0)],
                                 [ISR_PAGE_OUT, *rng(1, 0)], [ISR_WRITE, *addr(1, 0), 8, 0x19],
                                 [CHECK, 0], [CHECK, 1]),
}

# Inputs that found a bug, as far as they can be written down here (the
# fuzzer's own reproducers are kept next to them, byte for byte).
REPROS = {
    # A valid k_mem_map() with no virtual room: mm.c computed region + guard
    # on the NULL region (undefined behaviour) before checking it.
    "repro-map-null-region": steps(map_anon(0, RW, ODD_SIZES["max-valid"])),
    # Paging calls on a physical mapping of device memory indexed the frame
    # database with a non-RAM address (k_mem_page_out, k_mem_pin, k_mem_unpin).
    "repro-paging-device-alias": steps(map_guard(0, DEVICE, 2, RW, pages(2)),
                                       [PAGE_OUT, *rng(0, 0)], [PIN, *rng(0, 0)],
                                       [UNPIN, *rng(0, 0)]),
    # A physical mapping of a shared zero frame (frame 4 here) passed for
    # demand-mapped memory: k_mem_pin() gave it a frame of its own.
    "repro-zero-frame-alias": steps(map_guard(0, KERNEL_RAM, 4, 0, pages(1)),
                                    [PIN, *rng(0, 0)], map_guard(1, KERNEL_RAM, 5, RW, pages(1)),
                                    write(addr(1, 0)), map_bare(2, KERNEL_RAM, 4, 0, 0, 10)),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the files on disk instead of writing them")
    args = parser.parse_args(argv)
    CORPUS.mkdir(exist_ok=True)
    files = {f"seed-{name}.bin": data for name, data in SEEDS.items()}
    files.update({f"{name}.bin": data for name, data in REPROS.items()})
    stale = []
    for name, data in sorted(files.items()):
        path = CORPUS / name
        if args.check:
            if not path.is_file() or path.read_bytes() != data:
                stale.append(name)
        else:
            path.write_bytes(data)
    ours = set(files)
    for path in CORPUS.glob("seed-*.bin"):
        if path.name not in ours:
            if args.check:
                stale.append(path.name)
            else:
                path.unlink()
    if stale:
        print(f"stale seeds (run {Path(__file__).name}): {', '.join(stale)}", file=sys.stderr)
        return 1
    if not args.check:
        print(f"{len(files)} inputs written to {CORPUS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
