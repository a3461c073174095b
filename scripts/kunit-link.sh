#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Link the secvec sources into a kernel tree as drivers/misc/secvec, so that
# kunit.py (which only builds in tree) can build them:
#
#   TREE/drivers/misc/secvec -> $SECVEC_ROOT
#   TREE/drivers/misc/Kconfig:    source "drivers/misc/secvec/module/Kconfig"
#   TREE/drivers/misc/Makefile:   obj-$(CONFIG_SECVEC) += secvec/
#
# Idempotent: each edit is made only if it is absent. One Makefile line is
# enough for both objects in the root Kbuild: CONFIG_SECVEC_KUNIT_TEST
# depends on SECVEC, so whenever the test is y or m, SECVEC is too and
# kbuild descends into the directory.
set -euo pipefail
. "$(dirname "$0")/common.sh"

[ $# -eq 1 ] || die "usage: $0 KERNEL_TREE"
tree=$(cd "$1" && pwd) || die "no such kernel tree: $1"
misc=$tree/drivers/misc
[ -f "$misc/Kconfig" ] && [ -f "$misc/Makefile" ] ||
	die "$tree does not look like a kernel tree (no drivers/misc)"

# -n: replace an existing link to another checkout instead of following it.
if [ "$(readlink "$misc/secvec" 2>/dev/null)" != "$SECVEC_ROOT" ]; then
	log "linking $misc/secvec -> $SECVEC_ROOT"
	ln -sfn "$SECVEC_ROOT" "$misc/secvec"
fi

kconfig_line='source "drivers/misc/secvec/module/Kconfig"'
if ! grep -qxF "$kconfig_line" "$misc/Kconfig"; then
	log "adding secvec to drivers/misc/Kconfig"
	# Insert before the last endmenu: the entry must be inside the menu.
	last=$(grep -n '^endmenu' "$misc/Kconfig" | tail -n 1 | cut -d: -f1)
	[ -n "$last" ] || die "no endmenu in $misc/Kconfig"
	sed -i "${last}i $kconfig_line" "$misc/Kconfig"
fi

make_line='obj-$(CONFIG_SECVEC)		+= secvec/'
if ! grep -qE '^obj-\$\(CONFIG_SECVEC\)[[:space:]]+\+=[[:space:]]*secvec/' \
	"$misc/Makefile"; then
	log "adding secvec to drivers/misc/Makefile"
	printf '%s\n' "$make_line" >>"$misc/Makefile"
fi
