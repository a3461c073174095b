#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the lab VM (busybox sh): load secvec, run the kselftest
# programs, the linearizability check and a secvecctl stress, try to
# unload it while it is in use, unload, and count: this is the one tally of
# the tier. The last line is "lab: P passed, F failed, S skipped"; the host
# also fails the run if the kernel log shows any report (scripts/lab-vm.sh).
pass=0
fail=0
skip=0
start=$(date +%s)

check() {
	if [ "$1" -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok - $2"
	else
		fail=$((fail + 1))
		echo "not ok - $2"
	fi
}

# kselftest PROGRAM: run one kselftest program and add its cases. The
# harness prints KTAP: "ok N name", "ok N name # SKIP ...", "not ok N
# name" under a "1..N" plan. XFAIL and XPASS are not failures, as
# kselftest counts them. A case of the plan that never reported (the
# program crashed or was killed) fails, and so does the program if it
# exits non-zero (other than 4, KSFT_SKIP) with no failed case. The
# timeout is a backstop: the harness's own per-test timeouts work only
# while the program itself is alive.
kselftest() {
	name=${1##*/}
	t0=$(date +%s)
	# Into a file, not a pipe: a test process orphaned by a killed
	# program could hold a pipe open, and the run would hang with it.
	timeout -s KILL 900 "$1" >/tmp/kselftest.log 2>&1
	rc=$?
	cat /tmp/kselftest.log
	[ "$rc" -eq 137 ] && echo "lab: $name: killed after 900s"
	# shellcheck disable=SC2046 # four numbers, split on purpose
	set -- $(awk '
		/^1\.\.[0-9]+/ { plan = substr($1, 4) + 0 }
		/^ok [0-9]+ / { if (/ # SKIP/) s++; else p++ }
		/^not ok [0-9]+ / { f++ }
		END {
			miss = plan - p - f - s
			print p + 0, f + (miss > 0 ? miss : 0), s + 0, plan + 0
		}' /tmp/kselftest.log)
	p=$1 f=$2 s=$3
	why="exit status $rc"
	if [ "$4" -eq 0 ]; then
		f=$((f + 1))
		why="$why, no KTAP plan"
	elif [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ] && [ "$f" -eq 0 ]; then
		f=1
		why="$why, but no failed case reported"
	fi
	echo "lab: $name pass=$p fail=$f skip=$s ($why, $(($(date +%s) - t0))s)"
	pass=$((pass + p))
	fail=$((fail + f))
	skip=$((skip + s))
}

# Seconds since the start, for the log: the whole run has to stay short.
stamp() {
	echo "lab: [$(($(date +%s) - start))s] $*"
}

# Is /dev/secvec among the open files of process $1?
has_dev_open() {
	for f in /proc/"$1"/fd/*; do
		[ "$(readlink "$f" 2>/dev/null)" = /dev/secvec ] && return 0
	done
	return 1
}

# Wait up to 10 s for process $1 to have /dev/secvec open.
wait_dev_open() {
	i=0
	while ! has_dev_open "$1"; do
		kill -0 "$1" 2>/dev/null || return 1
		i=$((i + 1))
		[ "$i" -le 100 ] || return 1
		sleep 0.1
	done
}

# rmmod must refuse: non-zero status and busybox's message for EBUSY /
# EWOULDBLOCK (delete_module with O_NONBLOCK on a module in use). Says
# what rmmod said the first time ($1 = 1) and whenever it is unexpected.
rmmod_refused() {
	msg=$(rmmod secvec 2>&1)
	rc=$?
	case $rc:$msg in
	0:*) ;;
	*"Resource temporarily unavailable"* | *"in use"* | *busy*)
		[ "${1:-0}" -eq 1 ] && echo "lab: rmmod secvec -> $rc: $msg"
		return 0 ;;
	esac
	echo "lab: rmmod secvec -> $rc: $msg"
	return 1
}

insmod /secvec.ko max_elements=1048576
check $? "insmod secvec.ko max_elements=1048576"
[ -c /dev/secvec ]
check $? "/dev/secvec exists"
perm=$(stat -c %a /dev/secvec)
[ "$perm" = 600 ]
check $? "/dev/secvec has mode 0600 (got $perm)"

# Every kselftest program lab-vm.sh put in /bin, secvec_memcg_test first,
# while the module is fresh: buckets are charged to whoever allocates them
# and live until rmmod.
stamp "selftests"
kselftest /bin/secvec_memcg_test
for t in /bin/secvec_*_test; do
	[ "$t" = /bin/secvec_memcg_test ] || kselftest "$t"
done

stamp "linearizability"
# 1000 histories of 4 threads x 8 calls, each checked by a WGL search; one
# test per history. secvec_lincheck speaks no KTAP: its last line is
# "lincheck: P passed, F failed".
secvec_lincheck -H 1000 2>&1 | tee /tmp/lincheck.log
line=$(grep -E '^lincheck: [0-9]+ passed, [0-9]+ failed' /tmp/lincheck.log | tail -n 1)
if [ -n "$line" ]; then
	# shellcheck disable=SC2046 # two numbers, split on purpose
	set -- $(echo "$line" | sed 's/[^0-9 ]//g')
	pass=$((pass + $1))
	fail=$((fail + $2))
else
	check 1 "secvec_lincheck printed its totals"
fi

stamp "secvecctl stress"
secvecctl stress -t 4 -n 1000000
check $? "secvecctl stress -t 4 -n 1000000"
secvecctl clear
check $? "secvecctl clear"

# rmmod while the device is in use. An open file pins the module
# (fops->owner), so every rmmod must fail with the module, the device and
# the vector intact, and the stress running meanwhile must still conserve
# every value. Only one stress: each CLEARs and drains the shared vector.
# The holder is a second, idle opener that outlives the stress.
stamp "rmmod under load"
sleep 600 3</dev/secvec &
holder=$!
secvecctl stress -t 4 -n 1000000 >/tmp/stress-load.log 2>&1 &
stress=$!
wait_dev_open "$holder" && wait_dev_open "$stress"
check $? "the holder and the stress have /dev/secvec open"
refcnt=$(cat /sys/module/secvec/refcnt)
[ "$refcnt" -ge 2 ]
check $? "module refcount with two openers is at least 2 (got $refcnt)"
tries=0
refused=0
during=0
while kill -0 "$stress" 2>/dev/null && [ "$tries" -lt 20 ]; do
	tries=$((tries + 1))
	rmmod_refused "$tries" && refused=$((refused + 1))
	kill -0 "$stress" 2>/dev/null && during=$((during + 1))
	sleep 0.2
done
[ "$tries" -gt 0 ] && [ "$refused" -eq "$tries" ]
check $? "rmmod refused while in use ($refused of $tries attempts, $during with the stress still running after)"
[ -c /dev/secvec ]
check $? "/dev/secvec is still there after the refused rmmods"
wait "$stress"
rc=$?
cat /tmp/stress-load.log
[ "$rc" -eq 0 ] && grep -q 'result=pass' /tmp/stress-load.log
check $? "secvecctl stress under rmmod attempts conserves values (exit $rc)"
# The stress has exited; the idle holder alone still pins the module.
rmmod_refused 1
check $? "rmmod refused while an idle opener holds /dev/secvec"
kill "$holder"
wait "$holder" 2>/dev/null

stamp "rmmod"
rmmod secvec
check $? "rmmod secvec"
[ ! -e /dev/secvec ]
check $? "/dev/secvec is gone"
[ ! -e /sys/module/secvec ]
check $? "/sys/module/secvec is gone"

stamp "done"
echo "lab: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
