#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build secvec.ko out of tree against one installed kernel's headers, in a
# copy of the sources under the cache so that the repository never holds
# build products. Any compiler (or sparse, or modpost) warning fails.
set -euo pipefail
. "$(dirname "$0")/common.sh"

# What an out-of-tree build needs from the source tree.
parts=(Kbuild module include kunit tools/bench/kernel)

usage() {
	cat <<EOF
usage: $(basename "$0") KVER|6.1|6.12 [extra make args, e.g. C=1]

Copy Kbuild, module/, include/, kunit/ and tools/bench/kernel/ from
\$SECVEC_SRC (default: the repository) to \$SECVEC_CACHE/out/KVER, run
  make -C <kbuild dir> M=<that dir> W=1 modules [args]
there (no CONFIG_SECVEC: out of tree, Kbuild builds secvec.ko by itself,
as for the plain M= build), fail on any 'warning:' (or sparse 'error:')
in the output, and print the path of secvec.ko as the last line of
stdout. Build output goes to stderr. A clean build of unchanged sources
with the same arguments is reused.
EOF
}

# Full copy into a fresh directory: a stale object would hide its warnings
# and a deleted source would linger.
copy_sources() {
	local p
	rm -rf "$out"
	mkdir -p "$out"
	for p in "${parts[@]}"; do
		if [ -e "$src/$p" ]; then
			mkdir -p "$out/$(dirname "$p")"
			cp -a "$src/$p" "$out/$(dirname "$p")/"
		elif [ "$p" = Kbuild ] || [ "$p" = module ]; then
			die "$src/$p is missing"
		fi
	done
	# Objects an in-place build left in the sources would look up to date.
	make -s -C "$kbuild" M="$out" clean >/dev/null
}

# Everything that decides the result: sources, arguments, headers, this script.
build_key() {
	{
		echo "$kbuild $* $(stat -L -c %Y "$kbuild/Makefile")"
		sha256sum <"$0"
		cd "$src" || exit 1
		# include/, kunit/ and tools/bench/kernel/ may be absent.
		{ find "${parts[@]}" -type f -print0 2>/dev/null || true; } |
			sort -z | xargs -0r sha256sum
	} | sha256sum | cut -d' ' -f1
}

main() {
	case ${1:-} in
	-h | --help) usage; exit 0 ;;
	'' | -*) usage >&2; exit 2 ;;
	esac
	kver=$("$SECVEC_ROOT/scripts/kernels.sh" "$1")
	shift
	kbuild=$("$SECVEC_ROOT/scripts/kernels.sh" --kbuild "$kver")
	src=$(cd "${SECVEC_SRC:-$SECVEC_ROOT}" && pwd)
	out=$SECVEC_CACHE/out/$kver
	mkdir -p "$SECVEC_CACHE/out"

	# Concurrent builds for one kernel share $out. lab-vm.sh takes this
	# lock itself, to copy the .ko before another build replaces it.
	if [ -z "${SECVEC_OUT_LOCKED:-}" ]; then
		exec 9>"$out.lock"
		flock 9
	fi

	key=$(build_key "$@")
	if [ -f "$out/secvec.ko" ] && [ "$(cat "$out/.secvec-key" 2>/dev/null)" = "$key" ]; then
		log "$kver: secvec.ko is up to date"
		echo "$out/secvec.ko"
		return 0
	fi

	copy_sources
	log "$kver: building in $out"
	make -C "$kbuild" M="$out" W=1 -j"$(nproc)" "$@" modules \
		2>&1 | tee "$out/build.log" >&2 || die "$kver: build failed"
	if grep -iE '(warning|error):' "$out/build.log" >&2; then
		die "$kver: the build printed warnings (above)"
	fi
	[ -f "$out/secvec.ko" ] || die "$kver: no secvec.ko was built"
	echo "$key" >"$out/.secvec-key"
	echo "$out/secvec.ko"
}

main "$@"
