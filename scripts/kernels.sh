#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the lab kernels installed on this host: the newest release of each
# series that has both a bootable image and a kbuild directory. ABI numbers
# change with every Debian point release, so they are discovered, never
# written down.
set -euo pipefail
. "$(dirname "$0")/common.sh"

usage() {
	cat <<EOF
usage: $(basename "$0") [6.1|6.12|all|KVER]
       $(basename "$0") --kbuild KVER

Print the newest installed kernel release of the series (default: all,
that is 6.1 then 6.12, one per line) that has both /boot/vmlinuz-KVER and
a kbuild directory. A full KVER is checked and printed as is. Exits
non-zero if a series is missing; as root it first tries
scripts/install-deps.sh.

--kbuild KVER  print the kbuild directory to pass to make -C for KVER
EOF
}

# /lib/modules/KVER/build is a symlink the image package owns; the headers
# package alone only provides /usr/src/linux-headers-KVER.
kbuild_dir() {
	local d
	for d in "/lib/modules/$1/build" "/usr/src/linux-headers-$1"; do
		if [ -f "$d/Makefile" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

usable() {
	[ -f "/boot/vmlinuz-$1" ] && kbuild_dir "$1" >/dev/null
}

# Only Debian's generic flavour: -rt and -cloud kernels are not the targets.
newest() {
	local f v
	for f in /boot/vmlinuz-"$1".*; do
		v=${f#/boot/vmlinuz-}
		case $v in
		*-rt-amd64 | *-cloud-amd64) continue ;;
		*-amd64) usable "$v" && echo "$v" ;;
		esac
	done | sort -V | tail -n 1
}

# install-deps.sh needs root and network; without root, just say what to run.
newest_or_install() {
	local v
	v=$(newest "$1")
	if [ -z "$v" ] && [ "$(id -u)" -eq 0 ]; then
		log "no $1 kernel with headers; running install-deps.sh"
		"$SECVEC_ROOT/scripts/install-deps.sh" >&2
		v=$(newest "$1")
	fi
	[ -n "$v" ] || die "no $1 kernel with image and headers installed" \
		"(run scripts/install-deps.sh as root)"
	echo "$v"
}

main() {
	local s
	case ${1:-all} in
	-h | --help) usage ;;
	--kbuild)
		[ $# -eq 2 ] || die "usage: --kbuild KVER"
		kbuild_dir "$2" || die "no kbuild directory for $2"
		;;
	all) for s in 6.1 6.12; do newest_or_install "$s"; done ;;
	6.1 | 6.12) newest_or_install "$1" ;;
	-*) usage >&2; exit 2 ;;
	*)
		usable "$1" || die "kernel $1: no /boot/vmlinuz-$1 or no headers"
		echo "$1"
		;;
	esac
}

main "$@"
