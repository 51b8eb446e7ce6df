# SPDX-License-Identifier: Apache-2.0
"""The eviction workloads of `scripts/pagoda bench` (tests/benchmarks/mm/src/workloads.c):
the guest's faults beside Belady's OPT and the online bounds the host computes
for the exact same sequence (workloads.py), the hash check, the goals of the
default algorithm, a table per workload and the faults-against-N/F plot.

Pure functions (rows, check, markdown) are tested by tests/scripts/test_bench.py.
"""

import shutil
from dataclasses import dataclass

from . import workloads
from .project import REPO

DEFAULT_POLICY = "clock_2q"
POLICIES = ("clock_2q", "lru", "clock", "nru")      # table order; clock_2q is the default
BOARDS = ("qemu_x86_64", "qemu_x86")                # the boards the goals are checked on
CYCLIC_LIMIT = 2.0          # steady-pass faults <= 2 x OPT
UNIFORM_TOLERANCE = 0.05    # within 5 % of 1 - F/N
ZIPF_LIMIT = 1.25           # <= 1.25 x the static optimum
HOT_LIMIT = 0.01            # faults on hot pages <= 1 % of hot accesses
OVERHEAD_LIMIT = 1000       # instructions per fault beyond its page copies


@dataclass(frozen=True)
class WorkloadRow:
    board: str
    policy: str
    variant: str
    workload: str
    frames: int
    pages: int
    accesses: int
    faults: int
    opt: int
    bound: int | None
    instr_per_fault: int
    overhead: int
    hot_faults: int | None
    hot_accesses: int | None


def policy_of(variant):
    """The eviction algorithm a variant selects (the Kconfig default when none)."""
    for c in variant.configs:
        if c.startswith("CONFIG_EVICTION_") and c.endswith("=y"):
            return c[len("CONFIG_EVICTION_"):-2].lower()
    return DEFAULT_POLICY


_facts_cache = {}


def _facts(name, frames):
    key = (name, frames)
    if key not in _facts_cache:
        _facts_cache[key] = workloads.facts(name, frames)
    return _facts_cache[key]


def rows(results):
    """([WorkloadRow], [problem]) from the bench results; a problem is a hash
    the host does not reproduce (the guest and the host disagree on the
    sequence), which fails the bench."""
    out, problems = [], []
    for r in results:
        figs = {}
        frames = None
        for f in r.figures:
            if f.op == "wl_frames":
                frames = f.value
            elif f.op.startswith("wl_"):
                figs.setdefault(f.param, {})[f.op[3:]] = f.value
        if frames is None:
            continue
        for name, g in figs.items():
            if name not in workloads.BY_NAME or "faults" not in g:
                problems.append(f"{r.variant.board} {r.variant.name}: unknown workload {name}")
                continue
            host = _facts(name, frames)
            if g.get("hash") != host["hash"] or g.get("pages") != host["pages"] \
                    or g.get("accesses") != host["accesses"]:
                problems.append(f"{r.variant.board} {r.variant.name} {name}: the guest's sequence "
                                f"(hash {g.get('hash')}, {g.get('pages')} pages, "
                                f"{g.get('accesses')} accesses) is not the host's (hash "
                                f"{host['hash']}, {host['pages']} pages, "
                                f"{host['accesses']} accesses)")
                continue
            out.append(WorkloadRow(r.variant.board, policy_of(r.variant), r.variant.name, name,
                                   frames, host["pages"], host["accesses"], g["faults"],
                                   host["opt"], host.get("bound"), g.get("instr_per_fault", 0),
                                   g.get("overhead", 0), g.get("hot_faults"),
                                   host.get("hot_accesses")))
    return out, problems


def per_1000(n, accesses):
    return 1000.0 * n / accesses if accesses else 0.0


def check(wrows, row_type):
    """Target rows (bench_targets.Row) for the default algorithm on BOARDS."""
    out = []
    for board in BOARDS:
        mine = [w for w in wrows if w.board == board and w.policy == DEFAULT_POLICY]
        for w in mine:
            kind = workloads.BY_NAME[w.workload].kind
            if kind == "cyclic":
                passes = workloads.CYCLIC_MEASURED_PASSES
                out.append(row_type(
                    f"{w.workload}: steady-pass faults <= {CYCLIC_LIMIT:g} x OPT", board,
                    f"{w.faults / passes:.1f} vs OPT {w.opt / passes:.1f} a pass "
                    f"({w.faults / max(w.opt, 1):.2f}x)",
                    f"<= {CYCLIC_LIMIT:g}x", w.faults <= CYCLIC_LIMIT * w.opt))
            elif kind == "uniform":
                rate, bound = w.faults / w.accesses, w.bound / w.accesses
                out.append(row_type(
                    f"{w.workload}: fault rate within {UNIFORM_TOLERANCE:.0%} of 1 - F/N", board,
                    f"{rate:.4f} vs {bound:.4f}", f"<= {UNIFORM_TOLERANCE:.0%} off",
                    abs(rate - bound) <= UNIFORM_TOLERANCE * bound))
            elif kind == "zipf":
                out.append(row_type(
                    f"{w.workload}: faults <= {ZIPF_LIMIT:g} x static optimum", board,
                    f"{w.faults} vs {w.bound} ({w.faults / max(w.bound, 1):.2f}x; "
                    f"OPT {w.opt})", f"<= {ZIPF_LIMIT:g}x", w.faults <= ZIPF_LIMIT * w.bound))
            elif kind == "hotset":
                out.append(row_type(
                    f"{w.workload}: faults on hot pages <= {HOT_LIMIT:.0%} of hot accesses",
                    board, f"{w.hot_faults} in {w.hot_accesses} "
                    f"({100.0 * w.hot_faults / max(w.hot_accesses, 1):.2f} %)",
                    f"<= {HOT_LIMIT:.0%}", w.hot_faults <= HOT_LIMIT * w.hot_accesses))
        if mine:
            worst = max(mine, key=lambda w: w.overhead)
            out.append(row_type(
                "workloads: instructions per fault beyond its page copies (worst workload)",
                board, f"{worst.overhead} ({worst.workload})", f"<= {OVERHEAD_LIMIT}",
                worst.overhead <= OVERHEAD_LIMIT))
    return out


def _policy_order(p):
    return POLICIES.index(p) if p in POLICIES else len(POLICIES)


def markdown(wrows):
    """One table per workload: a row per board and algorithm."""
    if not wrows:
        return ""
    out = ["### Eviction workloads\n",
           f"F = {wrows[0].frames} frames for an arena of N pages; faults over the measured "
           "window (cyclic: the last "
           f"{workloads.CYCLIC_MEASURED_PASSES} of {1 + workloads.CYCLIC_WARM_PASSES + workloads.CYCLIC_MEASURED_PASSES} passes; "
           "random: the last 3/4 of "
           f"{workloads.RANDOM_ACCESSES_PER_FRAME} F accesses), per 1,000 accesses. OPT: "
           "Belady's, computed by the host for the same sequence. Bound: 1 - F/N (uniform), "
           "the F most popular pages kept (Zipf). Overhead: instructions per fault beyond "
           f"its page copies. {DEFAULT_POLICY} is the default.\n"]
    for w in workloads.WORKLOADS:
        mine = [r for r in wrows if r.workload == w.name]
        if not mine:
            continue
        mine.sort(key=lambda r: (r.board, _policy_order(r.policy)))
        r0 = mine[0]
        hot = workloads.BY_NAME[w.name].kind == "hotset"
        bound = r0.bound is not None
        out.append(f"#### {w.name} (N = {r0.pages}, N/F = {r0.pages / r0.frames:.2f}, "
                   f"{r0.accesses} accesses measured)\n")
        head = "| board | algorithm | faults/1000 | OPT/1000 |"
        head += " bound/1000 |" if bound else ""
        head += " hot faults/1000 hot |" if hot else ""
        head += " faults / OPT | instr/fault | overhead |"
        out.append(head)
        out.append("|---|---|" + "---:|" * (head.count("|") - 3))
        for r in mine:
            cells = [r.board, r.policy, f"{per_1000(r.faults, r.accesses):.1f}",
                     f"{per_1000(r.opt, r.accesses):.1f}"]
            if bound:
                cells.append(f"{per_1000(r.bound, r.accesses):.1f}")
            if hot:
                cells.append(f"{per_1000(r.hot_faults or 0, r.hot_accesses or 1):.2f}")
            cells += [f"{r.faults / max(r.opt, 1):.2f}", str(r.instr_per_fault), str(r.overhead)]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def plot(wrows, path):
    """Faults per 1,000 accesses against N/F, one line per algorithm and OPT, one
    panel per board: the cyclic read sweeps, plus the uniform and Zipf rows as
    points at their N/F."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    boards = sorted({r.board for r in wrows})
    if not boards:
        return
    fig, axes = plt.subplots(1, len(boards), figsize=(5.5 * len(boards), 4.2), squeeze=False)
    for ax, board in zip(axes[0], boards):
        mine = [r for r in wrows if r.board == board]
        colors = {"clock_2q": "tab:blue", "lru": "tab:orange", "clock": "tab:green",
                  "nru": "tab:red"}
        for kind, marker in (("cyclic_read", "o"), ("uniform", "s"), ("zipf", "^")):
            sel = [r for r in mine if r.workload.startswith(kind)]
            policies = sorted({r.policy for r in sel}, key=_policy_order)
            for p in policies:
                pts = sorted((r.pages / r.frames, per_1000(r.faults, r.accesses))
                             for r in sel if r.policy == p)
                ax.plot([x for x, _ in pts], [y for _, y in pts], marker=marker,
                        color=colors.get(p), label=f"{p} ({kind})",
                        linestyle="--" if p == "clock" else "-")
            opt = sorted({(r.pages / r.frames, per_1000(r.opt, r.accesses)) for r in sel})
            if opt:
                ax.plot([x for x, _ in opt], [y for _, y in opt], ":", marker=marker,
                        color="black", label=f"OPT ({kind})")
        ax.set(xlabel="N / F (arena pages / frames)", ylabel="faults per 1,000 accesses",
               title=f"{board}: eviction workloads")
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


DOC = REPO / "docs" / "PERFORMANCE.md"
DOC_PLOT = REPO / "docs" / "workloads.png"
BEGIN = "<!-- eviction workloads: begin (scripts/pagoda bench writes this part) -->"
END = "<!-- eviction workloads: end -->"


def replace_section(text, section):
    """text with what lies between BEGIN and END replaced by section; None without the markers."""
    a, b = text.find(BEGIN), text.find(END)
    if a < 0 or b < a:
        return None
    return text[:a + len(BEGIN)] + "\n\n" + section.strip() + "\n\n" + text[b:]


def update_doc(wrows, section, png):
    """Write the workload tables into docs/PERFORMANCE.md and the plot to
    docs/workloads.png, when the run covered every policy on every goal board."""
    have = {(w.board, w.policy) for w in wrows}
    if not all((b, p) in have for b in BOARDS for p in POLICIES):
        return False
    new = replace_section(DOC.read_text(), section)
    if new is None:
        return False
    DOC.write_text(new)
    if png.is_file():
        shutil.copyfile(png, DOC_PLOT)
    return True
