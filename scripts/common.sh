# SPDX-License-Identifier: GPL-2.0
# Shared settings for secvec's scripts; sourced, not run.

# Kernel trees, builds and VM images live outside the repository so that
# repeat runs reuse them.
SECVEC_CACHE=${SECVEC_CACHE:-/var/cache/secvec}
SECVEC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { echo "secvec: $(basename "$0"): $*" >&2; }
die() { log "$*"; exit 1; }
