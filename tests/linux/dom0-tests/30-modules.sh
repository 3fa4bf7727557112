# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/30-modules.sh - the Xen dom0 modules loaded and
# their devices exist.
. /tests/lib.sh
missing=
for m in xen_privcmd xen_evtchn xen_gntdev xen_gntalloc xenfs; do
    grep -q "^$m " /proc/modules || missing="$missing $m"
done
check modules "not loaded:$missing" [ -z "$missing" ]
missing=
for d in privcmd evtchn gntdev gntalloc; do
    [ -c /dev/xen/$d ] || missing="$missing /dev/xen/$d"
done
check devices "missing:$missing" [ -z "$missing" ]
check xenfs "xenfs not mounted on /proc/xen" grep -q ' /proc/xen xenfs ' /proc/mounts
