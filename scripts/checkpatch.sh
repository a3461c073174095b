#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.pl --strict on every kernel C file and header of secvec, and
# scripts/kernel-doc -none -Wall on the module's (its exported API), with
# the tools of the linux-source-6.12 tree. Prints
# "checkpatch: P passed, F failed" (one test per file and tool).
set -uo pipefail
. "$(dirname "$0")/common.sh"

tree=$("$SECVEC_ROOT/scripts/kernel-source.sh" 6.12) || die "no kernel tree"
cd "$SECVEC_ROOT" || exit 1
pass=0
fail=0
for f in module/*.[ch] tools/bench/kernel/*.[ch] kunit/*.[ch] include/uapi/linux/*.h; do
	if "$tree/scripts/checkpatch.pl" --strict --no-tree --quiet \
		--ignore FILE_PATH_CHANGES -f "$f"; then
		pass=$((pass + 1))
	else
		log "checkpatch: $f has findings"
		fail=$((fail + 1))
	fi
done
for f in module/*.[ch] include/uapi/linux/*.h; do
	out=$("$tree/scripts/kernel-doc" -none -Wall "$f" 2>&1)
	if [ -z "$out" ]; then
		pass=$((pass + 1))
	else
		log "kernel-doc: $f:"
		echo "$out" >&2
		fail=$((fail + 1))
	fi
done
echo "checkpatch: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
