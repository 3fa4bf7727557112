# SPDX-License-Identifier: MIT
# tests/linux/linux.mk - the Debian Linux dom0: kernel, initramfs, ISO and
# its tests (included by the top-level Makefile).
#
#   make dom0-kernel    $(BUILD)/dom0/vmlinux-dom0: the ELF kernel taken out
#                       of Debian's linux-image-amd64 (apt-get download +
#                       dpkg -x into $(BUILD)/dom0/root, never installed);
#                       its modules stay in $(BUILD)/dom0/root/lib/modules
#   make dom0-initrd    $(BUILD)/dom0/initrd-dom0: busybox-static, /init
#                       (scripts/dom0/init), the Xen modules, the dom0 tests,
#                       and what guests boot from: Debian's bzImage as
#                       installed (/boot/vmlinuz-<version>, linked from
#                       /boot/vmlinuz), the domU initramfs of tests/domu
#                       (/boot/initrd-domU.img), the PV test kernel
#                       (/boot/mica-testkernel) and their configurations
#                       in /etc/mica (dom0-tools/etc)
#   make dom0-iso       $(BUILD)/dom0/mica-dom0.iso: Mica + dom0 kernel + initrd
#   make run            boot that ISO in QEMU with dom0's shell on this
#                       terminal (Ctrl-A X quits QEMU, `poweroff` too)
#   make test-linux-xen the dom0 tests on real Xen 4.17 (reference rig);
#                       log in $(BUILD)/dom0/xen.log
#   make test-linux     the same on Mica, once per QEMU configuration of
#                       DOM0_MATRIX; logs in $(BUILD)/dom0/mica-<config>.log
#   make test-domu      Debian's Linux as domUs: the NN-domu*.sh dom0 tests
#                       and the README walk-through typed from the host
#   make test-two-hosts two Mica machines in two QEMUs joined by -netdev
#                       socket on 127.0.0.1 (tests/linux/two-hosts.sh); in
#                       make test-long; logs in $(BUILD)/dom0/two-hosts/
#
# Adding files to the initramfs: append "SRC:DST" pairs to DOM0_EXTRA_FILES
# (DST absolute; ending in / means "into that directory"), e.g.
#   DOM0_EXTRA_FILES += $(BUILD)/dom0-tools/mica:/usr/sbin/mica
#   DOM0_EXTRA_FILES += dom0-tools/S10xenstored:/etc/init.d/S10xenstored
# Each SRC becomes a prerequisite of the initramfs, so its build rule runs
# first.  /init runs every executable /etc/init.d/S[0-9]* with "start"
# before it prints MICA-DOM0-READY.  In-guest tests go in
# tests/linux/dom0-tests/NN-name.sh and print "TEST name: PASS|FAIL why".

DOM0_DIR     := tests/linux
DOM0_OUT     := $(BUILD)/dom0
DOM0_ROOT    := $(DOM0_OUT)/root
DOM0_KERNEL  := $(DOM0_OUT)/vmlinux-dom0
DOM0_INITRD  := $(DOM0_OUT)/initrd-dom0
DOM0_ISO     := $(DOM0_OUT)/mica-dom0.iso
DOM0_STAMP   := $(DOM0_OUT)/pkgs/.unpacked
DOM0_TESTS   := $(wildcard $(DOM0_DIR)/dom0-tests/*)
DOM0_PROGS   := $(DOM0_OUT)/bin/xen-version $(DOM0_OUT)/bin/evtchn-selftest
SHARED       ?= ../shared

# Kernel command lines: the plain one on both hypervisors (README lists any
# option a configuration still needs).  Mica powers off through ACPI S5, so
# QEMU ends with status 0 as it does with Xen.
DOM0_CMDLINE     ?= console=hvc0 earlyprintk=xen
# dom0 gets 512 MiB (as on the reference rig) and QEMU 1.5 GiB, which
# leaves room for two 256 MiB Linux domUs and test-kernel domUs beside it.
DOM0_HV_CMDLINE  ?= console=com1 loglvl=all dom0_mem=512M,max:512M
DOM0_QEMU_MEM    ?= 1536
DOM0_XEN_CMDLINE ?= console=com1 com1=115200,8n1 dom0_mem=512M,max:512M loglvl=all guest_loglvl=all
DOM0_XEN_DOM0_CMDLINE ?= console=hvc0 earlyprintk=xen

DOM0_EXTRA_FILES += $(DOM0_OUT)/bin/xen-version:/usr/bin/xen-version
DOM0_EXTRA_FILES += tests/lib/result.sh:/tests/result.sh
DOM0_EXTRA_FILES += tests/lib/wait.sh:/tests/wait.sh
DOM0_EXTRA_FILES += $(DOM0_OUT)/bin/evtchn-selftest:/usr/bin/evtchn-selftest
DOM0_EXTRA_FILES += $(DOMU_INITRD):/boot/initrd-domU.img
DOM0_EXTRA_FILES += $(GUEST_KERNEL):/boot/mica-testkernel
DOM0_EXTRA_FILES += $(DOM0_OUT)/bin/logdirty-probe:/usr/bin/logdirty-probe
DOM0_EXTRA_FILES += $(DOM0_DIR)/twohost:/usr/bin/twohost

# The Xen modules dom0's /init loads (paths under the module tree).
DOM0_MODULES := $(addprefix drivers/xen/,xen-privcmd xen-evtchn xen-gntdev xen-gntalloc xenfs/xenfs)
# The driver of the NIC QEMU gives a machine of test-two-hosts (loaded by
# tests/linux/twohost, not at boot: the other runs have no NIC).
DOM0_MODULES += drivers/net/ethernet/intel/e1000/e1000

include tests/domu/domu.mk

.PHONY: dom0-kernel dom0-initrd dom0-iso test-linux-xen test-linux test-domu test-two-hosts run
dom0-kernel: $(DOM0_KERNEL)
dom0-initrd: $(DOM0_INITRD)
dom0-iso: $(DOM0_ISO)

# Download and unpack once; the stamp depends on nothing, so the packages
# are fetched again only after `make distclean`.
$(DOM0_STAMP):
	$(quiet) FETCH "linux-image-amd64 busybox-static"
	$(Q)bash scripts/dom0/fetch-debs.sh $(DOM0_OUT)/pkgs linux-image-amd64 busybox-static
	$(Q)touch $@

$(DOM0_KERNEL): $(DOM0_STAMP) scripts/dom0/extract-vmlinux.sh
	$(quiet) GEN $@
	$(Q)bash scripts/dom0/extract-vmlinux.sh $(firstword $(wildcard $(DOM0_ROOT)/boot/vmlinuz-*)) $@

$(DOM0_OUT)/bin/%: $(DOM0_DIR)/%.c
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

# libmica's log-dirty wrappers against a running domU (85-domu-logdirty.sh).
$(DOM0_OUT)/bin/logdirty-probe: $(DOM0_DIR)/logdirty-probe.c $(BUILD)/dom0-tools/libmica/libmica.a
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) -static -O2 -Wall -Wextra -Werror $(LIBMICA_CFLAGS) -o $@ $< \
		$(BUILD)/dom0-tools/libmica/libmica.a $(LIBMICA_LDLIBS)

# The list of extra files, rewritten only when it changes.
$(DOM0_OUT)/extra-files.list: FORCE
	@mkdir -p $(dir $@)
	@echo '$(strip $(DOM0_EXTRA_FILES))' | cmp -s - $@ || echo '$(strip $(DOM0_EXTRA_FILES))' > $@

# Second expansion lets fragments included after this one add files.
dom0_extra_srcs = $(foreach p,$(DOM0_EXTRA_FILES),$(firstword $(subst :, ,$(p))))
.SECONDEXPANSION:
$(DOM0_INITRD): $(DOM0_STAMP) scripts/dom0/init scripts/dom0/mkinitrd.sh $(DOM0_TESTS) \
		$(DOM0_OUT)/extra-files.list $$(dom0_extra_srcs)
	$(quiet) GEN $@
	$(Q)bash scripts/dom0/mkinitrd.sh -o $@ -r $(DOM0_ROOT) -i scripts/dom0/init -k \
		$(foreach m,$(DOM0_MODULES),-m $(m)) -t $(DOM0_DIR)/dom0-tests \
		$(foreach p,$(DOM0_EXTRA_FILES),-f $(p))

# Both command lines, rewritten only when they change, so the ISO follows them.
$(DOM0_OUT)/cmdlines: FORCE
	@mkdir -p $(dir $@)
	@echo '$(DOM0_HV_CMDLINE)|$(DOM0_CMDLINE)' | cmp -s - $@ || echo '$(DOM0_HV_CMDLINE)|$(DOM0_CMDLINE)' > $@

$(DOM0_ISO): $(HV_ELF) $(DOM0_KERNEL) $(DOM0_INITRD) scripts/mkiso.sh $(DOM0_OUT)/cmdlines
	$(quiet) GEN $@
	$(Q)bash scripts/mkiso.sh -o $@ -c "$(DOM0_HV_CMDLINE)" $(HV_ELF) \
		--dom0 $(DOM0_KERNEL) "$(DOM0_CMDLINE)" $(DOM0_INITRD)

# Real Xen 4.17 from the reference rig (built once under $(BUILD)/ref).
DOM0_XEN_GZ := $(BUILD)/ref/root/boot/xen-4.17-amd64.gz
$(DOM0_XEN_GZ):
	$(quiet) GEN $@
	$(Q)mkdir -p $(BUILD)/ref
	$(Q)skip=0; command -v qemu-system-x86_64 >/dev/null && command -v grub-mkrescue >/dev/null \
		&& command -v xorriso >/dev/null && skip=1; \
	WORK=$(abspath $(BUILD)/ref) SKIP_APT=$$skip bash $(SHARED)/ref/build.sh \
		> $(BUILD)/ref.build.log 2>&1 || { echo "reference rig failed, see $(BUILD)/ref.build.log"; exit 1; }

test-linux-xen: $(DOM0_XEN_GZ) $(DOM0_KERNEL) $(DOM0_INITRD)
	$(Q)BUILD=$(BUILD) PREFIX=linux-xen TIMEOUT=600 HV_NAME=xen.gz HV_CMDLINE="$(DOM0_XEN_CMDLINE)" \
		DOM0_CMDLINE="$(DOM0_XEN_DOM0_CMDLINE)" OFF_MARK="Entering ACPI S5" \
		bash $(DOM0_DIR)/run-dom0.sh $(DOM0_XEN_GZ) $(DOM0_OUT)/xen-dom0.iso $(DOM0_OUT)/xen.log

# Mica, with 1 and 2 CPUs of both CPU models: NAME:SMP:CPU[:vmlinuz].  All
# boots share one ISO but those marked vmlinuz, whose ISO installs
# Debian's bzImage as /boot/vmlinuz-<version> under the GRUB entry Debian's
# Xen package writes (scripts/mkiso.sh): Mica unpacks the xz payload
# itself (about 8 s under TCG), checked as <name>/bzimage.  Each boot took
# about 22 s (5 of them the sleep check) before the dom0 tests started
# guests; now up to 330 s on a busy host, so QEMU gets 600 s.
DOM0_MATRIX ?= smp1-max:1:max,-smap smp2-max:2:max,-smap smp1-qemu64:1:qemu64 \
	smp2-qemu64:2:qemu64:vmlinuz
test-linux: $(HV_ELF) $(DOM0_KERNEL) $(DOM0_INITRD)
	$(Q)rc=0; for c in $(DOM0_MATRIX); do \
		set -- $$(echo "$$c" | tr : ' '); \
		iso=$(DOM0_OUT)/mica-dom0-test.iso kernel=$(DOM0_KERNEL); \
		if [ "$${4:-}" = vmlinuz ]; then \
			iso=$(DOM0_OUT)/mica-dom0-vmlinuz.iso; \
			kernel=$$(ls $(DOM0_ROOT)/boot/vmlinuz-* | head -1); \
		fi; \
		BUILD=$(BUILD) PREFIX=linux/$$1 SMP=$$2 CPU=$$3 HV_CMDLINE="$(DOM0_HV_CMDLINE)" TIMEOUT=600 \
			MEM=$(DOM0_QEMU_MEM) DOM0_CMDLINE="$(DOM0_CMDLINE)" OFF_MARK="Powering off (status 0)" \
			KERNEL=$$kernel bash $(DOM0_DIR)/run-dom0.sh $(HV_ELF) $$iso \
			$(DOM0_OUT)/mica-$$1.log || rc=1; \
		if [ "$${4:-}" = vmlinuz ]; then \
			if grep -q "Domain-0: bzImage: xz payload" $(DOM0_OUT)/mica-$$1.log; then \
				echo "TEST linux/$$1/bzimage: PASS"; \
			else echo "TEST linux/$$1/bzimage: FAIL Mica did not unpack the bzImage"; rc=1; fi; \
		fi; \
	done; exit $$rc

# Debian's Linux as domUs through the whole control plane, in one boot:
# dom0 runs only its NN-domu*.sh tests (mica.tests=domu), then the host
# types the README walk-through (tests/linux/domu-session).  Minutes of
# guest boots under TCG, hence its own target; log in $(DOM0_OUT)/mica-domu.log.
test-domu: $(HV_ELF) $(DOM0_KERNEL) $(DOM0_INITRD)
	$(Q)BUILD=$(BUILD) PREFIX=dom0 SMP=2 CPU=max,-smap MEM=$(DOM0_QEMU_MEM) \
		HV_CMDLINE="$(DOM0_HV_CMDLINE)" OFF_MARK="Powering off (status 0)" \
		DOM0_CMDLINE="$(DOM0_CMDLINE) mica.tests=domu mica.autooff=1800" \
		CLOCK_CHECKS=0 SESSION=$(DOM0_DIR)/domu-session TIMEOUT=2400 GRACE=60 \
		bash $(DOM0_DIR)/run-dom0.sh $(HV_ELF) $(DOM0_OUT)/mica-domu.iso $(DOM0_OUT)/mica-domu.log

# Two machines, each Mica and dom0 from the plain ISO, on one wire of
# their own: pings, a checked TCP transfer, both e1000s bridged into
# micabr0 and a domU on A reaching B.  Two TCG machines at once on a shared
# host take many minutes, hence make test-long.
test-two-hosts: $(DOM0_ISO)
	$(Q)BUILD=$(BUILD) bash $(DOM0_DIR)/two-hosts.sh $(DOM0_ISO) $(DOM0_OUT)/two-hosts

# $(call dom0_tests_boot,TESTS,NAME,SECONDS): a recipe line booting dom0
# once with only the dom0 tests mica.tests=TESTS selects, powering off
# after SECONDS at most; log in $(DOM0_OUT)/mica-NAME.log (benchmarks).
dom0_tests_boot = BUILD=$(BUILD) PREFIX=dom0 SMP=2 CPU=max,-smap MEM=$(DOM0_QEMU_MEM) \
	HV_CMDLINE="$(DOM0_HV_CMDLINE)" OFF_MARK="Powering off (status 0)" \
	DOM0_CMDLINE="$(DOM0_CMDLINE) mica.tests=$(1) mica.autooff=$(3)" \
	CLOCK_CHECKS=0 TIMEOUT=$$(($(3) + 300)) GRACE=60 \
	bash $(DOM0_DIR)/run-dom0.sh $(HV_ELF) $(DOM0_OUT)/mica-$(2).iso $(DOM0_OUT)/mica-$(2).log

# Mica and Debian's Linux with an interactive dom0 shell on this terminal.
run: $(DOM0_ISO)
	$(QEMU) -accel tcg -cpu $(QEMU_CPU) -m $(DOM0_QEMU_MEM) -smp $(QEMU_SMP) -display none \
		-serial mon:stdio -no-reboot -nic none -cdrom $(DOM0_ISO) -boot d

# About 30 s and 4 x 22 s (QEMU TCG) before the dom0 tests started guests,
# test-domu 130 s on a quiet host (up to 12 min on a loaded one); the
# first run also downloads ~70 MB of packages.
TEST_SUITES += test-linux-xen test-linux test-domu
TEST_LONG_SUITES += test-two-hosts
DEPS_PKGS += xz-utils binutils libc6-dev qemu-system-x86 grub-pc-bin grub-common xorriso mtools

.PHONY: FORCE
FORCE:
