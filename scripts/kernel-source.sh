#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the path of an unpacked linux-source-6.12 tree, installing the
# package and unpacking it into the cache first if needed.
set -euo pipefail
. "$(dirname "$0")/common.sh"

tree=$SECVEC_CACHE/linux-source-6.12
mkdir -p "$SECVEC_CACHE"
# One unpacker at a time: a second one would delete the tree under the first.
exec 8>"$SECVEC_CACHE/source.lock"
flock 8
if [ ! -f "$tree/.secvec-unpacked" ]; then
	tarball=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -n 1 || true)
	if [ -z "$tarball" ]; then
		log "installing linux-source-6.12"
		"$SECVEC_ROOT/scripts/install-deps.sh" >&2
		tarball=$(ls /usr/src/linux-source-6.12.tar.* | head -n 1)
	fi
	log "unpacking $tarball into $SECVEC_CACHE (once)"
	rm -rf "$tree"
	tar -C "$SECVEC_CACHE" -xf "$tarball"
	touch "$tree/.secvec-unpacked"
fi
echo "$tree"
