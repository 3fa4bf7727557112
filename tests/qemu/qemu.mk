# tests/qemu/qemu.mk - booting Mica in QEMU: `make run-hv` (Mica alone; `make
# run` with dom0 is in tests/linux/linux.mk), `make test-guest` for the
# booted test suites (tests/qemu/boot-tests.sh).

QEMU      ?= qemu-system-x86_64
QEMU_CPU  ?= max,-smap
QEMU_MEM  ?= 2048
QEMU_SMP  ?= 2

.PHONY: run-hv test-guest
run-hv: $(BUILD)/mica.iso
	$(QEMU) -accel tcg -cpu $(QEMU_CPU) -m $(QEMU_MEM) -smp $(QEMU_SMP) \
		-display none -monitor none -serial stdio -no-reboot -nic none \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-cdrom $(BUILD)/mica.iso -boot d

# Boot tests of the hypervisor itself, then the PV test kernel on Mica.
TEST_SUITES += test-guest
test-guest: $(HV_ELF) $(BUILD)/tests/guest/testkernel
	$(Q)rc=0; BUILD=$(BUILD) bash tests/qemu/boot-tests.sh $(HV_ELF) || rc=1; \
	BUILD=$(BUILD) bash tests/qemu/guest-tests.sh $(HV_ELF) $(BUILD)/tests/guest/testkernel || rc=1; \
	exit $$rc
