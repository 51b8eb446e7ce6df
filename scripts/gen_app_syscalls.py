#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""System-call headers for an application's __syscall declarations.

    gen_app_syscalls.py --out GENERATED_INCLUDE header.h...

For each header X.h with declarations `__syscall <type> <name>(<params>);`
writes GENERATED_INCLUDE/zephyr/syscalls/X.h and GENERATED_INCLUDE/syscalls/X.h
(the reference's two include paths), which X.h includes after its
declarations, and for each call <name>_mrsh.c (what the reference's source
includes after z_vrfy_<name>()). Each call is defined as a weak function
(weak, not inline: __syscall marks a plain prototype, and the header may be
included by several files) calling z_impl_<name>() with the same
arguments, as the reference generates them for a build without user mode;
with CONFIG_USERSPACE, called from user mode, it packs the arguments into
words and traps through k_app_syscall() (<sys/app_syscall.h>) with the
call's descriptor (more than five words: all of them in an array on the
caller's stack, which the kernel copies), which <name>_mrsh.c defines
together with the marshaller that rebuilds the arguments and calls
z_vrfy_<name>(). The descriptor is declared weak: a call whose _mrsh.c no
source includes (no z_vrfy_ function) traps with a NULL descriptor, which
the kernel refuses (K_ERR_KERNEL_OOPS), as the reference's unimplemented
calls are. Headers without __syscall get nothing. A
declaration this script cannot read is an error naming the file and the
line.
"""

import argparse
import os
import re
import sys

from gen_syscalls import POINTER_TYPEDEFS, is_pointer as returns_pointer, write_if_changed

COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
DECL = re.compile(r"\b__syscall(?:_always_inline)?\s+([^;{}()]*?)\b([A-Za-z_]\w*)\s*\(([^;{}]*?)\)\s*;")
PARAM_NAME = re.compile(r"([A-Za-z_]\w*)\s*(\[[^\]]*\]\s*)*$")


DIRECTIVE = re.compile(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", re.M)


def strip_comments(text):
    """Comments and preprocessor lines (a `#define __syscall` is no
    declaration) blanked, newlines kept so that line numbers stay right."""
    def blank(m):
        return "\n" * m.group(0).count("\n")
    return DIRECTIVE.sub(blank, COMMENT.sub(blank, text))


def param_names(params, where):
    params = " ".join(params.split())
    if params in ("", "void"):
        return []
    names = []
    for param in params.split(","):
        match = PARAM_NAME.search(param.strip())
        if match is None or "(" in param:
            raise SystemExit(f"{where}: error: cannot read the parameter {param.strip()!r} of a "
                             f"__syscall declaration (name every parameter; no function pointers)")
        names.append(match.group(1))
    return names


def declarations(path):
    with open(path, encoding="utf-8") as f:
        text = strip_comments(f.read())
    for match in DECL.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        ret = " ".join(match.group(1).split())
        name = match.group(2)
        params = " ".join(match.group(3).split()) or "void"
        yield ret, name, params, param_names(match.group(3), f"{path}:{line}")


def is_pointer(ret):
    return returns_pointer(ret, POINTER_TYPEDEFS)


def result_of(ret, value):
    """value (a uint64_t) as ret."""
    return f"({ret})(uintptr_t){value}" if is_pointer(ret) else f"({ret}){value}"


def words_of(exprs):
    """The argument words of a call, as a C constant expression."""
    return " + ".join(f"Z_APP_SYSCALL_ARG_WORDS({e})" for e in exprs) or "0"


def user_trap(ret, name, names):
    """The user-mode branch of a wrapper: the arguments packed into words
    (__typeof__ of each parameter, so arrays decay as they do) and
    k_app_syscall() with the call's descriptor: the words in registers, or
    beyond Z_APP_SYSCALL_WORDS the array's address."""
    words = words_of(f"__typeof__({n})" for n in names)
    out = ["#ifdef CONFIG_USERSPACE", "\tif (arch_is_user_context()) {",
           f"\t\tenum {{ z_n = {words} }};",
           "\t\tuintptr_t z_w[MAX(z_n, Z_APP_SYSCALL_WORDS)] = {0};", "\t\tsize_t z_i = 0;", "",
           f"\t\tBUILD_ASSERT(z_n <= Z_APP_SYSCALL_MAX_WORDS, \"{name}: more than "
           f"Z_APP_SYSCALL_MAX_WORDS argument words\");"]
    for n in names:
        out += ["\t\t{",
                f"\t\t\tunion {{ uintptr_t w[Z_APP_SYSCALL_ARG_WORDS(__typeof__({n}))]; "
                f"__typeof__({n}) v; }} z_u = {{.w = {{0}}}};",
                f"\t\t\tz_u.v = {n};",
                "\t\t\tfor (size_t z_j = 0; z_j < ARRAY_SIZE(z_u.w); z_j++) {",
                "\t\t\t\tz_w[z_i++] = z_u.w[z_j];", "\t\t\t}", "\t\t}"]
    out.append("\t\t(void)z_i;")
    trap = f"Z_APP_SYSCALL_TRAP(&z_app_syscall_{name}, z_n, z_w)"
    if ret == "void":
        out += [f"\t\t(void){trap};", "\t\treturn;"]
    else:
        out.append(f"\t\treturn {result_of(ret, trap)};")
    out += ["\t}", "#endif"]
    return out


def header_text(base, decls):
    guard = "PAGODA_GENERATED_SYSCALLS_" + re.sub(r"\W", "_", base).upper()
    out = [f"/* Generated by scripts/gen_app_syscalls.py from {base}: do not edit. */",
           f"#ifndef {guard}", f"#define {guard}", "", "#ifdef CONFIG_USERSPACE",
           "#include <sys/app_syscall.h>", "#endif", ""]
    for ret, name, params, names in decls:
        call = f"z_impl_{name}({', '.join(names)})"
        body = f"{call};" if ret == "void" else f"return {call};"
        out += [f"extern {ret} z_impl_{name}({params});", "#ifdef CONFIG_USERSPACE",
                f"extern const struct z_app_syscall z_app_syscall_{name} __attribute__((__weak__));",
                "#endif",
                f"__attribute__((__weak__)) {ret} {name}({params})", "{"]
        out += user_trap(ret, name, names)
        out += [f"\t{body}", "}", ""]
    out.append(f"#endif /* {guard} */")
    return "\n".join(out) + "\n"


def param_types(params, names, where):
    """The type of each parameter: its declaration less its name."""
    if params == "void":
        return []
    types = []
    for param, n in zip(params.split(","), names):
        param = " ".join(param.split())
        if "[" in param:
            raise SystemExit(f"{where}: error: {param!r}: an array parameter cannot be "
                             f"marshalled; declare it as a pointer")
        types.append(param[:param.rindex(n)].strip())
    return types


def mrsh_text(base, ret, name, params, names):
    """<syscalls/<name>_mrsh.c>: the marshaller of the call and its
    descriptor, for the file that defines z_vrfy_<name>() (the reference's
    pattern: included right after it, under CONFIG_USERSPACE)."""
    types = param_types(params, names, f"{base}: {name}")
    out = [f"/* Generated by scripts/gen_app_syscalls.py from {base}: do not edit. */",
           "#include <sys/app_syscall.h>", "",
           f"static uint64_t z_mrsh_{name}(const uintptr_t *z_w)", "{"]
    if types:
        out.append("\tsize_t z_i = 0;")
    args = []
    for k, t in enumerate(types):
        if t == "bool":
            out.append(f"\tbool p{k} = z_w[z_i++] != 0U; /* any word is a valid bool */")
            args.append(f"p{k}")
            continue
        out += [f"\tunion {{ uintptr_t w[Z_APP_SYSCALL_ARG_WORDS({t})]; {t} v; }} "
                f"p{k} = {{.w = {{0}}}};",
                f"\tfor (size_t z_j = 0; z_j < ARRAY_SIZE(p{k}.w); z_j++) {{",
                f"\t\tp{k}.w[z_j] = z_w[z_i++];", "\t}"]
        args.append(f"p{k}.v")
    if types:
        out.append("\t(void)z_i;")
    else:
        out.append("\t(void)z_w;")
    call = f"z_vrfy_{name}({', '.join(args)})"
    if ret == "void":
        out += [f"\t{call};", "\treturn 0;"]
    elif is_pointer(ret):
        out.append(f"\treturn (uint64_t)(uintptr_t){call};")
    else:
        out.append(f"\treturn (uint64_t){call};")
    out += ["}", "",
            f"const struct z_app_syscall z_app_syscall_{name}",
            f"\t__attribute__((section(\"._app_syscall.{name}\"), used)) = {{",
            f"\t\t.mrsh = z_mrsh_{name},",
            f"\t\t.words = {words_of(types)},",
            "};",
            ""]
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="generated include folder")
    parser.add_argument("headers", nargs="*", help="headers to read")
    args = parser.parse_args()
    seen = {}
    for path in args.headers:
        decls = list(declarations(path))
        if not decls:
            continue
        base = os.path.basename(path)
        if base in seen and seen[base] != path:
            sys.exit(f"error: {path} and {seen[base]} both declare system calls and would "
                     f"generate the same syscalls/{base}")
        seen[base] = path
        text = header_text(base, decls)
        for sub in ("zephyr/syscalls", "syscalls"):
            write_if_changed(os.path.join(args.out, sub, base), text)
            for ret, name, params, names in decls:
                write_if_changed(os.path.join(args.out, sub, f"{name}_mrsh.c"),
                                 mrsh_text(base, ret, name, params, names))


if __name__ == "__main__":
    main()
