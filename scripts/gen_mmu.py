#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Build-time x86 page tables for Pagoda.

The kernel is linked twice. The first link (the "prebuilt" ELF) reserves a
zero-filled `.pagetables` area; this script reads that ELF and emits the page
tables as a blob of exactly the area's size, and the second link puts the blob
in place of the placeholder, so no symbol moves.

Modes:

  gen_mmu.py --config BUILD/.config --elf pre.elf --output pagetables.bin
      Generate the tables. Every SHF_ALLOC section is mapped at its virtual
      address onto the physical address given by the program headers:
      SHF_EXECINSTR -> read-only + executable, SHF_WRITE -> read-write + XD,
      otherwise read-only + XD (XD only where the mode has it). Fails if a
      section is writable and executable, if two sections with different
      permissions share a page, if the application memory (app_smem, the
      memory-domain partitions) shares a page with any other section, if
      anything maps the NULL page, if a section
      lies outside the kernel virtual window and the boot page, or if the
      placeholder's size differs from the size formula.

  gen_mmu.py --dump ELF [--config .config]
      Walk the tables stored in ELF's `.pagetables` and print the mapped
      virtual ranges with their permissions (coloured on a terminal).

  gen_mmu.py --check ELF [--config .config]
      Verify the tables stored in the final ELF: no page both writable and
      executable, the NULL page not present, every page of every alloc
      section present with exactly the expected flags, and the stored tables
      equal to what --elf would generate from this ELF. In 32-bit two-level
      mode there is no XD bit and the hardware executes every present page, so
      there the W^X rule is checked as "no page of an executable section is
      writable and every writable page belongs to a writable section".
      --config defaults to the `.config` next to ELF.

  gen_mmu.py --size --config .config
      Print the page-table area size in bytes.

An input that cannot be read as an ELF (missing, truncated, damaged, not an
ELF at all) ends in one line, `gen_mmu.py: error: FILE: what is wrong`, and
exit status 1.

Layout (shared with arch/x86/include/x86_mmu_size.h and the arch code): tables
cover the whole window [CONFIG_KERNEL_VM_BASE, +CONFIG_KERNEL_VM_SIZE) plus,
when the virtual base differs from CONFIG_SRAM_BASE_ADDRESS, the boot page
[CONFIG_SRAM_BASE_ADDRESS, +4096) identity-mapped. The top-level table comes
first (the 4-entry PAE PDPT occupies a whole page), then one 4 KiB table per
distinct table touched at each lower level. Non-leaf entries are P|RW (PAE
PDPTEs: P only, RW is reserved there); with CONFIG_USERSPACE also US (not in
PAE PDPTEs), and the leaves of read-only sections (text, rodata) get US: user
mode may read and run the kernel's code, never touch its data.

The core (PAGING_MODES, pagetables_size, build_tables, walk) needs no ELF and
is imported by tests/scripts/test_gen_mmu.py.
"""

from __future__ import annotations

import argparse
import io
import os
import struct
import sys
import zlib
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

PAGE_SIZE = 4096
PAGE_SHIFT = 12

# Paging-structure entry bits (Intel SDM vol. 3A, 4.3-4.5).
MMU_P = 1 << 0
MMU_RW = 1 << 1
MMU_US = 1 << 2
MMU_PS = 1 << 7
MMU_XD = 1 << 63

PROG = "gen_mmu.py"
HEADER_PATH = "arch/x86/include/x86_mmu_size.h"
SCRIPT_PATH = "scripts/gen_mmu.py"


class GenMmuError(Exception):
    """A problem with the configuration, the ELF or the tables; the message says which."""


# --------------------------------------------------------------------------
# Paging levels: the one table that drives every walk.


@dataclass(frozen=True)
class Level:
    name: str
    shift: int        # low bit of this level's index in a virtual address
    entries: int      # entries in one table of this level
    entry_size: int   # bytes per entry
    addr_mask: int    # entry bits holding a physical address
    table_flags: int  # flags of an entry of this level that points to a lower table
    has_rw: bool = True        # False for PAE PDPTEs, where RW is reserved
    large_pages: bool = False  # PS may make an entry of this level a leaf

    @property
    def entry_scope(self) -> int:
        """Bytes of virtual address space one entry covers."""
        return 1 << self.shift

    @property
    def table_bytes(self) -> int:
        return self.entries * self.entry_size


@dataclass(frozen=True)
class PagingMode:
    number: int       # value of the z_x86_paging_mode linker symbol
    name: str
    levels: Tuple[Level, ...]
    has_xd: bool
    va_bits: int      # implemented virtual-address bits (canonical form in 64-bit)
    elf_class: int    # 32 or 64

    @property
    def top(self) -> Level:
        return self.levels[0]

    @property
    def leaf(self) -> Level:
        return self.levels[-1]

    @property
    def entry_format(self) -> str:
        return "<I" if self.leaf.entry_size == 4 else "<Q"

    def canonical(self, vaddr: int) -> int:
        """Sign-extend a virtual address the way IA-32e hardware does."""
        if self.va_bits < 64 and self.elf_class == 64 and vaddr & (1 << (self.va_bits - 1)):
            return vaddr | ((1 << 64) - (1 << self.va_bits))
        return vaddr

    def va_valid(self, first: int, last: int) -> bool:
        """Whether [first, last] is addressable in this mode without crossing a hole."""
        if self.elf_class == 32:
            return 0 <= first <= last < (1 << 32)
        low_top = 1 << (self.va_bits - 1)
        high_bottom = (1 << 64) - low_top
        return (0 <= first <= last < low_top) or (high_bottom <= first <= last < (1 << 64))


_M32 = 0xFFFFF000
_M64 = 0x000FFFFFFFFFF000  # bits 51:12, the architectural maximum
_NONLEAF = MMU_P | MMU_RW

# The C side spells the same geometry in arch/x86/include/x86_mmu_size.h and
# the level table of x86_mmu.h; tests/scripts/test_gen_mmu.py (GeometryTest)
# compiles them and checks they equal these modes.
MODE_32BIT = PagingMode(1, "32-bit 2-level", (
    Level("PD", 22, 1024, 4, _M32, _NONLEAF, large_pages=True),
    Level("PT", 12, 1024, 4, _M32, 0),
), has_xd=False, va_bits=32, elf_class=32)

MODE_PAE = PagingMode(2, "PAE 3-level", (
    Level("PDPT", 30, 4, 8, _M64, MMU_P, has_rw=False),  # RW/US are reserved in PAE PDPTEs
    Level("PD", 21, 512, 8, _M64, _NONLEAF, large_pages=True),
    Level("PT", 12, 512, 8, _M64, 0),
), has_xd=True, va_bits=32, elf_class=32)

MODE_IA32E = PagingMode(3, "IA-32e 4-level", (
    Level("PML4", 39, 512, 8, _M64, _NONLEAF),
    Level("PDPT", 30, 512, 8, _M64, _NONLEAF, large_pages=True),
    Level("PD", 21, 512, 8, _M64, _NONLEAF, large_pages=True),
    Level("PT", 12, 512, 8, _M64, 0),
), has_xd=True, va_bits=48, elf_class=64)

PAGING_MODES: Dict[int, PagingMode] = {m.number: m for m in (MODE_32BIT, MODE_PAE, MODE_IA32E)}


# --------------------------------------------------------------------------
# Configuration and the size formula.


@dataclass(frozen=True)
class Layout:
    """Where the kernel lives: the virtual window and the physical load address."""
    mode: PagingMode
    vm_base: int
    vm_size: int
    sram_base: int
    # CONFIG_USERSPACE: read-only sections (text, rodata) user-accessible, and
    # US on every non-leaf entry that has the bit (the leaf decides).
    userspace: bool = False

    @property
    def offset(self) -> int:
        """Virtual minus physical address of every image section but .boot."""
        return self.vm_base - self.sram_base

    @property
    def has_boot_page(self) -> bool:
        return self.vm_base != self.sram_base

    def ranges(self) -> List[Tuple[int, int]]:
        """Inclusive virtual ranges the tables must cover."""
        out = [(self.vm_base, self.vm_base + self.vm_size - 1)]
        if self.has_boot_page:
            out.append((self.sram_base, self.sram_base + PAGE_SIZE - 1))
        return out

    def in_window(self, vaddr: int) -> bool:
        return self.vm_base <= vaddr < self.vm_base + self.vm_size

    def is_boot_page(self, vaddr: int) -> bool:
        return self.has_boot_page and self.sram_base <= vaddr < self.sram_base + PAGE_SIZE

    def describe(self) -> str:
        s = (f"window 0x{self.vm_base:x}-0x{self.vm_base + self.vm_size:x}"
             f" (CONFIG_KERNEL_VM_BASE/SIZE), load address 0x{self.sram_base:x}")
        return s + (", boot page identity-mapped" if self.has_boot_page else " (identity)")


def table_keys(mode: PagingMode, layout_ranges: Sequence[Tuple[int, int]], level: int) -> List[int]:
    """Distinct tables of `level` (>= 1) touched by the ranges, as vaddr >> parent shift."""
    shift = mode.levels[level - 1].shift
    keys = set()
    for first, last in layout_ranges:
        keys.update(range(first >> shift, (last >> shift) + 1))
    return sorted(keys)


def tables_per_level(mode: PagingMode, vm_base: int, vm_size: int, sram_base: int) -> List[int]:
    """Number of tables at each level; the same arithmetic as x86_mmu_size.h.

    A table of level L covers what one entry of level L-1 covers, so the
    tables a range [first, last] touches are (last >> s) - (first >> s) + 1
    with s the parent's shift. The boot page adds one table at a level unless
    the window already touches that table.
    """
    first, last = vm_base, vm_base + vm_size - 1
    counts = [1]
    for parent in mode.levels[:-1]:
        s = parent.shift
        n = (last >> s) - (first >> s) + 1
        if vm_base != sram_base:
            boot = sram_base >> s
            if boot < (first >> s) or boot > (last >> s):
                n += 1
        counts.append(n)
    return counts


def pagetables_size(mode: PagingMode, vm_base: int, vm_size: int, sram_base: int) -> int:
    """Bytes of the page-table area: one page per table (the PAE PDPT included)."""
    return PAGE_SIZE * sum(tables_per_level(mode, vm_base, vm_size, sram_base))


def parse_config(path: str) -> Dict[str, str]:
    """Read a Kconfig .config into {CONFIG_NAME: raw value}; unset symbols are absent."""
    values: Dict[str, str] = {}
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line.startswith("CONFIG_") or "=" not in line:
                    continue
                name, value = line.split("=", 1)
                if len(value) >= 2 and value[0] == value[-1] == '"':
                    value = value[1:-1]
                values[name] = value
    except OSError as e:
        raise GenMmuError(f"cannot read the configuration {path}: {e.strerror}") from e
    return values


def mode_from_config(cfg: Dict[str, str]) -> PagingMode:
    # X86_64 wins over X86_PAE: a 64-bit kernel always uses IA-32e paging.
    if cfg.get("CONFIG_X86_64") == "y":
        return MODE_IA32E
    if cfg.get("CONFIG_X86_PAE") == "y":
        return MODE_PAE
    return MODE_32BIT


def layout_from_config(cfg: Dict[str, str], path: str = ".config") -> Layout:
    def number(name: str) -> int:
        if name not in cfg:
            raise GenMmuError(f"{path}: {name} is not set")
        try:
            return int(cfg[name], 0)
        except ValueError as e:
            raise GenMmuError(f"{path}: {name}={cfg[name]} is not a number") from e

    page = cfg.get("CONFIG_MMU_PAGE_SIZE")
    if page is not None and int(page, 0) != PAGE_SIZE:
        raise GenMmuError(f"{path}: CONFIG_MMU_PAGE_SIZE={page}: only 4 KiB pages are supported")
    return Layout(mode_from_config(cfg), number("CONFIG_KERNEL_VM_BASE"),
                  number("CONFIG_KERNEL_VM_SIZE"), number("CONFIG_SRAM_BASE_ADDRESS"),
                  cfg.get("CONFIG_USERSPACE") == "y")


def validate_layout(layout: Layout) -> None:
    """Reject windows the formula would size but the hardware cannot map."""
    mode = layout.mode
    for name, value in (("CONFIG_KERNEL_VM_BASE", layout.vm_base),
                        ("CONFIG_KERNEL_VM_SIZE", layout.vm_size),
                        ("CONFIG_SRAM_BASE_ADDRESS", layout.sram_base)):
        if value % PAGE_SIZE:
            raise GenMmuError(f"{name}=0x{value:x} is not a multiple of the 4 KiB page size")
    if layout.vm_size == 0:
        raise GenMmuError("CONFIG_KERNEL_VM_SIZE is 0: the kernel needs a virtual window")
    for first, last in layout.ranges():
        if not mode.va_valid(first, last):
            raise GenMmuError(f"virtual range 0x{first:x}-0x{last + 1:x} is not addressable "
                              f"with {mode.name} paging")


# --------------------------------------------------------------------------
# Regions, page permissions and table generation.


@dataclass(frozen=True)
class Region:
    """One alloc section of the image."""
    name: str
    vaddr: int
    paddr: int
    size: int
    writable: bool
    executable: bool

    @property
    def end(self) -> int:
        return self.vaddr + self.size

    def perms(self) -> str:
        return perm_string(True, self.writable, self.executable)

    def span(self) -> str:
        return f"{self.name} (0x{self.vaddr:x}-0x{self.end:x})"


@dataclass
class Page:
    """What one virtual page maps to and why."""
    paddr: int
    writable: bool
    executable: bool
    owners: List[str] = field(default_factory=list)


def perm_string(readable: bool, writable: bool, executable: bool) -> str:
    return ("r" if readable else "-") + ("w" if writable else "-") + ("x" if executable else "-")


def pages_of(vaddr: int, size: int) -> range:
    first = vaddr & ~(PAGE_SIZE - 1)
    return range(first, vaddr + size, PAGE_SIZE)


# The linker's run of application memory (K_APP_DMEM/K_APP_BMEM, linker/common.ld).
APP_SMEM = "app_smem"


def map_pages(layout: Layout, regions: Sequence[Region]) -> Dict[int, Page]:
    """Page-granular map of the image, enforcing the permission and placement rules."""
    pages: Dict[int, Page] = {}
    for r in regions:
        if r.size <= 0:
            continue
        if r.writable and r.executable:
            raise GenMmuError(f"section {r.span()} is both writable and executable "
                              f"(SHF_WRITE and SHF_EXECINSTR): no page may be W+X")
        if (r.vaddr - r.paddr) % PAGE_SIZE:
            raise GenMmuError(f"section {r.span()}: physical address 0x{r.paddr:x} is not "
                              f"page-congruent with its virtual address")
        for vpage in pages_of(r.vaddr, r.size):
            if vpage == 0:
                raise GenMmuError(f"section {r.span()} maps the NULL page (0x0-0x1000), "
                                  f"which must stay unmapped")
            ppage = r.paddr + (vpage - r.vaddr)
            if layout.is_boot_page(vpage) and (ppage == vpage or not layout.in_window(vpage)):
                if ppage != vpage:
                    raise GenMmuError(f"section {r.span()}: the boot page 0x{vpage:x} must be "
                                      f"identity-mapped but its physical address is 0x{ppage:x}")
            elif layout.in_window(vpage):
                if ppage != vpage - layout.offset:
                    raise GenMmuError(
                        f"section {r.span()}: page 0x{vpage:x} has physical address "
                        f"0x{ppage:x} (program headers) but the virtual offset 0x{layout.offset:x} "
                        f"(CONFIG_KERNEL_VM_BASE - CONFIG_SRAM_BASE_ADDRESS) gives "
                        f"0x{vpage - layout.offset:x}: every section but .boot must have "
                        f"VMA = LMA + offset")
            else:
                boot = (f" and the boot page 0x{layout.sram_base:x}-0x{layout.sram_base + PAGE_SIZE:x}"
                        f" (identity-mapped only)" if layout.has_boot_page else "")
                raise GenMmuError(
                    f"section {r.span()}: page 0x{vpage:x} lies outside the kernel virtual window "
                    f"0x{layout.vm_base:x}-0x{layout.vm_base + layout.vm_size:x}{boot}")
            if layout.mode.elf_class == 32 and ppage >= 1 << 32:
                raise GenMmuError(f"section {r.span()}: physical page 0x{ppage:x} is above 4 GiB")
            page = pages.get(vpage)
            if page is None:
                pages[vpage] = Page(ppage, r.writable, r.executable, [r.name])
                continue
            if (page.writable, page.executable) != (r.writable, r.executable):
                raise GenMmuError(
                    f"sections {', '.join(page.owners)} ({perm_string(True, page.writable, page.executable)})"
                    f" and {r.span()} ({r.perms()}) share page 0x{vpage:x} with different "
                    f"permissions: align the section boundary to 4 KiB in the linker script")
            if page.paddr != ppage:
                raise GenMmuError(f"sections {', '.join(page.owners)} and {r.span()} put page "
                                  f"0x{vpage:x} at different physical addresses "
                                  f"(0x{page.paddr:x}, 0x{ppage:x})")
            if r.name not in page.owners:
                page.owners.append(r.name)
    for vpage, page in pages.items():
        if APP_SMEM in page.owners and len(page.owners) > 1:
            raise GenMmuError(
                f"sections {', '.join(page.owners)} share page 0x{vpage:x}: the application "
                f"memory ({APP_SMEM}, memory-domain partitions that user mode may be given) "
                f"must have its pages to itself; align it to 4 KiB in the linker script")
    return pages


def user_may_read(mode: PagingMode, sections: Sequence[str]) -> bool:
    """With CONFIG_USERSPACE the read-only sections are user-readable, but
    not, on x86_64, the boot page: it is the reference's "locore" there,
    which it keeps supervisor-only (without KPTI), and user mode never
    needs it."""
    return not (mode.elf_class == 64 and ".boot" in sections)


def leaf_flags(mode: PagingMode, writable: bool, executable: bool, userspace: bool = False) -> int:
    flags = MMU_P
    if writable:
        flags |= MMU_RW
    elif userspace:
        flags |= MMU_US  # text and rodata: user mode may read (and run text); data never
    if mode.has_xd and not executable:
        flags |= MMU_XD
    return flags


@dataclass
class TablePlan:
    """Where each table lives in the area: blob offsets keyed by (level, key)."""
    offsets: Dict[Tuple[int, int], int]
    size: int


def plan_tables(layout: Layout) -> TablePlan:
    """Top table first, then each lower level in ascending virtual order."""
    offsets: Dict[Tuple[int, int], int] = {(0, 0): 0}
    offset = PAGE_SIZE  # the PAE PDPT also takes a full page
    for level in range(1, len(layout.mode.levels)):
        for key in table_keys(layout.mode, layout.ranges(), level):
            offsets[(level, key)] = offset
            offset += PAGE_SIZE
    return TablePlan(offsets, offset)


def build_tables(mode: PagingMode, regions: Sequence[Region], *, vm_base: int, vm_size: int,
                 sram_base: int, tables_phys: int, area_size: Optional[int] = None,
                 userspace: bool = False) -> bytes:
    """Page tables for `regions` as a blob placed at physical address `tables_phys`.

    The blob is `area_size` bytes (default: exactly what the layout needs);
    raises GenMmuError if the tables do not fit or a rule is broken.
    """
    layout = Layout(mode, vm_base, vm_size, sram_base, userspace)
    validate_layout(layout)
    if tables_phys % PAGE_SIZE:
        raise GenMmuError(f"the page-table area at physical 0x{tables_phys:x} is not page-aligned")
    pages = map_pages(layout, regions)
    plan = plan_tables(layout)
    if area_size is None:
        area_size = plan.size
    if plan.size > area_size:
        raise GenMmuError(f"the page tables need {plan.size} bytes ({plan.size // PAGE_SIZE} tables) "
                          f"but the .pagetables area holds {area_size}")
    if mode.elf_class == 32 and tables_phys + plan.size > 1 << 32:
        raise GenMmuError("the page-table area lies above 4 GiB")

    blob = bytearray(area_size)
    levels = mode.levels

    def put(table_off: int, level: int, vaddr: int, value: int) -> None:
        lvl = levels[level]
        index = (vaddr >> lvl.shift) % lvl.entries
        struct.pack_into(mode.entry_format, blob, table_off + index * lvl.entry_size, value)

    # Link every table into its parent; parents sit one level up.
    for (level, key), off in plan.offsets.items():
        if level == 0:
            continue
        vaddr = key << levels[level - 1].shift
        parent_key = 0 if level == 1 else vaddr >> levels[level - 2].shift
        parent_off = plan.offsets[(level - 1, parent_key)]
        flags = levels[level - 1].table_flags
        if userspace and levels[level - 1].has_rw:  # PAE PDPTEs: US is reserved too
            flags |= MMU_US
        put(parent_off, level - 1, vaddr, (tables_phys + off) | flags)

    last = len(levels) - 1
    for vpage, page in pages.items():
        pt_off = plan.offsets[(last, vpage >> levels[last - 1].shift)]
        put(pt_off, last, vpage,
            page.paddr | leaf_flags(mode, page.writable, page.executable,
                                    userspace and user_may_read(mode, page.owners)))
    return bytes(blob)


# --------------------------------------------------------------------------
# The walker, shared by --dump, --check and the tests.


@dataclass(frozen=True)
class Mapping:
    """One present leaf entry, with the permissions the whole path grants."""
    vaddr: int
    size: int
    paddr: int
    entry: int
    level: int
    writable: bool
    executable: bool


@dataclass
class WalkResult:
    mappings: List[Mapping]
    tables: List[Tuple[int, int]]  # (level, physical address) of every table visited


TableReader = Callable[[int, int], bytes]


def walk(mode: PagingMode, read: TableReader, top_phys: int) -> WalkResult:
    """Visit every present entry reachable from the top table.

    `read(phys, size)` returns the bytes of a table at a physical address.
    """
    result = WalkResult([], [])

    def visit(level: int, phys: int, base: int, writable: bool, executable: bool) -> None:
        lvl = mode.levels[level]
        result.tables.append((level, phys))
        data = read(phys, lvl.table_bytes)
        fmt = mode.entry_format
        for index in range(lvl.entries):
            (entry,) = struct.unpack_from(fmt, data, index * lvl.entry_size)
            if not entry & MMU_P:
                continue
            vaddr = base + (index << lvl.shift)
            # Access is the intersection along the path (CR0.WP=1): RW clear or XD set
            # at any level forbids it. PAE PDPTEs have no RW bit and restrict nothing.
            w = writable and (bool(entry & MMU_RW) or not lvl.has_rw)
            x = executable and not (mode.has_xd and entry & MMU_XD)
            if level == len(mode.levels) - 1 or (lvl.large_pages and entry & MMU_PS):
                size = lvl.entry_scope
                result.mappings.append(Mapping(mode.canonical(vaddr), size,
                                               entry & lvl.addr_mask & ~(size - 1),
                                               entry, level, w, x))
            else:
                visit(level + 1, entry & lvl.addr_mask, vaddr, w, x)

    visit(0, top_phys, 0, True, True)
    return result


# --------------------------------------------------------------------------
# ELF access (pyelftools is imported only here, so the core works without it).


@dataclass
class ElfSection:
    name: str
    vaddr: int
    size: int
    flags: int
    nobits: bool


@dataclass
class ElfImage:
    path: str
    elf_class: int
    sections: List[ElfSection]       # alloc sections with a size, in address order
    regions: List[Region]            # the same, with physical addresses and permissions
    symbols: Dict[str, int]
    contents: Dict[str, bytes]       # alloc PROGBITS section name -> data

    def symbol(self, name: str) -> int:
        if name not in self.symbols:
            raise GenMmuError(f"{self.path}: symbol {name} is missing (the linker script defines it)")
        return self.symbols[name]

    def read_virt(self, vaddr: int, size: int) -> bytes:
        """Bytes at a virtual address, from section contents (zero for NOBITS)."""
        for s in self.sections:
            if s.vaddr <= vaddr and vaddr + size <= s.vaddr + s.size:
                if s.nobits:
                    return bytes(size)
                start = vaddr - s.vaddr
                return self.contents[s.name][start:start + size]
        raise GenMmuError(f"{self.path}: no section holds 0x{vaddr:x}-0x{vaddr + size:x}")


ELF_MAGIC = b"\x7fELF"
SHT_NULL, SHT_SYMTAB, SHT_STRTAB, SHT_NOBITS = 0, 2, 3, 8
PT_LOAD = 1
SHN_XINDEX = 0xFFFF


@dataclass(frozen=True)
class ElfFormat:
    """struct layouts of one ELF class (little-endian: x86 only)."""
    elf_class: int
    header: str
    shdr: str
    phdr: str
    sym_size: int

    @property
    def header_size(self) -> int:
        return struct.calcsize(self.header)

    @property
    def shdr_size(self) -> int:
        return struct.calcsize(self.shdr)

    @property
    def phdr_size(self) -> int:
        return struct.calcsize(self.phdr)


# Header fields after e_ident: type, machine, version, entry, phoff, shoff, flags,
# ehsize, phentsize, phnum, shentsize, shnum, shstrndx. Section headers: name, type,
# flags, addr, offset, size, link, info, addralign, entsize. Program headers: type,
# offset, vaddr, paddr, filesz, memsz, flags, align, except that ELF64 puts flags second.
ELF_FORMATS = {
    1: ElfFormat(32, "<16xHHIIIIIHHHHHH", "<IIIIIIIIII", "<IIIIIIII", 16),
    2: ElfFormat(64, "<16xHHIQQQIHHHHHH", "<IIQQQQIIQQ", "<IIQQQQQQ", 24),
}


def check_elf_file(path: str, data: bytes) -> None:
    """Reject a truncated, damaged or non-ELF file with a message saying what is wrong.

    pyelftools meets such files with tracebacks that do not say which part is
    missing ("String Table not found", "expected 8, found 7"), so the structure
    it relies on is checked here first: the identification bytes, the header,
    and that every table, segment and section lies inside the file.
    """
    size = len(data)
    if size == 0:
        raise GenMmuError(f"{path}: empty file (0 bytes), not an ELF: the link that "
                          f"wrote it failed or was interrupted; rebuild it")
    if data[:4] != ELF_MAGIC[:size]:
        raise GenMmuError(f"{path}: not an ELF file (it starts with {data[:4]!r}, an ELF "
                          f"with {ELF_MAGIC!r})")
    if size < 5:
        raise GenMmuError(f"{path}: truncated: {size} bytes, an ELF header needs 52 (ELF32) "
                          f"or 64 (ELF64)")
    fmt = ELF_FORMATS.get(data[4])
    if fmt is None:
        raise GenMmuError(f"{path}: damaged ELF header: EI_CLASS (byte 4) is 0x{data[4]:02x}, "
                          f"expected 1 (ELF32) or 2 (ELF64)")
    what = f"ELF{fmt.elf_class}"
    if size < fmt.header_size:
        raise GenMmuError(f"{path}: truncated: {size} bytes, an {what} header needs "
                          f"{fmt.header_size}")
    if data[5] != 1:
        raise GenMmuError(f"{path}: EI_DATA (byte 5) is 0x{data[5]:02x}, expected 1 "
                          f"(little-endian, as on x86): the header is damaged or the ELF "
                          f"is not an x86 image")
    if data[6] != 1:
        raise GenMmuError(f"{path}: damaged ELF header: EI_VERSION (byte 6) is 0x{data[6]:02x}, "
                          f"expected 1")
    (_, _, _, _, phoff, shoff, _, _, phentsize, phnum, shentsize, shnum,
     shstrndx) = struct.unpack_from(fmt.header, data)

    def beyond(part: str, start: int, length: int) -> GenMmuError:
        return GenMmuError(f"{path}: truncated or damaged: {size} bytes, but {part} occupy "
                           f"bytes {start}-{start + length}: rebuild it")

    # Program headers: the PT_LOAD segments give every section's physical address.
    if phnum == 0:
        raise GenMmuError(f"{path}: no program headers (e_phnum is 0): not a linked image "
                          f"(a relocatable object?)")
    if phentsize != fmt.phdr_size:
        raise GenMmuError(f"{path}: damaged ELF header: e_phentsize is {phentsize}, an {what} "
                          f"program header is {fmt.phdr_size} bytes")
    if phoff + phnum * phentsize > size:
        raise beyond("the program headers", phoff, phnum * phentsize)
    for i in range(phnum):
        fields = struct.unpack_from(fmt.phdr, data, phoff + i * phentsize)
        if fmt.elf_class == 32:
            p_type, p_offset, _, _, p_filesz = fields[:5]
        else:
            p_type, _, p_offset, _, _, p_filesz = fields[:6]
        if p_type == PT_LOAD and p_offset + p_filesz > size:
            raise beyond(f"the contents of PT_LOAD segment {i}", p_offset, p_filesz)

    # Section headers: sections, their names and .symtab.
    if shoff == 0:
        raise GenMmuError(f"{path}: no section headers (e_shoff is 0): {PROG} needs the "
                          f"sections and the symbol table")
    if shentsize != fmt.shdr_size:
        raise GenMmuError(f"{path}: damaged ELF header: e_shentsize is {shentsize}, an {what} "
                          f"section header is {fmt.shdr_size} bytes")
    if shoff + shentsize > size:
        raise beyond("the section headers", shoff, max(shnum, 1) * shentsize)
    first = struct.unpack_from(fmt.shdr, data, shoff)
    if shnum == 0:
        shnum = first[5]  # more than 0xff00 sections: section 0's sh_size holds the count
    if shstrndx == SHN_XINDEX:
        shstrndx = first[6]  # and its sh_link the name table's index
    if shoff + shnum * shentsize > size:
        raise beyond("the section headers", shoff, shnum * shentsize)
    headers = [struct.unpack_from(fmt.shdr, data, shoff + i * shentsize) for i in range(shnum)]
    if not 0 < shstrndx < shnum or headers[shstrndx][1] != SHT_STRTAB:
        raise GenMmuError(f"{path}: damaged ELF: e_shstrndx {shstrndx} is not a string table "
                          f"among its {shnum} sections, so the sections have no names")

    def in_file(sh: Tuple[int, ...]) -> bool:
        return sh[1] in (SHT_NULL, SHT_NOBITS) or sh[4] + sh[5] <= size

    names = headers[shstrndx]
    if not in_file(names):
        raise beyond(f"section {shstrndx} (the section names)", names[4], names[5])

    def name(i: int) -> str:
        start = names[4] + headers[i][0]
        end = data.find(b"\0", start, names[4] + names[5])
        if headers[i][0] >= names[5] or end < 0:
            return f"{i} (its name lies outside the section-name table)"
        return f"{i} ({data[start:end].decode('utf-8', 'replace')})"

    symtabs = 0
    for i, sh in enumerate(headers):
        if not in_file(sh):
            raise beyond(f"the contents of section {name(i)}", sh[4], sh[5])
        if sh[1] != SHT_SYMTAB:
            continue
        symtabs += 1
        if sh[9] != fmt.sym_size:
            raise GenMmuError(f"{path}: damaged symbol table, section {name(i)}: sh_entsize is "
                              f"{sh[9]}, an {what} symbol is {fmt.sym_size} bytes")
        if not 0 < sh[6] < shnum or headers[sh[6]][1] != SHT_STRTAB:
            raise GenMmuError(f"{path}: damaged symbol table, section {name(i)}: sh_link {sh[6]} "
                              f"is not a string table, so the symbols have no names")
    if symtabs == 0:
        raise GenMmuError(f"{path}: no symbol table (.symtab): {PROG} needs the linker's "
                          f"symbols (z_x86_pagetables_start...): do not strip the ELF")


@dataclass
class _RawSection:
    """What load_elf takes from pyelftools for one section."""
    name: str
    flags: int
    nobits: bool
    vaddr: int
    size: int
    data: Optional[bytes]


def _read_with_pyelftools(data: bytes) -> Tuple[int, List[Tuple[int, int, int]], List[_RawSection],
                                                 List[Tuple[str, str, int]]]:
    """(class, PT_LOAD (vaddr, paddr, memsz), alloc sections, .symtab (name, type, value)).

    Only pyelftools calls, so that load_elf can turn what it raises on a
    damaged file into an error message without hiding mistakes of its own.
    """
    from elftools.elf.constants import SH_FLAGS
    from elftools.elf.elffile import ELFFile

    elf = ELFFile(io.BytesIO(data))
    loads = [(seg["p_vaddr"], seg["p_paddr"], seg["p_memsz"])
             for seg in elf.iter_segments() if seg["p_type"] == "PT_LOAD"]
    sections: List[_RawSection] = []
    for sec in elf.iter_sections():
        flags = sec["sh_flags"]
        if not flags & SH_FLAGS.SHF_ALLOC or sec["sh_size"] == 0:
            continue
        nobits = sec["sh_type"] == "SHT_NOBITS"
        sections.append(_RawSection(sec.name, flags, nobits, sec["sh_addr"], sec["sh_size"],
                                    None if nobits else sec.data()))
    symbols: List[Tuple[str, str, int]] = []
    symtab = elf.get_section_by_name(".symtab")
    if symtab is not None:
        symbols = [(sym.name, sym["st_info"]["type"], sym["st_value"])
                   for sym in symtab.iter_symbols()]
    return elf.elfclass, loads, sections, symbols


def load_elf(path: str) -> ElfImage:
    try:
        from elftools.common.exceptions import ELFError
        from elftools.elf.constants import SH_FLAGS
    except ImportError as e:
        raise GenMmuError("pyelftools is missing: install the Debian package python3-pyelftools "
                          "and run this script with /usr/bin/python3") from e
    try:
        from elftools.construct import ConstructError
    except ImportError:  # a pyelftools without its bundled construct
        ConstructError = ELFError
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise GenMmuError(f"{path}: cannot read: {e.strerror}") from e
    check_elf_file(path, data)
    try:
        elf_class, loads, raw, raw_symbols = _read_with_pyelftools(data)
    except (ELFError, ConstructError, struct.error, ValueError, IndexError, EOFError,
            zlib.error) as e:
        # What check_elf_file lets through is sound in structure; this is damage inside.
        raise GenMmuError(f"{path}: damaged ELF, pyelftools cannot read it: "
                          f"{e or type(e).__name__}") from e

    sections: List[ElfSection] = []
    regions: List[Region] = []
    contents: Dict[str, bytes] = {}
    for sec in raw:
        if sec.flags & SH_FLAGS.SHF_TLS and sec.nobits:
            continue  # .tbss takes no memory of its own
        vaddr, size = sec.vaddr, sec.size
        seg = next(((v, p) for v, p, memsz in loads if v <= vaddr and vaddr + size <= v + memsz),
                   None)
        if seg is None:
            raise GenMmuError(f"{path}: alloc section {sec.name} (0x{vaddr:x}-0x{vaddr + size:x}) "
                              f"is not inside any PT_LOAD segment, so its physical address is unknown")
        sections.append(ElfSection(sec.name, vaddr, size, sec.flags, sec.nobits))
        regions.append(Region(sec.name, vaddr, vaddr - seg[0] + seg[1], size,
                              writable=bool(sec.flags & SH_FLAGS.SHF_WRITE),
                              executable=bool(sec.flags & SH_FLAGS.SHF_EXECINSTR)))
        if sec.data is not None:
            contents[sec.name] = sec.data
    symbols: Dict[str, int] = {}
    for name, kind, value in raw_symbols:
        if name and kind not in ("STT_FILE", "STT_SECTION"):
            symbols.setdefault(name, value)
    sections.sort(key=lambda s: s.vaddr)
    regions.sort(key=lambda r: r.vaddr)
    return ElfImage(path, elf_class, sections, regions, symbols, contents)


@dataclass
class TableArea:
    """The .pagetables area of an ELF."""
    vaddr: int
    paddr: int
    size: int


def table_area(img: ElfImage) -> TableArea:
    start = img.symbol("z_x86_pagetables_start")
    end = img.symbol("z_x86_pagetables_end")
    if end < start:
        raise GenMmuError(f"{img.path}: z_x86_pagetables_end 0x{end:x} is below "
                          f"z_x86_pagetables_start 0x{start:x}")
    if start % PAGE_SIZE:
        raise GenMmuError(f"{img.path}: .pagetables (z_x86_pagetables_start 0x{start:x}) "
                          f"is not page-aligned")
    region = next((r for r in img.regions if r.vaddr <= start < r.end), None)
    if region is None:
        raise GenMmuError(f"{img.path}: no alloc section holds z_x86_pagetables_start 0x{start:x}")
    return TableArea(start, start - region.vaddr + region.paddr, end - start)


def check_elf_matches(img: ElfImage, layout: Layout, config_path: str) -> None:
    """The ELF must have been built for the configuration we were given."""
    mode = layout.mode
    if img.elf_class != mode.elf_class:
        raise GenMmuError(f"{img.path}: an ELFCLASS{img.elf_class} image, but {config_path} "
                          f"selects {mode.name} paging (ELFCLASS{mode.elf_class})")
    mask = (1 << img.elf_class) - 1
    if "z_x86_paging_mode" in img.symbols and img.symbols["z_x86_paging_mode"] != mode.number:
        raise GenMmuError(f"{img.path}: z_x86_paging_mode is {img.symbols['z_x86_paging_mode']} "
                          f"but {config_path} selects mode {mode.number} ({mode.name})")
    if "z_x86_virt_offset" in img.symbols and img.symbols["z_x86_virt_offset"] != layout.offset & mask:
        raise GenMmuError(f"{img.path}: z_x86_virt_offset is 0x{img.symbols['z_x86_virt_offset']:x} "
                          f"but {config_path} gives 0x{layout.offset & mask:x} "
                          f"(CONFIG_KERNEL_VM_BASE - CONFIG_SRAM_BASE_ADDRESS)")


def generate(img: ElfImage, layout: Layout, config_path: str) -> bytes:
    """The blob --elf writes for this ELF and configuration."""
    check_elf_matches(img, layout, config_path)
    area = table_area(img)
    expected = pagetables_size(layout.mode, layout.vm_base, layout.vm_size, layout.sram_base)
    if area.size != expected:
        raise GenMmuError(
            f"{img.path}: the .pagetables placeholder is {area.size} bytes "
            f"(z_x86_pagetables_end - z_x86_pagetables_start, sized by Z_X86_PAGETABLES_SIZE in "
            f"{HEADER_PATH}) but {SCRIPT_PATH} computes {expected} bytes for {layout.mode.name} "
            f"paging, {layout.describe()}. {HEADER_PATH} and {SCRIPT_PATH} must compute the same "
            f"formula: the header gave {area.size}, the script gave {expected}; fix the one that "
            f"is wrong (and make sure the linker script adds no padding inside .pagetables)")
    return build_tables(layout.mode, img.regions, vm_base=layout.vm_base, vm_size=layout.vm_size,
                        sram_base=layout.sram_base, tables_phys=area.paddr, area_size=area.size,
                        userspace=layout.userspace)


# --------------------------------------------------------------------------
# Reading the tables stored in an ELF.


@dataclass
class StoredTables:
    mode: PagingMode
    offset: int
    area: TableArea
    data: bytes
    result: WalkResult


def stored_tables(img: ElfImage, mode: PagingMode, offset: int) -> StoredTables:
    area = table_area(img)
    data = img.read_virt(area.vaddr, area.size) if area.size else b""
    mask = (1 << img.elf_class) - 1

    def read(phys: int, size: int) -> bytes:
        vaddr = (phys + offset) & mask
        if not (area.vaddr <= vaddr and vaddr + size <= area.vaddr + area.size):
            raise GenMmuError(f"{img.path}: a table at physical 0x{phys:x} (virtual 0x{vaddr:x}) "
                              f"lies outside .pagetables 0x{area.vaddr:x}-0x{area.vaddr + area.size:x}")
        return data[vaddr - area.vaddr:vaddr - area.vaddr + size]

    top_phys = (area.vaddr - offset) & mask
    return StoredTables(mode, offset, area, data, walk(mode, read, top_phys))


def mode_and_offset(img: ElfImage, layout: Optional[Layout]) -> Tuple[PagingMode, int]:
    """Paging mode and virtual offset from the ELF's absolute symbols, else the config."""
    if "z_x86_paging_mode" in img.symbols:
        number = img.symbols["z_x86_paging_mode"]
        if number not in PAGING_MODES:
            raise GenMmuError(f"{img.path}: z_x86_paging_mode is {number}; expected 1, 2 or 3")
        mode = PAGING_MODES[number]
        if mode.elf_class != img.elf_class:
            raise GenMmuError(f"{img.path}: z_x86_paging_mode is {number} ({mode.name}) but the "
                              f"file is ELFCLASS{img.elf_class}: the symbol or the file is damaged")
    elif layout is not None:
        mode = layout.mode
    else:
        raise GenMmuError(f"{img.path}: no z_x86_paging_mode symbol: pass --config")
    if "z_x86_virt_offset" in img.symbols:
        offset = img.symbols["z_x86_virt_offset"]
    elif layout is not None:
        offset = layout.offset
    else:
        raise GenMmuError(f"{img.path}: no z_x86_virt_offset symbol: pass --config")
    return mode, offset & ((1 << img.elf_class) - 1)


# --------------------------------------------------------------------------
# --dump


@dataclass
class Range:
    vaddr: int
    end: int
    paddr: int
    writable: bool
    executable: bool


def coalesce(mappings: Sequence[Mapping]) -> List[Range]:
    """Merge mappings contiguous in both address spaces with the same permissions."""
    out: List[Range] = []
    for m in sorted(mappings, key=lambda m: m.vaddr):
        prev = out[-1] if out else None
        if (prev is not None and prev.end == m.vaddr and prev.paddr + (prev.end - prev.vaddr) == m.paddr
                and (prev.writable, prev.executable) == (m.writable, m.executable)):
            prev.end = m.vaddr + m.size
        else:
            out.append(Range(m.vaddr, m.vaddr + m.size, m.paddr, m.writable, m.executable))
    return out


def human_size(n: int) -> str:
    if n >= 1 << 20 and n % (1 << 20) == 0:
        return f"{n >> 20} MiB"
    return f"{n // 1024} KiB" if n % 1024 == 0 else f"{n} B"


GREEN, YELLOW, RED, RESET = "\033[32m", "\033[33m", "\033[1;31m", "\033[0m"


def dump_lines(img: ElfImage, tables: StoredTables, color: bool) -> List[str]:
    mode = tables.mode
    ranges = coalesce(tables.result.mappings)
    top = max([r.end - 1 for r in ranges] + [r.paddr for r in ranges] + [0])
    width = 8 if top < 1 << 32 else 16
    lines = [f"{img.path}: {mode.name} paging, virtual offset 0x{tables.offset:x}"]
    if not mode.has_xd:
        lines.append("note: 32-bit paging has no XD bit: every present page is executable")
    for r in ranges:
        perms = perm_string(True, r.writable, r.executable)
        if color:
            if r.writable and r.executable:
                perms = (YELLOW if not mode.has_xd else RED) + perms + RESET
            elif r.writable:
                perms = YELLOW + perms + RESET
            elif r.executable:
                perms = GREEN + perms + RESET
        names = [s.name for s in img.sections if s.vaddr < r.end and r.vaddr < s.vaddr + s.size]
        lines.append(f"0x{r.vaddr:0{width}x}-0x{r.end:0{width}x}  phys 0x{r.paddr:0{width}x}  "
                     f"{human_size(r.end - r.vaddr):>8}  {perms}  {' '.join(names)}".rstrip())
    used = len({phys for _, phys in tables.result.tables})
    area = tables.area
    lines.append(f"page tables: {used} of {area.size // PAGE_SIZE} tables used "
                 f"({human_size(used * PAGE_SIZE)} of a {human_size(area.size)} area at "
                 f"0x{area.vaddr:x}, phys 0x{area.paddr:x}); "
                 f"{sum(m.size for m in tables.result.mappings) // PAGE_SIZE} pages mapped")
    return lines


# --------------------------------------------------------------------------
# --check


def check_tables(img: ElfImage, layout: Layout, config_path: str, limit: int = 20) -> List[str]:
    """Problems with the tables stored in a final ELF; empty when all is well."""
    check_elf_matches(img, layout, config_path)
    mode = layout.mode
    mask = (1 << img.elf_class) - 1
    tables = stored_tables(img, mode, layout.offset & mask)
    problems: List[str] = []

    def owners(vpage: int, pred: Callable[[Region], bool]) -> List[str]:
        return [r.name for r in img.regions
                if pred(r) and r.vaddr < vpage + PAGE_SIZE and vpage < r.end]

    present: Dict[int, Mapping] = {}
    for m in tables.result.mappings:
        for vpage in range(m.vaddr, m.vaddr + m.size, PAGE_SIZE):
            present[vpage] = m
            if vpage == 0:
                problems.append("the NULL page (0x0) is present")
            if mode.has_xd:
                if m.writable and m.executable:
                    problems.append(f"page 0x{vpage:x} is both writable and executable "
                                    f"({', '.join(owners(vpage, lambda r: True)) or 'no section'})")
            elif m.writable:
                text = owners(vpage, lambda r: r.executable)
                if text:
                    problems.append(f"page 0x{vpage:x} of executable section(s) "
                                    f"{', '.join(text)} is writable")
                elif not owners(vpage, lambda r: r.writable):
                    problems.append(f"page 0x{vpage:x} is writable but belongs to no writable section")

    # Every page of every alloc section: present, right frame, exactly the expected flags.
    for r in img.regions:
        flags = leaf_flags(mode, r.writable, r.executable,
                           layout.userspace and user_may_read(mode, [r.name]))
        for vpage in pages_of(r.vaddr, r.size):
            ppage = r.paddr + (vpage - r.vaddr)
            m = present.get(vpage)
            if m is None:
                problems.append(f"page 0x{vpage:x} of section {r.name} is not present")
            elif m.size != PAGE_SIZE or m.paddr != ppage or m.entry & ~mode.leaf.addr_mask != flags:
                problems.append(
                    f"page 0x{vpage:x} of section {r.name}: entry 0x{m.entry:x} "
                    f"(level {mode.levels[m.level].name}); expected a 4 KiB page at 0x{ppage:x} "
                    f"with flags 0x{flags:x}")
        if len(problems) >= limit:
            break

    # The stored tables must be exactly what the generator makes from this ELF.
    try:
        expected = generate(img, layout, config_path)
    except GenMmuError as e:
        problems.append(f"the generator rejects this ELF: {e}")
    else:
        if expected != tables.data:
            problems.extend(describe_differences(mode, expected, tables.data, limit))
    return problems[:limit] + ([f"... and {len(problems) - limit} more"] if len(problems) > limit else [])


def describe_differences(mode: PagingMode, expected: bytes, actual: bytes, limit: int) -> List[str]:
    if len(expected) != len(actual):
        return [f".pagetables is {len(actual)} bytes; the generator makes {len(expected)}"]
    out = []
    size = mode.leaf.entry_size
    for off in range(0, len(expected), size):
        e, a = expected[off:off + size], actual[off:off + size]
        if e != a:
            (ev,) = struct.unpack(mode.entry_format, e)
            (av,) = struct.unpack(mode.entry_format, a)
            out.append(f".pagetables differs from the generator's output at offset 0x{off:x} "
                       f"(table {off // PAGE_SIZE}, entry {(off % PAGE_SIZE) // size}): "
                       f"stored 0x{av:x}, expected 0x{ev:x}")
            if len(out) >= limit:
                break
    return out


# --------------------------------------------------------------------------
# Command line.


def default_config(elf_path: str) -> str:
    return os.path.join(os.path.dirname(os.path.abspath(elf_path)), ".config")


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog=PROG, description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--elf", metavar="PRE_ELF", help="generate the tables from the prebuilt ELF")
    what.add_argument("--dump", metavar="ELF", help="print the tables stored in ELF")
    what.add_argument("--check", metavar="ELF", help="verify the tables stored in the final ELF")
    what.add_argument("--size", action="store_true", help="print the page-table area size in bytes")
    p.add_argument("--config", metavar="DOTCONFIG",
                   help="the build's .config (default for --dump/--check: the one next to ELF)")
    p.add_argument("--output", metavar="BIN", help="where --elf writes the blob")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour --dump output (auto: when stdout is a terminal)")
    p.add_argument("-q", "--quiet", action="store_true", help="--check prints nothing on success")
    args = p.parse_args(argv)
    if (args.elf or args.size) and not args.config:
        p.error("--elf and --size need --config")
    if args.elf and not args.output:
        p.error("--elf needs --output")
    return args


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    try:
        if args.size:
            layout = layout_from_config(parse_config(args.config), args.config)
            print(pagetables_size(layout.mode, layout.vm_base, layout.vm_size, layout.sram_base))
            return 0

        if args.elf:
            layout = layout_from_config(parse_config(args.config), args.config)
            blob = generate(load_elf(args.elf), layout, args.config)
            tmp = args.output + ".tmp"
            try:
                with open(tmp, "wb") as f:
                    f.write(blob)
                os.replace(tmp, args.output)  # never leave a half-written blob for the second link
            except OSError as e:
                raise GenMmuError(f"{args.output}: cannot write: {e.strerror}") from e
            return 0

        elf_path = args.dump or args.check
        config_path = args.config or default_config(elf_path)
        layout = None
        if args.config or os.path.exists(config_path):
            try:
                layout = layout_from_config(parse_config(config_path), config_path)
            except GenMmuError:
                if args.config or args.check:
                    raise
                # --dump only falls back on a .config it found by itself.
        img = load_elf(elf_path)

        if args.dump:
            mode, offset = mode_and_offset(img, layout)
            color = args.color == "always" or (
                args.color == "auto" and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
            print("\n".join(dump_lines(img, stored_tables(img, mode, offset), color)))
            return 0

        if layout is None:
            raise GenMmuError(f"--check needs the build's .config: none at {config_path}, "
                              f"pass --config")
        problems = check_tables(img, layout, config_path)
        if problems:
            print(f"{PROG}: {elf_path}: page tables are wrong:", file=sys.stderr)
            for line in problems:
                print(f"  {line}", file=sys.stderr)
            return 1
        if not args.quiet:
            pages = sum(len(pages_of(r.vaddr, r.size)) for r in img.regions)
            print(f"{PROG}: {elf_path}: page tables OK ({layout.mode.name}, "
                  f"{len(img.regions)} sections, {pages} pages)")
        return 0
    except GenMmuError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
