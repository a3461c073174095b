#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: install what is missing, build secvec.ko and secvecctl for
# Debian's 6.12 kernel, boot it in the lab VM (qemu TCG, 4 vCPUs) and drive
# /dev/secvec from several processes at once. DEMO_KERNEL=6.1 for the other.
set -euo pipefail
. "$(dirname "$0")/common.sh"

log "installing what is missing (scripts/install-deps.sh)"
"$SECVEC_ROOT/scripts/install-deps.sh"
log "booting the lab VM on Debian ${DEMO_KERNEL:-6.12} with secvec"
exec "$SECVEC_ROOT/scripts/lab-vm.sh" --kernel "${DEMO_KERNEL:-6.12}" \
	--add "$SECVEC_ROOT/scripts/lab-demo.sh:/bin/lab-demo" -- lab-demo
