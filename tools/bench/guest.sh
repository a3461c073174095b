#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The guest half of tools/bench/run.sh, run by busybox sh inside the lab VM
# (scripts/lab-vm.sh --add'ed as /bin/bench-guest):
#
#   bench-guest ROUNDS OPS PREFILL THREADS WORKLOADS IOCTL_CALLS
#
# Loads /secvec.ko, then /secvec_bench.ko once per round (each load runs
# every workload, thread count and implementation once: see
# tools/bench/kernel/secvec_bench.c) and copies that round's result lines from
# the kernel log to stdout, then runs secvec_ioctl_bench. Result lines
# start with SECVEC_BENCH_KERNEL or SECVEC_BENCH_IOCTL. One load per round
# keeps the kernel log small enough never to wrap before it is read.
set -e
# busybox ash has pipefail: a failing bench must fail the run.
# shellcheck disable=SC3040
set -o pipefail

[ $# -eq 6 ] || { echo "usage: bench-guest ROUNDS OPS PREFILL THREADS WORKLOADS IOCTL_CALLS" >&2; exit 2; }
rounds=$1 ops=$2 prefill=$3 threads=$4 workloads=$5 calls=$6

echo "SECVEC_BENCH_INFO {\"cpus\":$(grep -c ^processor /proc/cpuinfo),\"kernel\":\"$(uname -r)\"}"

# Room for the ioctl bench's largest setup; it leaves the vector empty.
insmod /secvec.ko max_elements=4194304

r=0
while [ "$r" -lt "$rounds" ]; do
	insmod /secvec_bench.ko run=1 round="$r" rounds=1 ops="$ops" \
		prefill="$prefill" threads="$threads" workloads="$workloads"
	rmmod secvec_bench
	dmesg | grep "secvec_bench: {\"impl\".*\"round\":$r," |
		sed 's/^.*secvec_bench: /SECVEC_BENCH_KERNEL /'
	echo "SECVEC_BENCH_PROGRESS round $((r + 1))/$rounds (kernel)"
	r=$((r + 1))
done

secvec_ioctl_bench -r "$rounds" -n "$calls" | sed 's/^/SECVEC_BENCH_IOCTL /'
rmmod secvec
