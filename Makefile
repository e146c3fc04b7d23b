# SPDX-License-Identifier: GPL-2.0-only
#
# dmastress: kernel-side DMA scatter-gather stress and benchmark suite.
#
#   make                 build dmastress.ko against KDIR (default: the running
#                        kernel's headers if present, else the distro headers
#                        under build/)
#   make bench           the main job: the benchmark matrix in QEMU, with plots
#   make check           every test (see README.md)
#   make check-full      the long matrices (every mode on every kernel)
#   make kunit | selftests | soak | anchor | lint | deps | kernel | clean
#
# KERNEL=K picks the kernel of make, kernel, bench, kunit and selftests: a
# name of scripts/kernels (distro-6.1, distro-6.12 = distro, distro-7.3,
# test-6.12 = test, test-7.3) or the path of a built kernel tree (>= 6.1).
# KDIR=<built tree> builds the module only, against that tree.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD := $(TOP)/build
KERNEL ?= distro

# Default KDIR: the running kernel's headers, else the distro headers.
RUNNING_KDIR := /lib/modules/$(shell uname -r)/build
ifeq ($(KDIR),)
ifneq ($(wildcard $(RUNNING_KDIR)/Makefile),)
KDIR := $(RUNNING_KDIR)
endif
endif

MOD_SRCS := Kbuild $(wildcard $(TOP)/kmod/*.c $(TOP)/kmod/*.h)

.PHONY: all module deps kernel userspace guest-files check check-full \
	kunit selftests bench anchor soak lint clean

# KERNEL names a kernel of scripts/kernels (an alias, or the path of a built
# tree); KID is its name under build/ (scripts/kernel id).
KID := $(shell $(TOP)/scripts/kernel id '$(KERNEL)')
ifeq ($(KID),)
$(error KERNEL=$(KERNEL) is not a kernel (see the message above))
endif

all: module

deps:
	@$(TOP)/scripts/deps

# make kernel [KERNEL=K]: download (distro) or build (test) kernel K.
kernel: deps
	@$(TOP)/scripts/kernel fetch $(KERNEL)

# Build the module in a copy of the sources per kernel, so the builds for
# different kernels never share objects.
ifneq ($(KDIR),)
module: deps
	@mkdir -p $(BUILD)/mod-kdir
	@rsync -a $(TOP)/Kbuild $(TOP)/kmod $(BUILD)/mod-kdir/
	$(MAKE) -C $(KDIR) M=$(BUILD)/mod-kdir W=1 CONFIG_DMASTRESS=m \
		CONFIG_DMASTRESS_KUNIT_TEST= modules
	@cp $(BUILD)/mod-kdir/dmastress.ko $(TOP)/dmastress.ko
else
module: $(BUILD)/mod-$(KID)/dmastress.ko
	@cp $< $(TOP)/dmastress.ko
endif

$(BUILD)/mod-%/dmastress.ko: $(MOD_SRCS)
	@$(TOP)/scripts/deps
	@$(TOP)/scripts/kernel module $* $(@D)

userspace: deps
	@if [ -f $(TOP)/bench/Makefile ]; then $(MAKE) -s -C $(TOP)/bench; fi
	@# A broken selftests build must not stop other guests; make selftests fails on it.
	@if [ -f $(TOP)/selftests/Makefile ]; then \
		$(MAKE) -s -C $(TOP)/selftests OUTPUT=$(BUILD)/selftests >$(BUILD)/selftests-build.log 2>&1 || \
		echo "userspace: selftests did not build, see $(BUILD)/selftests-build.log" >&2; fi

# Everything a guest of kernel $(KERNEL) needs (used by scripts/vm).
guest-files: $(BUILD)/mod-$(KID)/dmastress.ko userspace
	@mkdir -p $(BUILD)/guest-$(KID)
	@$(TOP)/scripts/initramfs $(KID) $(BUILD)/guest-$(KID)/initramfs.cpio

check:
	@$(TOP)/scripts/check

check-full:
	@FULL=1 $(TOP)/scripts/check

kunit:
	@$(TOP)/scripts/kunit --all

selftests:
	@$(TOP)/scripts/selftests

bench:
	@$(TOP)/bench/matrix

anchor:
	@$(TOP)/bench/anchor

# make soak [SECONDS=S] (default 60): see scripts/soak.
soak:
	@$(TOP)/scripts/soak $(if $(SECONDS),--seconds $(SECONDS))

lint:
	@$(TOP)/scripts/lint

clean:
	rm -rf $(BUILD) $(TOP)/results $(TOP)/dmastress.ko
	@if [ -f $(TOP)/bench/Makefile ]; then $(MAKE) -s -C $(TOP)/bench clean; fi
