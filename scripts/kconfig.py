#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Merge Kconfig fragments into .config and autoconf.h (kconfiglib).

Fragments are applied in order: the board defconfig, the app's prj.conf,
then overlays. An assignment to a symbol that no Kconfig file defines is an
error naming the symbol, the file and the line (with a suggestion when a
defined symbol is spelled alike). An assignment that the dependencies
override is a warning naming the symbol and the value it got instead. An
int or hex value outside the symbol's `range` is an error naming the symbol,
the value, the range and where the range is defined (kconfiglib itself would
only warn and fall back on the default).

The reference's `configdefault SYM` entry (defaults for a symbol defined
elsewhere, which keeps its own dependencies) is read too: kconfiglib parses it
as one more `config` entry, then configdefaults() checks that it only adds
`default` lines and takes its dependency back out of the symbol's.

When the fragments and the Kconfig files are unchanged since the last run and
.config exists, the existing .config is kept as the base, so edits made with
menuconfig survive a re-configure.
"""

import argparse
import difflib
import hashlib
import os
import re
import sys

try:
    import kconfiglib
except ImportError:
    sys.exit("error: kconfiglib is missing: apt-get install python3-kconfiglib "
             "(and run this script with /usr/bin/python3)")

ASSIGNMENT = re.compile(r"^\s*(CONFIG_[A-Za-z0-9_]+)\s*=\s*(.*?)\s*$")
UNSET = re.compile(r"^\s*#\s*(CONFIG_[A-Za-z0-9_]+) is not set\s*$")


def parse_fragment(path):
    """Yield (line number, symbol name without prefix, value) per assignment."""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            match = ASSIGNMENT.match(line)
            if match:
                yield number, match.group(1)[len("CONFIG_"):], match.group(2)
                continue
            match = UNSET.match(line)
            if match:
                yield number, match.group(1)[len("CONFIG_"):], "n"
                continue
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                raise SystemExit(f"{path}:{number}: error: not a Kconfig assignment: {stripped!r}")


def read_configdefault():
    """kconfiglib (14.1) has no `configdefault`: parse it as `config`."""
    kconfiglib._get_keyword.__self__.setdefault("configdefault", kconfiglib._T_CONFIG)


def configdefaults(kconf, srctree):
    """Make the `configdefault` entries the reference's: their defaults
    (conditioned by any enclosing `if`, and by the symbol's dependencies)
    are the symbol's, in parse order, but the symbol's dependencies are those
    of its `config` entries only (a second `config` entry would OR its own
    dependency in, weakening them)."""
    lines = {}

    def keyword(node):
        path = os.path.join(srctree, node.filename)
        if path not in lines:
            with open(path, encoding="utf-8") as f:
                lines[path] = f.read().splitlines()
        words = lines[path][node.linenr - 1].split()
        return words[0] if words else ""

    errors = []
    for sym in kconf.unique_defined_syms:
        extra = [node for node in sym.nodes if keyword(node) == "configdefault"]
        if not extra:
            continue
        own = [node for node in sym.nodes if node not in extra]
        for node in extra:
            where = f"{node.filename}:{node.linenr}"
            if not own:
                errors.append(f"{where}: error: configdefault {sym.name}: no config entry "
                              f"defines {sym.name}")
            if node.prompt or node.help or node.selects or node.implies or node.ranges:
                errors.append(f"{where}: error: configdefault {sym.name} may only have "
                              f"'default' lines")
        dep = kconf.n
        for node in own:
            dep = kconf._make_or(dep, node.dep)
        sym.direct_dep = dep
        # Each added default holds only where the symbol's own dependencies do.
        sym.defaults = [(value, kconf._make_and(cond, dep) if node in extra else cond)
                        for node in sym.nodes for value, cond in node.defaults]
    if errors:
        raise SystemExit("\n".join(errors))
    kconf._invalidate_all()


def check_symbols(kconf, fragments):
    """Fail on assignments to undefined symbols; return the assignments."""
    defined = sorted(name for name, sym in kconf.syms.items() if sym.nodes)
    assigned = []
    errors = []
    for path in fragments:
        for number, name, value in parse_fragment(path):
            sym = kconf.syms.get(name)
            if sym is None or not sym.nodes:
                hint = difflib.get_close_matches(name, defined, n=1)
                suggestion = f" (did you mean CONFIG_{hint[0]}?)" if hint else ""
                errors.append(f"{path}:{number}: error: unknown Kconfig symbol "
                              f"CONFIG_{name}{suggestion}")
            else:
                assigned.append((path, number, sym, value))
    if errors:
        raise SystemExit("\n".join(errors))
    return assigned


def normalise(sym, value):
    value = value.strip('"') if sym.orig_type == kconfiglib.STRING else value
    if sym.orig_type in (kconfiglib.INT, kconfiglib.HEX):
        try:
            return int(value, 0)
        except ValueError:
            return value
    return value


def warn_overridden(assigned):
    """Warn for each assignment whose final value differs from the request."""
    final = {}
    for path, number, sym, value in assigned:
        final[sym.name] = (path, number, sym, value)  # last assignment wins
    for path, number, sym, value in final.values():
        wanted = normalise(sym, value)
        got = normalise(sym, sym.str_value)
        if wanted != got:
            deps = kconfiglib.expr_str(sym.direct_dep)
            print(f"{path}:{number}: warning: CONFIG_{sym.name} was set to {value} but "
                  f"is {sym.str_value or 'n'} (depends on: {deps})", file=sys.stderr)


def active_range(sym):
    """(low, high, location) of the range in effect for an int/hex symbol, or None."""
    base = 16 if sym.orig_type == kconfiglib.HEX else 10
    for node in sym.nodes:
        for low, high, cond in node.ranges:
            if kconfiglib.expr_value(cond):
                def bound(value_sym):
                    try:
                        return int(value_sym.str_value, base)
                    except ValueError:
                        return 0  # what kconfiglib (and strtoll) make of it
                where = f"{node.filename}:{node.linenr}"
                names = [b.name for b in (low, high) if b.nodes]  # bounds that are symbols
                if names:
                    where += "; bound by " + ", ".join(f"CONFIG_{n}" for n in names)
                return bound(low), bound(high), where
    return None


def check_ranges(kconf, assigned, config_path):
    """Fail on any int/hex value outside its symbol's active range.

    A fragment's value is reported at the fragment's line (the last
    assignment of the symbol); a value that came from an existing .config
    (menuconfig edits, hand edits) at that file.
    """
    last = {}
    for path, number, sym, value in assigned:
        last[sym.name] = (path, number)
    errors = []
    for sym in kconf.unique_defined_syms:
        if sym.orig_type not in (kconfiglib.INT, kconfiglib.HEX) or not sym.user_value:
            continue
        if not sym.visibility:
            continue  # ignored anyway; warn_overridden names it
        limits = active_range(sym)
        if limits is None:
            continue
        low, high, where = limits
        base = 16 if sym.orig_type == kconfiglib.HEX else 10
        try:
            value = int(sym.user_value, base)
        except ValueError:
            continue
        if low <= value <= high:
            continue
        fmt = hex if base == 16 else str
        path, number = last.get(sym.name, (config_path, 0))
        prefix = f"{path}:{number}" if number else path
        errors.append((path, number, f"{prefix}: error: CONFIG_{sym.name}={sym.user_value} is outside its "
                      f"range [{fmt(low)}, {fmt(high)}] (Kconfig {where}); see its help text "
                      f"for the limit"))
    if errors:
        raise SystemExit("\n".join(text for _, _, text in sorted(errors)))


def fragments_digest(fragments):
    digest = hashlib.sha256()
    for path in fragments:
        digest.update(os.path.abspath(path).encode())
        with open(path, "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kconfig", required=True, help="root Kconfig file")
    parser.add_argument("--srctree", required=True, help="folder Kconfig 'source' paths are relative to")
    parser.add_argument("--config-out", required=True, help=".config to write")
    parser.add_argument("--header-out", required=True, help="autoconf.h to write")
    parser.add_argument("fragments", nargs="+", help="defconfig, prj.conf, overlays, in order")
    args = parser.parse_args()

    for path in args.fragments:
        if not os.path.isfile(path):
            raise SystemExit(f"error: Kconfig fragment {path} does not exist")

    os.environ["srctree"] = args.srctree
    read_configdefault()
    kconf = kconfiglib.Kconfig(args.kconfig, warn_to_stderr=False)
    configdefaults(kconf, args.srctree)
    # A later fragment changing an earlier one's value is the point of
    # layering fragments, not a mistake.
    kconf.warn_assign_override = False
    kconf.warn_assign_redun = False
    assigned = check_symbols(kconf, args.fragments)

    # The Kconfig files count too: a changed default must reach .config.
    kconfig_files = [os.path.join(args.srctree, name) for name in kconf.kconfig_filenames]
    digest = fragments_digest(args.fragments + kconfig_files)
    digest_file = args.config_out + ".inputs"
    keep_existing = (os.path.isfile(args.config_out) and os.path.isfile(digest_file)
                     and open(digest_file, encoding="utf-8").read().strip() == digest)
    if keep_existing:
        kconf.load_config(args.config_out)
        check_ranges(kconf, [], args.config_out)
    else:
        for index, path in enumerate(args.fragments):
            kconf.load_config(path, replace=(index == 0))
        check_ranges(kconf, assigned, args.config_out)
        warn_overridden(assigned)

    for warning in kconf.warnings:
        print(warning, file=sys.stderr)

    os.makedirs(os.path.dirname(os.path.abspath(args.header_out)), exist_ok=True)
    kconf.write_config(args.config_out, header="# Generated by scripts/kconfig.py; edit with menuconfig\n")
    kconf.write_autoconf(args.header_out, header="/* Generated by scripts/kconfig.py */\n")
    with open(digest_file, "w", encoding="utf-8") as f:
        f.write(digest + "\n")


if __name__ == "__main__":
    main()
