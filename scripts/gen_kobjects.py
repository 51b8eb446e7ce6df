#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The image's kernel objects, for user mode's object table.

    gen_kobjects.py --elf pagoda_pre.elf --output kobjects.bin

A user thread may call k_thread_create() only on a thread object and a stack
object it was granted before either was first used, so the kernel must know
them from boot, as the reference does (its gen_kobject_list.py reads the
DWARF of the first link). This script reads the DWARF of the first link too:
every variable with a static address whose type is `struct k_thread`,
`struct k_sem`, `struct k_mutex`, `struct k_condvar` or `struct k_timer`, or a
`struct z_thread_stack_element` array inside the user-capable stacks
(z_user_stacks_start..z_user_stacks_end: K_THREAD_STACK_DEFINE and
K_THREAD_STACK_ARRAY_DEFINE; K_KERNEL_STACK_DEFINE stacks lie outside and
can never host a user thread), arrays included (each element, each row, is
one object). They are known from boot, not initialised, as in the reference:
a system call on one the caller was granted fails on its init state, not on
its existence. Objects inside another structure are not found: they become
known when first initialised.

The output has the size of the placeholder z_kobject_static_table of the
first link (kernel/kobject_placeholder.c), which the second link replaces
with it, so that nothing moves: pairs of words (address, value), sorted by
address, then zeros. The value is a stack object's size (at least a page),
else the object's `enum k_objects` value (read from the same DWARF, so
always below a page).
"""
import argparse
import sys
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from elftools.elf.elffile import ELFFile

TABLE = "z_kobject_static_table"
STACK = "z_thread_stack_element"
# Structure -> its enumerator in enum k_objects.
OBJECT_TYPES = {"k_thread": "K_OBJ_THREAD", "k_sem": "K_OBJ_SEM", "k_mutex": "K_OBJ_MUTEX",
                "k_condvar": "K_OBJ_CONDVAR", "k_timer": "K_OBJ_TIMER",
                "k_pipe": "K_OBJ_PIPE"}
DW_OP_ADDR = 0x03
# Qualifiers and names that say nothing about the object's layout.
TRANSPARENT = ("DW_TAG_typedef", "DW_TAG_const_type", "DW_TAG_volatile_type",
               "DW_TAG_atomic_type")


class KobjError(Exception):
    pass


def static_address(die, addr_size: int) -> Optional[int]:
    """The address of a variable whose location is one DW_OP_addr, else None."""
    attr = die.attributes.get("DW_AT_location")
    if attr is None or attr.form not in ("DW_FORM_exprloc", "DW_FORM_block1"):
        return None
    expr = attr.value
    if len(expr) != 1 + addr_size or expr[0] != DW_OP_ADDR:
        return None
    return int.from_bytes(bytes(expr[1:]), "little")


def dims(array_die) -> Optional[List[int]]:
    """Element counts of each dimension, outermost first (None: unknown)."""
    out = []
    for sub in array_die.iter_children():
        if sub.tag != "DW_TAG_subrange_type":
            continue
        if "DW_AT_count" in sub.attributes:
            out.append(sub.attributes["DW_AT_count"].value)
        elif "DW_AT_upper_bound" in sub.attributes:
            out.append(sub.attributes["DW_AT_upper_bound"].value + 1)
        else:
            return None
    return out or None


def resolve(type_die) -> Tuple[Optional[str], int, List[int]]:
    """(structure name, its size, array dimensions) of a variable's type."""
    shape: List[int] = []
    die = type_die
    while die is not None:
        if die.tag in TRANSPARENT:
            die = die.get_DIE_from_attribute("DW_AT_type") if "DW_AT_type" in die.attributes \
                else None
        elif die.tag == "DW_TAG_array_type":
            d = dims(die)
            if d is None:
                return None, 0, []
            shape += d
            die = die.get_DIE_from_attribute("DW_AT_type")
        elif die.tag == "DW_TAG_structure_type" and "DW_AT_name" in die.attributes:
            size = die.attributes["DW_AT_byte_size"].value \
                if "DW_AT_byte_size" in die.attributes else 0
            return die.attributes["DW_AT_name"].value.decode(), size, shape
        else:
            return None, 0, []
    return None, 0, []


def variables(elf: ELFFile) -> Iterator[Tuple[int, object]]:
    """(address, type DIE) of every variable with a static address."""
    addr_size = elf.elfclass // 8
    for cu in elf.get_dwarf_info().iter_CUs():
        for die in cu.iter_DIEs():
            if die.tag != "DW_TAG_variable":
                continue
            addr = static_address(die, addr_size)
            if addr is None:
                continue
            typed = die
            if "DW_AT_type" not in typed.attributes and "DW_AT_specification" in die.attributes:
                typed = die.get_DIE_from_attribute("DW_AT_specification")
            if "DW_AT_type" in typed.attributes:
                yield addr, typed.get_DIE_from_attribute("DW_AT_type")


def otype_values(elf: ELFFile) -> Dict[str, int]:
    """The enumerators of enum k_objects (the first compile unit that has it)."""
    for cu in elf.get_dwarf_info().iter_CUs():
        for die in cu.iter_DIEs():
            if die.tag != "DW_TAG_enumeration_type" or \
                    die.attributes.get("DW_AT_name") is None or \
                    die.attributes["DW_AT_name"].value != b"k_objects":
                continue
            return {e.attributes["DW_AT_name"].value.decode(): e.attributes["DW_AT_const_value"].value
                    for e in die.iter_children() if e.tag == "DW_TAG_enumerator"}
    raise KobjError("no enum k_objects in the DWARF")


def product(values: Sequence[int]) -> int:
    n = 1
    for v in values:
        n *= v
    return n


def find_objects(elf: ELFFile, stacks: Tuple[int, int]) -> Dict[int, int]:
    """address -> stack size, or the object's enum k_objects value."""
    found: Dict[int, int] = {}
    otypes = otype_values(elf)
    for addr, type_die in variables(elf):
        name, size, shape = resolve(type_die)
        if name in OBJECT_TYPES and size > 0:
            for i in range(product(shape)):
                found[addr + i * size] = otypes[OBJECT_TYPES[name]]
        elif name == STACK and shape and stacks[0] <= addr < stacks[1]:
            row = shape[-1] * max(size, 1)
            for i in range(product(shape[:-1])):
                found[addr + i * row] = row
    return found


def symbol(elf: ELFFile, name: str) -> Tuple[int, int]:
    symtab = elf.get_section_by_name(".symtab")
    syms = symtab.get_symbol_by_name(name) if symtab is not None else None
    if not syms:
        raise KobjError(f"no symbol {name}")
    return syms[0]["st_value"], syms[0]["st_size"]


def table_blob(objects: Dict[int, int], capacity_bytes: int, word: int) -> bytes:
    entries = sorted(objects.items())
    if len(entries) * 2 * word > capacity_bytes:
        raise KobjError(f"{len(entries)} kernel objects do not fit in the table of "
                        f"{capacity_bytes // (2 * word)} (CONFIG_MAX_KERNEL_OBJECTS)")
    out = b"".join(a.to_bytes(word, "little") + s.to_bytes(word, "little") for a, s in entries)
    return out + bytes(capacity_bytes - len(out))


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--elf", required=True, help="the first link (pagoda_pre.elf)")
    p.add_argument("--output", required=True, help="the table, as raw bytes")
    args = p.parse_args(argv)
    try:
        with open(args.elf, "rb") as f:
            elf = ELFFile(f)
            if not elf.has_dwarf_info():
                raise KobjError(f"{args.elf} has no DWARF (the build compiles with -g)")
            word = elf.elfclass // 8
            _, capacity = symbol(elf, TABLE)
            stacks = (symbol(elf, "z_user_stacks_start")[0], symbol(elf, "z_user_stacks_end")[0])
            blob = table_blob(find_objects(elf, stacks), capacity, word)
    except (KobjError, OSError) as e:
        print(f"gen_kobjects.py: {e}", file=sys.stderr)
        return 1
    with open(args.output, "wb") as f:
        f.write(blob)
    return 0


if __name__ == "__main__":
    sys.exit(main())
