#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the userspace test programs and checkers built by the Makefile, one
# "ok"/"not ok" line each, and ends with "userspace: P passed, F failed".
# Usage: run-tests.sh BUILD_DIR FUZZ_SECONDS
# Each program's output goes to BUILD_DIR/logs/NAME.log (the tail is shown
# on failure).
set -u

O=$1
FUZZ_SECONDS=$2
HERE=$(cd "$(dirname "$0")" && pwd)
LOGS=$O/logs
pass=0
fail=0
n=0

mkdir -p "$LOGS" "$O/fuzz-corpus" "$O/fuzz-artifacts"

# A sanitizer that reports but exits 0 must still fail the step.
REPORTS='WARNING: ThreadSanitizer|ERROR: (Address|Leak)Sanitizer'
REPORTS="$REPORTS|runtime error:|ERROR: libFuzzer"

export TSAN_OPTIONS="suppressions=$HERE/tsan.supp exitcode=66 history_size=4"
export ASAN_OPTIONS="detect_leaks=1 abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1 halt_on_error=1"

# Up to date per the Makefile: a program whose sources no longer build is
# not run in its old version.
built() {
	[ -x "$1" ] && MAKEFLAGS= make -s -q --no-print-directory \
		-C "$HERE" BUILD_DIR="$O" "$1" 2>/dev/null
}

# step NAME PROGRAM [ARGS...]
step() {
	local name=$1 log=$LOGS/$1.log start=$SECONDS
	shift
	n=$((n + 1))
	if ! built "$1"; then
		echo "not ok $n - $name (not built, see $LOGS/build.log)"
		fail=$((fail + 1))
	elif "$@" >"$log" 2>&1 && ! grep -Eq "$REPORTS" "$log"; then
		echo "ok $n - $name ($((SECONDS - start)) s)"
		pass=$((pass + 1))
	else
		echo "not ok $n - $name ($((SECONDS - start)) s, log: $log)"
		tail -n 30 "$log" | sed 's/^/# /'
		fail=$((fail + 1))
	fi
}

echo "TAP version 13"
step model "$O/native/kunit-model"
step conservation "$O/native/kunit-threads"
step basic "$O/native/kunit-basic"
step errors "$O/native/kunit-errors"
step batch "$O/native/kunit-batch"
step aba "$O/native/kunit-aba"
step reclaim "$O/native/kunit-reclaim"
step pool "$O/native/kunit-pool"
# Linearizability of the core's own calls (lincheck/): two threads, one
# per CPU, 32 calls each. -B checks as well that a copy of each history
# with one result made impossible is rejected. The wrap runs fail unless
# every vector's stamp crosses 2^35: WRAP starts a new vector 3000 below
# it every 200 histories (it wraps about 75 in); WRAP_EVERY starts each
# history's vector 8 below it, so that every history's calls cross it.
# Both add stalled helpers (-S), whose late slot CASes must change
# nothing: on c781464's core, whose slot tags wrapped with the stamps,
# WRAP_EVERY fails some 10 histories in 20000.
LINCHECK=(-t 2 -o 32 -B)
WRAP=(-W 3000 -E 200 -S)
WRAP_EVERY=(-W 8 -E 1 -S)
step lincheck "$O/native/secvec-lincheck" "${LINCHECK[@]}" -H 20000
step lincheck-wrap "$O/native/secvec-lincheck" "${LINCHECK[@]}" "${WRAP[@]}" \
	-H 20000
step lincheck-wrap-every "$O/native/secvec-lincheck" "${LINCHECK[@]}" \
	"${WRAP_EVERY[@]}" -H 20000
step tsan-conservation "$O/tsan/kunit-threads"
step tsan-aba "$O/tsan/kunit-aba"
step tsan-pool "$O/tsan/kunit-pool"
step tsan-lincheck "$O/tsan/secvec-lincheck" "${LINCHECK[@]}" -H 2000
step tsan-lincheck-wrap "$O/tsan/secvec-lincheck" "${LINCHECK[@]}" "${WRAP[@]}" \
	-H 3000
step asan-ubsan-model "$O/asan/kunit-model"
step asan-ubsan-basic "$O/asan/kunit-basic"
step asan-ubsan-errors "$O/asan/kunit-errors"
step asan-ubsan-batch "$O/asan/kunit-batch"
step asan-ubsan-aba "$O/asan/kunit-aba"
step asan-ubsan-reclaim "$O/asan/kunit-reclaim"
step asan-ubsan-conservation "$O/asan/kunit-threads"
# The bounded fuzz run: seeds from the repository, new inputs kept in
# BUILD_DIR/fuzz-corpus, a crashing input saved in BUILD_DIR/fuzz-artifacts.
step fuzz "$O/fuzz/secvec-fuzz" -max_total_time="$FUZZ_SECONDS" \
	-detect_leaks=0 -print_final_stats=1 \
	-artifact_prefix="$O/fuzz-artifacts/" "$O/fuzz-corpus" "$HERE/fuzz/corpus"
grep -sE '^stat::(number_of_executed_units|average_exec_per_sec)' \
	"$LOGS/fuzz.log" | sed 's/^/# fuzz /'
echo "1..$n"
echo "userspace: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
