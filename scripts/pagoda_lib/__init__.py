"""Library behind scripts/pagoda: one module per job.

project    repository layout, boards, apps, the error type
deps       Debian packages the tools need, installed on first use
proc       child processes with captured logs, timeouts and process-group kill
build      CMake configure + Ninja build of an app for a board, qemu.json
qemu       booting an image, decoding QEMU's exit status
testplan   finding testcase.yaml / unittest.yaml, expanding scenarios x boards
verdicts   parsing ztest output and judging a run
outcome    the result of one test job (counts, named failures, logs)
scenario   one in-kernel test scenario: build, boot, judge
hosttests  host unit tests (tests/unit/*/unittest.yaml)
pytests    the Python tests (tests/scripts/test_*.py)
runner     parallel execution, progress lines, closing summary
commands   the subcommands (run, build, debug, menuconfig, test)
"""
