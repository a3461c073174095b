#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what secvec's build, lab VM and tests need from Debian's archive.
# Idempotent: packages already present are not fetched again. Kernel ABI
# numbers are discovered from the archive, never hard-coded.
set -euo pipefail

log() { echo "secvec: install-deps: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
	log "must run as root (apt-get install)"
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive

# Newest 6.12 image/headers pair for amd64 in the archive (name only).
newest_612() {
	apt-cache search --names-only "^linux-$1-6\\.12\\.[0-9]+\\+deb[0-9]+-amd64$2\$" |
		awk '{print $1}' | sort -V | tail -n 1
}

base_pkgs="build-essential flex bison bc libelf-dev libssl-dev dwarves
	kmod cpio busybox-static qemu-system-x86 sparse python3 xz-utils
	linux-source-6.1 linux-source-6.12 linux-image-amd64 linux-headers-amd64"

missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed' || echo "$p"
	done
}

want=$(missing $base_pkgs)
img612=""
hdr612=""
if ! ls /boot/vmlinuz-6.12.* >/dev/null 2>&1 ||
   ! ls -d /usr/src/linux-headers-6.12.*-amd64 >/dev/null 2>&1; then
	log "refreshing the package index to find a 6.12 kernel"
	apt-get update -qq
	img612=$(newest_612 image -unsigned)
	hdr612=$(newest_612 headers "")
	if [ -z "$img612" ] || [ -z "$hdr612" ]; then
		log "no linux-image-6.12.*-amd64-unsigned in the archive"
		exit 1
	fi
	want="$want $img612 $hdr612"
fi

want=$(echo $want)
if [ -n "$want" ]; then
	log "installing: $want"
	[ -n "$img612" ] || apt-get update -qq
	apt-get install -y -qq --no-install-recommends $want >/dev/null
else
	log "all packages present"
fi
