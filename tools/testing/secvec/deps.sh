#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Installs, from Debian's archive, what the userspace build needs and is
# not installed yet; does nothing if everything is. Needs root (apt-get).
#   liburcu-dev          RCU for the core (urcu-memb)
#   libtbb-dev           the TBB concurrent_vector peer of the benchmark
#   clang,
#   libclang-rt-14-dev   libFuzzer (bookworm's clang is 14; its runtime,
#                        with libclang_rt.fuzzer, is this package)
#   gcc, g++, make       the build; gcc's TSan/ASan/UBSan runtimes come
#                        with it (libtsan2, libasan8, libubsan1)
set -e

PKGS="liburcu-dev libtbb-dev clang libclang-rt-14-dev gcc g++ make
      libtsan2 libasan8 libubsan1"
missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "deps: all installed:" $PKGS
	exit 0
fi
echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
