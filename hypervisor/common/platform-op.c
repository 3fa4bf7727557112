/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/platform-op.c - platform_op, the control domain's
 * requests about the machine itself: setting the wall clock, describing
 * the physical CPUs, and the firmware data found at boot.
 *
 * As in Xen the interface version is checked first (-EACCES), then the
 * caller's privilege (-EPERM).  Firmware data Mica never collected (BIOS
 * disk and display information) is "none" with Xen's errno, -ESRCH.  EFI
 * information comes from arch/x86/efi.c (-ENOSYS on a BIOS boot, as in
 * Xen).  EFI runtime calls answer -EOPNOTSUPP on an EFI boot, as Xen's
 * with runtime services off (efi=no-rs, Mica's only mode: efi.c), and
 * -ENOSYS on a BIOS boot.  Power management, memory types, microcode and
 * CPU hot-plug answer -ENOSYS.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/domctl.h>
#include <mica/efi.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <mica/time.h>
#include <public/platform.h>
#include <asm/config.h>
#include <asm/cpu-sig.h>
#include <asm/io.h>
#include <asm/smp.h>

#define BDA_KBD_SHIFT_FLAGS 0x417       /* BIOS data area: keyboard state */

static int firmware_info(struct xenpf_firmware_info *f)
{
    switch (f->type) {
    case XEN_FW_DISK_INFO:
    case XEN_FW_DISK_MBR_SIGNATURE:
    case XEN_FW_VBEDDC_INFO:
        return -ESRCH;                  /* none collected at boot */
    case XEN_FW_EFI_INFO:
        return efi_get_info(f);
    case XEN_FW_KBD_SHIFT_FLAGS:
        if (f->index != 0)
            return -ESRCH;
        /*
         * UEFI firmware keeps no BIOS data area, so the byte there means
         * nothing; Xen reads the flags through BIOS calls that an EFI boot
         * never makes, and answers 0.
         */
        f->u.kbd_shift_flags = efi_booted() ? 0 :
            *(const volatile uint8_t *)__va(BDA_KBD_SHIFT_FLAGS);
        return 0;
    default:
        return -EINVAL;
    }
}

static void cpuinfo(struct xenpf_pcpuinfo *p)
{
    unsigned int cpu = p->xen_cpuid;

    if (cpu >= CONFIG_NR_CPUS || !cpu_online(cpu)) {
        /* Xen leaves the other fields as they came. */
        p->flags = XEN_PCPU_FLAGS_INVALID;
    } else {
        p->apic_id = cpu_apic_id[cpu];
        p->acpi_id = cpu_acpi_id[cpu];
        p->flags = XEN_PCPU_FLAGS_ONLINE;
    }
    p->max_present = highest_online_cpu();
}

/*
 * Family, model and stepping as Xen computes them.  The CPUs of one
 * machine are taken as alike: this CPU answers for all.
 */
static void cpu_version(struct xenpf_pcpu_version *v)
{
    unsigned int cpu = v->xen_cpuid;
    struct cpuid_regs r;

    v->max_present = highest_online_cpu();
    if (cpu >= CONFIG_NR_CPUS || !cpu_online(cpu)) {
        memset(v->vendor_id, 0, sizeof(v->vendor_id));
        v->family = v->model = v->stepping = 0;
        return;
    }
    r = cpuid(0, 0);
    memcpy(v->vendor_id, &r.b, 4);
    memcpy(v->vendor_id + 4, &r.d, 4);
    memcpy(v->vendor_id + 8, &r.c, 4);
    cpu_signature(cpuid(1, 0).a, &v->family, &v->model, &v->stepping);
}

long do_platform_op(uint64_t arg)
{
    struct xen_platform_op op;
    long rc = control_op_fetch(&op, sizeof(op), arg, XENPF_INTERFACE_VERSION);

    if (rc)
        return rc;

    switch (op.cmd) {
    case XENPF_settime32:
        wallclock_set(op.u.settime32.secs, op.u.settime32.nsecs, op.u.settime32.system_time);
        return 0;
    case XENPF_settime64:
        if (op.u.settime64.mbz)
            return -EINVAL;
        wallclock_set(op.u.settime64.secs, op.u.settime64.nsecs, op.u.settime64.system_time);
        return 0;
    case XENPF_firmware_info:
        rc = firmware_info(&op.u.firmware_info);
        break;
    case XENPF_get_cpuinfo:
        cpuinfo(&op.u.pcpu_info);
        break;
    case XENPF_get_cpu_version:
        cpu_version(&op.u.pcpu_version);
        break;
    case XENPF_efi_runtime_call:
        return efi_booted() ? -EOPNOTSUPP : -ENOSYS;
    default:
        return -ENOSYS;
    }
    if (!rc && copy_to_guest(arg, &op, sizeof(op)))
        rc = -EFAULT;
    return rc;
}
