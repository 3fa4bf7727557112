# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/60-boot-log.sh - what dom0 asked of the hypervisor
# at boot worked: no failed PIRQ mapping, GSI set-up, swiotlb exchange,
# driver probe, pcpu sync or mcelog CPU list in the kernel log; the
# keyboard controller's and the RTC's interrupts are GSI-backed PIRQs; and
# an RTC alarm really arrives through the IO-APIC as dom0's event.
. /tests/lib.sh
dmesg > /tmp/dmesg-boot.txt
bad=$(grep -E 'failed -38|Failed to setup GSI|Failed to remap|probe of .* failed|Failed to sync pcpu|Failed to get CPU numbers' \
    /tmp/dmesg-boot.txt | head -n 1)
check boot-log "dmesg: $bad" [ -z "$bad" ]
check pirq-i8042 "no xen-pirq line for i8042 in /proc/interrupts" \
    grep -qE 'xen-pirq .*i8042' /proc/interrupts
check pirq-rtc0 "no xen-pirq line for rtc0 in /proc/interrupts" \
    grep -qE 'xen-pirq .*rtc0' /proc/interrupts

# Interrupts taken by the line whose last field is $1, summed over CPUs.
irqs() {
    awk -v dev="$1" '$NF == dev {
        n = 0
        for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i
        print n; exit }' /proc/interrupts
}
alarm=/sys/class/rtc/rtc0/wakealarm
if [ ! -w $alarm ]; then
    fail rtc-alarm-irq "no $alarm"
else
    before=$(irqs rtc0)
    echo 0 > $alarm
    echo +2 > $alarm
    i=0
    while [ $i -lt 50 ] && [ "$(irqs rtc0)" = "$before" ]; do
        sleep 0.1
        i=$((i + 1))
    done
    after=$(irqs rtc0)
    echo "rtc0 interrupts: $before before a 2 s alarm, $after after $((i / 10)).$((i % 10)) s"
    check rtc-alarm-irq "rtc0 interrupts stayed at $before for 5 s" [ "$after" != "$before" ]
fi
