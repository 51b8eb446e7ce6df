# SPDX-License-Identifier: Apache-2.0
"""The guest's gcov dump (subsys/coverage/gcov.c) back into .gcda files.

The dump is text, one record a line, numbers in hex:

    PAGODA-GCOV 1
    O <version> <stamp> <checksum> <functions> <merge mask> <.gcda path>
    F <ident> <lineno checksum> <cfg checksum>  |  F -
    C <counter type> <count> <value>...
    PAGODA-GCOV END <objects>

write_gcda() writes what gcc 12's libgcov writes for the same counters
(libgcc/libgcov-driver.c, write_one_data): the header (magic, version,
stamp, checksum), the object summary (runs, largest arc count), per function
its tag (length 0 for a slot of another object's COMDAT function) and its
counters (lengths in bytes, a negative length and no values when all are
zero), then a 0 word. Words are 32-bit little-endian, counters two words,
low first.
"""

import struct
from dataclasses import dataclass, field
from pathlib import Path

HEADER = "PAGODA-GCOV 1"
END = "PAGODA-GCOV END"
GCDA_MAGIC = 0x67636461             # "gcda"
TAG_FUNCTION = 0x01000000
TAG_COUNTER_BASE = 0x01a10000
TAG_OBJECT_SUMMARY = 0xa1000000
WORD = 4
COUNTER_ARCS = 0                    # the only type -fprofile-arcs counts; merged by adding


class DumpError(ValueError):
    """A dump that is cut short, garbled or not one at all."""


@dataclass
class Function:
    ident: int
    lineno_checksum: int
    cfg_checksum: int
    counters: dict = field(default_factory=dict)    # counter type -> [values]


@dataclass
class GcovObject:
    version: int
    stamp: int
    checksum: int
    mask: int                       # bit t: counters of type t present
    path: str                       # the .gcda file gcc named
    functions: list = field(default_factory=list)   # Function, or None for "F -"
    declared: int = 0               # the functions the object record announced

    @property
    def types(self):
        return [t for t in range(32) if self.mask >> t & 1]


def _hex(words, where):
    try:
        return [int(w, 16) for w in words]
    except ValueError:
        raise DumpError(f"{where}: not hex: {' '.join(words)!r}") from None


def parse(text):
    """[GcovObject] of one dump; DumpError unless it is whole."""
    lines = text.splitlines()
    try:
        start = lines.index(HEADER)
    except ValueError:
        raise DumpError("no dump: the guest never wrote its header "
                        "(not built with CONFIG_COVERAGE_GCOV, or it did not halt)") from None
    objects, fn, declared = [], None, None
    for number, line in enumerate(lines[start + 1:], start + 2):
        where = f"line {number}"
        if line.startswith(END):
            (declared,) = _hex(line[len(END):].split(), where) or [None]
            break
        kind, _, rest = line.partition(" ")
        if kind == "O":
            words = rest.split(" ", 5)
            if len(words) != 6:
                raise DumpError(f"{where}: object record of {len(words)} fields")
            version, stamp, checksum, count, mask = _hex(words[:5], where)
            objects.append(GcovObject(version, stamp, checksum, mask, words[5], declared=count))
        elif not objects:
            raise DumpError(f"{where}: {kind!r} record before any object")
        elif kind == "F":
            fn = None if rest == "-" else Function(*_hex(rest.split(), where))
            objects[-1].functions.append(fn)
        elif kind == "C":
            if fn is None:
                raise DumpError(f"{where}: counters without a function")
            values = _hex(rest.split(), where)
            if len(values) < 2 or len(values) != values[1] + 2:
                raise DumpError(f"{where}: counter record cut short")
            fn.counters[values[0]] = values[2:]
        else:
            raise DumpError(f"{where}: unknown record {line[:40]!r}")
    if declared is None:
        raise DumpError(f"the dump is cut short after {len(objects)} object(s): no end line")
    if declared != len(objects):
        raise DumpError(f"the dump names {declared} objects, holds {len(objects)}")
    for obj in objects:
        if len(obj.functions) != obj.declared:
            raise DumpError(f"{obj.path}: {len(obj.functions)} of {obj.declared} functions")
        for f in obj.functions:
            if f is not None and sorted(f.counters) != obj.types:
                raise DumpError(f"{obj.path}: function {f.ident:#x} lacks counters")
    return objects


def merge(objects):
    """The objects of several dumps of one build, one per .gcda path, arc counts
    added; DumpError when two dumps disagree on an object (another build)."""
    merged = {}
    for obj in objects:
        mine = merged.get(obj.path)
        if mine is None:
            merged[obj.path] = GcovObject(obj.version, obj.stamp, obj.checksum, obj.mask,
                                          obj.path, [None if f is None else
                                                     Function(f.ident, f.lineno_checksum,
                                                              f.cfg_checksum,
                                                              {t: list(v) for t, v in
                                                               f.counters.items()})
                                                     for f in obj.functions], obj.declared)
            continue
        if (mine.stamp, mine.checksum, mine.mask, len(mine.functions)) != \
                (obj.stamp, obj.checksum, obj.mask, len(obj.functions)):
            raise DumpError(f"{obj.path}: dumps of different builds")
        if obj.types != [COUNTER_ARCS]:
            raise DumpError(f"{obj.path}: only arc counters can be merged")
        for a, b in zip(mine.functions, obj.functions):
            if a is None or b is None:
                continue
            a.counters[COUNTER_ARCS] = [x + y for x, y in zip(a.counters[COUNTER_ARCS],
                                                             b.counters[COUNTER_ARCS])]
    return list(merged.values())


def run_max(objects):
    """The largest arc count of a run: libgcov's object summary (sum_max)."""
    return max((v for o in objects for f in o.functions if f is not None
                for v in f.counters.get(COUNTER_ARCS, ())), default=0)


def gcda_bytes(obj, largest, runs=1):
    words = [GCDA_MAGIC, obj.version, obj.stamp, obj.checksum,
             TAG_OBJECT_SUMMARY, 2 * WORD, runs, largest & 0xffffffff]
    out = [struct.pack(f"<{len(words)}I", *words)]
    for fn in obj.functions:
        if fn is None:
            out.append(struct.pack("<2I", TAG_FUNCTION, 0))
            continue
        out.append(struct.pack("<5I", TAG_FUNCTION, 3 * WORD, fn.ident, fn.lineno_checksum,
                               fn.cfg_checksum))
        for t in obj.types:
            values = fn.counters[t]
            tag = TAG_COUNTER_BASE + (t << 17)
            if not any(values):
                out.append(struct.pack("<2I", tag, (-len(values) * 2 * WORD) & 0xffffffff))
                continue
            out.append(struct.pack("<2I", tag, len(values) * 2 * WORD))
            for v in values:
                v &= (1 << 64) - 1
                out.append(struct.pack("<2I", v & 0xffffffff, v >> 32))
    out.append(struct.pack("<I", 0))
    return b"".join(out)


def write_gcda(objects, relocate=None):
    """Write each object's .gcda; relocate(path) -> Path may move them. [Path]."""
    largest = run_max(objects)
    written = []
    for obj in objects:
        path = Path(relocate(obj.path) if relocate else obj.path)
        path.write_bytes(gcda_bytes(obj, largest))
        written.append(path)
    return written
