#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every test tier of secvec, on a fresh machine too (each tier
# installs what it needs). Ends with one line "N passed, N failed, N skipped"
# counting every test of every tier; exits non-zero on any failure.
#
# Each tier prints its own "NAME: P passed, F failed[, S skipped]" as its
# last such line; a tier that prints none, or exits non-zero without
# counting a failure, counts as one failure: a tier that cannot run fails.
set -uo pipefail
. "$(dirname "$0")/common.sh"

logdir=$SECVEC_CACHE/check-logs
mkdir -p "$logdir"
total_p=0 total_f=0 total_s=0
summary=()
start=$(date +%s)

# tier NAME COMMAND...: run one tier, add its counts to the totals.
tier() {
	local name=$1 out=$logdir/$1.log rc line p=0 f=0 s=0 t0
	shift
	log "=== $name: $*"
	t0=$(date +%s)
	"$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	line=$(tr -d '\r' <"$out" | grep -aE '^[A-Za-z0-9_.+-]+: [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' | tail -n 1)
	if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)? ]]; then
		p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} s=${BASH_REMATCH[4]:-0}
	else
		log "$name: no summary line: counted as one failure"
		f=1
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		log "$name: exited $rc with no failure counted: counted as one"
		f=1
	fi
	total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + s))
	summary+=("$(printf '%-24s %5d passed %3d failed %3d skipped %5ds' \
		"$name" "$p" "$f" "$s" $(($(date +%s) - t0)))")
}

log "installing what is missing (scripts/install-deps.sh)"
"$SECVEC_ROOT/scripts/install-deps.sh" || die "dependency install failed"
kernels=$("$SECVEC_ROOT/scripts/kernels.sh" all) || die "no lab kernels"
log "lab kernels: $(echo $kernels)"

# Tier 1: warning-free builds (W=1, sparse) on each kernel, checkpatch,
# and the userspace programs with -Werror.
tier build "$SECVEC_ROOT/scripts/check-build.sh" $kernels
tier checkpatch "$SECVEC_ROOT/scripts/checkpatch.sh"

# Tier 2: KUnit under kunit.py on Debian's linux-source-6.12: UML for
# speed, then x86_64 under qemu with 4 vCPUs, once with KCSAN + lockdep +
# PROVE_RCU + debugobjects and once with KASAN + kmemleak + fault
# injection + lockdep (they exclude each other); then on linux-source-6.1,
# UML and the KCSAN config. Any report in the kernel log fails the run.
tier kunit-6.12-uml "$SECVEC_ROOT/scripts/kunit.sh" --source 6.12 --arch uml
tier kunit-6.12-x86_64-smp "$SECVEC_ROOT/scripts/kunit.sh" --source 6.12 \
	--arch x86_64-smp
tier kunit-6.1-uml "$SECVEC_ROOT/scripts/kunit.sh" --source 6.1 --arch uml
tier kunit-6.1-x86_64-kcsan "$SECVEC_ROOT/scripts/kunit.sh" --source 6.1 \
	--arch x86_64-kcsan

# Tier 2b: the same core compiled in userspace on the real cores: model and
# conservation suites natively, under ThreadSanitizer and ASan + UBSan,
# and a bounded libFuzzer run (FUZZ_SECONDS, default 60).
tier userspace make -C "$SECVEC_ROOT/tools/testing/secvec" deps test

# The linearizability checker against hand-made and generated histories.
tier lincheck-selftest make -s -C "$SECVEC_ROOT/tools/lincheck" all test

# Tier 3: in the lab VM on each Debian kernel: kselftests (ABI, errnos,
# leaks, fuzzing, memcg, stress), 1000 linearizability histories, rmmod
# under load, and a scan of the kernel log.
for k in $kernels; do
	tier "selftests-$k" "$SECVEC_ROOT/scripts/lab-vm.sh" --kernel "$k" \
		--add "$SECVEC_ROOT/scripts/lab-selftests.sh:/bin/lab-selftests" \
		--add "$SECVEC_ROOT/tools/lincheck/secvec_lincheck:/bin/secvec_lincheck" \
		--timeout 900 -- lab-selftests
done

log "=== summary ($(($(date +%s) - start)) s; logs in $logdir)"
printf '  %s\n' "${summary[@]}" >&2
echo "$total_p passed, $total_f failed, $total_s skipped"
[ "$total_f" -eq 0 ]
