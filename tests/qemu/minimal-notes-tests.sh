#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/qemu/minimal-notes-tests.sh HYPERVISOR TESTKERNEL - the test kernel
# built with only its GUEST_OS, XEN_VERSION, LOADER and HYPERCALL_PAGE
# notes (lib/minimal-notes.mk) boots on Mica as dom0 and as a boot-time
# guest in one run: Mica must take the ELF entry point and VIRT_BASE 0,
# as Xen's libelf does.  Prints
#
#   TEST mica/minimal/loaded-dom0, loaded-guest   the builder's line for
#        each domain says "entry 0x100000" (e_entry; no ENTRY note)
#   TEST mica/minimal/[dN/]<test>                 every test both ran
#   TEST mica/minimal/poweroff                    a clean power-off
set -u
here=$(cd "$(dirname "$0")" && pwd)
BOOT_TIMEOUT=${BOOT_TIMEOUT:-120}
. "$here/lib.sh"
[ $# -eq 2 ] || { echo "usage: minimal-notes-tests.sh HYPERVISOR TESTKERNEL" >&2; exit 2; }
hv=$1 kernel=$2
out=${BUILD:-build}/tests/minimal-notes
mkdir -p "$out"
# Tests that do not count on low addresses being unmapped: this kernel's
# own memory starts at virtual address 0 (pfn n at n pages).
tests=version/version,version/capabilities,version/get_features,version/pagesize
tests=$tests,version/platform_parameters,hypercall,console/write,console/bad_subop
tests=$tests,exceptions/breakpoint,exceptions/divide_error,exceptions/general_protection
tests=$tests,exceptions/invalid_opcode,exceptions/page_fault_write,callback/register_types
tests=$tests,callback/set_callbacks
log=$out/minimal.log

if ! bash "$here/../../scripts/mkiso.sh" -o "$out/minimal.iso" -c "$GUEST_HV_CMDLINE" "$hv" \
        -m "$kernel test=$tests,multi/wait_guests guests=1" \
        -m "$kernel domain=minimal mem=32M -- test=$tests"; then
    error mica/minimal/iso "mkiso.sh failed"
    result_exit
fi
qemu_boot "$log.raw" "$out/minimal.iso" "max,-smap" 512 -smp 2
rc=$?
hv_output "$log.raw" > "$log"

for d in 0 1; do
    name=$([ $d = 0 ] && echo dom0 || echo guest)
    if grep -q "^d$d (.*): Mica-testkernel kernel 'generic' xen-3.0, entry 0x100000, hypercall page" "$log"; then
        pass mica/minimal/loaded-$name
    else
        fail mica/minimal/loaded-$name "no 'd$d ... entry 0x100000, hypercall page' line" "$log"
    fi
done
n=$(grep -c 'TEST .*: PASS' "$log")
sed -n "s|^\(([d0-9]*) \)\{0,1\}TEST \([^:]*\):|TEST mica/minimal/\1\2:|p" "$log" |
    sed 's|/(\(d[0-9]*\)) |/\1/|'
# Each domain's runner ends with "N passed, 0 failed" (the guest's prefixed).
if [ "$(grep -cE '^(\(d1\) )?[0-9]+ passed, 0 failed$' "$log")" -ne 2 ] || [ "$n" -lt 35 ]; then
    fail mica/minimal/tests-ran "$n tests passed; both domains must finish with 0 failed" "$log"
else
    pass mica/minimal/tests-ran
fi
qemu_status mica/minimal/poweroff "$rc" 1 "$log.raw"
result_exit
