# SPDX-License-Identifier: Apache-2.0
"""Tests of scripts/gen_syscalls.py, and of gen_mmu.py's CONFIG_USERSPACE tables.

Run from the repository root:
    /usr/bin/python3 -m unittest discover -s tests/scripts -p 'test_*.py'

The parser and the emitted text are checked directly; RoundTripTest compiles
the generated dispatch table and stubs for the host with a trap that calls
the table in-process, so every argument (a k_timeout_t-like 64-bit struct
included) must come out on the kernel side as it went in. The 32-bit split
(64-bit arguments in two words, results in edx:eax) has no host program
here (no i686 C library); tests/kernel/usermode exercises it on qemu_x86
and qemu_x86_pae (k_sem_take/k_sleep timeouts, k_uptime_get).
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"pagoda_{name}", SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gs = _load("gen_syscalls")
gm = _load("gen_mmu")


class ParseTest(unittest.TestCase):
    def test_prototypes(self) -> None:
        text = """
        /* __syscall in a comment is no declaration */
        __syscall int k_sem_take(struct k_sem *sem, k_timeout_t timeout);
        __syscall k_tid_t k_current_get(void);
        __syscall void k_str_out(char *c,
                                 size_t n);
        __syscall const char *k_name(const struct k_thread*t);
        int k_plain(int x);
        """
        calls = gs.parse_header(text, "kernel.h")
        self.assertEqual([c.name for c in calls], ["k_sem_take", "k_current_get", "k_str_out",
                                                   "k_name"])
        take = calls[0]
        self.assertEqual(take.ret, "int")
        self.assertEqual(take.args, (gs.Arg("struct k_sem *", "sem"),
                                     gs.Arg("k_timeout_t", "timeout")))
        self.assertEqual(take.params(), "struct k_sem *sem, k_timeout_t timeout")
        self.assertEqual(calls[1].args, ())
        self.assertEqual(calls[1].params(), "void")
        self.assertEqual(calls[2].args[1], gs.Arg("size_t", "n"))
        self.assertEqual(calls[3].ret, "const char *")
        self.assertEqual(calls[3].args[0], gs.Arg("const struct k_thread *", "t"))

    def test_refused(self) -> None:
        for bad in ("__syscall int f(int a[4]);", "__syscall int f(const char *fmt, ...);",
                    "__syscall int f(void (*cb)(void));", "__syscall int f(int a, int a);",
                    "__syscall int (int a);"):
            with self.subTest(bad=bad), self.assertRaises(gs.SyscallError):
                gs.parse_header(bad, "x.h")

    def test_duplicates_and_order(self) -> None:
        with tempfile.TemporaryDirectory() as d:
            a, b = Path(d, "a.h"), Path(d, "b.h")
            a.write_text("__syscall int k_b(int x);\n__syscall int k_a(int x);\n")
            b.write_text("__syscall void k_c(void);\n")
            calls = gs.collect([(str(b), "b.h"), (str(a), "a.h")])
            self.assertEqual([c.name for c in calls], ["k_a", "k_b", "k_c"],
                             "ids do not depend on header order")
            b.write_text("__syscall int k_a(int y);\n")
            with self.assertRaises(gs.SyscallError):
                gs.collect([(str(a), "a.h"), (str(b), "b.h")])

    def test_needs_more(self) -> None:
        calls = {c.name: c for c in gs.parse_header("""
            __syscall int k_six(int a, int b, int c, int d, int e, void *f);
            __syscall int k_seven(int a, int b, int c, int d, int e, int f, int g);
            __syscall int k_wide(int a, int b, int c, int d, k_timeout_t t);
            __syscall int k_wide6(int a, int b, int c, int d, int e, k_timeout_t t);
            __syscall int k_create(struct k_thread *t, k_thread_stack_t *s, size_t n,
                                   k_thread_entry_t e, void *p1, void *p2, void *p3, int prio,
                                   uint32_t options, k_timeout_t delay);
            """, "k.h")}
        self.assertFalse(gs.needs_more(calls["k_six"]))
        self.assertTrue(gs.needs_more(calls["k_seven"]))
        self.assertFalse(gs.needs_more(calls["k_wide"]), "5 words + a timeout of at most 2")
        self.assertTrue(gs.needs_more(calls["k_wide6"]), "a timeout is 2 words on 32-bit")
        self.assertTrue(gs.needs_more(calls["k_create"]))
        stub = gs.gen_stubs([calls["k_create"]])
        mrsh = gs.gen_dispatch([calls["k_create"]])
        self.assertIn("(uintptr_t)&z_a[5]", stub, "the sixth word points at the rest")
        self.assertIn("K_OOPS(K_SYSCALL_MEMORY_READ(more,", mrsh)
        self.assertLess(mrsh.index("K_SYSCALL_MEMORY_READ(more"), mrsh.index("memcpy(&z_a[5], more"),
                        "checked before it is read")
        self.assertLess(mrsh.index("arch_user_access_begin()"), mrsh.index("memcpy(&z_a[5], more"))
        self.assertLess(mrsh.index("memcpy(&z_a[5], more"), mrsh.index("arch_user_access_end()"),
                        "SMAP: the read of user memory bracketed")
        self.assertNotIn("BUILD_ASSERT", mrsh)
        # The other calls' code is what it was: no `more` machinery.
        plain = gs.gen_dispatch([calls["k_six"]])
        self.assertNotIn("more_words", plain)
        self.assertNotIn("Z_SYSCALL_SLOTS", plain)
        self.assertIn("BUILD_ASSERT", plain)

    def test_list_header(self) -> None:
        calls = gs.parse_header("__syscall int k_b(int x);\n__syscall void k_a(void);\n", "k.h")
        text = gs.gen_list(sorted(calls, key=lambda c: c.name), ["k.h"])
        self.assertIn("#define K_SYSCALL_K_A 0\n#define K_SYSCALL_K_B 1\n", text)
        self.assertIn("#define K_SYSCALL_BAD 2\n#define K_SYSCALL_LIMIT 3\n", text)
        self.assertLess(text.index("K_SYSCALL_LIMIT"), text.index("#ifndef __ASSEMBLER__"),
                        "the ids are usable from assembly")
        self.assertIn("int z_vrfy_k_b(int x);", text)
        self.assertIn("#define z_impl_k_b k_b", text)

    def test_guards(self) -> None:
        text = """
        #ifndef K_H
        #define K_H
        __syscall int k_always(int x);
        #ifdef CONFIG_A
        /* #endif in a comment is nothing */
        __syscall int k_a(int x);
        #if CONFIG_N > 2
        __syscall int k_an(int x);
        #else
        __syscall int k_a_not_n(int x);
        #endif
        #endif
        #ifndef CONFIG_B
        __syscall void k_not_b(void);
        #endif
        #endif
        """
        guards = {c.name: c.guard for c in gs.parse_header(text, "k.h")}
        self.assertEqual(guards, {"k_always": None, "k_a": "defined(CONFIG_A)",
                                  "k_an": "defined(CONFIG_A) && (CONFIG_N > 2)",
                                  "k_a_not_n": "defined(CONFIG_A) && !(CONFIG_N > 2)",
                                  "k_not_b": "!defined(CONFIG_B)"})
        calls = sorted(gs.parse_header(text, "k.h"), key=lambda c: c.name)
        dispatch = gs.gen_dispatch(calls)
        self.assertIn("#if defined(CONFIG_A)\nBUILD_ASSERT", dispatch)
        self.assertIn("#if !defined(CONFIG_B)\n\t[K_SYSCALL_K_NOT_B] = z_mrsh_k_not_b,\n#else\n"
                      "\t[K_SYSCALL_K_NOT_B] = z_syscall_bad,\n#endif", dispatch)
        stubs = gs.gen_stubs(calls)
        self.assertIn("#if defined(CONFIG_A)\n__attribute__((noinline)) int z_trap_k_a(int x);",
                      stubs)
        self.assertIn("return z_impl_k_a(x);\n}\n\n#endif /* defined(CONFIG_A) */", stubs)
        for bad in ("#if A\n#elif B\n#endif\n", "#endif\n", "#else\n"):
            with self.subTest(bad=bad), self.assertRaises(gs.SyscallError):
                gs.parse_header(bad, "x.h")


HARNESS = r"""
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "syscall_list.h"

/* The "trap": what the entry stub does, in-process. */
typedef uint64_t (*handler_t)(uintptr_t, uintptr_t, uintptr_t, uintptr_t, uintptr_t, uintptr_t);
extern const handler_t z_syscall_table[];
int user_mode;
int bad_calls;
bool arch_is_user_context(void) { return user_mode; }
uint64_t arch_syscall_invoke6(uintptr_t a1, uintptr_t a2, uintptr_t a3, uintptr_t a4,
                              uintptr_t a5, uintptr_t a6, uintptr_t id)
{
    int was = user_mode;
    user_mode = 0;
    uint64_t r = z_syscall_table[id < K_SYSCALL_LIMIT ? id : K_SYSCALL_BAD](a1, a2, a3, a4, a5, a6);
    user_mode = was;
    return r;
}
uint64_t z_syscall_bad(uintptr_t a1, uintptr_t a2, uintptr_t a3, uintptr_t a4, uintptr_t a5,
                       uintptr_t a6)
{
    (void)a1; (void)a2; (void)a3; (void)a4; (void)a5; (void)a6;
    bad_calls++;
    return 0;
}

static char log_[256];
static int vrfy_calls;
int64_t z_impl_k_mix(struct obj *o, k_timeout_t t, int8_t small, uint64_t big)
{
    snprintf(log_, sizeof(log_), "%p %lld %d %llu", (void *)o, (long long)t.ticks, small,
             (unsigned long long)big);
    return (int64_t)big - 1;
}
int64_t z_vrfy_k_mix(struct obj *o, k_timeout_t t, int8_t small, uint64_t big)
{
    vrfy_calls++;
    return z_impl_k_mix(o, t, small, big);
}
struct obj *z_impl_k_self(void) { return (struct obj *)0x1234; }
struct obj *z_vrfy_k_self(void) { vrfy_calls++; return z_impl_k_self(); }
void z_impl_k_nothing(void) {}
void z_vrfy_k_nothing(void) { vrfy_calls++; }
int z_impl_k_flag(bool f) { unsigned char raw; memcpy(&raw, &f, 1); return raw; }
int z_vrfy_k_flag(bool f) { return z_impl_k_flag(f); }
int oopses;
int64_t z_impl_k_many(struct obj *o, int a, k_timeout_t t, int b, unsigned int c, uint64_t d,
                      char *e, int8_t f)
{
    snprintf(log_, sizeof(log_), "%p %d %lld %d %u %llu %p %d", (void *)o, a, (long long)t.ticks,
             b, c, (unsigned long long)d, (void *)e, f);
    return (int64_t)d + f;
}
int64_t z_vrfy_k_many(struct obj *o, int a, k_timeout_t t, int b, unsigned int c, uint64_t d,
                      char *e, int8_t f)
{
    vrfy_calls++;
    return z_impl_k_many(o, a, t, b, c, d, e, f);
}
#ifdef HAVE_OPTIONAL
int z_impl_k_optional(int x) { return x + 1; }
int z_vrfy_k_optional(int x) { vrfy_calls++; return z_impl_k_optional(x); }
#endif

int main(void)
{
    struct obj o;
    char kernel_log[256];
    k_timeout_t t = {.ticks = -5000000000LL};

    int64_t r = k_mix(&o, t, -7, 0x8000000000000001ULL);
    strcpy(kernel_log, log_);
    if (vrfy_calls != 0) { puts("supervisor call went through the trap"); return 1; }
    user_mode = 1;
    int64_t ru = k_mix(&o, t, -7, 0x8000000000000001ULL);
    if (vrfy_calls != 1 || strcmp(kernel_log, log_) != 0 || r != ru ||
        ru != (int64_t)0x8000000000000000ULL) {
        printf("mismatch: %s / %s, %lld %lld\n", kernel_log, log_, (long long)r, (long long)ru);
        return 1;
    }
    if (k_self() != (struct obj *)0x1234 || vrfy_calls != 2) { puts("pointer result"); return 1; }
    k_nothing();
    if (vrfy_calls != 3) { puts("void call"); return 1; }
    /* A bool from user mode is 0 or 1, whatever word came in. */
    if ((int)arch_syscall_invoke6(0x200, 0, 0, 0, 0, 0, K_SYSCALL_K_FLAG) != 1 ||
        (int)arch_syscall_invoke6(0, 0, 0, 0, 0, 0, K_SYSCALL_K_FLAG) != 0) {
        puts("bool"); return 1;
    }
    (void)arch_syscall_invoke6(0, 0, 0, 0, 0, 0, 999);
    if (bad_calls != 1) { puts("bad id"); return 1; }
    /* Past six words: the rest through `more`, each argument as it was. */
    user_mode = 0;
    int64_t rm = k_many(&o, -1, t, 2, 3U, 0x7000000000000004ULL, kernel_log, -5);
    strcpy(kernel_log, log_);
    user_mode = 1;
    int64_t rmu = k_many(&o, -1, t, 2, 3U, 0x7000000000000004ULL, kernel_log, -5);
    if (vrfy_calls != 4 || strcmp(kernel_log, log_) != 0 || rm != rmu ||
        rmu != 0x6fffffffffffffffLL) {
        printf("more: %s / %s, %lld %lld\n", kernel_log, log_, (long long)rm, (long long)rmu);
        return 1;
    }
    /* A `more` the caller may not read: the call ends it, the handler never runs. */
    (void)arch_syscall_invoke6(1, 2, 3, 4, 5, 0, K_SYSCALL_K_MANY);
    if (oopses != 1 || vrfy_calls != 4) { puts("unreadable more"); return 1; }
    /* A call the header leaves out is a bad call, and nothing refers to its
     * implementation (the link would fail); with it, a call like any other.
     */
#ifdef HAVE_OPTIONAL
    user_mode = 0;
    if (k_optional(41) != 42 || vrfy_calls != 4) { puts("optional, supervisor"); return 1; }
    user_mode = 1;
    if (k_optional(1) != 2 || vrfy_calls != 5 || bad_calls != 1) { puts("optional"); return 1; }
#else
    (void)arch_syscall_invoke6(0, 0, 0, 0, 0, 0, K_SYSCALL_K_OPTIONAL);
    if (bad_calls != 2) { puts("configured-out call"); return 1; }
#endif
    puts("ok");
    return 0;
}
"""

API = """
#ifndef API_H
#define API_H
#include <stdbool.h>
#include <stdint.h>
#define __syscall
#define BUILD_ASSERT(c, msg) _Static_assert(c, msg)
struct obj { int x; };
typedef struct { int64_t ticks; } k_timeout_t;
__syscall int64_t k_mix(struct obj *o, k_timeout_t t, int8_t small, uint64_t big);
__syscall struct obj *k_self(void);
__syscall void k_nothing(void);
__syscall int k_flag(bool f);
__syscall int64_t k_many(struct obj *o, int a, k_timeout_t t, int b, unsigned int c, uint64_t d,
                         char *e, int8_t f);
#ifdef HAVE_OPTIONAL
__syscall int k_optional(int x);
#endif
#endif
"""

# The marshalling function's checks, as the kernel's <syscall_handler.h> names them.
HANDLER_H = """
#include <stddef.h>
extern int oopses;
#define K_OOPS(expr) do { if (expr) { oopses++; return 0; } } while (0)
#define K_SYSCALL_MEMORY_READ(ptr, size) ((ptr) == NULL || (size) == 0U)
"""


class RoundTripTest(unittest.TestCase):
    def build_and_run(self, cc: str, extra: list) -> None:
        with tempfile.TemporaryDirectory() as d:
            dp = Path(d)
            inc = dp / "inc"
            (inc / "arch").mkdir(parents=True)
            (inc / "api.h").write_text(API)
            (inc / "syscall_handler.h").write_text(HANDLER_H)
            (inc / "kernel.h").write_text('#include "api.h"\n#include <stddef.h>\n')
            (inc / "arch" / "syscall.h").write_text(
                "#include <stdbool.h>\n#include <stdint.h>\nbool arch_is_user_context(void);\n"
                "uint64_t arch_syscall_invoke6(uintptr_t, uintptr_t, uintptr_t, uintptr_t,"
                " uintptr_t, uintptr_t, uintptr_t);\n"
                "static inline void arch_user_access_begin(void) {}\n"
                "static inline void arch_user_access_end(void) {}\n")
            (dp / "main.c").write_text(HARNESS)
            rc = gs.main(["--include-root", str(inc), "--list", str(inc / "syscall_list.h"),
                          "--dispatch", str(dp / "dispatch.c"), "--stubs", str(dp / "stubs.c"),
                          str(inc / "api.h")])
            self.assertEqual(rc, 0)
            exe = dp / "rt"
            out = subprocess.run([cc, *extra, "-std=gnu11", "-Wall", "-Wextra", "-Werror",
                                  "-DCONFIG_USERSPACE=1", "-I", str(inc), "-o", str(exe),
                                  str(dp / "main.c"), str(dp / "dispatch.c"), str(dp / "stubs.c")],
                                 capture_output=True, text=True)
            self.assertEqual(out.returncode, 0, out.stderr)
            run = subprocess.run([str(exe)], capture_output=True, text=True)
            self.assertEqual((run.returncode, run.stdout.strip()), (0, "ok"))

    def test_host_64bit(self) -> None:
        cc = shutil.which("gcc") or shutil.which("cc")
        if cc is None:
            self.skipTest("no host C compiler")
        self.build_and_run(cc, [])
        self.build_and_run(cc, ["-DHAVE_OPTIONAL"])


class GenMmuUserspaceTest(unittest.TestCase):
    TP = 0x200000

    def regions(self):
        R = gm.Region
        return [R(".text", 0x101000, 0x101000, 0x1000, False, True),
                R(".rodata", 0x102000, 0x102000, 0x1000, False, False),
                R(".data", 0x103000, 0x103000, 0x1000, True, False)]

    def entry(self, mode, blob: bytes, table: int, index: int) -> int:
        size = mode.levels[-1].entry_size
        return int.from_bytes(blob[table * 4096 + index * size:][:size], "little")

    def test_user_bits(self) -> None:
        for mode in (gm.MODE_32BIT, gm.MODE_PAE, gm.MODE_IA32E):
            with self.subTest(mode=mode.name):
                args = dict(vm_base=0x100000, vm_size=4 * 1024 * 1024, sram_base=0x100000,
                            tables_phys=self.TP)
                plain = gm.build_tables(mode, self.regions(), **args)
                user = gm.build_tables(mode, self.regions(), userspace=True, **args)
                last = len(mode.levels) - 1
                leaves = [self.entry(mode, user, last, i) for i in (0x101, 0x102, 0x103)]
                self.assertTrue(leaves[0] & gm.MMU_US, "text user-accessible")
                self.assertTrue(leaves[1] & gm.MMU_US, "rodata user-accessible")
                self.assertFalse(leaves[2] & gm.MMU_US, "data supervisor-only")
                for level in range(last):
                    e = self.entry(mode, user, level, 0)
                    if mode is gm.MODE_PAE and level == 0:
                        self.assertFalse(e & gm.MMU_US, "US is reserved in PAE PDPTEs")
                    else:
                        self.assertTrue(e & gm.MMU_US, f"US on level {level}")
                # Without userspace nothing is user-accessible.
                for i in range(len(plain) // mode.levels[-1].entry_size):
                    e = int.from_bytes(plain[i * mode.levels[-1].entry_size:]
                                       [:mode.levels[-1].entry_size], "little")
                    self.assertFalse(e & gm.MMU_US)

    def test_layout_from_config(self) -> None:
        cfg = {"CONFIG_KERNEL_VM_BASE": "0x100000", "CONFIG_KERNEL_VM_SIZE": "0x800000",
               "CONFIG_SRAM_BASE_ADDRESS": "0x100000", "CONFIG_X86_64": "y"}
        self.assertFalse(gm.layout_from_config(cfg).userspace)
        self.assertTrue(gm.layout_from_config({**cfg, "CONFIG_USERSPACE": "y"}).userspace)


if __name__ == "__main__":
    unittest.main()
