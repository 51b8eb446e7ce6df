#!/bin/sh
# Build and run every host unit test (tests/unit/<name>/unittest.yaml) exactly
# as README.md in this folder describes. Usage: run_host_tests.sh [name...]
# Exit status 0 when every test program built and exited 0.
set -u
UNIT_DIR=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$UNIT_DIR/../.." && pwd)
OUT=${OUT:-"$REPO/build/unit"}
COMMON="$REPO/tests/unit/common"
CFLAGS="-std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=address,undefined \
-fno-sanitize-recover=all -fno-omit-frame-pointer -DZTEST_HOST=1"
ALWAYS="subsys/ztest/ztest.c kernel/lib/printk.c kernel/lib/cbprintf.c \
tests/unit/common/host_port.c"

# The `sources:` list of a unittest.yaml, one "- path" item per line.
sources_of() {
	sed -n '/^sources:/,/^[^ -]/s/^[[:space:]]*-[[:space:]]*//p' "$1"
}

if [ $# -gt 0 ]; then names="$*"; else
	names=$(cd "$UNIT_DIR" && for d in */unittest.yaml; do dirname "$d"; done)
fi

mkdir -p "$OUT"
failed=""
for name in $names; do
	dir="$UNIT_DIR/$name"
	srcs=""
	for s in $(sources_of "$dir/unittest.yaml") $ALWAYS; do srcs="$srcs $REPO/$s"; done
	echo "=== $name: build"
	# shellcheck disable=SC2086
	if ! (cd "$REPO" && gcc $CFLAGS -I "$COMMON" -I "$REPO/include" \
		-imacros "$COMMON/autoconf.h" "$dir"/src/*.c $srcs -o "$OUT/$name"); then
		failed="$failed $name(build)"
		continue
	fi
	echo "=== $name: run"
	if ! (cd "$OUT" && timeout 60 "$OUT/$name"); then
		failed="$failed $name"
	fi
done

if [ -n "$failed" ]; then
	echo "host unit tests FAILED:$failed"
	exit 1
fi
echo "host unit tests passed"
