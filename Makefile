# SPDX-License-Identifier: GPL-2.0-only
#
# dmastress: kernel-side DMA scatter-gather stress and benchmark suite.
#
#   make                 build dmastress.ko against KDIR (default: the running
#                        kernel's headers if present, else the distro headers
#                        under build/)
#   make bench           the main job: the benchmark matrix in QEMU, with plots
#   make check           every test (see README.md)
#   make kunit | selftests | soak | anchor | lint | deps | clean
#
# KDIR=<built tree> builds against another kernel (>= 6.1); KSRC=<source tree>
# builds the test kernel from another tree.

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

.PHONY: all module deps kernel-distro kernel-test userspace guest-files check \
	kunit selftests bench anchor soak lint clean

all: module

deps:
	@$(TOP)/scripts/deps

kernel-distro: deps
	@$(TOP)/scripts/kernel distro

kernel-test: deps
	@$(TOP)/scripts/kernel test

# Build the module in a copy of the sources per kernel, so the distro and
# the test builds never share objects.
ifneq ($(KDIR),)
module: deps
	@mkdir -p $(BUILD)/mod-kdir
	@rsync -a $(TOP)/Kbuild $(TOP)/kmod $(BUILD)/mod-kdir/
	$(MAKE) -C $(KDIR) M=$(BUILD)/mod-kdir W=1 CONFIG_DMASTRESS=m \
		CONFIG_DMASTRESS_KUNIT_TEST= modules
	@cp $(BUILD)/mod-kdir/dmastress.ko $(TOP)/dmastress.ko
else
module: $(BUILD)/mod-$(KERNEL)/dmastress.ko
	@cp $< $(TOP)/dmastress.ko
endif

$(BUILD)/mod-distro/dmastress.ko $(BUILD)/mod-test/dmastress.ko: $(MOD_SRCS)
	@$(TOP)/scripts/deps
	@k=$(patsubst mod-%,%,$(notdir $(@D))); \
	kdir=$$($(TOP)/scripts/kernel kdir $$k) || exit 1; \
	if [ $$k = test ] && [ ! -f $$kdir/Module.symvers ]; then \
		$(TOP)/scripts/kernel test || exit 1; fi; \
	mkdir -p $(@D) && rsync -a $(TOP)/Kbuild $(TOP)/kmod $(@D)/ && \
	$(MAKE) -s -C $$kdir M=$(@D) W=1 CONFIG_DMASTRESS=m \
		CONFIG_DMASTRESS_KUNIT_TEST= modules

userspace: deps
	@if [ -f $(TOP)/bench/Makefile ]; then $(MAKE) -s -C $(TOP)/bench; fi
	@# A broken selftests build must not stop other guests; make selftests fails on it.
	@if [ -f $(TOP)/selftests/Makefile ]; then \
		$(MAKE) -s -C $(TOP)/selftests OUTPUT=$(BUILD)/selftests >$(BUILD)/selftests-build.log 2>&1 || \
		echo "userspace: selftests did not build, see $(BUILD)/selftests-build.log" >&2; fi

# Everything a guest of kernel $(KERNEL) needs (used by scripts/vm).
guest-files: $(BUILD)/mod-$(KERNEL)/dmastress.ko userspace
	@mkdir -p $(BUILD)/guest-$(KERNEL)
	@$(TOP)/scripts/initramfs $(KERNEL) $(BUILD)/guest-$(KERNEL)/initramfs.cpio

check:
	@$(TOP)/scripts/check

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
