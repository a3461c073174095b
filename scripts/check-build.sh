#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build tier: secvec.ko (and the benchmark module) with W=1 and sparse (C=1) against each kernel given
# (kernel releases, as scripts/kernels.sh prints them), then secvecctl and
# the selftests with -Werror. One test per build; ends with
# "build: P passed, F failed".
set -uo pipefail
. "$(dirname "$0")/common.sh"

pass=0
fail=0
result() {
	if [ "$1" -eq 0 ]; then
		pass=$((pass + 1))
		log "ok: $2"
	else
		fail=$((fail + 1))
		log "FAIL: $2"
	fi
}

for k in "$@"; do
	"$SECVEC_ROOT/scripts/build-module.sh" "$k" C=1 CONFIG_SECVEC_BENCH=m \
		>/dev/null
	result $? "secvec.ko and secvec_bench.ko for $k (W=1, C=1)"
done
make -s -C "$SECVEC_ROOT/tools" >&2
result $? "tools (secvecctl)"
make -s -C "$SECVEC_ROOT/selftests" >&2
result $? "selftests"
echo "build: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
