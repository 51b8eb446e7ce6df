# SPDX-License-Identifier: Apache-2.0
"""Tests of scripts/gen_kobjects.py: the kernel objects found in DWARF.

Run from the repository root:
    /usr/bin/python3 -m unittest discover -s tests/scripts -p 'test_*.py'

A C file with thread objects, stacks and look-alikes in one section is
compiled for the host with -g; the objects found must be exactly the thread,
semaphore, mutex and condition-variable objects (arrays element by element,
typedef'd and qualified ones too), each with its enum k_objects value read
from the same DWARF, and the stacks inside the user-stack range (arrays row
by row), never a stack outside it or an object inside another structure.
tests/kernel/usermode and tests/kernel/kobject run the table on the three
boards.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from elftools.elf.elffile import ELFFile

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import gen_kobjects as gk  # noqa: E402  (the path first)

SOURCE = r"""
enum k_objects { K_OBJ_ANY, K_OBJ_CONDVAR, K_OBJ_MUTEX, K_OBJ_SEM, K_OBJ_THREAD, K_OBJ_PIPE,
                 K_OBJ_LAST };
__attribute__((used)) static enum k_objects otype_ref;
struct k_thread { int regs[40]; };
struct k_sem { int count, limit; };
struct k_mutex { void *owner; int lock_count; };
struct k_condvar { void *wait_q; };
struct z_thread_stack_element { char data; };
#define S __attribute__((section(".objs"), used))
S struct k_thread t1;
S struct k_sem sem1;
S struct k_sem sems[2];
S struct k_mutex mtx;
S volatile struct k_condvar cv;
S struct k_thread tarr[3];
S struct z_thread_stack_element st1[4096];     /* first user stack */
S struct z_thread_stack_element starr[2][8192]; /* K_THREAD_STACK_ARRAY_DEFINE */
S struct z_thread_stack_element kst[4096];     /* past the range: a kernel stack */
S int other;
struct holder { struct k_thread inner; };
S struct holder h;                             /* inside another structure */
typedef struct k_thread thr_t;
S volatile thr_t tv;
void f(void);
void f(void) { static S struct k_thread local; (void)&local; }
struct k_pipe { int w[8]; };
S volatile struct k_pipe pipe1;
"""


class FindObjectsTest(unittest.TestCase):
    def test_objects(self) -> None:
        cc = shutil.which("gcc") or shutil.which("cc")
        if cc is None:
            self.skipTest("no host C compiler")
        with tempfile.TemporaryDirectory() as d:
            src, obj = Path(d, "objs.c"), Path(d, "objs.o")
            src.write_text(SOURCE)
            out = subprocess.run([cc, "-g", "-O2", "-fno-toplevel-reorder", "-c", str(src), "-o",
                                  str(obj)], capture_output=True, text=True)
            self.assertEqual(out.returncode, 0, out.stderr)
            with open(obj, "rb") as f:
                elf = ELFFile(f)
                sym = {s.name: s["st_value"] for s in elf.get_section_by_name(".symtab").iter_symbols()}
                found = gk.find_objects(elf, (sym["st1"], sym["kst"]))
        thread, k_obj_thread, k_obj_sem, k_obj_pipe = 160, 4, 3, 5
        expected = {sym["t1"]: k_obj_thread, sym["tv"]: k_obj_thread,
                    sym["local.0"]: k_obj_thread, sym["sem1"]: k_obj_sem,
                    sym["sems"]: k_obj_sem, sym["sems"] + 8: k_obj_sem, sym["mtx"]: 2,
                    sym["cv"]: 1,
                    sym["st1"]: 4096, sym["starr"]: 8192, sym["starr"] + 8192: 8192}
        expected.update({sym["tarr"] + i * thread: k_obj_thread for i in range(3)})
        expected[sym["pipe1"]] = k_obj_pipe
        self.assertEqual(found, expected)
        self.assertNotIn(sym["kst"], found, "a stack outside the user range")
        self.assertNotIn(sym["h"], found, "an object inside another structure")


class TableTest(unittest.TestCase):
    def test_layout(self) -> None:
        blob = gk.table_blob({0x3000: 8192, 0x1000: 0}, 64, 4)
        self.assertEqual(len(blob), 64, "the placeholder's size exactly")
        words = [int.from_bytes(blob[i:i + 4], "little") for i in range(0, 64, 4)]
        self.assertEqual(words[:4], [0x1000, 0, 0x3000, 8192], "sorted (address, value) pairs")
        self.assertEqual(set(words[4:]), {0})

    def test_too_many(self) -> None:
        with self.assertRaises(gk.KobjError):
            gk.table_blob({a: 0 for a in range(8, 8 * 10, 8)}, 64, 8)


if __name__ == "__main__":
    unittest.main()
