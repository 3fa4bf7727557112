# SPDX-License-Identifier: MIT
# tests/bench/bench.mk - `make bench`: null-hypercall and event-channel
# costs in the test kernel on Mica and on Xen 4.17, side by side
# (tests/bench/hypercall-bench.sh).  Included by the top-level Makefile.

.PHONY: bench-hypercall
BENCH_TARGETS += bench-hypercall
bench-hypercall: $(HV_ELF) $(BUILD)/tests/guest/testkernel
	$(Q)BUILD=$(BUILD) SHARED=$(SHARED) REF_WORK=$(abspath $(BUILD)/ref) \
		bash tests/bench/hypercall-bench.sh $(HV_ELF) $(BUILD)/tests/guest/testkernel

# Debian's Linux from QEMU's start to dom0's shell, Mica against Xen 4.17
# (tests/bench/dom0-boot-bench.sh), median of 3 boots each: about 3 min.
.PHONY: bench-dom0-boot
BENCH_TARGETS += bench-dom0-boot
bench-dom0-boot: $(HV_ELF) $(DOM0_XEN_GZ) $(DOM0_KERNEL) $(DOM0_INITRD)
	$(Q)BUILD=$(BUILD) MICA_CMDLINE="$(DOM0_HV_CMDLINE)" XEN_CMDLINE="$(DOM0_XEN_CMDLINE)" \
		DOM0_CMDLINE="$(DOM0_CMDLINE)" bash tests/bench/dom0-boot-bench.sh $(HV_ELF) $(DOM0_XEN_GZ)
