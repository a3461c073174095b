#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run a command in a throwaway VM: Debian's own kernel, a busybox initramfs
# holding secvec.ko and the static test programs, qemu TCG (the lab's
# /dev/kvm does not boot guests). The host never loads the module.
set -euo pipefail
. "$(dirname "$0")/common.sh"

usage() {
	cat <<EOF
usage: $(basename "$0") [--kernel 6.1|6.12|KVER] [--smp N] [--mem MB]
	[--timeout SECONDS] [--add HOSTPATH[:GUESTPATH]]... -- COMMAND...

Build secvec.ko for the kernel (default 6.12) and the programs of tools/
and selftests/, boot /boot/vmlinuz-KVER under qemu TCG (--smp 4, --mem 1024,
--timeout 300 by default) and run COMMAND in the guest with sh -c: a single
argument is a shell script, several are quoted as one command line. The
guest has busybox, /secvec.ko, the programs in /bin, --add'ed files (default
GUESTPATH: /bin/NAME) and lab-insmod [PARAMS] (= insmod /secvec.ko PARAMS).
Guest output streams to stdout; the console log of the last run is kept in
\$SECVEC_CACHE/vm/KVER/console.log.

Exit status: COMMAND's, if it ran and the guest kernel log is clean;
123 if the kernel log has a BUG/WARNING/Oops/sanitizer/stall report,
124 on timeout, 125 if the guest died before reporting (panic, qemu error).
EOF
}


# PID 1. The markers are what the host parses; dmesg -n 1 keeps late kernel
# messages from splitting them.
guest_init() {
	cat <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t debugfs debugfs /sys/kernel/debug
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
sh -c "$(cat /lab-cmd)"
status=$?
dmesg -n 1
echo SECVEC_DMESG_BEGIN
dmesg
echo SECVEC_DMESG_END
echo "SECVEC_EXIT=$status"
poweroff -f
EOF
}

pack() {
	(cd "$1" && find . | cpio -o -H newc -R 0:0 --quiet) | gzip -1
}

# busybox and /init do not depend on the run: pack them once per kernel,
# again only when this script or busybox changes.
base_initramfs() {
	local base=$vm/base.cpio.gz dir
	if [ "$base" -nt "$0" ] && [ "$base" -nt /bin/busybox ]; then
		return
	fi
	log "packing $base"
	dir=$run/base
	mkdir -p "$dir"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,root,etc}
	cp /bin/busybox "$dir/bin/"
	guest_init >"$dir/init"
	printf '#!/bin/sh\nexec insmod /secvec.ko "$@"\n' >"$dir/bin/lab-insmod"
	chmod 755 "$dir/init" "$dir/bin/lab-insmod"
	pack "$dir" >"$run/base.cpio.gz"
	mv "$run/base.cpio.gz" "$base"
}

# The lock keeps a concurrent build for this kernel from replacing the .ko
# between its build and this copy.
add_module() {
	local ko
	exec 9>"$SECVEC_CACHE/out/$kver.lock"
	flock 9
	ko=$(SECVEC_OUT_LOCKED=1 "$SECVEC_ROOT/scripts/build-module.sh" "$kver")
	cp "$ko" "$root/secvec.ko"
	exec 9>&-
}

# Static programs only: the guest has no libc. Top level only: the
# subdirectories of tools/ build their own programs, on their own terms.
add_programs() {
	local d f
	exec 8>"$SECVEC_CACHE/userspace.lock"
	flock 8
	for d in tools selftests; do
		[ -f "$SECVEC_ROOT/$d/Makefile" ] || continue
		make -C "$SECVEC_ROOT/$d" -j"$(nproc)" >&2 || die "make -C $d failed"
		while IFS= read -r -d '' f; do
			if readelf -l "$f" 2>/dev/null | grep -q 'interpreter'; then
				log "warning: $f is dynamically linked; it will not run in the guest"
			fi
			cp "$f" "$root/bin/"
		done < <(find "$SECVEC_ROOT/$d" -maxdepth 1 -type f -perm -u+x -print0)
	done
	exec 8>&-
}

add_extra() {
	local spec host guest
	for spec in "${adds[@]}"; do
		host=${spec%%:*}
		guest=${spec#"$host"}
		guest=${guest#:}
		guest=${guest:-/bin/$(basename "$host")}
		mkdir -p "$root$(dirname "$guest")"
		cp -a "$host" "$root$guest"
	done
}

# Debian compresses its kernels with xz (6.1) or zstd (6.12), and under TCG
# the guest spends seconds unpacking them at every boot. Unpack the ELF
# vmlinux once and let qemu start it at its PVH entry point instead.
kernel_image() {
	local img=/boot/vmlinuz-$kver elf=$vm/vmlinux tool magic off
	if [ "$elf" -nt "$img" ]; then echo "$elf"; return; fi
	if grep -q '^CONFIG_PVH=y' "/boot/config-$kver" 2>/dev/null; then
		for tool in 'xz:\xfd7zXZ\x00' 'zstd:\x28\xb5\x2f\xfd' 'gzip:\x1f\x8b\x08'; do
			magic=${tool#*:} tool=${tool%%:*}
			off=$(LC_ALL=C grep -obUaP -m1 "$magic" "$img" | head -n 1 | cut -d: -f1)
			[ -n "$off" ] || continue
			# Trailing bytes after the stream make the tools complain.
			tail -c +$((off + 1)) "$img" | "$tool" -dc >"$run/vmlinux" 2>/dev/null || true
			if readelf -h "$run/vmlinux" >/dev/null 2>&1; then
				mv "$run/vmlinux" "$elf"
				echo "$elf"
				return
			fi
		done
	fi
	log "$kver: booting the compressed $img (slower)"
	echo "$img"
}

boot() {
	# no_timer_check: under TCG on a loaded host the IO-APIC timer check
	# can time out and panic the boot ("IO-APIC + timer doesn't work").
	local append="console=ttyS0 panic=-1 oops=panic quiet no_timer_check"
	# panic=-1 reboots at once and -no-reboot turns that into a qemu exit.
	# -nographic would also put SeaBIOS on the serial line, and its
	# terminal reset sequences into the caller's terminal and logs.
	# --foreground: Ctrl-C must reach qemu, and qemu starts no children.
	{
		rc=0
		timeout --foreground -k 10 "$tmo" qemu-system-x86_64 \
			-accel tcg,thread=multi -cpu max -smp "$smp" -m "$mem" \
			-nic none -nodefaults -display none -serial stdio -no-reboot \
			-kernel "$image" -initrd "$run/initrd.cpio.gz" \
			-append "$append" </dev/null 2>&1 || rc=$?
		echo "$rc" >"$run/qemu.rc"
	} | sed -u 's/\r$//' | tee "$run/console.txt"
	cp "$run/console.txt" "$vm/console.log.tmp.$$"
	mv "$vm/console.log.tmp.$$" "$vm/console.log"
}

# The last dmesg dump; the whole console when the guest died before one.
guest_log() {
	if grep -q '^SECVEC_DMESG_END' "$run/console.txt"; then
		awk '/^SECVEC_DMESG_BEGIN/ { n = 0; delete l; next }
			/^SECVEC_DMESG_END/ { for (i = 0; i < n; i++) print l[i]; exit }
			{ l[n++] = $0 }' "$run/console.txt"
	else
		cat "$run/console.txt"
	fi
}

verdict() {
	local rc status vm_s=$((SECONDS - booted)) all_s=$((SECONDS - start))
	rc=$(cat "$run/qemu.rc")
	status=$(sed -n 's/.*SECVEC_EXIT=\([0-9][0-9]*\).*/\1/p' "$run/console.txt" | tail -n 1)
	if guest_log | klog_reports >"$run/bad"; then
		log "$kver: the guest kernel log reports a problem:"
		sed 's/^/  /' "$run/bad" >&2
		[ -n "$status" ] && return 123
	fi
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		log "$kver: timed out after $tmo s"
		return 124
	fi
	if [ -z "$status" ]; then
		log "$kver: no exit status from the guest (qemu status $rc)"
		return 125
	fi
	log "$kver: COMMAND exited with $status (VM ${vm_s}s, ${all_s}s in all)"
	return "$status"
}

main() {
	local kernel=6.12 cmd
	smp=4 mem=1024 tmo=300 adds=()
	while [ $# -gt 0 ]; do
		case $1 in
		-h | --help) usage; exit 0 ;;
		--kernel) kernel=$2; shift 2 ;;
		--smp) smp=$2; shift 2 ;;
		--mem) mem=$2; shift 2 ;;
		--timeout) tmo=$2; shift 2 ;;
		--add) adds+=("$2"); shift 2 ;;
		--) shift; break ;;
		*) usage >&2; exit 2 ;;
		esac
	done
	[ $# -gt 0 ] || die "no COMMAND (see --help)"
	if [ $# -eq 1 ]; then cmd=$1; else cmd=$(printf '%q ' "$@"); fi

	start=$SECONDS
	kver=$("$SECVEC_ROOT/scripts/kernels.sh" "$kernel")
	vm=$SECVEC_CACHE/vm/$kver
	mkdir -p "$vm" "$SECVEC_CACHE/out"
	run=$(mktemp -d "$vm/run.XXXXXX")
	trap 'rm -rf "$run"' EXIT
	trap 'exit 130' INT TERM HUP
	root=$run/root
	mkdir -p "$root/bin"

	base_initramfs
	add_module
	add_programs
	add_extra
	printf '%s\n' "$cmd" >"$root/lab-cmd"
	# The kernel unpacks concatenated archives in order.
	cat "$vm/base.cpio.gz" <(pack "$root") >"$run/initrd.cpio.gz"
	image=$(kernel_image)
	log "$kver: booting (smp $smp, $mem MB, timeout $tmo s)"
	booted=$SECONDS
	boot
	verdict
}

main "$@"
