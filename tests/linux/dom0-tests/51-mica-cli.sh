# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/51-mica-cli.sh - the `mica` CLI in dom0 with no
# guest: help and --help of every verb, xl's list/info/vcpu-list columns
# for Domain-0, dmesg, domid/domname, and xl's messages and exit statuses
# for unknown verbs, options and domains.  Prints TEST mica/<name> lines.
. /tests/lib.sh
if [ ! -x /usr/sbin/mica ]; then
    skip mica/cli "no /usr/sbin/mica in the initramfs"
    exit 0
fi
T=/tmp/mica-cli
mkdir -p $T
# run NAME CMD...: stdout, stderr and the status of CMD into $T/NAME.*
run() {
    n=$1
    shift
    "$@" >$T/$n.out 2>$T/$n.err
    echo $? >$T/$n.rc
}
rc() { cat $T/$1.rc; }

run help mica help
check mica/help "rc $(rc help), or no create/list/destroy lines" \
    sh -c "[ $(rc help) = 0 ] && grep -q '^ create  ' $T/help.out &&
           grep -q '^ list  ' $T/help.out && grep -q '^ destroy  ' $T/help.out"
run noverb mica
check mica/no-verb "rc $(rc noverb), not 1 with the verb list" \
    sh -c "[ $(rc noverb) = 1 ] && grep -q '^ shutdown  ' $T/noverb.out"

bad=
for v in $(awk 'NR > 4 { print $1 }' $T/help.out); do
    mica "$v" --help >$T/vh.out 2>&1
    [ $? = 0 ] && head -n 1 $T/vh.out | grep -q "^Usage: mica \[-vtT[fN]*\] $v " || bad="$bad $v"
done
check mica/verb-help "--help wrong for:$bad" [ -z "$bad" ]
mica pause -h >$T/vh2.out 2>&1
check mica/verb-h "mica pause -h differs from --help" sh -c "mica pause --help | cmp -s - $T/vh2.out"
run helpv mica help create
check mica/help-verb "mica help create differs from mica create --help" \
    sh -c "mica create --help | cmp -s - $T/helpv.out"
run frob mica frobnicate
check mica/unknown-verb "rc $(rc frob), '$(cat $T/frob.err)'" \
    sh -c "[ $(rc frob) = 1 ] && [ \"\$(cat $T/frob.err)\" = 'command not implemented' ]"
run helpfrob mica help frobnicate
check mica/help-unknown "rc $(rc helpfrob), '$(cat $T/helpfrob.out)'" \
    sh -c "[ $(rc helpfrob) = 0 ] && grep -qx 'command \"frobnicate\" not implemented' $T/helpfrob.out"
run badopt mica list -z
check mica/bad-option "rc $(rc badopt), '$(cat $T/badopt.err)'" \
    sh -c "[ $(rc badopt) = 2 ] && grep -qx \"option \\\`z' not supported.\" $T/badopt.err"
run noarg mica pause
check mica/missing-arg "rc $(rc noarg), '$(head -n 1 $T/noarg.err)'" \
    sh -c "[ $(rc noarg) = 2 ] && grep -qx \"'mica pause' requires at least 1 argument.\" $T/noarg.err"
run globalopt mica -z list
check mica/bad-global-option "rc $(rc globalopt)" \
    sh -c "[ $(rc globalopt) = 1 ] && grep -qx 'unknown global option' $T/globalopt.err"

# xl list: the header with its tabs, dom0 in state r (it runs this).
run list mica list
hdr=$(printf 'Name                                        ID   Mem VCPUs\tState\tTime(s)')
check mica/list-header "header '$(head -n 1 $T/list.out)'" \
    sh -c "[ $(rc list) = 0 ] && [ \"\$(head -n 1 $T/list.out)\" = \"$hdr\" ]"
check mica/list-dom0 "no Domain-0 row in: $(sed -n 2p $T/list.out)" \
    grep -Eq '^Domain-0 {32} {5}0 [ 0-9]{5} [ 0-9]{5}     r[b-]----  [ 0-9]{6}\.[0-9]$' $T/list.out
run list0 mica li 0
check mica/list-prefix-id "mica li 0: $(cat $T/list0.out $T/list0.err)" \
    sh -c "[ $(rc list0) = 0 ] && [ \$(wc -l < $T/list0.out) = 2 ] && grep -q '^Domain-0 ' $T/list0.out"
run listv mica list -v Domain-0
check mica/list-verbose "$(tail -n 1 $T/listv.out)" \
    grep -Eq '^Domain-0 .* 00000000-0000-0000-0000-000000000000 {8}- {16}-$' $T/listv.out
run listl mica list -l
check mica/list-long "no JSON with domid 0" \
    sh -c "[ $(rc listl) = 0 ] && grep -q '\"domid\": 0,' $T/listl.out && tail -n 1 $T/listl.out | grep -qx ']'"

run info mica info
bad=
for k in host release nr_cpus total_memory free_memory xen_version xen_scheduler xen_pagesize; do
    grep -Eq "^$k {$((23 - ${#k}))}: " $T/info.out || bad="$bad $k"
done
check mica/info "rc $(rc info), missing:$bad" sh -c "[ $(rc info) = 0 ] && [ -z '$bad' ]"
tot=$(awk '$1 == "total_memory" { print $3 }' $T/info.out)
free=$(awk '$1 == "free_memory" { print $3 }' $T/info.out)
check mica/info-memory "total $tot free $free" sh -c "[ '${tot:-0}' -gt 0 ] && [ '${free:-0}' -le '${tot:-0}' ]"
check mica/info-release "release is not uname -r" grep -q "^release  *: $(uname -r)$" $T/info.out

run dmesg mica dmesg
check mica/dmesg "rc $(rc dmesg), $(wc -c < $T/dmesg.out) bytes" \
    sh -c "[ $(rc dmesg) = 0 ] && [ \$(wc -c < $T/dmesg.out) -gt 100 ]"

run domid mica domid Domain-0
run domname mica domname 0
check mica/domid "'$(cat $T/domid.out)'" sh -c "[ $(rc domid) = 0 ] && [ \"\$(cat $T/domid.out)\" = 0 ]"
check mica/domname "'$(cat $T/domname.out)'" \
    sh -c "[ $(rc domname) = 0 ] && [ \"\$(cat $T/domname.out)\" = Domain-0 ]"

# Unknown domains: xl's message and status 1 from every verb that takes one.
bad=
for v in list pause unpause destroy shutdown reboot console vcpu-list uptime; do
    mica $v nosuchdom >$T/u.out 2>$T/u.err
    r=$?
    [ $r = 1 ] && grep -qx 'nosuchdom is an invalid domain identifier (rc=-6)' $T/u.err ||
        bad="$bad $v($r)"
done
check mica/unknown-domain "wrong for:$bad" [ -z "$bad" ]
run nodomid mica domid nosuchdom
check mica/domid-unknown "rc $(rc nodomid): $(cat $T/nodomid.err)" \
    sh -c "[ $(rc nodomid) = 1 ] && grep -q \"^Can't get domid of domain name 'nosuchdom'\" $T/nodomid.err"
run nodomname mica domname 4000
check mica/domname-unknown "rc $(rc nodomname): $(cat $T/nodomname.err)" \
    sh -c "[ $(rc nodomname) = 1 ] && grep -q \"^Can't get domain name of domain id '4000'\" $T/nodomname.err"
run destroy0 mica destroy 0
check mica/destroy-dom0 "rc $(rc destroy0): $(head -n 1 $T/destroy0.err)" \
    sh -c "[ $(rc destroy0) = 1 ] && grep -qx 'Not destroying domain 0; use -f to force.' $T/destroy0.err"

run vcpus mica vcpu-list 0
if grep -q 'Function not implemented' $T/vcpus.err; then
    skip mica/vcpu-list "the hypervisor has no getvcpuinfo: $(cat $T/vcpus.err)"
else
    check mica/vcpu-list "$(cat $T/vcpus.out $T/vcpus.err | head -n 3)" \
        sh -c "[ $(rc vcpus) = 0 ] &&
               head -n 1 $T/vcpus.out | grep -qx 'Name                                ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)' &&
               grep -Eq '^Domain-0 {29}0     0 [ 0-9]{4} {3}[r-][b-]- [ 0-9]{7}\.[0-9]  [0-9a-z,-]+ / all$' $T/vcpus.out"
fi
run sched mica sched-credit -d 0
if grep -q '^xen_scheduler  *: credit$' $T/info.out; then
    check mica/sched-credit "$(cat $T/sched.out $T/sched.err)" \
        sh -c "[ $(rc sched) = 0 ] && grep -Eq '^Domain-0 {29}0 [ 0-9]{6} [ 0-9]{4}$' $T/sched.out"
else
    # as xl: nothing, status 0, when credit is not the scheduler
    check mica/sched-credit "$(cat $T/sched.out $T/sched.err)" \
        sh -c "[ $(rc sched) = 0 ] && [ ! -s $T/sched.out ] && [ ! -s $T/sched.err ]"
fi
run uptime mica uptime
check mica/uptime "$(cat $T/uptime.out $T/uptime.err)" \
    grep -Eq '^Domain-0 {29}0 [ 0-9]{2}:[0-9]{2}:[0-9]{2}$' $T/uptime.out
