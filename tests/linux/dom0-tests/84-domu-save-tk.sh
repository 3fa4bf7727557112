# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/84-domu-save-tk.sh - the PV test kernel as a
# saveable guest (tests/guest/tests/save.c: it publishes its p2m, polls
# control/shutdown through its own xenstore client and suspends with
# SCHEDOP_shutdown(suspend)):
#   cancel   `mica save -c`, then a save into /dev/full that fails: each
#            time the guest sees a cancelled suspend (1) and counts on,
#            and micastored fires @releaseDomain at each of the two
#            suspends, which it does only if the first was followed by
#            XS_RESUME
#   loop     save and restore SAVE_TK_LOOPS times (20; mica.savetkloops=N
#            on dom0's command line for another count): each round the
#            guest is back under a new domid, says it resumed in a new
#            domain and its counter goes on; its size in `mica list` never
#            changes, and once it is destroyed dom0 sees as much free
#            memory as before it was created (MiB, as 82 checks; the
#            exact count of free and dom0 frames is printed beside it)
# Prints TEST domu/save-tk-<name> lines.
. /tests/lib.sh
domu_selected domu/save-tk || exit 0
CFG=/etc/mica/testkernel.cfg
if [ ! -x /usr/sbin/mica ] || [ ! -f /boot/mica-testkernel ] || [ ! -f $CFG ] ||
    [ ! -f /var/run/mica-consoled.pid ]; then
    skip domu/save-tk "needs /usr/sbin/mica, /boot/mica-testkernel, $CFG and mica-consoled"
    exit 0
fi
N=$(cmdline_value mica.savetkloops 20)
T=/tmp/domu-save-tk
mkdir -p $T
LOG=$GLOG/stk.log
# Frames that are free or dom0's, exactly (libmica-check; dom0's balloon
# moves frames between the two when it maps guests' frames).  Printed for
# the record: the check is on free MiB, as 82's (a few frames stay short
# after this test, not yet explained; see below).
free_frames() {
    libmica-check freepages 2>/dev/null |
        awk '$1 == "free_pages" && $3 == "dom0_pages" { print $2 + $4 }'
}
f0=$(free_mb) p0=$(free_frames)
count() { tr -d '\r' <$LOG | sed -n 's/^SAVE-COUNT=\([0-9][0-9]*\)$/\1/p' | tail -n 1; }
resumed() { tr -d '\r' <$LOG | grep -c "^SAVE-RESUMED $1 "; }
mem() { mica list stk 2>/dev/null | awk 'NR == 2 { print $3 }'; }
# more N: the counter went past N.
more() { [ "$(count)" -gt "$1" ] 2>/dev/null; }

mica create $CFG 'name="stk"' 'extra="test=save/loop save=1"' >$T/c.out 2>&1
started() { grep -q '^SAVE-COUNT=2' $LOG 2>/dev/null; }
if ! wait_for 60 started; then
    fail domu/save-tk-boot "stk never counted: $(tail -n 2 $T/c.out) $(tail -n 2 $LOG 2>/dev/null)"
    mica destroy stk 2>/dev/null
    exit 0
fi
m0=$(mem)

# Cancelled suspends, and @releaseDomain after each (XS_RESUME between).
xenstore-watch @releaseDomain >$T/rel.out 2>&1 &
wpid=$!
sleep 1
c0=$(count)
mica save -c stk $T/c.save >$T/s1.out 2>&1
r1=$?
rm -f $T/c.save
one() { [ "$(resumed cancelled)" -ge 1 ] && more "$c0"; }
wait_for 20 one
check domu/save-tk-cancel "save -c gave $r1 ($(tr '\n' '|' <$T/s1.out)); $(resumed cancelled) cancelled resumes, counter $c0 -> $(count)" \
    eval '[ $r1 = 0 ] && one'
c1=$(count)
mica save stk /dev/full >$T/s2.out 2>&1
r2=$?
two() { [ "$(resumed cancelled)" -ge 2 ] && more "$c1"; }
wait_for 20 two
check domu/save-tk-failed-save "save into /dev/full gave $r2 ($(tr '\n' '|' <$T/s2.out)); $(resumed cancelled) cancelled resumes, counter $c1 -> $(count)" \
    eval '[ $r2 = 1 ] && grep -q "Failed to save domain, resuming domain" $T/s2.out && two'
# One event when the watch is set, then one per suspend.
fired() { [ "$(grep -c '^@releaseDomain' $T/rel.out)" -ge 3 ]; }
wait_for 10 fired
check domu/save-tk-xs-resume "@releaseDomain seen $(grep -c '^@releaseDomain' $T/rel.out) times (want 3: the watch, then each suspend)" \
    fired
kill $wpid 2>/dev/null

# The loop.
i=0 ok=0 why=
id0=$(mica domid stk)
while [ $i -lt "$N" ]; do
    i=$((i + 1))
    c0=$(count)
    n0=$(resumed new-domain)
    if ! save_restore stk $T/stk.save; then
        why="round $i: $sr_why"
        break
    fi
    id=$(mica domid stk)
    back() { [ "$(resumed new-domain)" -gt "$n0" ] && more "$c0"; }
    if ! wait_for 20 back; then
        why="round $i: domain ${id:-gone}: $(($(resumed new-domain) - n0)) new-domain resumes, counter '$(count)' (was '$c0')"
        break
    fi
    if [ "$id" = "$id0" ] || [ "$(mem)" != "$m0" ]; then
        why="round $i: domid $id (was $id0), $(mem) MiB (was $m0)"
        break
    fi
    id0=$id
    ok=$i
done
check domu/save-tk-rounds "$ok of $N rounds; $why" [ "$ok" = "$N" ]
mica shutdown stk >/dev/null 2>&1
# On the hypervisor's console: the guest's last ring line can be lost to
# mica-consoled when the domain goes at once (seen 2 times in 8 runs).
down() { mica dmesg 2>/dev/null | grep -q ") SAVE-DONE 'poweroff'"; }
wait_for 20 down
check domu/save-tk-poweroff "after $ok rounds: '$(mica dmesg 2>/dev/null | grep ') SAVE-DONE' | tail -n 1)'" down
wait_for 20 gone stk || mica destroy stk 2>/dev/null
rm -f $T/stk.save
freed() { [ "$(free_mb)" -ge "$f0" ]; }
check domu/save-tk-frames "free memory $f0 MiB before, $(free_mb) after $ok rounds" wait_for 30 freed
echo "domu/save-tk: free and dom0 frames ${p0:-?} before, $(free_frames) after $ok rounds"
exit 0
