#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Test run.sh's counting without a device: feed it fake programs that print
# KTAP totals, fail, crash, hang or are missing, and check the summary line
# and the exit status. If busybox is installed, run.sh runs under busybox sh
# with busybox's applets first in $PATH, as in the lab VM.
#
# usage: check_run.sh   (exit 0 if every check passed)

set -u

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/secvec-check-run.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
errors=0

shell=sh
if command -v busybox >/dev/null 2>&1; then
	mkdir "$tmp/bb"
	for applet in sh awk sed grep timeout mktemp cat rm mkdir dirname \
		      sleep kill tail date; do
		ln -s "$(command -v busybox)" "$tmp/bb/$applet"
	done
	PATH=$tmp/bb:$PATH
	shell="busybox sh"
fi

# fake NAME EXIT-STATUS [TOTALS...]: a program printing each TOTALS line.
fake() {
	name=$1
	rc=$2
	shift 2
	{
		echo '#!/bin/sh'
		echo 'echo "TAP version 13"'
		for t in "$@"; do
			echo "echo '# Totals: $t'"
		done
		echo "exit $rc"
	} >"$tmp/$name"
	chmod +x "$tmp/$name"
}

fake pass 0 'pass:3 fail:0 xfail:1 xpass:0 skip:2 error:0'
fake fail 1 'pass:1 fail:2 xfail:0 xpass:1 skip:0 error:1'
fake skip 4 'pass:0 fail:0 xfail:0 xpass:0 skip:1 error:0'
fake lastwins 0 'pass:5 fail:0 xfail:0 xpass:0 skip:0 error:0' \
		'pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0'
fake badexit 1 'pass:2 fail:0 xfail:0 xpass:0 skip:0 error:0'
fake silent 0
printf '#!/bin/sh\necho "ok 1 x"\nkill -SEGV $$\n' >"$tmp/crash"
printf '#!/bin/sh\nsleep 5\necho "# Totals: pass:1"\n' >"$tmp/hang"
chmod +x "$tmp/crash" "$tmp/hang"

# expect WANT-STATUS WANT-SUMMARY RUN.SH-ARGS...
expect() {
	want_rc=$1
	want=$2
	shift 2
	# shellcheck disable=SC2086 # $shell is "busybox sh" on purpose
	$shell "$here/run.sh" "$@" >"$tmp/out" 2>&1
	rc=$?
	got=$(tail -n 1 "$tmp/out")
	if [ "$rc" -ne "$want_rc" ] || [ "$got" != "$want" ]; then
		echo "FAIL: run.sh $*"
		echo "  want: [$want_rc] $want"
		echo "  got:  [$rc] $got"
		sed 's/^/  | /' "$tmp/out"
		errors=$((errors + 1))
	else
		echo "ok: run.sh $* -> $got"
	fi
}

cd "$tmp" || exit 1
expect 0 'selftests: 4 passed, 0 failed, 2 skipped' ./pass
expect 1 'selftests: 2 passed, 3 failed, 0 skipped' ./fail
expect 0 'selftests: 0 passed, 0 failed, 1 skipped' ./skip
expect 0 'selftests: 1 passed, 0 failed, 0 skipped' ./lastwins
expect 1 'selftests: 2 passed, 1 failed, 0 skipped' ./badexit
expect 1 'selftests: 0 passed, 1 failed, 0 skipped' ./silent
expect 1 'selftests: 0 passed, 1 failed, 0 skipped' ./crash
expect 1 'selftests: 0 passed, 1 failed, 0 skipped' -t 1 ./hang
expect 1 'selftests: 0 passed, 1 failed, 0 skipped' ./missing
expect 1 'selftests: 9 passed, 8 failed, 3 skipped' -t 1 \
	./pass ./fail ./skip ./lastwins ./badexit ./silent ./crash ./hang \
	./missing
expect 2 "usage: $here/run.sh [-t SECONDS] [PROGRAM...]" -t soon ./pass
# Names without a slash are looked up next to run.sh, then in $PATH.
saved_path=$PATH
PATH=$tmp:$PATH
expect 0 'selftests: 4 passed, 0 failed, 2 skipped' pass
PATH=$saved_path

if [ "$errors" -ne 0 ]; then
	echo "check_run: $errors check(s) failed"
	exit 1
fi
echo "check_run: all checks passed"
