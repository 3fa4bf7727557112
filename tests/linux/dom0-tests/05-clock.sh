# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/05-clock.sh - evidence for the host's clock checks
# (tests/linux/run-dom0.sh stamps every console line with its own time):
#   MICA-CLOCK <date +%s>         dom0's wall clock, to compare with the host's
#   MICA-SLEEP-BEGIN / -END       around `sleep 5`, for its wall-time length
# The sleep runs in the background so the other tests overlap it; run.sh
# waits for the PIDs listed in /tmp/bg.pids.  Both go straight to the
# console so they are not held back by run.sh's copy of the output.
echo "MICA-CLOCK $(date +%s)" >/dev/console
(
    echo "MICA-SLEEP-BEGIN"
    sleep 5
    echo "MICA-SLEEP-END"
) >/dev/console 2>&1 &
echo $! >>/tmp/bg.pids
