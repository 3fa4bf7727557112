# SPDX-License-Identifier: MIT
# tests/qemu/multidomain.mk - `make test-multidomain`: scheduler weights
# and cap, interdomain event ping-pong, SMP IPIs and SCHEDOP_poll wake-ups,
# with the test kernel as dom0 and as boot-time guests
# (tests/qemu/multidomain-tests.sh).  Included by the top-level Makefile.

.PHONY: test-multidomain
TEST_SUITES += test-multidomain
test-multidomain: $(HV_ELF) $(BUILD)/tests/guest/testkernel
	$(Q)BUILD=$(BUILD) bash tests/qemu/multidomain-tests.sh $(HV_ELF) $(BUILD)/tests/guest/testkernel
