#!/usr/bin/env bats
# run/create/start: output, exit codes, flags, and what --rm leaves behind

load helpers

setup() {
    cpod_setup
    load_busybox
}

@test "run prints the container's stdout and stderr on the right streams" {
    run --separate-stderr "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" run --rm localhost/busybox \
        sh -c 'echo to-out; echo to-err >&2'
    assert_success
    assert_output "to-out"
    [ "$stderr" = "to-err" ]
}

@test "run returns the container's exit code, 127 and 126 for commands that can't run" {
    run_cpod 3 run --rm busybox sh -c 'exit 3'
    run_cpod 127 run --rm busybox /nonexistent
    assert_output --partial "no such file or directory"
    run_cpod 127 run --rm busybox nosuchcommand
    assert_output --partial "executable file not found"
    run_cpod 126 run --rm busybox /etc/passwd
    run_cpod 125 run --rm --pull never nosuchimage true
    assert_output --partial "nosuchimage: image not known"
}

@test "run --rm leaves no record, mount or layer" {
    layers_before=$(ls "$CPOD_ROOT/storage/overlay" | wc -l)
    run_cpod run --rm busybox true
    run_cpod ps -a -q
    assert_output ""
    assert_no_mounts
    [ "$(ls "$CPOD_ROOT/storage/overlay" | wc -l)" -eq "$layers_before" ]
    [ -z "$(ls "$CPOD_RUNROOT/containers" 2>/dev/null)" ]
}

@test "an --rm container's overlay is volatile, other containers' are not" {
    run_cpod run -d --rm --name throwaway busybox sleep 1000
    run_cpod mount throwaway
    grep -F " $output " /proc/self/mountinfo | grep -q volatile
    run_cpod umount throwaway
    run_cpod rm -f -t 0 throwaway
    run_cpod create --name keeper busybox true
    run_cpod mount keeper
    run grep -F " $output " /proc/self/mountinfo
    assert_success
    refute_output --partial volatile
    run_cpod rm -f keeper
}

@test "run -d, ps, stop, rm" {
    run_cpod run -d --name sleeper busybox sleep 1000
    id=$output
    [ ${#id} -eq 64 ]
    run_cpod ps --format '{{.ID}} {{.Names}} {{.State}}'
    assert_output "${id:0:12} sleeper running"
    run_cpod inspect --format '{{.State.Running}} {{.State.Pid}}' sleeper
    assert_output --regexp '^true [0-9]+$'
    pid=${output#true }
    [ -d "/proc/$pid" ]
    run_cpod stop -t 0 sleeper
    assert_output sleeper
    run_cpod ps -a --format '{{.State}} {{.ExitCode}}'
    assert_output "exited 137"
    [ ! -d "/proc/$pid" ]
    assert_no_mounts
    run_cpod rm sleeper
    run_cpod ps -a -q
    assert_output ""
}

@test "rm, stop and kill of several containers: each one done, output in the order given, the worst exit code" {
    # These run on a pool of workers (cli/parallel.c), each with its own runtime handle.
    for n in w1 w2 w3 w4 w5; do run_cpod run -d --name $n --network none busybox sleep 1000; done
    run_cpod create --name made --network none busybox true
    run_cpod kill w5
    assert_output w5
    run_cpod stop -t 0 w4 w3
    assert_output $'w4\nw3'
    # w1 and w2 run (2: running without --force), nosuch does not exist (1): the worst code wins, the rest go.
    run_cpod 2 rm w4 nosuch w1 made w3 w2 w5
    [ "$(grep -v '^Error: ' <<<"$output" | tr '\n' ' ')" = "w4 made w3 w5 " ]
    assert_output --partial "no container with name or ID \"nosuch\" found"
    assert_output --partial "cannot remove container"
    run_cpod ps -a --format '{{.Names}}'
    assert_output $'w2\nw1'
    run_cpod rm -af -t 0
    run_cpod ps -aq
    assert_output ""
    assert_no_mounts
}

@test "forty creates at once all succeed, each with a name of its own" {
    # The name is drawn from a table before the record is written: two creates could draw the same.
    local pids=() i
    for i in $(seq 40); do
        "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" create --network none busybox true \
            >"$CPOD_TEST_DIR/c.$i" 2>&1 &
        pids+=($!)
    done
    local failed=0
    for i in "${!pids[@]}"; do wait "${pids[$i]}" || { failed=1; cat "$CPOD_TEST_DIR/c.$((i + 1))"; }; done
    [ "$failed" = 0 ]
    run_cpod ps -a --format '{{.Names}}'
    [ "$(wc -l <<<"$output")" = 40 ]
    [ "$(sort -u <<<"$output" | wc -l)" = 40 ]
    run_cpod rm -a
    run_cpod ps -aq
    assert_output ""
}

@test "stop sends the stop signal first and escalates to SIGKILL after the timeout" {
    # sh as PID 1 ignores SIGTERM unless it traps it.
    run_cpod run -d --name trapper busybox sh -c 'trap "exit 42" TERM; while :; do sleep 0.1; done'
    run_cpod stop -t 5 trapper
    run_cpod inspect --format '{{.State.ExitCode}}' trapper
    assert_output 42
    run_cpod run -d --name ignorer busybox sleep 1000
    start=$(date +%s)
    run_cpod stop -t 1 ignorer
    assert_output --partial "resorting to SIGKILL"
    [ $(( $(date +%s) - start )) -ge 1 ]
    run_cpod inspect --format '{{.State.ExitCode}}' ignorer
    assert_output 137
}

@test "stop of a container that already exited does not escalate; cleanup refuses a running one" {
    # pod restart stops members right after starting them: stop meets a
    # container whose process is gone but whose exit is not yet recorded.
    run_cpod pod create --name quickpod
    run_cpod create --pod quickpod --name quick busybox sh -c 'exit 3'
    run_cpod pod start quickpod
    for i in 1 2 3 4 5; do
        run_cpod pod restart quickpod
        refute_output --partial "resorting to SIGKILL"
    done
    run_cpod pod stop quickpod
    run_cpod inspect --format '{{.State.Status}} {{.State.ExitCode}}' quick
    assert_output "exited 3"
    run_cpod pod rm quickpod
    run_cpod run -d --name busy busybox sleep 1000
    run_cpod 125 container cleanup busy
    assert_output --partial "refusing to clean up: container state improper"
    run_cpod inspect --format '{{.State.Status}}' busy
    assert_output running
    run_cpod stop --ignore --cidfile "$CPOD_TEST_DIR/missing.cid"
    assert_output ""
    run_cpod 125 stop --cidfile "$CPOD_TEST_DIR/missing.cid"
    assert_output --partial "reading CIDFile"
    run_cpod rm -f -t 0 busy
}

@test "create, start, wait, logs" {
    run_cpod create --name c1 busybox sh -c 'echo hello; echo oops >&2; exit 4'
    run_cpod ps -a --format '{{.Names}} {{.Status}}'
    assert_output "c1 Created"
    run_cpod start c1
    assert_output c1
    run_cpod wait c1
    assert_output 4
    run_cpod logs c1
    assert_output --partial hello
    assert_output --partial oops
    run --separate-stderr "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" logs c1
    assert_output hello
    [ "$stderr" = oops ]
}

@test "a container name can be used once" {
    run_cpod create --name dup busybox true
    run_cpod 125 create --name dup busybox true
    assert_output --partial 'the container name "dup" is already in use'
    run_cpod 125 create --name 'bad/name' busybox true
    assert_output --partial "names must match"
    run_cpod create --replace --name dup busybox echo replaced
    run_cpod start --attach dup
    assert_output replaced
}

@test "environment, workdir, user, hostname, entrypoint" {
    printf 'FROMFILE=yes\n# comment\n\nHOSTVAR\n' > "$CPOD_TEST_DIR/envfile"
    HOSTVAR=fromhost run_cpod run --rm -e A=1 -e HOSTVAR --env-file "$CPOD_TEST_DIR/envfile" -w /tmp \
        -h myhost busybox sh -c 'echo $A $FROMFILE $HOSTVAR $(pwd) $(hostname) $HOME $container'
    assert_output "1 yes fromhost /tmp myhost /root podman"
    PRE_ONE=1 PRE_TWO=2 run_cpod run --rm -e 'PRE_*' -e '  SPACED=ok' busybox sh -c 'echo $PRE_ONE $PRE_TWO $SPACED'
    assert_output "1 2 ok"
    # a variable without a name is refused before anything is created, as podman does
    run_cpod 125 run --rm -e =x busybox true
    assert_output 'Error: invalid environment variable: "=x"'
    printf 'A=1\n=bad\n' > "$CPOD_TEST_DIR/badenv"
    run_cpod 125 create --env-file "$CPOD_TEST_DIR/badenv" busybox true
    assert_output "Error: parsing env file \"$CPOD_TEST_DIR/badenv\": invalid environment variable: \"=bad\""
    run_cpod ps -aq
    assert_output ""
    run_cpod run --rm -u nobody busybox id -u
    assert_output 65534
    run_cpod run --rm -u 1234:5678 busybox sh -c 'echo $(id -u) $(id -g)'
    assert_output "1234 5678"
    run_cpod 125 run --rm -u nosuchuser busybox true
    assert_output --partial "unable to find user nosuchuser"
    run_cpod run --rm --entrypoint echo busybox via entrypoint
    assert_output "via entrypoint"
    run_cpod run --rm --entrypoint '["/bin/sh","-c"]' busybox 'echo json entrypoint'
    assert_output "json entrypoint"
}

@test "the container gets podman's /etc/hosts, /etc/hostname, /run/.containerenv" {
    run_cpod run --rm --name hostsy busybox sh -c 'cat /etc/hostname; grep hostsy /etc/hosts; test -f /run/.containerenv && echo env'
    assert_line --index 0 --regexp '^[0-9a-f]{12}$'
    assert_line --index 1 --partial hostsy
    assert_line --index 2 env
}

@test "--add-host, --dns, --dns-search, --dns-option, --no-hosts and --dns none" {
    run_cpod run --rm --add-host foo:1.2.3.4 --add-host v6.x:::1 busybox cat /etc/hosts
    assert_line --index 0 "1.2.3.4	foo"
    assert_line --index 1 "::1	v6.x"
    assert_line --partial localhost
    run_cpod run --rm --dns 9.9.9.9 --dns 192.0.2.1 --dns-search example.com --dns-option ndots:2 busybox cat /etc/resolv.conf
    assert_output "search example.com
nameserver 9.9.9.9
nameserver 192.0.2.1
options ndots:2"
    # Only the given part is replaced: the host's nameservers stay.
    run_cpod run --rm --network host --dns-search a.example busybox cat /etc/resolv.conf
    assert_line --index 0 "search a.example"
    [ "$(grep -c '^nameserver' <<<"$output")" -eq "$(grep -c '^nameserver' /etc/resolv.conf)" ]
    # containers.conf's dns_servers and no_hosts are the defaults; flags override them.
    printf '[containers]\ndns_servers = ["192.0.2.99"]\nno_hosts = true\n' > "$CPOD_TEST_DIR/dns.conf"
    CONTAINERS_CONF=$CPOD_TEST_DIR/dns.conf run_cpod run --rm busybox sh -c 'grep nameserver /etc/resolv.conf; grep -c " /etc/hosts " /proc/mounts; exit 0'
    assert_output "nameserver 192.0.2.99
0"
    CONTAINERS_CONF=$CPOD_TEST_DIR/dns.conf run_cpod run --rm --no-hosts=false --dns 192.0.2.98 busybox sh -c 'grep nameserver /etc/resolv.conf; grep -c " /etc/hosts " /proc/mounts'
    assert_output "nameserver 192.0.2.98
1"
    # --no-hosts and --dns none leave the image's own files (the fixture has neither).
    run_cpod run --rm --no-hosts --dns none busybox sh -c 'grep -c " /etc/hosts \| /etc/resolv.conf " /proc/mounts; exit 0'
    assert_output 0
    run_cpod create --name dnsi --add-host db:192.0.2.7 --dns 192.0.2.53 busybox true
    run_cpod inspect dnsi --format '{{.HostConfig.ExtraHosts}} {{.HostConfig.Dns}} {{.HostConfig.DnsSearch}}'
    assert_output "[db:192.0.2.7] [192.0.2.53] []"
    run_cpod rm dnsi
    run_cpod 125 create --add-host foo busybox true
    assert_output 'Error: bad format for add-host: "foo"'
    run_cpod 125 create --add-host foo:1.2.3 busybox true
    assert_output 'Error: invalid IP address in add-host: "1.2.3"'
    run_cpod 125 create --dns 1.2.3 busybox true
    assert_output "Error: 1.2.3 is not an ip address"
    run_cpod 125 create --network none --dns-option ndots:1 busybox true
    assert_output "Error: conflicting options: dns and the network mode: none"
    run_cpod 125 create --no-hosts --add-host a:192.0.2.9 busybox true
    assert_output "Error: --no-hosts and --add-host cannot be set together"
    printf '[containers]\nno_hosts = true\n' > "$CPOD_TEST_DIR/nohosts.conf"
    CONTAINERS_CONF=$CPOD_TEST_DIR/nohosts.conf run_cpod 125 create --add-host a:192.0.2.9 busybox true
    assert_output "Error: --no-hosts and --add-host cannot be set together"
    run_cpod ps -aq
    assert_output ""
}

@test "bind mounts, tmpfs and read-only rootfs" {
    mkdir "$CPOD_TEST_DIR/data"
    echo host-data > "$CPOD_TEST_DIR/data/f"
    run_cpod run --rm -v "$CPOD_TEST_DIR/data:/data" busybox sh -c 'cat /data/f; echo new > /data/g'
    assert_output host-data
    [ "$(cat "$CPOD_TEST_DIR/data/g")" = new ]
    run_cpod 1 run --rm -v "$CPOD_TEST_DIR/data:/data:ro" busybox sh -c 'echo x > /data/h'
    run_cpod run --rm --mount "type=bind,source=$CPOD_TEST_DIR/data,target=/m,readonly" busybox cat /m/f
    assert_output host-data
    run_cpod run --rm --tmpfs /scratch:size=1m busybox sh -c 'grep " /scratch " /proc/mounts'
    assert_output --partial tmpfs
    run_cpod 1 run --rm --read-only busybox touch /etc/x
    run_cpod run --rm --read-only busybox touch /tmp/ok
    run_cpod 125 run --rm -v /nonexistent-src:/x busybox true
    assert_output --partial "no such file or directory"
    run_cpod 125 run --rm -v vol:relative busybox true
    assert_output --partial 'invalid container path "relative", must be an absolute path'
    # mounts are checked when the container is created, not first when it starts
    run_cpod 125 create -v /tmp:/x --tmpfs /x busybox true
    assert_output "Error: /x: duplicate mount destination"
    run_cpod ps -aq
    assert_output ""
}

@test "default ulimits are clamped to the host, explicit ones above it are refused" {
    hard=$(ulimit -Hn)
    run_cpod run --rm busybox sh -c 'ulimit -Hn'
    [ "$output" -le "$hard" ]
    run_cpod run --rm --ulimit nofile=100:200 busybox sh -c 'echo $(ulimit -Sn) $(ulimit -Hn)'
    assert_output "100 200"
    if ! grep -q '^CapEff:.*' /proc/self/status || \
        [ $(( 0x$(awk '/^CapEff/ {print $2}' /proc/self/status) >> 24 & 1 )) -eq 0 ]; then
        run_cpod 125 run --rm --ulimit nofile=$((hard + 1)):$((hard + 1)) busybox true
        assert_output --partial "exceeds the host hard limit"
    fi
}

@test "capabilities: defaults, --cap-drop, --cap-add, --privileged" {
    capeff() {
        "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" run --rm "$@" busybox \
            sh -c 'grep CapEff /proc/self/status' | awk '{print $2}'
    }
    [ "$(capeff)" = "00000000800405fb" ]
    [ "$(capeff --cap-drop all)" = "0000000000000000" ]
    [ "$(capeff --cap-drop all --cap-add net_admin)" = "0000000000001000" ]
    run_cpod 125 run --rm --cap-add CAP_BOGUS busybox true
    assert_output --partial 'unknown capability "CAP_BOGUS"'
    run_cpod run --rm --privileged busybox sh -c 'grep CapEff /proc/self/status'
    [ "$(echo "${output##*:}" | tr -d '\t ')" != "00000000800405fb" ]
}

@test "--cidfile writes the ID and refuses an existing file" {
    run_cpod create --cidfile "$CPOD_TEST_DIR/cid" busybox true
    [ "$(cat "$CPOD_TEST_DIR/cid")" = "$output" ]
    run_cpod 125 create --cidfile "$CPOD_TEST_DIR/cid" busybox true
    assert_output --partial "container id file exists"
    run_cpod ps -a -q
    [ "${#lines[@]}" -eq 1 ]
}

@test "stdin with -i reaches the container and its EOF ends it" {
    run bash -c "echo piped-input | '$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' run --rm -i busybox cat"
    assert_success
    assert_output piped-input
}

@test "--init runs catatonit as PID 1" {
    run_cpod run --rm --init busybox sh -c 'cat /proc/1/cmdline | tr "\0" " "'
    assert_output --partial "/run/podman-init"
}

@test "--restart on-failure restarts through the exit command" {
    run_cpod run -d --name flaky --restart on-failure:2 busybox sh -c 'exit 1'
    for i in $(seq 100); do
        run_cpod inspect --format '{{.RestartCount}} {{.State.Status}}' flaky
        [ "$output" = "2 exited" ] && break
        sleep 0.1
    done
    assert_output "2 exited"
}

@test "inspect shows podman's fields" {
    run_cpod create --name insp -l team=a --annotation note=x -e FOO=bar busybox sleep 5
    run_cpod inspect insp
    json=$output
    run jq -r '.[0].Name, .[0].Config.Labels.team, .[0].Config.Image, .[0].State.Status, (.[0].Args|join(" ")), .[0].Path' <<<"$json"
    assert_output "$(printf 'insp\na\nlocalhost/busybox:latest\ncreated\n5\nsleep')"
    run_cpod container inspect --format '{{.HostConfig.RestartPolicy.Name}}|{{.Config.StopSignal}}' insp
    assert_output "|15"
    run_cpod 125 inspect nosuch
    assert_output --partial 'no such object: "nosuch"'
}

@test "inspect has ImageDigest, Namespace, Dependencies, CreateCommand, OCIRuntime as given, LogConfig in podman's units" {
    run_cpod --runtime "$(command -v runc)" create --name ins2 --log-opt max-size=10mb --log-opt tag=t1 busybox true
    run_cpod inspect ins2
    run jq -r '.[0] | .ImageDigest, .Namespace, (.Dependencies | length), .OCIRuntime, .HostConfig.LogConfig.Size, .HostConfig.LogConfig.Tag, .Config.CreateCommand[-2]' <<<"$output"
    assert_output "$(cpod image inspect --format '{{.Digest}}' busybox)

0
$(command -v runc)
10MB
t1
busybox"
    run_cpod create --name ins3 --network container:ins2 busybox true
    run_cpod inspect --format '{{.Dependencies}}' ins3
    assert_output "[$(cpod inspect --format '{{.Id}}' ins2)]"
}

@test "ps --size and inspect --size show the read-write layer and the virtual size" {
    run_cpod run --name sized busybox sh -c 'head -c 5000 /dev/zero > /big'
    run_cpod ps -a -s --format '{{.Names}} {{.Size}}'
    assert_output --regexp '^sized 5(\.[0-9]+)? kB \(virtual 2\.[0-9]+ MB\)$'
    run_cpod ps -a -s --format json
    [ "$(jq '.[0].Size.rwSize' <<<"$output")" -ge 5000 ]
    run_cpod inspect --size sized --format '{{.SizeRw}} {{.SizeRootFs}}'
    read -r rw rootfs <<<"$output"
    [ "$rw" -ge 5000 ] && [ "$rootfs" -gt "$rw" ]
}

@test "ps --sort orders by names, size, command and status; created stays newest first" {
    run_cpod create --name zed busybox true
    run_cpod run --name alf busybox sh -c 'head -c 50000 /dev/zero > /big'
    run_cpod create --name mid busybox echo mid
    run_cpod ps -a --format '{{.Names}}'
    assert_output "$(printf 'mid\nalf\nzed')"
    run_cpod ps -a --sort names --format '{{.Names}}'
    assert_output "$(printf 'alf\nmid\nzed')"
    run_cpod ps -a -q --sort names --no-trunc
    [ "${lines[0]}" = "$(cpod inspect --format '{{.Id}}' alf)" ]
    run_cpod ps -a --sort size --format '{{.Names}}'
    assert_line --index 2 alf
    run_cpod ps -a --sort command --format '{{.Names}}'
    assert_output "$(printf 'mid\nalf\nzed')"
    run_cpod ps -a --sort status --format '{{.Names}} {{.State}}'
    assert_output "$(printf 'mid created\nzed created\nalf exited')"
    run_cpod 125 ps --sort bogus
    assert_output --partial '"bogus" is not a valid value'
}

@test "--log-driver none keeps no log; --log-opt path= and max-size= go to conmon" {
    run_cpod run --name quiet --log-driver none busybox echo hi
    assert_output hi
    run_cpod 125 logs quiet
    assert_output "Error: this container is using the 'none' log driver, cannot read logs: this container is not logging output"
    [ ! -e "$CPOD_ROOT/containers/$(cpod inspect --format '{{.Id}}' quiet)/ctr.log" ]
    run_cpod inspect quiet --format '{{.HostConfig.LogConfig.Type}}'
    assert_output none
    run_cpod run -d --name capped --log-opt max-size=10k --log-opt "path=$CPOD_TEST_DIR/capped.log" busybox \
        sh -c 'i=0; while [ $i -lt 3000 ]; do echo line-$i; i=$((i+1)); done'
    run_cpod wait capped
    [ "$(stat -c %s "$CPOD_TEST_DIR/capped.log")" -le 10000 ]
    run_cpod inspect capped --format '{{.HostConfig.LogConfig.Size}}'
    assert_output 10kB
    run_cpod logs capped
    assert_line --index "$((${#lines[@]} - 1))" line-2999
    refute_line line-0
    run_cpod 125 create --log-driver journald busybox true
    assert_output 'Error: log driver "journald" is not supported: use k8s-file or none'
    run_cpod 125 create --log-opt colour=blue busybox true
    assert_output --partial 'invalid log option "colour=blue"'
    run_cpod 125 create --log-opt path=relative.log busybox true
    assert_output --partial "must be an absolute path"
}

@test "--group-add adds gids and the image's group names; --device adds a node allowed with its permissions" {
    run_cpod run --rm --group-add 1234 --group-add nobody busybox id -G
    assert_output "0 1234 65534"
    run_cpod 125 run --rm --group-add nosuch busybox true
    assert_output "Error: unable to find group nosuch: no matching entries in group file"
    [ -b /dev/loop0 ] || skip "no /dev/loop0 on this host"
    # read-only in the device cgroup: opening for writing is refused
    run_cpod 1 run --rm --device /dev/loop0:/dev/lp:r busybox sh -c 'test -b /dev/lp && ls -l /dev/lp && echo x > /dev/lp'
    assert_output --regexp '^b.* 7, +0 .*/dev/lp'
    assert_output --partial "can't create /dev/lp: Operation not permitted"
    run_cpod 1 run --rm --device /dev/loop0:/dev/lp:rw busybox sh -c 'echo x > /dev/lp'
    refute_output --partial "Operation not permitted"
    run_cpod 125 create --device /dev/nope busybox true
    assert_output "Error: stat /dev/nope: no such file or directory"
    run_cpod 125 create --device /etc/passwd busybox true
    assert_output --partial "/etc/passwd is not a device node"
    run_cpod 125 create --device /dev/null:/dev/x:rwx busybox true
    assert_output "Error: invalid device specification: /dev/null:/dev/x:rwx"
}

@test "--pid/--ipc/--uts/--network container:NAME join its namespaces (starting it); host modes; dependents go first" {
    run_cpod run -d --name base --hostname basehost --ipc shareable busybox sh -c 'echo posix > /dev/shm/mark; sleep 1000'
    base=$output
    for i in $(seq 50); do cpod exec base test -e /dev/shm/mark && break; sleep 0.1; done
    run_cpod run --rm --pid container:base --ipc container:base --uts container:base --network container:base busybox \
        sh -c 'cat /proc/1/comm /dev/shm/mark; hostname'
    assert_output "$(printf 'sleep\nposix\nbasehost')"
    for ns in pid ipc uts net; do
        [ "$(cpod run --rm --$( [ $ns = net ] && echo network || echo $ns ) container:base busybox readlink /proc/self/ns/$ns)" = \
          "$(cpod exec base readlink /proc/self/ns/$ns)" ]
    done
    [ "$(cpod run --rm --pid host busybox readlink /proc/self/ns/pid)" = "$(readlink /proc/self/ns/pid)" ]
    [ "$(cpod run --rm --uts host busybox hostname)" = "$(hostname)" ]
    # /etc/hostname names the UTS namespace joined
    [ "$(cpod run --rm --uts host busybox cat /etc/hostname)" = "$(hostname)" ]
    run_cpod run --rm --uts container:base busybox cat /etc/hostname
    assert_output basehost
    run_cpod run --rm --ipc none busybox sh -c 'grep -c " /dev/shm " /proc/mounts; exit 0'
    assert_output 0
    [ "$(cpod run --rm --ipc host busybox readlink /proc/self/ns/ipc)" = "$(readlink /proc/self/ns/ipc)" ]
    run_cpod inspect --format '{{.HostConfig.PidMode}} {{.HostConfig.IpcMode}}' base
    assert_output "private shareable"
    run_cpod create --name follower --pid container:base busybox true
    follower=$output
    run_cpod inspect --format '{{.HostConfig.PidMode}}' follower
    assert_output "container:$base"
    run_cpod 125 rm -f base
    assert_output --partial "has dependent containers which must be removed before it: $follower"
    run_cpod rm -f -t 0 --depend base
    assert_output "$(printf '%s\nbase' "$follower")"
    # the shareable /dev/shm tmpfs went with it
    run ! grep -q "$base/userdata/shm" /proc/self/mountinfo
    run_cpod 125 create --pid container:nosuch busybox true
    assert_output --partial 'no container with name or ID "nosuch" found'
    run_cpod 125 create --uts bogus busybox true
    assert_output 'Error: invalid --uts mode "bogus"'
    # two paths to one dependent: --depend removes it once
    run_cpod create --name c0 busybox true
    run_cpod create --name c1 --pid container:c0 busybox true
    c1=$output
    run_cpod create --name c2 --network container:c1 --ipc container:c0 busybox true
    c2=$output
    run_cpod rm --depend c0 c2
    assert_output "$(printf '%s\n%s\nc0' "$c2" "$c1")"
    # an --rm container that others join stays when it exits
    run_cpod run -d --rm --name shortlived busybox sleep 1
    run_cpod create --name joiner --pid container:shortlived busybox true
    run_cpod wait shortlived
    run_cpod container exists shortlived
    run_cpod rm --depend shortlived
    # containers.conf's pidns/utsns are the defaults; flags win
    printf '[containers]\npidns = "host"\nutsns = "host"\nnetns = "bridge"\n' > "$CPOD_TEST_DIR/ns.conf"
    [ "$(CONTAINERS_CONF=$CPOD_TEST_DIR/ns.conf cpod run --rm busybox readlink /proc/self/ns/pid)" = "$(readlink /proc/self/ns/pid)" ]
    [ "$(CONTAINERS_CONF=$CPOD_TEST_DIR/ns.conf cpod run --rm --pid private busybox readlink /proc/self/ns/pid)" != "$(readlink /proc/self/ns/pid)" ]
    [ "$(CONTAINERS_CONF=$CPOD_TEST_DIR/ns.conf cpod run --rm busybox hostname)" = "$(hostname)" ]
    # a dependency that is not running is started first, as podman does
    run_cpod create --name idle busybox sleep 1000
    run_cpod run --rm --pid container:idle busybox cat /proc/1/comm
    assert_output sleep
    run_cpod inspect --format '{{.State.Status}}' idle
    assert_output running
    run_cpod rm -f -t 0 idle
}

# A container's cgroup knob: v1 controller file, or the v2 file of the same meaning.
cgroup_knob() { # ID V1-CONTROLLER V1-FILE V2-FILE
    if [ -d /sys/fs/cgroup/$2/cpod_parent ]; then
        cat "/sys/fs/cgroup/$2/cpod_parent/cpod-$1/$3"
    else
        cat "/sys/fs/cgroup/cpod_parent/cpod-$1/$4"
    fi
}

@test "-m, --memory-reservation, --cpus, --cpu-shares and --cpuset-cpus reach the cgroup; an OOM kill is recorded" {
    run_cpod run -d --name lim -m 64m --memory-reservation 32m --cpus 0.5 --cpu-shares 512 --cpuset-cpus 0 busybox sleep 1000
    id=$output
    [ "$(cgroup_knob "$id" memory memory.limit_in_bytes memory.max)" -eq $((64 << 20)) ]
    [ "$(cgroup_knob "$id" memory memory.soft_limit_in_bytes memory.low)" -eq $((32 << 20)) ]
    [ "$(cgroup_knob "$id" cpu cpu.cfs_quota_us cpu.max | cut -d' ' -f1)" -eq 50000 ]
    [ "$(cgroup_knob "$id" cpuset cpuset.cpus cpuset.cpus)" = 0 ]
    run_cpod inspect lim --format '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.CpuShares}} {{.HostConfig.CpusetCpus}}'
    assert_output "67108864 500000000 512 0"
    # killed from outside: 137, but not by the OOM killer
    run_cpod kill lim
    run_cpod wait lim
    run_cpod inspect lim --format '{{.State.OOMKilled}} {{.State.ExitCode}}'
    assert_output "false 137"
    # conmon records the OOM kill in its working directory too: that must not be the caller's
    mkdir "$BATS_TEST_TMPDIR/cwd"
    pushd "$BATS_TEST_TMPDIR/cwd"
    run_cpod 137 run --name hog -m 8m --memory-swap 8m busybox sh -c 'x=$(head -c 40000000 /dev/zero | tr "\\0" a); echo ${#x}'
    popd
    run ls -A "$BATS_TEST_TMPDIR/cwd"
    assert_output ""
    run_cpod inspect hog --format '{{.State.OOMKilled}} {{.State.ExitCode}}'
    assert_output "true 137"
    run_cpod 125 create -m 1m busybox true
    assert_output "Error: minimum memory limit allowed is 6MB"
    run_cpod 125 create --cpus 64 busybox true
    assert_output --partial "range of CPUs is from 0.01 to"
    run_cpod 125 create --cpus 1 --cpu-quota 20000 busybox true
    assert_output --partial "cannot be set together"
    run_cpod 125 create --cpuset-cpus 4096 busybox true
    assert_output --partial "invalid value 4096 for cpuset cpus"
    run_cpod 125 create --memory-swap 100m busybox true
    assert_output "Error: you should always set a memory limit when using a memory swap limit"
}

@test "kill -s delivers the signal; kill of a stopped container is refused" {
    run_cpod run -d --name sig busybox sh -c 'trap "exit 10" USR1; trap "exit 20" HUP; while :; do sleep 0.1; done'
    run_cpod kill -s USR1 sig
    assert_output sig
    run_cpod wait sig
    assert_output 10
    run_cpod 125 kill sig
    assert_output --partial "can only kill running containers"
    run_cpod 125 kill -s BOGUS sig
    assert_output --partial "invalid signal"
    # kill(1)'s forms, as podman takes them: -1 is SIGHUP
    run_cpod run -d --name sig2 busybox sh -c 'trap "exit 20" HUP; while :; do sleep 0.1; done'
    run_cpod kill -s -1 sig2
    run_cpod wait sig2
    assert_output 20
}

@test "restart policy always restarts after exit but not after stop; unless-stopped likewise" {
    run_cpod run -d --name again --restart always busybox sh -c 'sleep 0.2; exit 3'
    for i in $(seq 100); do
        n=$(cpod inspect --format '{{.RestartCount}}' again)
        [ "$n" -ge 2 ] && break
        sleep 0.1
    done
    [ "$n" -ge 2 ]
    run_cpod stop -t 0 again
    n=$(cpod inspect --format '{{.RestartCount}}' again)
    sleep 1
    run_cpod inspect --format '{{.RestartCount}} {{.State.Status}}' again
    assert_output "$n exited"
}

@test "logs -f of several containers follows them at once; --names prefixes only with several" {
    # the lines come half a second apart, after logs -f has begun: their order is the order written
    run_cpod run -d --name lf1 busybox sh -c 'for i in 1 2 3; do sleep 1; echo one-$i; done'
    run_cpod run -d --name lf2 busybox sh -c 'sleep 0.5; for i in 1 2 3; do sleep 1; echo two-$i; done'
    run_cpod logs -f --names lf1 lf2
    # interleaved as written, not one container after the other
    assert_output "lf1 one-1
lf2 two-1
lf1 one-2
lf2 two-2
lf1 one-3
lf2 two-3"
    run_cpod logs --names lf1
    assert_output "one-1
one-2
one-3"
    run_cpod logs lf1 lf2
    assert_line "$(cpod inspect --format '{{.Id}}' lf2 | cut -c1-12) two-3"
}
