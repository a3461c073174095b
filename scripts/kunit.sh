#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a kernel from a Debian linux-source tree with secvec linked in and
# run its KUnit suites with that tree's tools/testing/kunit/kunit.py.
#
#   scripts/kunit.sh [--source SERIES] [--arch ARCH] [--base-kunitconfig FILE]
#                    [kunit.py args]
#
# SERIES: 6.12 (default) or 6.1, the linux-source-SERIES package, unpacked
# in $SECVEC_CACHE/linux-source-SERIES (scripts/kernel-source.sh).
#
# ARCH:
#   uml           (default) User Mode Linux, one CPU, native speed
#   x86_64-kcsan  qemu, 4 vCPUs (TCG): KCSAN, lockdep, PROVE_RCU, debugobjects
#   x86_64-kasan  qemu, 4 vCPUs (TCG): generic KASAN, kmemleak, failslab, lockdep
#   x86_64-smp    both x86_64 configs, one after the other (KCSAN depends
#                 on !KASAN, so one kernel cannot have both)
#
# --base-kunitconfig FILE replaces kunit/.kunitconfig (the sanitizer and
# per-source fragments are still added); with a file that leaves
# CONFIG_SECVEC out it builds and warms a cache before secvec's sources
# exist. Any other argument goes to "kunit.py run" after ours, e.g. a suite
# glob, --kconfig_add or --timeout.
#
# Each config builds in $SECVEC_CACHE/kunit-<SERIES>-<config>, reused
# between runs, and leaves there test.log (the raw kernel log), kunit.out
# (kunit.py's output) and results.json. A run fails if a test fails or
# crashes, if kunit.py prints no summary (build failure, kernel crash or
# hang), or if the kernel log shows a BUG, WARNING, sanitizer, lockdep, RCU
# or leak report.
# The last line on stdout is
#
#   kunit-<SERIES>-<ARCH>: P passed, F failed, S skipped
#
# counting test cases as kunit.py does (each parameter of a parameterised
# case is one), crashed cases as failed, and each of the failures above that
# is not a failing case as one more failed.
set -uo pipefail
. "$(dirname "$0")/common.sh"

usage() {
	sed -n '/^#   scripts/,/--timeout\.$/s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

series=6.12
arch=uml
base=$SECVEC_ROOT/kunit/.kunitconfig
extra=()
while [ $# -gt 0 ]; do
	case $1 in
	--source) [ $# -ge 2 ] || usage; series=$2; shift ;;
	--source=*) series=${1#--source=} ;;
	--arch) [ $# -ge 2 ] || usage; arch=$2; shift ;;
	--arch=*) arch=${1#--arch=} ;;
	--base-kunitconfig) [ $# -ge 2 ] || usage; base=$2; shift ;;
	--base-kunitconfig=*) base=${1#--base-kunitconfig=} ;;
	-h|--help) usage ;;
	*) extra+=("$1") ;;
	esac
	shift
done

case $series in
6.1|6.12) ;;
*) die "unknown --source '$series' (6.1, 6.12)" ;;
esac
case $arch in
uml|x86_64-kcsan|x86_64-kasan) configs=("$arch") ;;
x86_64-smp) configs=(x86_64-kcsan x86_64-kasan) ;;
*) die "unknown --arch '$arch' (uml, x86_64-kcsan, x86_64-kasan, x86_64-smp)" ;;
esac
[ -f "$base" ] || die "no such kunitconfig: $base"
base=$(cd "$(dirname "$base")" && pwd)/$(basename "$base")

# Install build dependencies (and linux-source-SERIES) on a fresh machine.
need_deps=""
for tool in make gcc flex bison bc python3; do
	command -v "$tool" >/dev/null || need_deps="$need_deps $tool"
done
[ "$arch" = uml ] || command -v qemu-system-x86_64 >/dev/null ||
	need_deps="$need_deps qemu-system-x86_64"
[ -f "$SECVEC_CACHE/linux-source-$series/.secvec-unpacked" ] ||
	ls /usr/src/linux-source-"$series".tar.* >/dev/null 2>&1 ||
	need_deps="$need_deps linux-source-$series"
if [ -n "$need_deps" ]; then
	log "missing:$need_deps; running scripts/install-deps.sh"
	"$SECVEC_ROOT/scripts/install-deps.sh" || die "installing dependencies failed"
fi

mkdir -p "$SECVEC_CACHE" || die "cannot create $SECVEC_CACHE"
# One kunit build per tree at a time: they share the tree's drivers/misc
# link (to the checkout that runs) and its build directories.
lock=$SECVEC_CACHE/kunit-$series.lock
exec 9>"$lock"
if ! flock -n 9; then
	log "waiting for another kunit.sh run on $series ($lock)"
	flock 9
fi

log "locating the linux-source-$series tree"
tree=$("$SECVEC_ROOT/scripts/kernel-source.sh" "$series") || die "no kernel tree"
"$SECVEC_ROOT/scripts/kunit-link.sh" "$tree" || die "linking secvec into $tree failed"
kunit_py=$tree/tools/testing/kunit/kunit.py


total_p=0 total_f=0 total_s=0

# run_config NAME: build and run one config, add its counts to the totals.
run_config() {
	local name=$series-$1 dir=$SECVEC_CACHE/kunit-$series-$1 args rc start secs
	local frag=${1#x86_64-} p=0 f=0 c=0 s=0 e=0 n line bad

	args=(run --build_dir="$dir" --jobs="$(nproc)"
	      --kunitconfig="$base" --json="$dir/results.json")
	case $1 in
	uml)
		args+=(--arch=um) ;;
	x86_64-kcsan|x86_64-kasan)
		# TCG runs sanitized kernels slowly: more than the default 300 s.
		args+=(--qemu_config="$SECVEC_ROOT/kunit/qemu_x86_64_smp.py"
		       --kunitconfig="$SECVEC_ROOT/kunit/$frag.kunitconfig"
		       --timeout=1800) ;;
	esac
	# What only this source has, or lacks (see kunit/.kunitconfig).
	[ ! -f "$SECVEC_ROOT/kunit/$frag-$series.kunitconfig" ] ||
		args+=(--kunitconfig="$SECVEC_ROOT/kunit/$frag-$series.kunitconfig")
	# kmemleak's first automatic scan comes 60 s after boot; if it finds
	# a leak, print each object and its backtrace, not just a count.
	[ "$1" != x86_64-kasan ] || args+=(--kernel_args=kmemleak.verbose=1)
	args+=("${extra[@]}")

	mkdir -p "$dir"
	rm -f "$dir/test.log" "$dir/results.json"
	log "kunit-$name: configuring, building and running in $dir"
	log "kunit-$name: python3 $kunit_py ${args[*]}"
	start=$(date +%s)
	python3 "$kunit_py" "${args[@]}" 2>&1 | tee "$dir/kunit.out"
	rc=${PIPESTATUS[0]}
	secs=$(($(date +%s) - start))
	log "kunit-$name: kunit.py exited $rc after ${secs}s"

	# "Testing complete. Ran 7 tests: passed: 6, skipped: 1" (zero counts
	# are left out), once per kernel boot (more with --run_isolated).
	n=0
	while IFS= read -r line; do
		n=$((n + 1))
		[[ $line =~ passed:\ ([0-9]+) ]] && p=$((p + BASH_REMATCH[1]))
		[[ $line =~ failed:\ ([0-9]+) ]] && f=$((f + BASH_REMATCH[1]))
		[[ $line =~ crashed:\ ([0-9]+) ]] && c=$((c + BASH_REMATCH[1]))
		[[ $line =~ skipped:\ ([0-9]+) ]] && s=$((s + BASH_REMATCH[1]))
		[[ $line =~ errors:\ ([0-9]+) ]] && e=$((e + BASH_REMATCH[1]))
	done < <(sed 's/\x1b\[[0-9;]*m//g' "$dir/kunit.out" |
		 grep -o 'Testing complete\. Ran .*')
	f=$((f + c))
	[ "$c" -eq 0 ] || log "kunit-$name: $c test case(s) crashed (counted as failed)"

	if [ "$n" -eq 0 ]; then
		if [ ! -s "$dir/test.log" ]; then
			log "kunit-$name: FAIL: no kernel ran (config or build failed, see above)"
		else
			log "kunit-$name: FAIL: no KUnit summary (kernel crashed or hung), log: $dir/test.log"
		fi
		f=$((f + 1))
	elif [ "$e" -gt 0 ]; then
		log "kunit-$name: FAIL: kunit.py found $e error(s) in the test output"
		f=$((f + 1))
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		log "kunit-$name: FAIL: kunit.py exited $rc with no failing case (no tests ran?)"
		f=$((f + 1))
	fi

	if [ -f "$dir/results.json" ]; then
		python3 - "$dir/results.json" <<-'EOF' | while IFS= read -r line; do log "kunit-$name: $line"; done
		import json, sys
		def walk(group, path):
		    for case in group.get("test_cases", []):
		        if case["status"] not in ("PASS", "SKIP"):
		            print("%s: %s" % (case["status"], ".".join(path + [case["name"]])))
		    for sub in group.get("sub_groups", []):
		        walk(sub, path + [sub["name"]])
		try:
		    walk(json.load(open(sys.argv[1])), [])
		except (OSError, ValueError, KeyError) as err:
		    print("cannot read results: %s" % err)
		EOF
	fi

	if [ -s "$dir/test.log" ]; then
		bad=$(klog_reports "$dir/test.log")
		if [ -n "$bad" ]; then
			log "kunit-$name: FAIL: the kernel log has $(echo "$bad" | wc -l) report line(s):"
			echo "$bad" | head -n 40 | sed 's/^/    /' >&2
			log "kunit-$name: full kernel log: $dir/test.log"
			f=$((f + 1))
		else
			log "kunit-$name: kernel log clean ($dir/test.log)"
		fi
	fi

	log "kunit-$name: $p passed, $f failed, $s skipped"
	total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + s))
}

for config in "${configs[@]}"; do
	run_config "$config"
done

echo "kunit-$series-$arch: $total_p passed, $total_f failed, $total_s skipped"
[ "$total_f" -eq 0 ]
