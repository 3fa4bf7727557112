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
read -r up _ </proc/uptime
echo "MICA-SLEEP-BEGIN $up" >/dev/console
sleep 5
read -r up _ </proc/uptime
echo "MICA-SLEEP-END $up" >/dev/console
