# SPDX-License-Identifier: GPL-2.0
#
# secvec entry points. Kbuild reads ./Kbuild for the object list; this file
# is for people. "make help" lists the targets.

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
SCRIPTS := $(CURDIR)/scripts

.PHONY: all modules tools selftests install clean help check demo lab \
	kunit kunit-smp checkpatch

all: modules tools

# Out-of-tree build in place, for a machine whose running kernel is the
# target (the lab machines themselves use scripts/build-module.sh, which
# builds in a cache directory for each installed Debian kernel).
modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install

tools:
	$(MAKE) -C tools

selftests:
	$(MAKE) -C selftests

# The test command: every tier, one closing "N passed, N failed" line.
check:
	$(SCRIPTS)/check.sh

# The main job: build, boot the lab VM with the module, drive it.
demo:
	$(SCRIPTS)/demo.sh

# Run a command in the lab VM: make lab LAB_KERNEL=6.12 LAB_CMD='...'
LAB_KERNEL ?= 6.12
LAB_CMD ?= lab-insmod && secvecctl info
lab:
	$(SCRIPTS)/lab-vm.sh --kernel $(LAB_KERNEL) -- '$(LAB_CMD)'

# KUnit on Debian's linux-source-6.12, or 6.1: make kunit KUNIT_SOURCE=6.1
KUNIT_SOURCE ?= 6.12
kunit:
	$(SCRIPTS)/kunit.sh --source $(KUNIT_SOURCE) --arch uml

kunit-smp:
	$(SCRIPTS)/kunit.sh --source $(KUNIT_SOURCE) --arch x86_64-smp

checkpatch:
	$(SCRIPTS)/checkpatch.sh

# secvec against a spinlock vector, XArray and userspace peers
# (tools/bench): results (table, JSON, plot) in RESULTS_DIR. bench-doc puts
# the tables of a run (RESULTS_DIR, default the latest) into the doc.
.PHONY: bench bench-doc
bench:
	$(CURDIR)/tools/bench/run.sh

bench-doc:
	$(CURDIR)/tools/bench/run.sh --doc

clean:
	-[ -d $(KDIR) ] && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools clean
	$(MAKE) -C tools/bench clean
	$(MAKE) -C selftests clean

help:
	@echo 'secvec targets:'
	@echo '  demo        install what is missing, boot the lab VM, drive /dev/secvec'
	@echo '  check       all test tiers; ends with "N passed, N failed"'
	@echo '  all         modules + tools for KDIR (default: the running kernel)'
	@echo '  modules     build secvec.ko against KDIR=$(KDIR)'
	@echo '  install     modules_install into /lib/modules/$(KVER)'
	@echo '  tools       build tools/secvecctl'
	@echo '  selftests   build the kselftests'
	@echo '  kunit       KUnit suites under kunit.py (UML; KUNIT_SOURCE=6.12 or 6.1)'
	@echo '  kunit-smp   KUnit suites on x86_64 qemu, 4 vCPUs, KCSAN / KASAN'
	@echo '  checkpatch  checkpatch.pl --strict on the kernel sources'
	@echo '  lab         run LAB_CMD in the lab VM on LAB_KERNEL (6.1 or 6.12)'
	@echo '  bench       benchmarks vs a spinlock vector and XArray (RESULTS_DIR=...)'
	@echo '  bench-doc   the tables of the last bench run into docs/benchmarks.md'
	@echo '  clean       remove build products'
