# SPDX-License-Identifier: Apache-2.0
"""Twister's `filter:` of a testcase.yaml scenario, on a build's .config.

The expression language Pagoda reads: CONFIG_ symbols (true when set to
anything but n or empty), integer and quoted-string literals, the comparison
operators == != < <= > >=, `and`, `or`, `not` and parentheses. A symbol not
in .config is false (0 in a comparison). Anything else (twister's dt_*
functions, `in`, `:`) is an error naming the expression, never a guess.
"""

import re

from .project import PagodaError

TOKEN = re.compile(r'\s*(?:(\()|(\))|(==|!=|<=|>=|<|>)|"((?:[^"\\]|\\.)*)"|(0x[0-9a-fA-F]+|-?\d+)'
                   r'|([A-Za-z_][A-Za-z0-9_]*))')


def read_config(path):
    """{CONFIG_NAME: value string} of a .config."""
    values = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r'^(CONFIG_\w+)=(.*)$', line.strip())
            if m:
                value = m.group(2)
                if value.startswith('"') and value.endswith('"'):
                    value = value[1:-1]
                values[m.group(1)] = value
    return values


def _tokens(expr):
    pos, out = 0, []
    expr = expr.strip()
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if not m or m.end() == pos:
            raise PagodaError(f"filter {expr!r}: cannot read it at {expr[pos:]!r}")
        pos = m.end()
        lp, rp, op, string, number, word = m.groups()
        if lp:
            out.append(("(", None))
        elif rp:
            out.append((")", None))
        elif op:
            out.append(("op", op))
        elif string is not None:
            out.append(("lit", string))
        elif number is not None:
            out.append(("lit", int(number, 0)))
        elif word in ("and", "or", "not"):
            out.append((word, None))
        elif word.startswith("CONFIG_"):
            out.append(("sym", word))
        else:
            raise PagodaError(f"filter {expr!r}: {word!r} is not supported by Pagoda's runner "
                              f"(CONFIG_ symbols, literals, comparisons, and/or/not)")
    return out


def evaluate(expr, config):
    """True when the filter expression holds for config ({CONFIG_X: value})."""
    tokens = _tokens(expr)
    pos = 0

    def peek():
        return tokens[pos][0] if pos < len(tokens) else None

    def take():
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def value(tok):
        kind, v = tok
        if kind == "lit":
            return v
        raw = config.get(v)
        if raw is None or raw in ("n", ""):
            return 0 if raw is None or raw == "n" else ""
        if raw == "y":
            return 1
        try:
            return int(raw, 0)
        except ValueError:
            return raw

    def truth(v):
        return v not in (0, "", None)

    def primary():
        kind = peek()
        if kind == "not":
            take()
            return not primary()
        if kind == "(":
            take()
            v = disjunction()
            if peek() != ")":
                raise PagodaError(f"filter {expr!r}: missing ')'")
            take()
            return v
        if kind in ("sym", "lit"):
            left = value(take())
            if peek() == "op":
                op = take()[1]
                if peek() not in ("sym", "lit"):
                    raise PagodaError(f"filter {expr!r}: nothing after {op}")
                right = value(take())
                if isinstance(left, int) != isinstance(right, int):
                    left, right = str(left), str(right)
                return {"==": left == right, "!=": left != right, "<": left < right,
                        "<=": left <= right, ">": left > right, ">=": left >= right}[op]
            return truth(left)
        raise PagodaError(f"filter {expr!r}: unexpected {kind or 'end'}")

    def conjunction():
        v = primary()
        while peek() == "and":
            take()
            v = primary() and v
        return v

    def disjunction():
        v = conjunction()
        while peek() == "or":
            take()
            v = conjunction() or v
        return v

    result = disjunction()
    if pos != len(tokens):
        raise PagodaError(f"filter {expr!r}: unexpected text after the expression")
    return bool(result)
