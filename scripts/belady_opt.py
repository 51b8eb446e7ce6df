#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Belady's OPT for the eviction workloads of `scripts/pagoda bench`.

Regenerates each workload's access sequence exactly as the guest does
(tests/benchmarks/mm/src/workloads.c; the generator is
scripts/pagoda_lib/workloads.py) for F frames and prints, per workload: the
arena size N, the accesses measured, the sequence hash the guest prints
(FNV-1a), OPT's faults over the measured window, and the online bound
(uniform: 1 - F/N; Zipf: the F most popular pages kept resident).

    scripts/belady_opt.py --frames 256
    scripts/belady_opt.py --frames 256 --workload zipf_400
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pagoda_lib import workloads  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=256, help="F, frames for the arena")
    parser.add_argument("--workload", action="append", choices=sorted(workloads.BY_NAME),
                        help="only this workload (repeatable)")
    args = parser.parse_args()
    names = args.workload or [w.name for w in workloads.WORKLOADS]
    print(f"{'workload':18} {'N':>6} {'accesses':>9} {'hash':>11} {'OPT':>7} {'bound':>7}")
    for name in names:
        f = workloads.facts(name, args.frames)
        print(f"{name:18} {f['pages']:6} {f['accesses']:9} {f['hash']:11} {f['opt']:7} "
              f"{f.get('bound', '-'):>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
