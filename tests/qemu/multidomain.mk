# SPDX-License-Identifier: MIT
# tests/qemu/multidomain.mk - `make test-multidomain`: scheduler weights
# and cap, interdomain event ping-pong, SMP IPIs and SCHEDOP_poll wake-ups,
# with the test kernel as dom0 and as boot-time guests
# (tests/qemu/multidomain-tests.sh); and the test kernel as a toolstack,
# building, running and destroying 100 domUs (tests/qemu/builder-tests.sh).
# Included by the top-level Makefile.

.PHONY: test-multidomain
TEST_SUITES += test-multidomain
test-multidomain: $(HV_ELF) $(BUILD)/tests/guest/testkernel
	$(Q)rc=0; BUILD=$(BUILD) bash tests/qemu/multidomain-tests.sh $(HV_ELF) \
		$(BUILD)/tests/guest/testkernel || rc=1; \
	BUILD=$(BUILD) SHARED=$(SHARED) REF_WORK=$(abspath $(BUILD)/ref) \
		bash tests/qemu/builder-tests.sh $(HV_ELF) $(BUILD)/tests/guest/testkernel || rc=1; \
	exit $$rc
