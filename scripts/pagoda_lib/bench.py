# SPDX-License-Identifier: Apache-2.0
"""scripts/pagoda bench: build and boot tests/benchmarks/mm in every configuration
its benchmark.yaml lists, under `-icount shift=0,align=off,sleep=off` (the guest
TSC counts instructions), collect the `BENCH` lines, add the figures read from
the ELF (image sections, page-table area, page-frame database), check the
targets (bench_targets.py), and write <outdir>/bench.md, bench.json and
bench.png.

Pure functions (parse_line, parse_output, derive, markdown) have no side
effects and are tested by tests/scripts/test_bench.py.
"""

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import bench_targets, bench_workloads, build, qemu
from .project import DEFAULT_OUTDIR, REPO, PagodaError, display_path

BENCH_APP = REPO / "tests" / "benchmarks" / "mm"
BENCHMARK_YAML = "benchmark.yaml"
ICOUNT = ["-icount", "shift=0,align=off,sleep=off"]
DEFAULT_TIMEOUT = 300.0


@dataclass(frozen=True)
class Variant:
    name: str
    board: str
    configs: tuple
    timeout: float = DEFAULT_TIMEOUT
    # Booted when no other variant runs: its figures depend on host time.
    alone: bool = False


@dataclass(frozen=True)
class Figure:
    op: str
    param: str
    value: int
    unit: str


@dataclass
class Result:
    variant: Variant
    figures: list = field(default_factory=list)    # [Figure]
    config: dict = field(default_factory=dict)     # selected CONFIG_ values
    error: str | None = None
    seconds: float = 0.0


# ---- benchmark.yaml ------------------------------------------------------------------

def load_variants(path, boards_filter=None):
    """The (variant, board) pairs of a benchmark.yaml, in file order, board-major."""
    import yaml     # after deps.ensure()
    try:
        data = yaml.safe_load(Path(path).read_text())
    except (OSError, yaml.YAMLError) as e:
        raise PagodaError(f"cannot read {path}: {e}") from None
    return variants_from_data(data, path, boards_filter)


def variants_from_data(data, path="benchmark.yaml", boards_filter=None):
    if not isinstance(data, dict) or not isinstance(data.get("variants"), dict):
        raise PagodaError(f"{path}: expected a 'variants:' map")
    default_boards = list(data.get("boards") or [])
    timeout = float(data.get("timeout", DEFAULT_TIMEOUT))
    result = []
    for board in _ordered_boards(data, default_boards):
        if boards_filter and board not in boards_filter:
            continue
        for name, spec in data["variants"].items():
            spec = spec or {}
            if not isinstance(spec, dict):
                raise PagodaError(f"{path}: variant {name!r} must be a map")
            if board not in (spec.get("boards") or default_boards):
                continue
            configs = spec.get("configs") or []
            if not isinstance(configs, list):
                raise PagodaError(f"{path}: variant {name!r}: configs must be a list")
            result.append(Variant(str(name), board, tuple(str(c) for c in configs),
                                  float(spec.get("timeout", timeout)),
                                  bool(spec.get("alone", False))))
    return result


def _ordered_boards(data, default_boards):
    seen = list(default_boards)
    for spec in data["variants"].values():
        for b in (spec or {}).get("boards") or []:
            if b not in seen:
                seen.append(b)
    return seen


# ---- the guest's output ----------------------------------------------------------------

def parse_line(line):
    """(board, Figure) for a `BENCH <board> <op> <param> <value> <unit>` line, else None."""
    parts = line.strip().split()
    if len(parts) != 6 or parts[0] != "BENCH":
        return None
    try:
        value = int(parts[4])
    except ValueError:
        return None
    return parts[1], Figure(parts[2], parts[3], value, parts[5])


def parse_output(lines):
    """(figures, problems): the BENCH figures, and the guest's warnings and errors."""
    figures, problems = [], []
    for line in lines:
        parsed = parse_line(line)
        if parsed:
            figures.append(parsed[1])
        elif line.startswith("BENCH ") and line.strip() != "BENCH done":
            problems.append(line.strip())
    return figures, problems


# ---- figures from the ELF ------------------------------------------------------------------

def read_config(build_dir):
    """The CONFIG_ values of a build's .config (strings, quotes removed)."""
    values = {}
    path = Path(build_dir) / ".config"
    for line in path.read_text().splitlines():
        if line.startswith("CONFIG_") and "=" in line:
            key, value = line.split("=", 1)
            values[key] = value.strip('"')
    return values


def elf_facts(elf_path):
    """Section sizes and the page-frame database's size, from the final ELF."""
    from elftools.elf.elffile import ELFFile
    from elftools.elf.sections import SymbolTableSection
    text = data = bss = 0
    pagetables = 0
    frames_bytes = None
    with open(elf_path, "rb") as f:
        elf = ELFFile(f)
        for sec in elf.iter_sections():
            flags = sec["sh_flags"]
            if not flags & 0x2:         # SHF_ALLOC
                continue
            if sec.name == ".pagetables":
                pagetables = sec["sh_size"]
            if sec["sh_type"] == "SHT_NOBITS":
                bss += sec["sh_size"]
            elif flags & 0x4:           # SHF_EXECINSTR
                text += sec["sh_size"]
            elif flags & 0x1:           # SHF_WRITE
                data += sec["sh_size"]
            else:
                text += sec["sh_size"]  # rodata counts with text, as size(1) does
        symtab = elf.get_section_by_name(".symtab")
        if isinstance(symtab, SymbolTableSection):
            for sym in symtab.get_symbol_by_name("k_mem_page_frames") or []:
                frames_bytes = sym["st_size"]
    return {"text": text, "data": data, "bss": bss, "pagetables": pagetables,
            "page_frames_bytes": frames_bytes}


def derive(facts, config):
    """Memory figures from elf_facts() and the build's configuration."""
    page = int(config.get("CONFIG_MMU_PAGE_SIZE", "4096"), 0)
    frames = int(config["CONFIG_SRAM_SIZE"], 0) * 1024 // page
    window_mib = int(config["CONFIG_KERNEL_VM_SIZE"], 0) / (1 << 20)
    out = [Figure("image_text", "-", facts["text"], "bytes"),
           Figure("image_data", "-", facts["data"], "bytes"),
           Figure("image_bss", "-", facts["bss"], "bytes"),
           Figure("pagetables", "-", facts["pagetables"], "bytes"),
           Figure("pagetables_per_window_mib", "-",
                  round(facts["pagetables"] / window_mib), "bytes/MiB")]
    if facts.get("page_frames_bytes") is not None and frames:
        out.append(Figure("frame_metadata", "-", round(facts["page_frames_bytes"] / frames),
                          "bytes/frame"))
    return out


def _is_scaling(variant):
    """The RAM-size series: LRU with the RAM store (only the RAM size varies)."""
    cfg = " ".join(variant.configs)
    return "EVICTION_LRU=y" in cfg and "BACKING_STORE_DISK=y" not in cfg


def init_per_frame(results):
    """Boot instructions to main() per RAM frame: the slope between each board's
    smallest- and largest-RAM variants of the same algorithm and store."""
    by_board = {}
    for r in results:
        figs = {f.op: f.value for f in r.figures if f.param == "-"}
        if not _is_scaling(r.variant):
            continue
        if "boot_to_main" in figs and "ram_frames" in figs:
            by_board.setdefault(r.variant.board, []).append(
                (figs["ram_frames"], figs["boot_to_main"]))
    slopes = {}
    for board, points in by_board.items():
        points.sort()
        (f0, b0), (f1, b1) = points[0], points[-1]
        if f1 > f0:
            slopes[board] = round((b1 - b0) / (f1 - f0), 1)
    return slopes


# ---- output ----------------------------------------------------------------------------

def figure_key(f):
    return f"{f.op} {f.param}" if f.param != "-" else f.op


def markdown(results, slopes=None):
    """One table per board: a row per figure, a column per variant."""
    out = []
    boards = []
    for r in results:
        if r.variant.board not in boards:
            boards.append(r.variant.board)
    for board in boards:
        rows = [r for r in results if r.variant.board == board]
        out.append(f"### {board}\n")
        out.append("| figure | unit | " + " | ".join(r.variant.name for r in rows) + " |")
        out.append("|---|---|" + "---:|" * len(rows))
        keys, units = [], {}
        # The variant with the most figures sets the row order.
        for r in sorted(rows, key=lambda r: -len(r.figures)):
            for f in r.figures:
                if f.op.startswith("wl_"):
                    continue    # the workload tables show them (bench_workloads.py)
                k = figure_key(f)
                if k not in units:
                    keys.append(k)
                    units[k] = f.unit
        for k in keys:
            cells = []
            for r in rows:
                vals = [f.value for f in r.figures if figure_key(f) == k]
                cells.append(str(vals[0]) if vals else "")
            out.append(f"| {k} | {units[k]} | " + " | ".join(cells) + " |")
        errors = [r for r in rows if r.error]
        for r in errors:
            out.append(f"\n{r.variant.name}: **{r.error}**")
        if slopes and board in slopes:
            out.append(f"\nboot instructions to main() per RAM frame (slope between the "
                       f"smallest and largest RAM): {slopes[board]}")
        out.append("")
    return "\n".join(out)


def to_json(results, slopes):
    return {"results": [{"board": r.variant.board, "variant": r.variant.name,
                         "configs": list(r.variant.configs), "error": r.error,
                         "figures": [vars(f) for f in r.figures]} for r in results],
            "init_per_frame": slopes}


def scaling_series(results):
    """{board: {"fault": [(frames, {param: overhead})], "regions": [(n, instr)]}}."""
    series = {}
    for r in results:
        b = series.setdefault(r.variant.board, {"fault": [], "regions": []})
        vals = {figure_key(f): f.value for f in r.figures}
        if "ram_frames" in vals and _is_scaling(r.variant):
            over = {f.param: f.value for f in r.figures if f.op == "fault_overhead"}
            if over:
                b["fault"].append((vals["ram_frames"], over))
        regions = [(int(f.param), f.value) for f in r.figures if f.op == "map_live_regions"]
        if len(regions) > len(b["regions"]):
            b["regions"] = regions
    for b in series.values():
        b["fault"].sort(key=lambda p: p[0])
    return series


def plot(results, path):
    """bench.png: fault overhead vs RAM frames; k_mem_map vs live regions."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    series = scaling_series(results)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    for board, s in sorted(series.items()):
        for param in ("read_clean", "write_dirty", "zero_write"):
            pts = [(fr, o[param]) for fr, o in s["fault"] if param in o]
            if pts:
                ax1.plot([p[0] for p in pts], [p[1] for p in pts], marker="o",
                         label=f"{board} {param}")
        if s["regions"]:
            ax2.plot([p[0] for p in s["regions"]], [p[1] for p in s["regions"]], marker="o",
                     label=board)
    ax1.set(xscale="log", xlabel="RAM page frames (LRU, RAM store)",
            ylabel="instructions per fault", title="fault overhead (fault minus page copies)")
    ax2.set(xscale="log", xlabel="live regions", ylabel="instructions",
            title="k_mem_map() of one page")
    for ax in (ax1, ax2):
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


# ---- running ----------------------------------------------------------------------------

def say(text):
    print(f"pagoda bench: {text}", file=sys.stderr, flush=True)


def run_variant(v, outdir, jobs=None):
    build_dir = Path(outdir) / v.board / v.name
    build_dir.mkdir(parents=True, exist_ok=True)
    overlay = build_dir / "variant.conf"
    overlay.write_text(f"# benchmark variant {v.name}\n" + "".join(c + "\n" for c in v.configs))
    result = Result(v)
    start = time.monotonic()
    try:
        config = build.build_app(build_dir, v.board, BENCH_APP, [overlay],
                                 log=build_dir / "build.log", jobs=jobs)
    except build.BuildError as e:
        result.error = f"build failed: {e}"
        return result
    with open(build_dir / "run.log", "w") as log:
        run = qemu.run_captured(list(config.argv) + ICOUNT, v.timeout, log)
    result.seconds = time.monotonic() - start
    figures, problems = parse_output(run.lines)
    if run.timed_out:
        result.error = f"timed out after {v.timeout:g} s (log: {display_path(build_dir)}/run.log)"
    elif run.exit.guest_status != 0:
        result.error = f"{run.exit.reason} (log: {display_path(build_dir)}/run.log)"
    elif problems:
        result.error = "; ".join(problems)
    cfg = read_config(build_dir)
    result.config = {k: cfg[k] for k in ("CONFIG_SRAM_SIZE", "CONFIG_KERNEL_VM_SIZE")
                     if k in cfg}
    result.figures = figures + derive(elf_facts(config.elf), cfg)
    return result


def run(boards=None, outdir=None, workers=1):
    from concurrent.futures import ThreadPoolExecutor
    outdir = Path(outdir).resolve() if outdir else DEFAULT_OUTDIR / "bench"
    outdir.mkdir(parents=True, exist_ok=True)
    variants = load_variants(BENCH_APP / BENCHMARK_YAML, boards)
    if not variants:
        raise PagodaError(f"no benchmark variant for board(s) {', '.join(boards or [])}")
    say(f"{len(variants)} configuration(s), {workers} worker(s), builds under "
        f"{display_path(outdir)}")
    start = time.monotonic()

    def one(v):
        r = run_variant(v, outdir, jobs=1 if workers > 1 else None)
        say(f"{v.board} {v.name}: {r.error or f'{len(r.figures)} figures'} "
            f"({r.seconds:.1f} s)")
        return r

    together = [v for v in variants if not v.alone]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        shared = dict(zip(together, pool.map(one, together)))
    results = [one(v) if v.alone else shared[v] for v in variants]
    slopes = init_per_frame(results)
    wrows, problems = bench_workloads.rows(results)
    for p in problems:
        say(f"workload sequence mismatch: {p}")
    workload_targets = bench_workloads.check(wrows, bench_targets.Row)
    targets = bench_targets.check(results, scaling_series(results)) + workload_targets
    workload_md = bench_workloads.markdown(wrows)
    table = (markdown(results, slopes) + "\n" + workload_md + "\n"
             + bench_targets.markdown(targets))
    print(table, flush=True)
    (outdir / "bench.md").write_text(table)
    data = to_json(results, slopes)
    data["workloads"] = [vars(w) for w in wrows]
    (outdir / "bench.json").write_text(json.dumps(data, indent=1) + "\n")
    try:
        plot(results, outdir / "bench.png")
        bench_workloads.plot(wrows, outdir / "workloads.png")
    except ImportError:
        say("matplotlib is missing: no plot (apt-get install python3-matplotlib)")
    failed = any(r.error for r in results) or bool(problems)
    doc_section = (workload_md + "\n" + bench_targets.markdown(workload_targets).replace(
        "### Targets", "#### Goals of the default algorithm", 1))
    if not failed and bench_workloads.update_doc(wrows, doc_section, outdir / "workloads.png"):
        say("docs/PERFORMANCE.md: eviction workload tables and docs/workloads.png regenerated")
    say(f"wrote {display_path(outdir / 'bench.md')}, bench.json, bench.png and workloads.png "
        f"in {time.monotonic() - start:.0f} s")
    return 1 if failed else 0
