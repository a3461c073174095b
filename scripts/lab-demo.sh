#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the lab VM for "make demo": load secvec and drive /dev/secvec
# with secvecctl, from several processes at once.
set -e
say() { printf '\n### %s\n' "$*"; }

say "insmod secvec.ko max_elements=100000"
insmod /secvec.ko max_elements=100000
ls -l /dev/secvec
secvecctl info

say "one process pushes three values (the index of each is printed)"
secvecctl push 10 20 30

say "four processes push 1000 values each, at the same time"
for p in 1 2 3 4; do
	secvecctl push $(seq $((p * 1000)) $((p * 1000 + 999))) >/dev/null &
done
wait
secvecctl size

say "read some back: get 0, get 1, get 2"
secvecctl get 0
secvecctl get 1
secvecctl get 2

say "four processes pop 500 values each, at the same time"
for p in 1 2 3 4; do
	secvecctl pop 500 >/tmp/popped.$p &
done
wait
cat /tmp/popped.* | wc -l
secvecctl size

say "set index 0 to 42 and read it"
secvecctl set 0 42
secvecctl get 0

say "dump the first five (index value)"
secvecctl dump | head -n 5

say "clear, then stress: 4 threads, 200000 operations, conservation checked"
secvecctl clear
secvecctl stress -t 4 -n 200000

say "unload"
secvecctl info
rmmod secvec
say "done: secvec unloaded cleanly"
