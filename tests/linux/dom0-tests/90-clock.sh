# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/90-clock.sh - evidence for the host's clock checks
# (tests/linux/run-dom0.sh stamps every console line with its own time):
#   MICA-CLOCK <sec.usec>             dom0's wall clock, to compare with the host's
#   MICA-SLEEP-BEGIN / -END <uptime>  around `sleep 5`, for its wall-time
#                                     length; dom0's own view is the uptime
# Last, and alone: overlapping the other tests on a busy TCG host made the
# sleep overrun by up to 0.9 s (by dom0's own clock too).  Both go straight
# to the console so that run.sh's copy of the output cannot delay them.
# busybox's date has no %N: adjtimex shows the clock to the microsecond.
now=$(busybox adjtimex | awk '/time.tv_sec/ { s = $2 } /time.tv_usec/ { u = $2 }
                              END { printf "%d.%06d", s, u }')
echo "MICA-CLOCK $now" >/dev/console
read -r begin _ </proc/uptime
echo "MICA-SLEEP-BEGIN $begin" >/dev/console
sleep 5
read -r up _ </proc/uptime
echo "MICA-SLEEP-END $up" >/dev/console
# dom0's own view: `sleep 5` lasts 5 s of its uptime (the host checks the
# wall time of the same sleep from the stamps).
. /tests/lib.sh
took=$(awk -v a="$begin" -v b="$up" 'BEGIN { printf "%d", (b - a) * 1000 }')
if [ "$took" -ge 4900 ] && [ "$took" -le 5500 ]; then
    pass clock/sleep-uptime
else
    fail clock/sleep-uptime "sleep 5 lasted $took ms of dom0's uptime"
fi
