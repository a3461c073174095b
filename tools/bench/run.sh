#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmarks' one entry point; docs/benchmarks.md says what they
# measure and how to read the figures.
#
#   run.sh          run them (make bench); everything goes to RESULTS_DIR
#   run.sh --doc    put the tables of the run in RESULTS_DIR (default: the
#                   latest) into docs/benchmarks.md (make bench-doc)
#
# The parts, in this order:
#
#   uml     the secvec_bench KUnit suite (kernel/) under UML, built by
#           kunit.py from kernel/bench.kunitconfig in
#           $SECVEC_CACHE/kunit-bench: single-thread ns per operation;
#   vm      secvec_bench.ko and ioctl/secvec_ioctl_bench in the lab VM
#           (qemu TCG, several vCPUs; guest.sh runs them there): threads
#           and the ioctl path, emulated, so only ratios count;
#   native  native/ on the host's cores, built with the core by
#           tools/testing/secvec;
#
# then report.py: table.md, results.json and plot.png next to the raw
# lines. Every kernel figure is the median of BENCH_ROUNDS rounds (native/
# takes 5), implementations interleaved round by round. Settings
# (environment or make variables):
#
#   RESULTS_DIR        results directory (default: $SECVEC_CACHE/bench/
#                      results/DATE, with $SECVEC_CACHE/bench/latest)
#   BENCH_PARTS        parts to run (default "uml vm native")
#   BENCH_ROUNDS       rounds (default 9, at least 5)
#   BENCH_KERNEL       lab VM kernel (default 6.12)
#   BENCH_SMP          lab VM vCPUs (default 4)
#   BENCH_THREADS      thread counts in the VM (default 1,2,4)
#   BENCH_WORKLOADS    workloads in the VM, comma-separated (default
#                      fill,drain,pushpop,readmostly,randset,get)
#   BENCH_OPS          operations per VM measurement (default 200000)
#   BENCH_PREFILL      elements before a mixed/get/set run (default 16384)
#   BENCH_IOCTL_CALLS  calls per single-ioctl measurement (default 20000)
#   BENCH_UML_OPS      operations per UML measurement (default 1000000)
#   BENCH_UML_PREFILL  elements before a mixed/get/set run in UML (default
#                      65536)
#   SECVEC_SRC         build the VM modules from this tree (e.g. a patched
#                      copy) instead of the repository
set -euo pipefail
. "$(dirname "$0")/../../scripts/common.sh"

here=$SECVEC_ROOT/tools/bench
doc=$SECVEC_ROOT/docs/benchmarks.md

# The tables of a finished run into the doc; nothing is measured.
update_doc() {
	local results=${RESULTS_DIR:-$SECVEC_CACHE/bench/latest}
	[ -f "$results/info.json" ] || die "no run in $results (RESULTS_DIR=...)"
	if grep -q -- '-dirty' "$results/info.json"; then
		log "warning: that run was of a tree with uncommitted changes"
	fi
	python3 "$here/report.py" "$results" --doc "$doc" >/dev/null
}

case ${1:-} in
-h | --help)
	sed -n '3,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
	exit 0
	;;
--doc)
	update_doc
	exit
	;;
'') ;;
*) die "unknown argument '$1' (--doc, --help)" ;;
esac

parts=${BENCH_PARTS:-uml vm native}
rounds=${BENCH_ROUNDS:-9}
kernel=${BENCH_KERNEL:-6.12}
smp=${BENCH_SMP:-4}
threads=${BENCH_THREADS:-1,2,4}
ops=${BENCH_OPS:-200000}
prefill=${BENCH_PREFILL:-16384}
ioctl_calls=${BENCH_IOCTL_CALLS:-20000}
uml_ops=${BENCH_UML_OPS:-1000000}
uml_prefill=${BENCH_UML_PREFILL:-65536}
workloads=${BENCH_WORKLOADS:-fill,drain,pushpop,readmostly,randset,get}

[ "$rounds" -ge 5 ] || die "BENCH_ROUNDS=$rounds: every figure is a median of at least 5"

start=$SECONDS
stamp=$(date -u +%Y%m%d-%H%M%S)
results=${RESULTS_DIR:-$SECVEC_CACHE/bench/results/$stamp}
mkdir -p "$results"
results=$(cd "$results" && pwd)
if [ -z "${RESULTS_DIR:-}" ]; then
	ln -sfn "$results" "$SECVEC_CACHE/bench/latest"
fi
log "results in $results"
failed=()

# gnuplot draws the plot; python3 makes the report. Both from Debian.
need_tools() {
	local pkgs=()
	command -v gnuplot >/dev/null || pkgs+=(gnuplot-nox)
	command -v python3 >/dev/null || pkgs+=(python3)
	[ ${#pkgs[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		log "missing ${pkgs[*]}: install them (apt-get install ${pkgs[*]}) for the plot"
		return 0
	fi
	log "installing ${pkgs[*]}"
	apt-get install -y "${pkgs[@]}" >&2 ||
		{ apt-get update >&2 && apt-get install -y "${pkgs[@]}" >&2; } ||
		log "warning: could not install ${pkgs[*]}"
}


# 1. UML. kunit.py is called directly, not through scripts/kunit.sh, which
# always builds in kunit-6.12-uml: that build has lock debugging (wrong for
# timing) and belongs to the tests.
run_uml() {
	local tree dir=$SECVEC_CACHE/kunit-bench t0 rc=0
	local need=""
	for tool in make gcc flex bison bc; do
		command -v "$tool" >/dev/null || need="$need $tool"
	done
	if [ -n "$need" ]; then
		log "missing:$need; running scripts/install-deps.sh"
		"$SECVEC_ROOT/scripts/install-deps.sh" >&2
	fi
	mkdir -p "$dir"
	# kunit.sh locks one tree at a time (the drivers/misc link and the
	# build directories are the tree's); this takes both trees' locks:
	# the 6.12 tree is used, and a build on the 6.1 tree would distort
	# the timings.
	exec 9>"$SECVEC_CACHE/kunit-6.12.lock" 7>"$SECVEC_CACHE/kunit-6.1.lock"
	if ! flock -n 9 || ! flock -n 7; then
		log "uml: waiting for other kunit runs ($SECVEC_CACHE/kunit-*.lock)"
		flock 9 && flock 7
	fi
	tree=$("$SECVEC_ROOT/scripts/kernel-source.sh" 6.12) ||
		{ exec 9>&- 7>&-; return 1; }
	"$SECVEC_ROOT/scripts/kunit-link.sh" "$tree" || { exec 9>&- 7>&-; return 1; }
	rm -f "$dir/test.log"
	log "uml: building and running the secvec_bench suite in $dir" \
		"(a first build takes about 6 minutes)"
	t0=$SECONDS
	# -mbranches-within-32B-boundaries: on Intel CPUs with the JCC
	# erratum (Skylake to Cascade Lake) a jump that crosses or ends on a
	# 32-byte boundary is not cached as decoded. Where the linker puts a
	# function then decided its speed, for every implementation: one
	# pop took 4.7 ns or 3.9 ns by its place, the CAS floor's 3.6 or
	# 3.05. The assembler's padding takes that out of the comparison.
	python3 "$tree/tools/testing/kunit/kunit.py" run --build_dir="$dir" \
		--arch=um --jobs="$(nproc)" \
		--make_options="KCFLAGS=-Wa,-mbranches-within-32B-boundaries" \
		--kunitconfig="$here/kernel/bench.kunitconfig" \
		--timeout=1200 \
		--kernel_args="secvec_bench.rounds=$rounds" \
		--kernel_args="secvec_bench.ops=$uml_ops" \
		--kernel_args="secvec_bench.prefill=$uml_prefill" \
		'secvec_bench' >"$results/uml-kunit.out" 2>&1 || rc=$?
	# Anyone who links the tree without the lock builds their sources
	# into ours.
	if [ "$(readlink "$tree/drivers/misc/secvec")" != "$SECVEC_ROOT" ]; then
		log "uml: $tree/drivers/misc/secvec was linked elsewhere during the build"
		rc=1
	fi
	exec 9>&- 7>&-
	uml_secs=$((SECONDS - t0))
	grep -E 'ns/op|PASSED|FAILED|CRASHED|Testing complete' \
		"$results/uml-kunit.out" | sed 's/^/  /' >&2 || true
	[ -f "$dir/test.log" ] && cp "$dir/test.log" "$results/uml-test.log"
	if [ "$rc" -ne 0 ]; then
		log "uml: kunit.py exited $rc; see $results/uml-kunit.out"
		return 1
	fi
	if klog_reports "$results/uml-test.log" >&2; then
		log "uml: the kernel log reports a problem (above)"
		return 1
	fi
	grep -ao 'secvec_bench: {"impl".*}' "$results/uml-test.log" |
		sed 's/^secvec_bench: //' >"$results/uml.jsonl"
	log "uml: $(wc -l <"$results/uml.jsonl") measurements in ${uml_secs}s"
}

# 2. The lab VM.
run_vm() {
	local kver ko dir guest rc=0
	kver=$("$SECVEC_ROOT/scripts/kernels.sh" "$kernel")
	vm_kver=$kver
	# A build directory of our own: lab-vm.sh rebuilds plain secvec.ko in
	# $SECVEC_CACHE/out, which would delete secvec_bench.ko.
	ko=$(SECVEC_CACHE=$SECVEC_CACHE/bench "$SECVEC_ROOT/scripts/build-module.sh" \
		"$kver" CONFIG_SECVEC_BENCH=m | tail -n 1)
	dir=$(dirname "$ko")
	[ -f "$dir/secvec_bench.ko" ] || { log "vm: no secvec_bench.ko in $dir"; return 1; }
	make -s -C "$here" >&2
	guest="bench-guest $rounds $ops $prefill $threads $workloads $ioctl_calls"
	log "vm: $kver, $smp vCPUs: $guest"
	# The secvec.ko built with the bench replaces lab-vm.sh's own, so
	# that the pair always comes from one tree (SECVEC_SRC).
	# On a loaded host the guest kernel's boot-time timer check can fail
	# under TCG ("IO-APIC + timer doesn't work", a panic before /init):
	# boot again, up to three times, while no benchmark has started.
	for try in 1 2 3; do
		rc=0
		{
			"$SECVEC_ROOT/scripts/lab-vm.sh" --kernel "$kver" --smp "$smp" \
				--timeout 1800 \
				--add "$dir/secvec.ko:/secvec.ko" \
				--add "$dir/secvec_bench.ko:/secvec_bench.ko" \
				--add "$here/ioctl/secvec_ioctl_bench:/bin/secvec_ioctl_bench" \
				--add "$here/guest.sh:/bin/bench-guest" \
				-- "$guest" 2>&1 || rc=$?
			echo "$rc" >"$results/vm.rc"
		} | tee "$results/vm-console.log" |
			{ grep --line-buffered -E 'SECVEC_BENCH_PROGRESS|lab-vm.sh' >&2 || true; }
		rc=$(cat "$results/vm.rc")
		if [ "$rc" -eq 0 ] ||
		   grep -q '^SECVEC_BENCH_INFO' "$results/vm-console.log"; then
			break
		fi
		log "vm: the guest died before the benchmark started (try $try); booting again"
	done
	sed -n 's/^SECVEC_BENCH_KERNEL //p' "$results/vm-console.log" >"$results/vm.jsonl"
	sed -n 's/^SECVEC_BENCH_IOCTL //p' "$results/vm-console.log" >"$results/ioctl.jsonl"
	if [ "$rc" -ne 0 ]; then
		log "vm: lab-vm.sh exited $rc; see $results/vm-console.log"
		return 1
	fi
	log "vm: $(wc -l <"$results/vm.jsonl") kernel and $(wc -l <"$results/ioctl.jsonl") ioctl measurements"
}

# 3. Native: tools/testing/secvec builds native/ with its userspace core.
run_native() {
	log "native: make -C tools/testing/secvec bench"
	make -C "$SECVEC_ROOT/tools/testing/secvec" bench \
		BENCH_OUT="$results/native.json" >"$results/native.out" 2>&1 || {
		log "native: failed; see $results/native.out"
		return 1
	}
	log "native: $results/native.json"
}

need_tools
uml_secs="" vm_kver=""
for part in $parts; do
	case $part in
	uml | vm | native)
		if ! "run_$part"; then
			failed+=("$part")
		fi
		;;
	*) die "unknown part '$part' in BENCH_PARTS (uml, vm, native)" ;;
	esac
done

# 4. The report.
duration=$((SECONDS - start))
host_cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
python3 - "$results/info.json" <<EOF
import json, sys
info = {
    "date": "$(date -u '+%Y-%m-%d %H:%M UTC')",
    "git": "$(git -C "$SECVEC_ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
           + ("" if "${SECVEC_SRC:-}" == "" else " (VM modules from ${SECVEC_SRC:-})"),
    "host_cpu": "$host_cpu",
    "host_cpus": "$(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end",
    "host_kernel": "$(uname -r)",
    "uml": "linux-source-6.12 as UML (kunit.py), 1 CPU, no SMP, ${uml_ops} ops per measurement, prefill ${uml_prefill}"
           + ("" if "$uml_secs" == "" else ", build and run ${uml_secs}s"),
    "vm": "" if "$vm_kver" == "" else
          "Debian $vm_kver in $(qemu-system-x86_64 --version 2>/dev/null | head -n 1 | sed 's/ (.*//') TCG, $smp vCPUs on $(nproc) host cores, ${ops} ops per measurement, prefill ${prefill}",
    "rounds": $rounds,
    "duration_s": $duration,
    "failed": "${failed[*]:-}",
}
json.dump(info, open(sys.argv[1], "w"), indent=1)
EOF
python3 "$here/report.py" "$results"
log "results: $results (table.md, results.json, plot.png); took ${duration}s"
log "make bench-doc puts these tables into docs/benchmarks.md"
if [ ${#failed[@]} -gt 0 ]; then
	log "FAILED: ${failed[*]}"
	exit 1
fi
