/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/time.c - TSC and local-APIC-timer calibration, the
 * periodic tick, and the wall clock published to guests.
 *
 * Both the TSC and the APIC timer run at rates only the hardware knows, so
 * they are measured against the PIT, whose 1.193182 MHz input is fixed by
 * the PC architecture: PIT channel 2 counts down freely, and its counter
 * is read twice some 40 ms apart, each time with the TSC and the APIC
 * timer inside one tight bracket.  Timing a window's start and end by
 * polling instead cost a few microseconds at each end, and a CPU
 * descheduled meanwhile (QEMU on a busy host) stretched it: 0.1-0.3%,
 * which a guest's clock turns into seconds an hour.
 *
 * The wall clock is kept as the Unix time at system time 0.  It starts
 * from the RTC's boot read (to the second) and is set exactly at the
 * RTC's next second edge (rtc.c), unless dom0 has set it by then
 * (XENPF_settime*): dom0's word is final.
 *
 * Locking: wc_lock (irqsave, a leaf) guards the base and serialises every
 * writer of a shared_info's wc_* fields.
 */
#include <mica/lib.h>
#include <mica/time.h>
#include <mica/console.h>
#include <mica/timer.h>
#include <mica/domain.h>
#include <asm/cpu.h>
#include <asm/io.h>
#include <asm/apic.h>
#include <asm/traps.h>
#include <asm/spinlock.h>
#include <public/xen.h>

#define PIT_HZ          1193182UL
#define PIT_CH2         0x42
#define PIT_CMD         0x43
#define PIT_GATE        0x61
#define CALIBRATE_MS    40      /* at least, between the two readings */
#define CALIBRATE_TRIES 8       /* readings to pick the tightest of */
#define CALIBRATE_RUNS  6       /* measurements at most (pit_calibrate) */
#define NS_PER_S        1000000000UL

static uint64_t tsc_hz, apic_hz, tsc_at_boot;
static spinlock_t wc_lock = SPINLOCK_INIT;
static uint64_t wc_base;            /* Unix time at system time 0, in ns */
static bool wc_set_by_dom0;
static uint32_t pv_mul;         /* pvclock scale: ns = ((tsc << shift) * mul) >> 32 */
static int8_t pv_shift;
static uint64_t ns_per_cycle;        /* 32.32 fixed point */
static uint64_t apic_per_ns;         /* APIC timer counts (div 16) per ns, 32.32 */
static volatile uint64_t nr_ticks;

/*
 * One reading of PIT channel 2's counter, taken together with the TSC and
 * the APIC timer's count.  'width' is how many TSC cycles the reading took:
 * all three values belong to some instant inside that bracket.
 */
struct pit_sample {
    uint16_t pit;
    uint32_t apic;
    uint64_t tsc;               /* the bracket's midpoint */
    uint64_t width;
};

static struct pit_sample pit_sample(void)
{
    struct pit_sample sm;
    uint64_t t0, t1;
    uint8_t lo, hi;

    t0 = rdtsc();
    outb(PIT_CMD, 0x80);                        /* latch channel 2 */
    lo = inb(PIT_CH2);
    hi = inb(PIT_CH2);
    sm.apic = apic_read(APIC_TMCCT);
    t1 = rdtsc();
    sm.pit = lo | (uint16_t)hi << 8;
    sm.tsc = t0 + (t1 - t0) / 2;
    sm.width = t1 - t0;
    return sm;
}

/*
 * The tightest of a few consecutive readings: a reading the CPU was
 * descheduled in (QEMU on a busy host) or interrupted by SMM shows up as
 * a wide bracket and loses.
 */
static struct pit_sample pit_best_sample(void)
{
    struct pit_sample best = pit_sample(), sm;

    for (int i = 1; i < CALIBRATE_TRIES; i++) {
        sm = pit_sample();
        if (sm.width < best.width)
            best = sm;
    }
    return best;
}

/*
 * One measurement: the TSC and APIC timer rates over at least
 * CALIBRATE_MS of PIT channel 2, into *tsc and *apic.
 */
static void pit_measure(uint64_t *tsc, uint64_t *apic)
{
    uint32_t span = PIT_HZ * CALIBRATE_MS / 1000;
    struct pit_sample a, b;
    uint64_t spins = 0;
    uint8_t gate;

    /* Channel 2 free-running from 0xffff (55 ms), mode 0, speaker off. */
    gate = inb(PIT_GATE) & ~0x03;
    outb(PIT_GATE, gate);
    outb(PIT_CMD, 0xb0);
    outb(PIT_CH2, 0xff);
    outb(PIT_CH2, 0xff);
    apic_write(APIC_TDCR, APIC_TDCR_DIV16);
    apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
    apic_write(APIC_TMICT, 0xffffffff);
    outb(PIT_GATE, gate | 0x01);

    a = pit_best_sample();
    do {
        b = pit_best_sample();
    } while ((uint16_t)(a.pit - b.pit) < span && ++spins < 10000000UL);
    outb(PIT_GATE, gate);
    apic_write(APIC_TMICT, 0);
    if (spins >= 10000000UL)
        panic("PIT channel 2 is not counting: cannot calibrate timers");

    *tsc = (b.tsc - a.tsc) * PIT_HZ / (uint16_t)(a.pit - b.pit);
    *apic = (uint64_t)(a.apic - b.apic) * 16 * PIT_HZ / (uint16_t)(a.pit - b.pit);
}

/*
 * The 16-bit counter wraps every 55 ms.  A CPU kept from running longer
 * than that between two readings (QEMU on a busy host) misses a wrap: the
 * PIT seems to have moved 55 ms less than it did, and the rates come out
 * too high (by 3x and 3.7x on two QEMUs of one loaded host).  A missed
 * wrap only ever inflates them (by half or more), so measure until one
 * agrees with the lowest so far within TSC_SAME_PPM (the method's own
 * spread is about 20 ppm), CALIBRATE_RUNS times at most, and keep the
 * lowest.
 */
static int pit_calibrate(void)
{
    uint64_t tsc, apic;
    int i;

    for (i = 0; i < CALIBRATE_RUNS; i++) {
        bool agree;

        pit_measure(&tsc, &apic);
        agree = i && tsc_khz_same(tsc / 1000, tsc_hz / 1000);
        if (!i || tsc < tsc_hz) {
            tsc_hz = tsc;
            apic_hz = apic;
        }
        if (agree)
            break;
    }
    return i < CALIBRATE_RUNS ? i + 1 : i;      /* measurements taken */
}

/*
 * Guests scale TSC deltas as ((delta << shift) * mul) >> 32 with a 32-bit
 * mul, so pick the shift that brings the TSC rate into (1 GHz, 2 GHz]:
 * then mul = 10^9 * 2^32 / rate fits in 32 bits with full precision.
 */
static void compute_pvclock_scale(void)
{
    uint64_t rate = tsc_hz;
    int shift = 0;

    while (rate > 2000000000UL) {
        rate >>= 1;
        shift--;
    }
    while (rate <= 1000000000UL) {
        rate <<= 1;
        shift++;
    }
    pv_mul = (1000000000UL << 32) / rate;
    pv_shift = shift;
}

void pvclock_update(struct vcpu_time_info *t)
{
    t->version++;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    t->tsc_timestamp = rdtsc();
    t->system_time = now_ns();
    t->tsc_to_system_mul = pv_mul;
    t->tsc_shift = pv_shift;
    t->flags = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    t->version++;
}

void wallclock_update(struct shared_info *s)
{
    unsigned long flags = spin_lock_irqsave(&wc_lock);
    uint64_t sec = wc_base / NS_PER_S;

    s->wc_version++;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    s->wc_sec = (uint32_t)sec;
    s->wc_sec_hi = sec >> 32;
    s->wc_nsec = wc_base % NS_PER_S;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    s->wc_version++;
    spin_unlock_irqrestore(&wc_lock, flags);
}

/*
 * Every domain's shared_info gets the current base.  Safe in interrupt
 * context: a reference taken by id is never the last one put (domain.c).
 */
static void publish(void)
{
    for (domid_t id = 0; id < CONFIG_MAX_DOMAINS; id++) {
        struct domain *d = get_domain_by_id(id);

        if (!d)
            continue;
        wallclock_update(d->shared_info);
        put_domain(d);
    }
}

/*
 * dom0 says the time is secs.nsecs at system time 'system_time'
 * (XENPF_settime*): every domain sees it now, and the RTC no longer has
 * a say.
 */
void wallclock_set(uint64_t secs, uint32_t nsecs, uint64_t system_time)
{
    unsigned long flags = spin_lock_irqsave(&wc_lock);

    wc_base = secs * NS_PER_S + nsecs - system_time;
    wc_set_by_dom0 = true;
    spin_unlock_irqrestore(&wc_lock, flags);
    publish();
}

/*
 * The RTC turned to Unix second 'secs' at system time 'system_time'
 * (+-err ns).  False once dom0 has set the clock: the RTC may stop.
 */
bool wallclock_rtc_edge(uint64_t secs, uint64_t system_time, uint64_t err)
{
    unsigned long flags = spin_lock_irqsave(&wc_lock);
    uint64_t old = wc_base, base = secs * NS_PER_S - system_time;
    bool take = !wc_set_by_dom0;

    if (take)
        wc_base = base;
    spin_unlock_irqrestore(&wc_lock, flags);
    if (!take) {
        printk("Time: RTC second edge seen, dom0 has set the wall clock already\n");
        return false;
    }
    printk("Time: wall clock set at the RTC's second edge (+-%lu us): moved %ld ms\n",
           err / 1000, ((int64_t)(base - old)) / 1000000);
    publish();
    return true;
}

/*
 * The local APIC timer runs one-shot: it is always armed for the earliest
 * software timer on this CPU, or for the next scheduler tick (1/HZ) if
 * that comes first, so guests' timers fire on time without a fast
 * periodic interrupt.
 */
void timer_program(uint64_t deadline)
{
    uint64_t now = now_ns(), tick_at = now + 1000000000UL / CONFIG_HZ, delta, count;

    if (!deadline || deadline > tick_at)
        deadline = tick_at;
    delta = deadline > now ? deadline - now : 0;
    count = ((unsigned __int128)delta * apic_per_ns) >> 32;
    if (count == 0)
        count = 1;
    if (count > 0xffffffffUL)
        count = 0xffffffffUL;
    apic_write(APIC_TMICT, count);
}

static void tick(struct cpu_regs *regs)
{
    if (smp_processor_id() == 0) {
        nr_ticks++;
        console_poll_input();
        guest_console_poll();
    }
    apic_eoi();
    timer_interrupt();
}

void time_init(void)
{
    int runs;

    tsc_at_boot = rdtsc();
    runs = pit_calibrate();
    if (!tsc_hz || !apic_hz)
        panic("timer calibration failed (TSC %lu Hz, APIC %lu Hz)", tsc_hz, apic_hz);

    ns_per_cycle = (1000000000UL << 32) / tsc_hz;
    apic_per_ns = ((apic_hz / 16) << 32) / 1000000000UL;
    compute_pvclock_scale();
    /* The RTC was somewhere inside this second: guess its middle until the edge. */
    wc_base = rtc_read_unix_time() * NS_PER_S + NS_PER_S / 2 - now_ns();
    rtc_watch_edge();

    set_irq_handler(VEC_APIC_TIMER, tick);
    timer_start_local();

    printk("Time: TSC %lu.%03lu MHz, APIC timer %lu.%03lu MHz (PIT-calibrated, %d runs), tick %u Hz\n",
           tsc_hz / 1000000, (tsc_hz / 1000) % 1000,
           apic_hz / 1000000, (apic_hz / 1000) % 1000, runs, CONFIG_HZ);
}

/* Start this CPU's timer (the boot CPU's calibration serves all). */
void timer_start_local(void)
{
    apic_write(APIC_TDCR, APIC_TDCR_DIV16);
    apic_write(APIC_LVT_TIMER, VEC_APIC_TIMER);         /* one-shot */
    timer_program(0);
}

uint64_t now_ns(void)
{
    uint64_t d = rdtsc() - tsc_at_boot;

    return (uint64_t)(((unsigned __int128)d * ns_per_cycle) >> 32);
}

uint64_t tsc_khz(void)
{
    return tsc_hz / 1000;
}

uint64_t ticks(void)
{
    return nr_ticks;
}

void udelay(uint64_t us)
{
    uint64_t end = rdtsc() + tsc_hz / 1000000 * us;

    while (rdtsc() < end)
        cpu_relax();
}
