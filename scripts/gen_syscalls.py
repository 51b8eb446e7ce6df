#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""System-call tables and stubs from the __syscall prototypes of the headers.

Every system call is declared once, in a public header, with the marker:

    __syscall int k_sem_take(struct k_sem *sem, k_timeout_t timeout);

and implemented as z_impl_k_sem_take() beside a verification function
z_vrfy_k_sem_take() (same signature), which checks what user mode passed
and calls the implementation. From the prototypes this script writes:

  --list      syscall_list.h: the call ids (K_SYSCALL_<NAME>, K_SYSCALL_BAD,
              K_SYSCALL_LIMIT: assembler-safe), then the z_impl_/z_vrfy_
              prototypes; without CONFIG_USERSPACE each z_impl_ name is
              #defined to the public one, so the implementation *is* the API.
  --dispatch  the dispatch table: one marshalling function per call that
              rebuilds the typed arguments from the six trap registers and
              calls z_vrfy_*; ids past the end go to z_syscall_bad().
  --stubs     the public functions: from user mode (arch_is_user_context(),
              inline) they call z_trap_<name>(), which packs the arguments
              into words and traps; otherwise they jump to z_impl_* directly
              (the trap side out of line keeps the kernel path short).

An argument wider than a word (k_timeout_t, int64_t on 32-bit) takes as
many words as it needs (sizeof, at compile time). Six words travel in
registers; a call that may need more (more than six arguments, counting
each one that may be wider than a word twice) passes, as the reference
does, the words past the fifth in an array on the caller's stack and its
address as the sixth word (`more`), which the marshalling function checks
is readable by the caller (K_OOPS otherwise) and copies once before use.
Every other call has a BUILD_ASSERT that its words fit in six. A bool
comes back as word != 0, so no value user mode passes is an invalid bool. Results come back as 64 bits (edx:eax
on ia32).

A prototype the header puts under #if/#ifdef/#ifndef (an implementation
that may be configured out) gets its marshaller and stub under the same
condition; its table entry is otherwise K_SYSCALL_BAD's handler (Guards).
"""
import argparse
import os
import re
import sys
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

MAX_WORDS = 6


class SyscallError(Exception):
    pass


@dataclass(frozen=True)
class Arg:
    type: str
    name: str


@dataclass(frozen=True)
class Syscall:
    name: str
    ret: str
    args: Tuple[Arg, ...]
    header: str
    # The header's #if condition around the prototype (None: always there).
    guard: Optional[str] = None

    @property
    def id_macro(self) -> str:
        return "K_SYSCALL_" + self.name.upper()

    def params(self) -> str:
        if not self.args:
            return "void"
        return ", ".join(join_decl(a.type, a.name) for a in self.args)

    def call_args(self, prefix: str = "") -> str:
        return ", ".join(prefix + a.name for a in self.args)


_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_DECL = re.compile(r"\b__syscall\b\s+([^;{}]*?)\(([^;{}]*?)\)\s*;", re.S)
_IDENT = re.compile(r"^(.*?)([A-Za-z_]\w*)\s*$", re.S)


def join_decl(type_: str, name: str) -> str:
    return f"{type_}{name}" if type_.endswith("*") else f"{type_} {name}"


def split_decl(text: str, where: str) -> Tuple[str, str]:
    """'const char *str' -> ('const char *', 'str')."""
    text = " ".join(text.split())
    m = _IDENT.match(text)
    if m is None or not m.group(1).strip():
        raise SyscallError(f"{where}: cannot split '{text}' into a type and a name")
    type_ = m.group(1).strip()
    type_ = re.sub(r"\s*\*", " *", type_).replace("* *", "**").strip()
    if "[" in text or "(" in text or "..." in text:
        raise SyscallError(f"{where}: '{text}': arrays, function pointers and variadic "
                           f"arguments cannot cross the trap")
    return type_, m.group(2)


def parse_header(text: str, header: str) -> List[Syscall]:
    text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n") or " ", text)
    guards = Guards(text, header)
    out = []
    for m in _DECL.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        where = f"{header}:{line}"
        ret, name = split_decl(m.group(1), where)
        params = " ".join(m.group(2).split())
        args: List[Arg] = []
        if params not in ("", "void"):
            for i, p in enumerate(params.split(",")):
                t, n = split_decl(p, f"{where} (argument {i + 1} of {name})")
                args.append(Arg(t, n))
        names = [a.name for a in args]
        if len(set(names)) != len(names):
            raise SyscallError(f"{where}: {name} has two arguments of the same name")
        out.append(Syscall(name, ret, tuple(args), header, guards.at(m.start())))
    if "__syscall" in _DECL.sub(" ", text).replace("#define __syscall", ""):
        raise SyscallError(f"{header}: a __syscall marker not followed by a prototype")
    return out


_DIRECTIVE = re.compile(r"^[ \t]*#[ \t]*(\w+)(.*)$", re.M)


class Guards:
    """The preprocessor conditions of a header, so that a system call whose
    implementation is configured out can be left out of what is generated:
    the header guards its prototype (#if/#ifdef/#ifndef, #else, #endif),
    and the generated marshaller, table entry and stub carry the same
    condition (the table entry otherwise is K_SYSCALL_BAD's handler, as the
    reference's weak handler_no_syscall). The include guard is no condition.
    """

    def __init__(self, text: str, header: str):
        self.events: List[Tuple[int, Tuple[Optional[str], ...]]] = []
        stack: List[Optional[str]] = []
        directives = list(_DIRECTIVE.finditer(text))
        for i, m in enumerate(directives):
            word, rest = m.group(1), m.group(2).strip()
            line = text.count("\n", 0, m.start()) + 1
            if word in ("if", "ifdef", "ifndef"):
                nxt = directives[i + 1] if i + 1 < len(directives) else None
                if (word == "ifndef" and not stack and nxt is not None
                        and nxt.group(1) == "define" and nxt.group(2).split()[:1] == [rest]):
                    stack.append(None)  # the include guard
                else:
                    stack.append({"if": f"({rest})", "ifdef": f"defined({rest})",
                                  "ifndef": f"!defined({rest})"}[word])
            elif word == "else":
                if not stack:
                    raise SyscallError(f"{header}:{line}: #else without #if")
                stack[-1] = None if stack[-1] is None else f"!{stack[-1]}"
            elif word == "elif":
                raise SyscallError(f"{header}:{line}: #elif is not read for __syscall guards "
                                   f"(use #else and #if)")
            elif word == "endif":
                if not stack:
                    raise SyscallError(f"{header}:{line}: #endif without #if")
                stack.pop()
            else:
                continue
            self.events.append((m.start(), tuple(stack)))

    def at(self, pos: int) -> Optional[str]:
        stack: Tuple[Optional[str], ...] = ()
        for start, st in self.events:
            if start > pos:
                break
            stack = st
        conds = [c for c in stack if c is not None]
        return " && ".join(conds) if conds else None


def guard_open(c: Syscall) -> List[str]:
    return [f"#if {c.guard}"] if c.guard else []


def guard_close(c: Syscall) -> List[str]:
    return [f"#endif /* {c.guard} */"] if c.guard else []


def collect(headers: Sequence[Tuple[str, str]]) -> List[Syscall]:
    """headers: (path, include name). Calls sorted by name, so ids do not
    depend on the order of the headers."""
    calls: List[Syscall] = []
    for path, inc in headers:
        with open(path, encoding="utf-8") as f:
            calls.extend(parse_header(f.read(), inc))
    seen = {}
    for c in calls:
        if c.name in seen:
            raise SyscallError(f"{c.name} is declared as a system call twice "
                               f"({seen[c.name]} and {c.header})")
        seen[c.name] = c.header
    return sorted(calls, key=lambda c: c.name)


def is_void(type_: str) -> bool:
    return type_ == "void"


def is_pointer(type_: str, pointer_types: Sequence[str]) -> bool:
    return type_.endswith("*") or type_ in pointer_types


HEADER = "/* Generated by scripts/gen_syscalls.py from the __syscall prototypes: do not edit. */\n"
POINTER_TYPEDEFS = ("k_tid_t",)


def gen_list(calls: Sequence[Syscall], includes: Sequence[str]) -> str:
    lines = [HEADER, "#ifndef PAGODA_GENERATED_SYSCALL_LIST_H",
             "#define PAGODA_GENERATED_SYSCALL_LIST_H", ""]
    for i, c in enumerate(calls):
        lines.append(f"#define {c.id_macro} {i}")
    lines += [f"#define K_SYSCALL_BAD {len(calls)}",
              f"#define K_SYSCALL_LIMIT {len(calls) + 1}", "",
              "#ifndef __ASSEMBLER__"]
    lines += [f"#include <{inc}>" for inc in includes]
    lines += ["", "#ifdef CONFIG_USERSPACE"]
    for c in calls:
        lines.append(f"{c.ret} z_impl_{c.name}({c.params()});")
        lines.append(f"{c.ret} z_vrfy_{c.name}({c.params()});")
    lines += ["#else /* the implementation is the API */"]
    for c in calls:
        lines.append(f"#define z_impl_{c.name} {c.name}")
    lines += ["#endif", "#endif /* __ASSEMBLER__ */", "",
              "#endif /* PAGODA_GENERATED_SYSCALL_LIST_H */", ""]
    return "\n".join(lines)


WORDS = "Z_SYSCALL_WORDS"
PRELUDE = f"""#include <arch/syscall.h>
#include <syscall_list.h>

/* Trap words an argument of type T takes. */
#define {WORDS}(T) ((sizeof(T) + sizeof(uintptr_t) - 1U) / sizeof(uintptr_t))
"""


def words_sum(c: Syscall) -> str:
    return " + ".join(f"{WORDS}({a.type})" for a in c.args) or "0"


def union_decl(type_: str, var: str) -> str:
    return f"union {{ uintptr_t w[{WORDS}({type_})]; {join_decl(type_, 'v')}; }} {var} = {{.w = {{0}}}};"


MRSH_PARAMS = ("uintptr_t a1, uintptr_t a2, uintptr_t a3, uintptr_t a4, uintptr_t a5, "
               "uintptr_t a6")


def unpack_lines(c: Syscall) -> List[str]:
    """The typed arguments z_p0, z_p1, ... from the words z_a[0], z_a[1], ... (the z_
    names: no argument name can hide them)."""
    lines = ["\tsize_t z_i = 0;"]
    for k, arg in enumerate(c.args):
        if arg.type == "bool":
            # Any word user mode passes becomes a valid bool.
            lines.append(f"\tstruct {{ bool v; }} z_p{k} = {{.v = z_a[z_i++] != 0U}};")
            continue
        lines.append("\t" + union_decl(arg.type, f"z_p{k}"))
        lines.append(f"\tfor (size_t z_j = 0; z_j < {WORDS}({arg.type}); z_j++) {{")
        lines.append(f"\t\tz_p{k}.w[z_j] = z_a[z_i++];")
        lines.append("\t}")
    lines.append("\t(void)z_i;")
    return lines


def call_lines(c: Syscall) -> List[str]:
    """The call of z_vrfy_ with z_p0, z_p1, ... and its result as 64 bits."""
    call = f"z_vrfy_{c.name}({', '.join(f'z_p{k}.v' for k in range(len(c.args)))})"
    if is_void(c.ret):
        return [f"\t{call};", "\treturn 0;"]
    if is_pointer(c.ret, POINTER_TYPEDEFS):
        return [f"\treturn (uint64_t)(uintptr_t){call};"]
    return [f"\treturn (uint64_t){call};"]


def pack_lines(c: Syscall) -> List[str]:
    """User side: the arguments into the words z_a[0], z_a[1], ..."""
    lines = ["\tsize_t z_i = 0;"] if c.args else []
    for k, arg in enumerate(c.args):
        lines.append("\t" + union_decl(arg.type, f"z_p{k}"))
        lines.append(f"\tz_p{k}.v = {arg.name};")
        lines.append(f"\tfor (size_t z_j = 0; z_j < {WORDS}({arg.type}); z_j++) {{")
        lines.append(f"\t\tz_a[z_i++] = z_p{k}.w[z_j];")
        lines.append("\t}")
    return lines


def trap_return_lines(c: Syscall, trap: str) -> List[str]:
    if is_void(c.ret):
        return [f"\t(void){trap};"]
    if is_pointer(c.ret, POINTER_TYPEDEFS):
        return [f"\treturn ({c.ret})(uintptr_t){trap};"]
    return [f"\treturn ({c.ret}){trap};"]


def stub_lines(c: Syscall, trap_body: List[str]) -> List[str]:
    """The user side out of line (z_trap_<name>: packs the words and traps) and
    the public function: from kernel mode one read of CS and a jump to z_impl_."""
    trap = f"z_trap_{c.name}({c.call_args()})"
    impl = f"z_impl_{c.name}({c.call_args()})"
    # Not static: a local function may get a register convention on ia32,
    # and the kernel path would then load the arguments before the branch.
    proto = f"{join_decl(c.ret, 'z_trap_' + c.name)}({c.params()})"
    lines = [f"__attribute__((noinline)) {proto};", f"{proto}", "{", *trap_body, "}", "",
             f"{join_decl(c.ret, c.name)}({c.params()})", "{",
             "\tif (arch_is_user_context()) {"]
    if is_void(c.ret):
        lines += [f"\t\t{trap};", "\t\treturn;", "\t}", f"\t{impl};"]
    else:
        lines += [f"\t\treturn {trap};", "\t}", f"\treturn {impl};"]
    return lines + ["}", ""]


# ---- calls of more than six words: the `more` array -----------------------------------

# Scalars no wider than a word on every board (a bool is passed as a word).
WORD_TYPES = frozenset(("bool", "char", "signed char", "unsigned char", "short", "unsigned short",
                        "int", "unsigned int", "unsigned", "long", "unsigned long", "int8_t",
                        "uint8_t", "int16_t", "uint16_t", "int32_t", "uint32_t", "size_t",
                        "ssize_t", "uintptr_t", "intptr_t", "off_t", "k_thread_entry_t"))

SLOTS = "Z_SYSCALL_SLOTS"
MORE_PRELUDE = f"""/* Words of a call's argument array: at least the six of the trap. */
#define {SLOTS}(n) ((n) > {MAX_WORDS}U ? (n) : (size_t){MAX_WORDS})
"""
MORE_INCLUDES = "#include <string.h>\n#include <syscall_handler.h>\n"


def may_be_wide(type_: str) -> bool:
    base = type_.replace("const ", "").replace("volatile ", "").strip()
    return not (is_pointer(type_, POINTER_TYPEDEFS) or base in WORD_TYPES)


def needs_more(c: Syscall) -> bool:
    """True when the call's words may not fit in the six registers on some
    board: its upper bound counts a possibly wide argument as two words (the
    widest the kernel's own calls pass: k_timeout_t, int64_t on 32-bit)."""
    return len(c.args) + sum(1 for a in c.args if may_be_wide(a.type)) > MAX_WORDS


def gen_mrsh_more(c: Syscall) -> List[str]:
    n = f"({words_sum(c)})"
    past = f"({n} > {MAX_WORDS}U ? {n} - {MAX_WORDS - 1}U : 0U)"
    return [f"static uint64_t z_mrsh_{c.name}({MRSH_PARAMS})",
            "{",
            f"\tuintptr_t z_a[{SLOTS}{n}] = {{a1, a2, a3, a4, a5, a6}};",
            f"\tconst size_t more_words = {past};",
            "",
            "\tif (more_words != 0U) {",
            f"\t\t/* a6 is `more`: words {MAX_WORDS - 1} and on, on the caller's stack. "
            "Copied once:",
            "\t\t * the caller cannot change them between the check and the use.",
            "\t\t */",
            "\t\tconst void *more = (const void *)a6;",
            "",
            "\t\tK_OOPS(K_SYSCALL_MEMORY_READ(more, more_words * sizeof(uintptr_t)));",
            "\t\tarch_user_access_begin(); /* SMAP: a read of user memory */",
            f"\t\tmemcpy(&z_a[{MAX_WORDS - 1}], more, more_words * sizeof(uintptr_t));",
            "\t\tarch_user_access_end();",
            "\t}",
            *unpack_lines(c),
            *call_lines(c),
            "}",
            ""]


def gen_stub_more(c: Syscall) -> List[str]:
    n = f"({words_sum(c)})"
    trap = (f"arch_syscall_invoke6(z_a[0], z_a[1], z_a[2], z_a[3], z_a[4], "
            f"{n} > {MAX_WORDS}U ? (uintptr_t)&z_a[{MAX_WORDS - 1}] : z_a[{MAX_WORDS - 1}], "
            f"{c.id_macro})")
    return stub_lines(c, [f"\tuintptr_t z_a[{SLOTS}{n}] = {{0}};",
                          *pack_lines(c),
                          "\t/* Past six words, the sixth is the address of the rest (`more`). */",
                          *trap_return_lines(c, trap)])


def gen_dispatch(calls: Sequence[Syscall]) -> str:
    lines = [HEADER, "#include <kernel.h>", PRELUDE,
             "typedef uint64_t (*z_syscall_handler_t)(uintptr_t a1, uintptr_t a2, uintptr_t a3,",
             "\t\t\t\t\t uintptr_t a4, uintptr_t a5, uintptr_t a6);",
             "uint64_t z_syscall_bad(uintptr_t a1, uintptr_t a2, uintptr_t a3, uintptr_t a4,",
             "\t\t       uintptr_t a5, uintptr_t a6);", ""]
    if any(needs_more(c) for c in calls):
        lines += [MORE_INCLUDES + MORE_PRELUDE]
    for c in calls:
        lines += guard_open(c)
        if needs_more(c):
            lines += gen_mrsh_more(c) + guard_close(c)
            continue
        lines.append(f"BUILD_ASSERT({words_sum(c)} <= {MAX_WORDS}, "
                     f"\"{c.name}: its arguments take more than {MAX_WORDS} words\");")
        lines.append(f"static uint64_t z_mrsh_{c.name}({MRSH_PARAMS})")
        lines.append("{")
        if c.args:
            lines.append("\tconst uintptr_t z_a[] = {a1, a2, a3, a4, a5, a6};")
            lines += unpack_lines(c)
        else:
            lines += [f"\t(void)a{n};" for n in range(1, 7)]
        lines += call_lines(c)
        lines += ["}"] + guard_close(c) + [""]
    lines.append("const z_syscall_handler_t z_syscall_table[K_SYSCALL_LIMIT] = {")
    for c in calls:
        lines += guard_open(c)
        lines.append(f"\t[{c.id_macro}] = z_mrsh_{c.name},")
        if c.guard:
            lines += ["#else", f"\t[{c.id_macro}] = z_syscall_bad,"] + guard_close(c)
    lines += ["\t[K_SYSCALL_BAD] = z_syscall_bad,", "};", ""]
    return "\n".join(lines)


def gen_stubs(calls: Sequence[Syscall]) -> str:
    lines = [HEADER, "#include <kernel.h>", PRELUDE]
    if any(needs_more(c) for c in calls):
        lines.append(MORE_PRELUDE)
    for c in calls:
        lines += guard_open(c)
        if needs_more(c):
            lines += gen_stub_more(c) + guard_close(c)
            continue
        trap = (f"arch_syscall_invoke6(z_a[0], z_a[1], z_a[2], z_a[3], z_a[4], z_a[5], "
                f"{c.id_macro})")
        lines += stub_lines(c, ["\tuintptr_t z_a[6] = {0};", *pack_lines(c),
                                *trap_return_lines(c, trap)])
        lines += guard_close(c)
    return "\n".join(lines)


def write_if_changed(path: str, text: str) -> None:
    """Unchanged output keeps its time stamp, so nothing recompiles for nothing."""
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--include-root", required=True,
                   help="folder the headers are included from (<kernel.h> is ROOT/kernel.h)")
    p.add_argument("--list", required=True, help="syscall_list.h to write")
    p.add_argument("--dispatch", help="dispatch table (C) to write")
    p.add_argument("--stubs", help="user-side stubs (C) to write")
    p.add_argument("headers", nargs="+", help="headers holding __syscall prototypes")
    return p.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    root = os.path.abspath(args.include_root)
    headers = []
    for h in args.headers:
        rel = os.path.relpath(os.path.abspath(h), root)
        if rel.startswith(".."):
            print(f"gen_syscalls.py: {h} is not under {root}", file=sys.stderr)
            return 2
        headers.append((h, rel.replace(os.sep, "/")))
    try:
        calls = collect(headers)
    except (SyscallError, OSError) as e:
        print(f"gen_syscalls.py: {e}", file=sys.stderr)
        return 1
    write_if_changed(args.list, gen_list(calls, [inc for _, inc in headers]))
    if args.dispatch:
        write_if_changed(args.dispatch, gen_dispatch(calls))
    if args.stubs:
        write_if_changed(args.stubs, gen_stubs(calls))
    return 0


if __name__ == "__main__":
    sys.exit(main())
