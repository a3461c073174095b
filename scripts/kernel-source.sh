#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the path of an unpacked Debian linux-source tree, installing the
# package and unpacking it into the cache first if needed.
set -euo pipefail
. "$(dirname "$0")/common.sh"

usage() {
	cat <<EOF
usage: $(basename "$0") [6.1|6.12]

Print the path of \$SECVEC_CACHE/linux-source-SERIES (default: 6.12), the
tree of Debian's linux-source-SERIES package, unpacked once from
/usr/src/linux-source-SERIES.tar.*; if the tarball is missing, run
scripts/install-deps.sh first.
EOF
}

# The package's tarball, whatever its compression.
tarball() {
	local f
	for f in /usr/src/linux-source-"$series".tar.*; do
		[ -f "$f" ] && echo "$f" && return 0
	done
	return 1
}

case ${1:-6.12} in
-h | --help) usage; exit 0 ;;
6.1 | 6.12) series=${1:-6.12} ;;
*) usage >&2; exit 2 ;;
esac

tree=$SECVEC_CACHE/linux-source-$series
mkdir -p "$SECVEC_CACHE"
# One unpacker per tree: a second one would delete the tree under the first.
exec 8>"$SECVEC_CACHE/source-$series.lock"
flock 8
if [ ! -f "$tree/.secvec-unpacked" ]; then
	if ! tar=$(tarball); then
		log "installing linux-source-$series"
		"$SECVEC_ROOT/scripts/install-deps.sh" >&2 ||
			die "installing linux-source-$series failed"
		tar=$(tarball) || die "no /usr/src/linux-source-$series.tar.*"
	fi
	log "unpacking $tar into $SECVEC_CACHE (once)"
	rm -rf "$tree"
	tar -C "$SECVEC_CACHE" -xf "$tar"
	[ -f "$tree/Makefile" ] || die "$tar did not unpack to $tree"
	touch "$tree/.secvec-unpacked"
fi
echo "$tree"
