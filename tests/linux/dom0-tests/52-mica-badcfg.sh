# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/52-mica-badcfg.sh - `mica create` refuses bad
# input with one clear line and leaves nothing behind: each class of
# malformed xl.cfg (FILE:LINE: reason, status 1, no domain made), a missing
# file, a file that is no kernel, memory beyond what is free and a
# duplicate name (status 3, nothing left in the domain list, xenstore or
# free memory).  Prints TEST mica/<name> lines.
. /tests/lib.sh
if [ ! -x /usr/sbin/mica ]; then
    skip mica/badcfg "no /usr/sbin/mica in the initramfs"
    exit 0
fi
T=/tmp/mica-cfg
mkdir -p $T
doms() { mica list | wc -l; }
n0=$(doms)

# badcfg NAME LINE CONTENT: the file fails at LINE with status 1.
badcfg() {
    printf '%b' "$3" >$T/$1.cfg
    mica create $T/$1.cfg >$T/$1.out 2>$T/$1.err
    r=$?
    tail -n 1 $T/$1.err >$T/$1.last
    check mica/badcfg-$1 "status $r, $(wc -l < $T/$1.err) lines, last '$(cat $T/$1.last)'" \
        sh -c "[ $r = 1 ] && [ \$(wc -l < $T/$1.err) = 2 ] &&
               head -n 1 $T/$1.err | grep -qx 'Parsing config from $T/$1.cfg' &&
               grep -q '^$T/$1.cfg:$2: ..*' $T/$1.last"
}
K='name = "bad"\nkernel = "/boot/mica-testkernel"\n'
badcfg syntax 2 'name = "bad"\nmemory == 16\n'
badcfg unterminated 1 'name = "bad\n'
badcfg illegal-char 3 "$K"'memory = 16 \\\\\n'
badcfg unclosed-list 4 "$K"'disk = [ "/d,raw,xvda,rw",\n'
badcfg type-hvm 3 "$K"'type = "hvm"\n'
badcfg no-name 2 'kernel = "/boot/mica-testkernel"\n'
badcfg no-kernel 2 'name = "bad"\n'
badcfg memory-nan 3 "$K"'memory = "lots"\n'
badcfg maxmem 4 "$K"'memory = 64\nmaxmem = 32\n'
badcfg vcpus 3 "$K"'vcpus = 0\n'
badcfg cpus 3 "$K"'cpus = "0-x"\n'
badcfg on-crash 3 "$K"'on_crash = "coredump-destroy"\n'
badcfg action 3 "$K"'on_poweroff = "explode"\n'
badcfg disk 3 "$K"'disk = [ "/d,vmdk,xvda,rw" ]\n'
badcfg vif 3 "$K"'vif = [ "mac=00:16:3e:zz:00:01" ]\n'
badcfg uuid 3 "$K"'uuid = "1234"\n'
badcfg name-slash 1 'name = "a/b"\nkernel = "/k"\n'

# An override is appended to the file: its error names a line past the end.
printf "$K" >$T/good.cfg
mica create $T/good.cfg 'memory==' >$T/ov.out 2>$T/ov.err
r=$?
check mica/badcfg-override "status $r: $(tail -n 1 $T/ov.err)" \
    sh -c "[ $r = 1 ] && tail -n 1 $T/ov.err | grep -q '^$T/good.cfg:4: config parsing error near'"
mica create $T/nosuch.cfg >$T/nf.out 2>$T/nf.err
r=$?
check mica/badcfg-missing-file "status $r: $(tail -n 1 $T/nf.err)" \
    sh -c "[ $r = 3 ] && tail -n 1 $T/nf.err | grep -qx 'Failed to read config file: $T/nosuch.cfg: No such file or directory'"
check mica/badcfg-nothing-created "$(doms) lines in mica list, $n0 before" [ "$(doms)" = "$n0" ]

# Creates that fail after their config was read: status 3, one line, no trace.
f0=$(free_mb)
ls0=$(xenstore-ls /local/domain 2>/dev/null | wc -l)
failcreate() {
    mica create "$@" >$T/fc.out 2>$T/fc.err
    r=$?
    echo $r
}
r=$(failcreate $T/good.cfg 'kernel="/etc/passwd"' 'name="notakernel"')
check mica/create-not-a-kernel "status $r: $(tail -n 1 $T/fc.err)" \
    sh -c "[ $r = 3 ] && [ \$(wc -l < $T/fc.err) = 2 ]"
r=$(failcreate $T/good.cfg 'name="huge"' 'memory=1000000')
check mica/create-too-much-memory "status $r: $(tail -n 1 $T/fc.err)" \
    sh -c "[ $r = 3 ] && [ \$(wc -l < $T/fc.err) = 2 ] && tail -n 1 $T/fc.err | grep -q 'MiB is free'"
r=$(failcreate $T/good.cfg 'name="Domain-0"')
check mica/create-duplicate-name "status $r: $(tail -n 1 $T/fc.err)" \
    sh -c "[ $r = 3 ] && tail -n 1 $T/fc.err | grep -qx 'mica: Domain with name \"Domain-0\" already exists.'"
check mica/create-failed-leaves-nothing "list $(doms) lines (was $n0), free $(free_mb) MiB (was $f0)" \
    sh -c "[ $(doms) = $n0 ] && [ $(free_mb) = $f0 ]"
ls1=$(xenstore-ls /local/domain 2>/dev/null | wc -l)
check mica/create-failed-xenstore-clean "xenstore-ls /local/domain: $ls1 lines, $ls0 before" \
    [ "$ls1" = "$ls0" ]
