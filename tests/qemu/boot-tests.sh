#!/usr/bin/env bash
# tests/qemu/boot-tests.sh HYPERVISOR - boot Mica in QEMU and check what it
# reports: banner, memory, modules, self tests, exception dump, power-off.
# Runs every check under two CPU models: "max,-smap" (x2APIC, NX, ...) and
# the minimal "qemu64".  Prints one "TEST name: RESULT" line per check.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
hv=$1
out=${BUILD:-build}/tests/qemu
mkdir -p "$out"

mkiso() {   # mkiso ISO CMDLINE [-m "FILE STR"]...
    local iso=$1 cmd=$2
    shift 2
    bash "$here/../../scripts/mkiso.sh" -o "$iso" -c "$cmd" "$hv" "$@"
}

# Two small modules with strings, to check they are listed.
printf 'first module\n' > "$out/mod-a.bin"
head -c 10000 /dev/zero > "$out/mod-b.bin"

mkiso "$out/full.iso" "console=com1 loglvl=all debug_exit=0xf4 selftest=all,poweroff bogus_opt=1" \
    -m "$out/mod-a.bin dom0 console=hvc0 earlyprintk=xen" -m "$out/mod-b.bin initrd extra=1" ||
    { error boot/iso "mkiso.sh failed"; result_exit; }
mkiso "$out/acpi-off.iso" "selftest=poweroff" ||
    { error boot/iso "mkiso.sh failed"; result_exit; }
mkiso "$out/exception.iso" "debug_exit=0xf4 selftest=exception" ||
    { error boot/iso "mkiso.sh failed"; result_exit; }
# A module that is not a PV kernel: refused with a reason, no crash.
head -c 4096 /dev/urandom > "$out/garbage.bin"
mkiso "$out/badkernel.iso" "debug_exit=0xf4" -m "$out/garbage.bin console=hvc0" ||
    { error boot/iso "mkiso.sh failed"; result_exit; }

check_ram() {   # check_ram NAME LOG MIB
    local kib
    kib=$(sed -n 's/^RAM: \([0-9]*\) KiB available.*/\1/p' "$2" | head -1)
    # QEMU keeps a little below 1 MiB and at the top of RAM for firmware.
    if [ -n "$kib" ] && [ "$kib" -le $(($3 * 1024)) ] && [ "$kib" -ge $(($3 * 1024 - 2048)) ]; then
        pass "$1"
    else
        fail "$1" "expected about $3 MiB of RAM, console says '${kib:-nothing}' KiB" "$2"
    fi
}

for cpu in "max,-smap" "qemu64"; do
    tag=${cpu%%,*}
    log=$out/full-$tag.log

    # Boot 1: 512 MiB, 2 CPUs, two modules, every self test, debug-exit.
    qemu_boot "$log" "$out/full.iso" "$cpu" 512 -smp 2
    rc=$?
    hv_output "$log" > "$log.hv"
    first=$(grep -m1 -v '^[[:space:]]*$' "$log.hv")
    case "$first" in
        "Mica "*" ("*")") pass "boot/$tag/banner" ;;
        *) fail "boot/$tag/banner" "first console line is '$first'" "$log" ;;
    esac
    check_ram "boot/$tag/ram-512M" "$log.hv" 512
    if grep -q "module 0: .* 'dom0 console=hvc0 earlyprintk=xen'" "$log.hv" &&
       grep -q "module 1: .* 10000 bytes 'initrd extra=1'" "$log.hv" &&
       grep -q '^Modules: 2$' "$log.hv"; then
        pass "boot/$tag/modules"
    else
        fail "boot/$tag/modules" "two modules with their strings not listed" "$log"
    fi
    if grep -q "cmdline: unknown option 'bogus_opt' (ignored)" "$log.hv"; then
        pass "boot/$tag/cmdline-unknown"
    else
        fail "boot/$tag/cmdline-unknown" "no complaint about bogus_opt" "$log"
    fi
    grep -q '^SMP: 2 CPUs online$' "$log.hv" && pass "boot/$tag/smp-2" ||
        fail "boot/$tag/smp-2" "2 CPUs given, console says '$(grep '^SMP:' "$log.hv")'" "$log"
    grep -q '^Time: TSC .* tick' "$log.hv" && pass "boot/$tag/timer-calibrated" ||
        fail "boot/$tag/timer-calibrated" "no calibration line" "$log"
    # The hypervisor's own TEST lines, renamed per CPU model.
    sed -n "s|^TEST hv/\([^:]*\):|TEST boot/$tag/selftest-\1:|p" "$log.hv"
    grep -q '^TEST hv/.*: FAIL' "$log.hv" && failed=1
    for t in frames heap timer; do
        grep -q "^TEST hv/$t:" "$log.hv" ||
            fail "boot/$tag/selftest-$t" "self test did not report" "$log"
    done
    # isa-debug-exit: QEMU exits with (code << 1) | 1, so success is 1.
    [ "$rc" -eq 1 ] && pass "boot/$tag/poweroff-debug-exit" ||
        fail "boot/$tag/poweroff-debug-exit" "QEMU exit status $rc, expected 1" "$log"

    # Boot 2: 2 GiB, 4 CPUs, power-off through ACPI S5 only.
    log=$out/acpi-$tag.log
    qemu_boot "$log" "$out/acpi-off.iso" "$cpu" 2048 -smp 4
    rc=$?
    hv_output "$log" > "$log.hv"
    grep -q '^SMP: 4 CPUs online$' "$log.hv" && pass "boot/$tag/smp-4" ||
        fail "boot/$tag/smp-4" "4 CPUs given, console says '$(grep '^SMP:' "$log.hv")'" "$log"
    check_ram "boot/$tag/ram-2048M" "$log.hv" 2048
    if [ "$rc" -eq 0 ] && grep -q '^Powering off' "$log.hv"; then
        pass "boot/$tag/poweroff-acpi"
    else
        fail "boot/$tag/poweroff-acpi" "QEMU exit status $rc, expected 0 after ACPI S5" "$log"
    fi

    # Boot 3: a deliberate #UD; the dump must name vector 6 and its RIP.
    log=$out/exception-$tag.log
    qemu_boot "$log" "$out/exception.iso" "$cpu" 256
    rc=$?
    hv_output "$log" > "$log.hv"
    want=$(sed -n 's/^selftest: expecting vector 6 at rip=\(0x[0-9a-f]*\)$/\1/p' "$log.hv")
    got=$(sed -n 's/^TRAP vector=\([0-9]*\) rip=\(0x[0-9a-f]*\)$/\1 \2/p' "$log.hv")
    if [ -n "$want" ] && [ "$got" = "6 $want" ] && grep -q '^RAX: ' "$log.hv" &&
       grep -q 'invalid opcode' "$log.hv" && [ "$rc" -eq 5 ]; then
        pass "boot/$tag/exception-dump"
    else
        fail "boot/$tag/exception-dump" "expected vector 6 at '$want', dump says '$got' (QEMU status $rc)" "$log"
    fi
done

log=$out/badkernel.log
qemu_boot "$log" "$out/badkernel.iso" "max,-smap" 256
rc=$?
hv_output "$log" > "$log.hv"
if grep -q '^Domain-0: kernel image rejected: ' "$log.hv" && ! grep -q 'PANIC\|FATAL' "$log.hv" &&
   grep -q '^dom0: not started' "$log.hv" && [ "$rc" -eq 3 ]; then
    pass "boot/bad-kernel-module"
else
    fail "boot/bad-kernel-module" "expected a one-line rejection and exit status 3, got $rc" "$log"
fi
result_exit
