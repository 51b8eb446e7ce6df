# SPDX-License-Identifier: Apache-2.0
"""The eviction workloads of `scripts/pagoda bench`, on the host: the same
access sequences tests/benchmarks/mm/src/workloads.c makes in the guest (one
generator, one seed: the two must stay in step line for line), their hash
(the bench fails when the guest's differs), Belady's OPT fault count for the
exact sequence, and the online bounds of the uniform and Zipf rows.

A workload is an arena of N pages with F frames for it. Every sequence
starts with a first-touch pass writing pages 0..N-1 in order (part of the
sequence, outside the measured window); the window is the accesses the
guest counts faults over.
"""

import heapq
from dataclasses import dataclass

SEED = 0x5EED1234
FNV_OFFSET = 0x811C9DC5
FNV_PRIME = 0x01000193
MASK32 = 0xFFFFFFFF

CYCLIC_WARM_PASSES = 2
CYCLIC_MEASURED_PASSES = 3
RANDOM_ACCESSES_PER_FRAME = 48   # uniform, Zipf, hot set: L = 48 F accesses after the first touch
RANDOM_WARM_FRACTION = 4         # the first L / 4 of them are warm-up
ZIPF_WEIGHT_ONE = 1 << 24        # weight of rank 0; rank r weighs ONE // (r + 1)


@dataclass(frozen=True)
class Workload:
    name: str          # as the guest prints it
    kind: str          # cyclic | uniform | zipf | hotset
    ratio: int         # N = F * ratio // 100
    access: str        # read | write | rmw


WORKLOADS = tuple(
    [Workload(f"cyclic_{a}_{r}", "cyclic", r, a)
     for a in ("read", "write", "rmw") for r in (103, 150, 200)]
    + [Workload("uniform_200", "uniform", 200, "read"),
       Workload("zipf_400", "zipf", 400, "read"),
       Workload("hotset_400", "hotset", 400, "read")])
BY_NAME = {w.name: w for w in WORKLOADS}


class Rng:
    """xorshift32; below(n) = floor(x * n / 2^32) (no division, as in the guest)."""

    def __init__(self, seed):
        self.x = seed & MASK32 or 1

    def next(self):
        x = self.x
        x ^= (x << 13) & MASK32
        x ^= x >> 17
        x ^= (x << 5) & MASK32
        self.x = x
        return x

    def below(self, n):
        return (self.next() * n) >> 32


def pages_of(w, frames):
    return frames * w.ratio // 100


@dataclass
class Sequence:
    pages: list        # page index per access
    window: int        # index of the first measured access
    hot: int = 0       # hotset: pages [0, hot) are the hot set


def sequence(w, frames, seed=SEED):
    n = pages_of(w, frames)
    seq = list(range(n))                # the first touch
    rng = Rng(seed ^ (n * 0x9E3779B1 & MASK32))
    if w.kind == "cyclic":
        seq += list(range(n)) * CYCLIC_WARM_PASSES
        window = len(seq)
        seq += list(range(n)) * CYCLIC_MEASURED_PASSES
        return Sequence(seq, window)
    length = RANDOM_ACCESSES_PER_FRAME * frames
    window = n + length // RANDOM_WARM_FRACTION
    if w.kind == "uniform":
        seq += [rng.below(n) for _ in range(length)]
        return Sequence(seq, window)
    if w.kind == "zipf":
        perm = list(range(n))
        for i in range(n - 1, 0, -1):   # Fisher-Yates, from the top
            j = rng.below(i + 1)
            perm[i], perm[j] = perm[j], perm[i]
        cum, total = zipf_cumulative(n)
        for _ in range(length):
            u = rng.below(total)
            seq.append(perm[_first_above(cum, u)])
        return Sequence(seq, window)
    if w.kind == "hotset":
        hot = frames // 2
        cold = n - hot
        cursor = 0
        for _ in range(length):
            if rng.below(10) < 9:
                seq.append(rng.below(hot))
            else:
                seq.append(hot + cursor)
                cursor = (cursor + 1) % cold
        return Sequence(seq, window, hot)
    raise ValueError(w.kind)


def zipf_cumulative(n):
    cum, total = [], 0
    for r in range(n):
        total += ZIPF_WEIGHT_ONE // (r + 1)
        cum.append(total)
    return cum, total


def _first_above(cum, u):
    """Smallest r with cum[r] > u (binary search, as the guest)."""
    lo, hi = 0, len(cum) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cum[mid] > u:
            hi = mid
        else:
            lo = mid + 1
    return lo


def fnv1a(pages):
    """FNV-1a over the page indices, each as 4 little-endian bytes."""
    h = FNV_OFFSET
    for p in pages:
        for shift in (0, 8, 16, 24):
            h = ((h ^ ((p >> shift) & 0xFF)) * FNV_PRIME) & MASK32
    return h


def opt_faults(pages, frames, window=0):
    """Belady's OPT (evict the page used furthest in the future) on the whole
    sequence from empty memory; the faults at indices >= window."""
    n = len(pages)
    next_use = [0] * n
    last = {}
    for i in range(n - 1, -1, -1):
        next_use[i] = last.get(pages[i], n + i)   # never again: beyond every real use
        last[pages[i]] = i
    resident = {}                     # page -> its next use
    heap = []                         # (-next use, page), lazily stale
    faults = 0
    for i, p in enumerate(pages):
        if p not in resident:
            if i >= window:
                faults += 1
            if len(resident) >= frames:
                while True:
                    nu, q = heapq.heappop(heap)
                    if resident.get(q) == -nu:
                        del resident[q]
                        break
        resident[p] = next_use[i]
        heapq.heappush(heap, (-next_use[i], p))
    return faults


def static_optimum_faults(w, frames, seq):
    """Zipf: the F most popular pages (by the distribution, not the sample)
    resident for good; faults = window accesses to any other page."""
    n = pages_of(w, frames)
    rng = Rng(SEED ^ (n * 0x9E3779B1 & MASK32))
    perm = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.below(i + 1)
        perm[i], perm[j] = perm[j], perm[i]
    kept = set(perm[:frames])
    return sum(1 for p in seq.pages[seq.window:] if p not in kept)


def hot_accesses(seq):
    return sum(1 for p in seq.pages[seq.window:] if p < seq.hot)


def facts(name, frames):
    """Everything the host knows of one workload: hash, OPT and bounds."""
    w = BY_NAME[name]
    seq = sequence(w, frames)
    measured = len(seq.pages) - seq.window
    out = {"pages": pages_of(w, frames), "accesses": measured,
           "hash": fnv1a(seq.pages), "opt": opt_faults(seq.pages, frames, seq.window)}
    if w.kind == "uniform":
        out["bound"] = round(measured * (1 - frames / out["pages"]))
    if w.kind == "zipf":
        out["bound"] = static_optimum_faults(w, frames, seq)
    if w.kind == "hotset":
        out["hot_accesses"] = hot_accesses(seq)
    if w.kind == "cyclic":
        out["passes"] = CYCLIC_MEASURED_PASSES
    return out
