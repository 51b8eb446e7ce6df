#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Check that the second link of Pagoda moved nothing.

    check_relink.py pre.elf final.elf

The first link reserves a zero placeholder for the page tables and the second
puts gen_mmu.py's blob of the same size there. The tables were generated from
the first ELF's addresses, so they are only valid if every symbol has the same
value and size in both links. Fails, listing each symbol that moved or changed
size and each alloc section whose address or size changed, otherwise.

Exempt: the placeholder's own symbol (z_x86_pagetables_placeholder), file and
section symbols, and symbols that exist only in the final ELF inside the
.pagetables area (labels of the blob that replaced the placeholder).
"""

from __future__ import annotations

import importlib.util
import io
import struct
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

PROG = "check_relink.py"
PLACEHOLDER = "z_x86_pagetables_placeholder"

Symbols = Dict[str, List[Tuple[int, int]]]   # name -> sorted (value, size) of each definition
Sections = Dict[str, Tuple[int, int]]        # alloc section name -> (address, size)


class RelinkError(Exception):
    pass


def _gen_mmu():
    """scripts/gen_mmu.py as a module, for its check of a file's ELF structure."""
    name = "pagoda_check_relink_gen_mmu"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("gen_mmu.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up here
        spec.loader.exec_module(module)
    return sys.modules[name]


def read_elf(path: str) -> Tuple[Symbols, Sections, int]:
    try:
        from elftools.common.exceptions import ELFError
        from elftools.elf.constants import SH_FLAGS
        from elftools.elf.elffile import ELFFile
    except ImportError as e:
        raise RelinkError("pyelftools is missing: install the Debian package python3-pyelftools "
                          "and run this script with /usr/bin/python3") from e
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise RelinkError(f"{path}: cannot read: {e.strerror}") from e
    # A truncated or damaged ELF gets the same one-line message as from gen_mmu.py,
    # not a pyelftools traceback.
    gen_mmu = _gen_mmu()
    try:
        gen_mmu.check_elf_file(path, data)
    except gen_mmu.GenMmuError as e:
        raise RelinkError(str(e)) from e
    symbols: Symbols = {}
    sections: Sections = {}
    try:
        elf = ELFFile(io.BytesIO(data))
        symtab = elf.get_section_by_name(".symtab")
        raw = [] if symtab is None else [(sym.name, sym["st_info"]["type"], sym["st_value"],
                                          sym["st_size"]) for sym in symtab.iter_symbols()]
        for sec in elf.iter_sections():
            if sec["sh_flags"] & SH_FLAGS.SHF_ALLOC:
                sections[sec.name] = (sec["sh_addr"], sec["sh_size"])
        entry = elf["e_entry"]
    except (ELFError, struct.error, ValueError, IndexError, EOFError) as e:
        raise RelinkError(f"{path}: damaged ELF, pyelftools cannot read it: "
                          f"{e or type(e).__name__}") from e
    if symtab is None:
        raise RelinkError(f"{path}: no symbol table (.symtab)")
    for name, kind, value, size in raw:
        if not name or kind in ("STT_FILE", "STT_SECTION"):
            continue
        # Static symbols may share a name across files: keep every definition.
        symbols.setdefault(name, []).append((value, size))
    for defs in symbols.values():
        defs.sort()
    return symbols, sections, entry


def fmt_defs(defs: Sequence[Tuple[int, int]]) -> str:
    return ", ".join(f"0x{v:x} (size {s})" for v, s in defs)


def pagetables_area(symbols: Symbols) -> Optional[Tuple[int, int]]:
    try:
        return symbols["z_x86_pagetables_start"][0][0], symbols["z_x86_pagetables_end"][0][0]
    except KeyError:
        return None


def compare(pre: Tuple[Symbols, Sections, int], final: Tuple[Symbols, Sections, int]) -> List[str]:
    """Each difference between the two links, as a line of text."""
    pre_syms, pre_secs, pre_entry = pre
    fin_syms, fin_secs, fin_entry = final
    problems: List[str] = []
    area = pagetables_area(fin_syms)

    for name in sorted(set(pre_syms) | set(fin_syms)):
        if name == PLACEHOLDER:
            continue
        before, after = pre_syms.get(name), fin_syms.get(name)
        if before == after:
            continue
        if before is None:
            assert after is not None
            if area and all(area[0] <= v < area[1] for v, _ in after):
                continue  # the blob's own label, where the placeholder was
            problems.append(f"symbol {name}: only in the final link, at {fmt_defs(after)}")
        elif after is None:
            problems.append(f"symbol {name}: missing from the final link (was {fmt_defs(before)})")
        else:
            problems.append(f"symbol {name}: {fmt_defs(before)} -> {fmt_defs(after)}")

    for name in sorted(set(pre_secs) | set(fin_secs), key=lambda n: (pre_secs.get(n) or fin_secs[n])[0]):
        before_sec, after_sec = pre_secs.get(name), fin_secs.get(name)
        if before_sec == after_sec:
            continue
        if before_sec is None:
            assert after_sec is not None
            problems.append(f"section {name}: only in the final link, at 0x{after_sec[0]:x} "
                            f"(size {after_sec[1]})")
        elif after_sec is None:
            problems.append(f"section {name}: missing from the final link "
                            f"(was 0x{before_sec[0]:x}, size {before_sec[1]})")
        else:
            problems.append(f"section {name}: 0x{before_sec[0]:x} (size {before_sec[1]}) -> "
                            f"0x{after_sec[0]:x} (size {after_sec[1]})")

    if pre_entry != fin_entry:
        problems.append(f"entry point: 0x{pre_entry:x} -> 0x{fin_entry:x}")
    return problems


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2 or args[0].startswith("-"):
        print(f"usage: {PROG} PRE_ELF FINAL_ELF\n\n{__doc__}", file=sys.stderr)
        return 2
    pre_path, final_path = args
    try:
        problems = compare(read_elf(pre_path), read_elf(final_path))
    except RelinkError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 1
    if problems:
        print(f"{PROG}: the second link ({final_path}) moved or resized what the page tables "
              f"were generated for ({pre_path}); the placeholder and the generated tables must "
              f"have the same size and alignment:", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
