# SPDX-License-Identifier: GPL-2.0
# Shared settings for secvec's scripts; sourced, not run.

# Kernel trees, builds and VM images live outside the repository so that
# repeat runs reuse them.
SECVEC_CACHE=${SECVEC_CACHE:-/var/cache/secvec}
SECVEC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { echo "secvec: $(basename "$0"): $*" >&2; }
die() { log "$*"; exit 1; }

# The one kernel-log scanner (KUnit runs, the lab VM, the benchmarks): the
# first line of each report that fails a run whatever the tests said.
# KASAN and KCSAN reports open with "BUG: KASAN:" and "BUG: KCSAN:",
# lockdep and RCU-lockdep splats with "WARNING:". Boot banners such as
# "RCU lockdep checking is enabled", "kcsan: non-strict mode configured"
# or kmemleak's must not match.
klog_bad_re='BUG:|WARNING:|KASAN:|KCSAN:|data-race|possible circular locking|'
klog_bad_re+='possible recursive locking|suspicious RCU usage|'
klog_bad_re+='lockdep is turned off|DEBUG_LOCKS_WARN_ON|'
klog_bad_re+='unreferenced object|suspected memory leak|Oops|'
klog_bad_re+='kernel BUG at|general protection fault|Kernel panic|UBSAN:|ODEBUG:|'
klog_bad_re+='detected stall|RCU stall|blocked for more than|soft lockup'

# klog_reports [FILE]: print the report lines of a kernel log (stdin if no
# FILE), with line numbers; true if there are any.
klog_reports() {
	grep -anE "$klog_bad_re" "$@"
}
