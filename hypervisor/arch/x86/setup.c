/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/setup.c - start_mica(), the first C code: brings up
 * the console, reads the boot information, and initialises memory,
 * interrupts and time, in that order.
 */
#include <string.h>
#include <generated/version.h>
#include <mica/lib.h>
#include <mica/bootinfo.h>
#include <mica/console.h>
#include <mica/serial.h>
#include <mica/params.h>
#include <mica/frame-alloc.h>
#include <mica/heap.h>
#include <mica/selftest.h>
#include <mica/time.h>
#include <mica/m2p.h>
#include <mica/domain.h>
#include <mica/page.h>
#include <mica/sched.h>
#include <mica/efi.h>
#include <asm/config.h>
#include <asm/desc.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/io-apic.h>
#include <asm/xstate.h>
#include <asm/power.h>
#include <asm/setup.h>
#include <asm/smp.h>

#define MBI_MAX_SIZE    (1U << 20)
#define LOW_MEMORY_END  0x100000UL      /* BIOS data, EBDA, option ROMs */

extern const char _start[], _end[];
static struct boot_info boot_info;
const struct boot_info *boot_info_ptr = &boot_info;

static const char *memtype_name(uint32_t t)
{
    static const char *const names[] = {
        "?", "available", "reserved", "ACPI data", "ACPI NVS", "bad",
    };
    return t < ARRAY_SIZE(names) ? names[t] : "unknown";
}

static void show_boot_info(const struct boot_info *bi, paddr_t mbi_pa)
{
    uint64_t ram = 0;

    printk("Boot loader: %s\n", bi->loader[0] ? bi->loader : "(unnamed)");
    printk("Command line: %s\n", bi->cmdline);
    printk("Multiboot2 info at %#lx, %u bytes\n", mbi_pa, bi->total_size);
    printk("Memory map:\n");
    for (unsigned int i = 0; i < bi->nr_memmap; i++) {
        const struct memmap_entry *m = &bi->memmap[i];

        printk("  [%016lx-%016lx] %s\n", m->addr, m->addr + m->len - 1,
               memtype_name(m->type));
        if (m->type == MEM_AVAILABLE)
            ram += m->len;
    }
    printk("RAM: %lu KiB available (%lu MiB)\n", ram >> 10, ram >> 20);
    printk("Modules: %u\n", bi->nr_modules);
    for (unsigned int i = 0; i < bi->nr_modules; i++)
        printk("  module %u: [%08lx-%08lx] %lu bytes '%s'\n", i,
               bi->modules[i].start, bi->modules[i].end,
               bi->modules[i].end - bi->modules[i].start, bi->modules[i].string);
    if (bi->rsdp)
        printk("ACPI RSDP: from boot loader (%u bytes)\n", bi->rsdp_len);
    else
        printk("ACPI RSDP: not given by boot loader\n");
}

/*
 * Hand all available RAM to the frame allocator, except what holds the
 * image, the boot information, the modules and the low megabyte.
 */
static void memory_init(const struct boot_info *bi, paddr_t mbi_pa)
{
    struct phys_range reserved[BOOT_MAX_MODULES + 4];
    unsigned int nres = 0;
    paddr_t top = 0, bitmap_pa;
    size_t bitmap_bytes;
    mfn_t frames;

    reserved[nres++] = (struct phys_range){ 0, LOW_MEMORY_END };
    reserved[nres++] = (struct phys_range){ __pa(_start), __pa(_end) };
    reserved[nres++] = (struct phys_range){ mbi_pa, mbi_pa + bi->total_size };
    for (unsigned int i = 0; i < bi->nr_modules; i++)
        reserved[nres++] = (struct phys_range){ bi->modules[i].start,
                                                bi->modules[i].end };

    for (unsigned int i = 0; i < bi->nr_memmap; i++) {
        const struct memmap_entry *m = &bi->memmap[i];

        if (m->type == MEM_AVAILABLE && m->addr + m->len > top)
            top = m->addr + m->len;
    }
    if (top > DIRECTMAP_VIRT_END - DIRECTMAP_VIRT_START)
        top = DIRECTMAP_VIRT_END - DIRECTMAP_VIRT_START;
    frames = top >> PAGE_SHIFT;
    bitmap_bytes = frames_bitmap_bytes(frames);

    /* The boot page tables map only 4 GiB: the bitmap must sit below it. */
    bitmap_pa = frames_find_space(bi->memmap, bi->nr_memmap, reserved, nres,
                                  bitmap_bytes, 4UL << 30);
    if (!bitmap_pa)
        panic("no room for the frame bitmap (%zu bytes)", bitmap_bytes);
    reserved[nres++] = (struct phys_range){ bitmap_pa, bitmap_pa + bitmap_bytes };

    frames_init(__va(bitmap_pa), frames);
    for (unsigned int i = 0; i < bi->nr_memmap; i++)
        if (bi->memmap[i].type == MEM_AVAILABLE)
            frames_add_free(bi->memmap[i].addr,
                            bi->memmap[i].addr + bi->memmap[i].len);
    for (unsigned int i = 0; i < nres; i++)
        frames_reserve(reserved[i].start, reserved[i].end);

    printk("Frames: %lu free of %lu (%lu MiB free), bitmap at %#lx\n",
           frames_free_count(), frames, frames_free_count() >> 8, bitmap_pa);
}

/*
 * CPU state every guest relies on: the FPU and SSE usable (CR0.EM clear,
 * CR4.OSFXSR), Xen's PAT layout (PV guests' cache bits assume it), and the
 * SYSCALL entry.
 */
void cpu_init(void)
{
    /* EM off, MP and NE on; AM so that guests' RFLAGS.AC means something. */
    write_cr0((read_cr0() & ~(1UL << 2)) | X86_CR0_MP | (1UL << 5) | (1UL << 18));
    write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
    asm volatile("fninit");
    xstate_init_cpu();
    wrmsr(0x277, 0x0000050100070406UL);
    syscall_init();
}

static void console_init(void)
{
    if (!strcmp(opt_console, "com1"))
        serial_init(COM1_PORT, opt_com1_baud);
    else if (!strcmp(opt_console, "com2"))
        serial_init(COM2_PORT, opt_com1_baud);
}

void __noreturn start_mica(uint32_t mbi_pa)
{
    const void *mbi = __va(mbi_pa);
    char why[128];
    int rc, failed;

    /* Printed before any console exists; console_register() replays it. */
    printk("Mica %s (%s)\n", MICA_VERSION, MICA_GIT_DESCRIBE);

    rc = mb2_parse(mbi, MBI_MAX_SIZE, &boot_info, why, sizeof(why));
    if (rc) {
        serial_init(COM1_PORT, CONFIG_SERIAL_BAUD);
        panic("bad Multiboot2 information: %s", why);
    }
    params_parse(boot_info.cmdline);
    hypervisor_cmdline = boot_info.cmdline;
    console_set_loglevel(opt_loglvl);
    console_init();

    show_boot_info(&boot_info, mbi_pa);
    descriptors_init(0);
    memory_init(&boot_info, mbi_pa);
    paging_init(&boot_info);
    printk("Direct map: %lu MiB at %p\n", direct_map_limit() >> 20,
           (void *)DIRECTMAP_VIRT_START);
    efi_init(&boot_info);
    m2p_init();
    frame_table_init(&boot_info);
    descriptor_tables_init();
    cpu_init();

    acpi_init(boot_info.rsdp);
    power_init();
    apic_init();
    ioapic_init();
    time_init();
    sched_init();
    smp_boot_cpus();

    failed = run_selftests();
    if (opt_selftest[0])
        machine_poweroff(failed ? EXIT_FAILURE_CODE : EXIT_SUCCESS_CODE);

    if (boot_info.nr_modules)
        start_domains(&boot_info);
    printk("Mica: boot complete; no dom0 kernel module given, idling.\n");
    scheduler_enter_idle();
}
