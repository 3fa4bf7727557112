# SPDX-License-Identifier: MIT
# tests/uefi/dom0-firmware.sh - /tests/15-firmware.sh in dom0: what the
# firmware describes reached dom0, on a BIOS boot and a UEFI one alike:
#   firmware/acpi  the ACPI interpreter is enabled (dom0 found the RSDP)
#   firmware/dmi   DMI (SMBIOS) was found and is in sysfs
#   firmware/rtc0  the CMOS clock is rtc0
#   firmware/efi   dom0 sees EFI exactly when the machine booted from it
#                  (mica.firmware=efi on the kernel command line says it
#                  did; on UEFI, through XEN_FW_EFI_INFO, with the ACPI
#                  2.0 and SMBIOS config tables)
. /tests/lib.sh
dmesg > /tmp/dmesg-fw.txt
nofw=$(grep -E 'A valid RSDP was not found|Interpreter disabled' /tmp/dmesg-fw.txt | head -n 1)
check firmware/acpi "no 'ACPI: Interpreter enabled' in dmesg${nofw:+ ($nofw)}" \
    grep -q 'ACPI: Interpreter enabled' /tmp/dmesg-fw.txt
check firmware/dmi "no DMI line in dmesg or no /sys/class/dmi/id/sys_vendor" \
    sh -c "grep -q '] DMI: ' /tmp/dmesg-fw.txt && [ -s /sys/class/dmi/id/sys_vendor ]"
check firmware/rtc0 "rtc0 is '$(cat /sys/class/rtc/rtc0/name 2>/dev/null)', not rtc_cmos" \
    grep -q '^rtc_cmos' /sys/class/rtc/rtc0/name
case " $(cat /proc/cmdline) " in
*" mica.firmware=efi "*)
    efi=$(grep -E '] efi: EFI v' /tmp/dmesg-fw.txt | head -n 1)
    tables=$(grep -E '] efi: .*ACPI 2.0=' /tmp/dmesg-fw.txt | grep SMBIOS | head -n 1)
    check firmware/efi "dmesg: '${efi:-no efi: EFI line}', '${tables:-no ACPI 2.0 and SMBIOS tables}'" \
        [ -n "$efi" -a -n "$tables" -a -d /sys/firmware/efi ]
    ;;
*)
    check firmware/efi "dom0 sees EFI on a BIOS boot" [ ! -d /sys/firmware/efi ]
    ;;
esac
