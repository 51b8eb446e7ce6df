# SPDX-License-Identifier: Apache-2.0
"""Library behind scripts/pagoda: one module per job.

project        repository layout, boards, apps, the error type
deps           Debian packages the tools need, installed on first use
proc           child processes with captured logs, timeouts and process-group kill
build          CMake configure + Ninja build of an app for a board, qemu.json
qemu           booting an image, decoding QEMU's exit status
kvm_probe/     can this machine's KVM run a board's suites? (test --kvm; probe.S)
testplan       finding testcase.yaml / unittest.yaml, expanding scenarios x boards
verdicts       parsing ztest output and judging a run
outcome        the result of one test job (counts, named failures, logs)
scenario       one in-kernel test scenario: build, boot, judge (under TCG and KVM)
hosttests      host unit tests (tests/unit/*/unittest.yaml)
pytests        the Python tests (tests/scripts/test_*.py)
fuzz           fuzz targets (tests/fuzz/*/fuzz.yaml): build, run, judge, summary
style          the C formatting check, the Python lint, the SPDX license lines
bench          the memory-manager benchmark: build, boot, collect, write bench.md
bench_targets  the performance targets checked against the benchmark's figures
runner         parallel execution, progress lines, closing summary
commands       the subcommands (run, build, debug, menuconfig, test, format, fuzz, bench)
"""
