/* SPDX-License-Identifier: MIT */
/*
 * asm/io-apic.h - the IO-APICs: global system interrupts (GSIs) routed to
 * vectors on the boot CPU, masked until someone wants them.
 */
#ifndef ASM_IO_APIC_H
#define ASM_IO_APIC_H

#include <mica/types.h>

/* Called in interrupt context with the GSI that fired (see io-apic.c). */
typedef void (*gsi_handler_t)(unsigned int gsi);

void ioapic_init(void);
unsigned int ioapic_nr_gsis(void);      /* 0 without an IO-APIC */

/*
 * Trigger mode and polarity: what the firmware says (MADT overrides, ISA
 * and PCI defaults) until set_mode fixes it.  set_mode fails with -EINVAL
 * for a GSI that does not exist and -EEXIST once the mode was set or the
 * line is in use, as Xen's PHYSDEVOP_setup_gsi does.
 */
int ioapic_gsi_set_mode(unsigned int gsi, bool level, bool active_low);
bool ioapic_gsi_is_level(unsigned int gsi);
/* GSIs the hypervisor keeps (the PIT's); nobody else may take them. */
bool ioapic_gsi_reserved(unsigned int gsi);

/* Route the GSI to a vector and unmask it; or mask it and let go. */
int ioapic_gsi_enable(unsigned int gsi, gsi_handler_t fn);
void ioapic_gsi_disable(unsigned int gsi);
/* A level-triggered GSI is masked when it fires; this lets it fire again. */
void ioapic_gsi_unmask(unsigned int gsi);

/* Register reads for dom0 (PHYSDEVOP_apic_read): -EINVAL if no such IO-APIC. */
int ioapic_guest_read(uint64_t physbase, unsigned int reg, uint32_t *val);
/* May dom0 map this frame?  Not the local APIC; an IO-APIC only read-only. */
bool apic_mmio_denied(mfn_t mfn, bool writable);

#endif
