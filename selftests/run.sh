#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the secvec selftest programs one after another, each under a timeout,
# add up the test cases from the KTAP line each program ends with,
#
#   # Totals: pass:N fail:N xfail:N xpass:N skip:N error:N
#
# and finish with one line:
#
#   selftests: P passed, F failed, S skipped
#
# usage: run.sh [-t SECONDS] [PROGRAM...]
#
#   -t SECONDS  per-program timeout (default $SECVEC_SELFTEST_TIMEOUT or 900);
#               the kselftest "settings" file is only read in-tree, and the
#               harness's own per-test timeouts only work while the program
#               itself is alive, so this is the backstop.
#   PROGRAM     a path, or a name looked up next to this script and then in
#               $PATH; default: every secvec selftest program, the memcg
#               test first (it measures bucket allocations, which only a
#               freshly loaded module still has to make).
#
# Counting: passed = pass + xfail + xpass (what kselftest does not call a
# failure), failed = fail + error, skipped = skip. A program that is missing,
# crashes, times out, prints no Totals line, or exits non-zero (other than
# 4, KSFT_SKIP) without reporting a failure adds one failed case of its own.
#
# Exit status: 0 if no case failed and at least one ran, 1 otherwise, 2 on a
# usage error. Plain POSIX sh: it runs under busybox in the lab VM (sh,
# timeout, awk, mktemp, cat, date).

set -u

PROGS="secvec_memcg_test secvec_abi_test secvec_access_test secvec_leak_test
       secvec_pop_test secvec_fuzz_test secvec_stress_test"
timeout_s=${SECVEC_SELFTEST_TIMEOUT:-900}
here=$(dirname "$0")

usage() {
	echo "usage: $0 [-t SECONDS] [PROGRAM...]" >&2
	exit 2
}

while getopts t:h opt; do
	case $opt in
	t) timeout_s=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
case $timeout_s in
''|*[!0-9]*) usage ;;
esac
# shellcheck disable=SC2086 # a list of names, split on purpose
[ $# -gt 0 ] || set -- $PROGS

# Print the path to run for $1, or nothing if there is none.
find_prog() {
	case $1 in
	*/*)	[ -x "$1" ] && echo "$1" ;;
	*)	if [ -x "$here/$1" ]; then
			echo "$here/$1"
		else
			command -v "$1" 2>/dev/null
		fi ;;
	esac
}

# From a program's output ($1) and exit status ($2), print
# "passed failed skipped why" for that program.
count_cases() {
	awk -v rc="$2" '
	/^# Totals: / {
		found = 1
		for (i = 3; i <= NF; i++) {
			split($i, kv, ":")
			c[kv[1]] = kv[2] + 0
		}
	}
	END {
		if (!found) {
			print 0, 1, 0, "no KTAP totals (exit status " rc ")"
			exit
		}
		p = c["pass"] + c["xfail"] + c["xpass"]
		f = c["fail"] + c["error"]
		why = "exit status " rc
		if (rc != 0 && rc != 4 && f == 0) {
			f = 1
			why = why ", but no failed case reported"
		}
		print p, f, c["skip"] + 0, why
	}' "$1"
}

# An initramfs may have no /tmp yet.
mkdir -p "${TMPDIR:-/tmp}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/secvec-selftests.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
skipped=0
for name in "$@"; do
	prog=$(find_prog "$name")
	if [ -z "$prog" ]; then
		echo "selftests: $name: pass=0 fail=1 skip=0 (not found)"
		failed=$((failed + 1))
		continue
	fi
	echo "selftests: running $prog (timeout ${timeout_s}s)"
	t0=$(date +%s)
	# Into a file, not a pipe: a test process orphaned by a killed
	# program could hold a pipe open, and the runner would hang with it.
	timeout -s KILL "$timeout_s" "$prog" >"$tmp/log" 2>&1
	rc=$?
	secs=$(($(date +%s) - t0))
	cat "$tmp/log"
	[ "$rc" -eq 137 ] && echo "selftests: $name: killed after ${timeout_s}s"
	count_cases "$tmp/log" "$rc" >"$tmp/count"
	read -r p f s why <"$tmp/count"
	echo "selftests: $name: pass=$p fail=$f skip=$s ($why, ${secs}s)"
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
done

echo "selftests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ $((passed + skipped)) -gt 0 ]
