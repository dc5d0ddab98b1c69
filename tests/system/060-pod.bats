#!/usr/bin/env bats
# pods: shared namespaces, lifecycle, states, removal

load helpers

setup() {
    cpod_setup
    load_busybox
}

@test "pod create makes an infra container that needs no image" {
    run_cpod pod create --name p1
    pod=$output
    [ ${#pod} -eq 64 ]
    run_cpod pod ps --format '{{.Name}} {{.Status}} {{.NumberOfContainers}}'
    assert_output "p1 Created 1"
    run_cpod pod inspect p1
    run jq -r '.Name, .State, (.SharedNamespaces|sort|join(",")), .Hostname' <<<"$output"
    assert_output "$(printf 'p1\nCreated\nipc,net,uts\np1')"
    run_cpod pod start p1
    run_cpod pod ps --format '{{.Status}}'
    assert_output Running
    run_cpod pod exists p1
    run_cpod 1 pod exists nosuch
    run_cpod 125 pod create --name p1
    assert_output --partial "already exists"
}

@test "members reach each other on localhost and share hostname and IPC" {
    run_cpod pod create --name p2 --hostname podhost
    run_cpod run -d --pod p2 --name srv busybox httpd -f -p 127.0.0.1:8080 -h /etc
    run_cpod run --rm --pod p2 busybox sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://127.0.0.1:8080/hostname && exit 0; sleep 0.2; done; exit 1'
    assert_output podhost
    run_cpod run --rm --pod p2 busybox hostname
    assert_output podhost
    # IPC: one System V IPC namespace for the members, not shared with other containers
    a=$(cpod run --rm --pod p2 busybox readlink /proc/self/ns/ipc)
    b=$(cpod run --rm --pod p2 busybox readlink /proc/self/ns/ipc)
    [ "$a" = "$b" ]
    c=$(cpod run --rm busybox readlink /proc/self/ns/ipc)
    [ "$a" != "$c" ]
    # POSIX shared memory: members bind the infra container's /dev/shm
    run_cpod run --rm --pod p2 busybox sh -c 'echo from-a-member > /dev/shm/note'
    run_cpod run --rm --pod p2 busybox cat /dev/shm/note
    assert_output from-a-member
    run_cpod run --rm busybox ls /dev/shm
    assert_output ""
    n1=$(cpod run --rm --pod p2 busybox readlink /proc/self/ns/net)
    n2=$(cpod run --rm --pod p2 busybox readlink /proc/self/ns/net)
    [ "$n1" = "$n2" ]
    # as podman shows them: the member joins the infra's namespaces, under the pod's cgroup
    infra=$(cpod pod inspect p2 --format '{{.InfraContainerID}}')
    pod=$(cpod pod inspect p2 --format '{{.Id}}')
    run_cpod inspect srv --format '{{.HostConfig.NetworkMode}} {{.HostConfig.IpcMode}} {{.HostConfig.UTSMode}} {{.HostConfig.PidMode}} {{.HostConfig.CgroupParent}}'
    assert_output "container:$infra container:$infra container:$infra private /cpod_parent/pod-$pod"
    # a member cannot leave a namespace the pod shares; that is an error, not a silent no-op
    run_cpod 125 create --pod p2 --network none busybox true
    assert_output "Error: invalid config provided: cannot set --network: the pod shares its net namespace"
    run_cpod 125 create --pod p2 --uts host busybox true
    assert_output --partial "cannot set --uts"
}

@test "pid namespace is shared only on request" {
    run_cpod pod create --name nopid
    run_cpod run --rm --pod nopid busybox sh -c 'ps -o args | grep -c "[p]odman-init" || true'
    assert_output 0
    run_cpod pod create --name withpid --share +pid
    run_cpod run --rm --pod withpid busybox sh -c 'ps -o args | grep -c "[p]odman-init"'
    assert_output 1
    # --share none: the members share nothing with the infra
    run_cpod pod create --name none --share none
    run_cpod run -d --pod none --name none-m busybox sleep 1000
    infra=$(cpod pod inspect --format '{{.InfraContainerID}}' none)
    ipid=$(cpod inspect --format '{{.State.Pid}}' "$infra")
    mpid=$(cpod inspect --format '{{.State.Pid}}' none-m)
    [ "$(readlink /proc/$ipid/ns/net)" != "$(readlink /proc/$mpid/ns/net)" ]
    [ "$(readlink /proc/$ipid/ns/uts)" != "$(readlink /proc/$mpid/ns/uts)" ]
    run_cpod pod rm -f -t 0 none
    run_cpod 125 pod create --share bogus
    assert_output "Error: invalid kernel namespace to share: bogus. Options are: cgroup, ipc, net, pid, uts or none"
    run_cpod 125 pod create --exit-policy invalid
    assert_output 'Error: running pod create option: invalid pod exit policy: "invalid"'
}

@test "pod stop, start, and the states derived from members" {
    run_cpod pod create --name st
    run_cpod run -d --pod st --name m1 busybox sleep 1000
    run_cpod run -d --pod st --name m2 busybox sh -c 'exit 0'
    run_cpod wait m2
    run_cpod pod ps --format '{{.Status}}'
    assert_output Degraded
    run_cpod pod stop -t 0 st
    run_cpod pod ps --format '{{.Status}}'
    assert_output Exited
    run_cpod pod start st
    run_cpod ps --pod --format '{{.Names}} {{.PodName}}' --filter name=m1
    assert_output "m1 st"
    run_cpod pod inspect --format '{{.State}} {{.NumContainers}}' st
    assert_output --regexp '^(Running|Degraded) 3$'
}

@test "pod rm needs -f with running containers; rm -f leaves no mount, process or record" {
    run_cpod pod create --name gone
    run_cpod run -d --pod gone --name g1 busybox sleep 1000
    pid=$(cpod inspect --format '{{.State.Pid}}' g1)
    infra=$(cpod pod inspect --format '{{.InfraContainerID}}' gone)
    ipid=$(cpod inspect --format '{{.State.Pid}}' "$infra")
    run_cpod 125 pod rm gone
    assert_output --partial "running"
    run_cpod pod rm -f -t 0 gone
    run_cpod pod ps -q
    assert_output ""
    run_cpod ps -a -q
    assert_output ""
    [ ! -d "/proc/$pid" ] && [ ! -d "/proc/$ipid" ]
    assert_no_mounts
    # only the infra running: no -f needed, as podman (the infra is stopped)
    run_cpod pod create --name onlyinfra
    run_cpod pod start onlyinfra
    infra=$(cpod pod inspect --format '{{.InfraContainerID}}' onlyinfra)
    ipid=$(cpod inspect --format '{{.State.Pid}}' "$infra")
    [ "$ipid" -gt 0 ]
    run_cpod pod rm onlyinfra
    run_cpod ps -a -q
    assert_output ""
    [ ! -d "/proc/$ipid" ]
    assert_no_mounts
}

@test "kill -9 of a member's conmon is reconciled" {
    run_cpod pod create --name kc
    run_cpod run -d --pod kc --name victim busybox sleep 1000
    cpid=$(cat "$CPOD_RUNROOT/containers/$(cpod inspect --format '{{.Id}}' victim)/userdata/conmon.pid")
    kill -9 "$cpid"
    for i in $(seq 50); do [ -d "/proc/$cpid" ] || break; sleep 0.1; done
    run_cpod ps -a --filter name=victim --format '{{.State}}'
    assert_output exited
    run_cpod pod rm -f -t 0 kc
    assert_no_mounts
}

@test "--exit-policy stop stops the pod when the last member exits" {
    run_cpod pod create --name ep --exit-policy stop
    run_cpod run -d --pod ep --name short busybox sleep 1
    for i in $(seq 80); do
        st=$(cpod pod ps --format '{{.Status}}' --filter name=ep)
        [ "$st" = Exited ] && break
        sleep 0.1
    done
    [ "$st" = Exited ]
}

@test "run --pod new:NAME creates the pod; --pod-id-file" {
    run_cpod run --rm --pod new:fresh busybox true
    run_cpod pod exists fresh
    run_cpod pod create --name fromfile --pod-id-file "$CPOD_TEST_DIR/podid"
    run_cpod create --pod-id-file "$CPOD_TEST_DIR/podid" --name inpod busybox true
    run_cpod inspect --format '{{.Pod}}' inpod
    assert_output "$(cat "$CPOD_TEST_DIR/podid")"
}

@test "pod logs interleaves members with their names" {
    run_cpod pod create --name lg
    run_cpod run --pod lg --name a1 busybox echo from-a1
    run_cpod run --pod lg --name a2 busybox echo from-a2
    run_cpod pod logs lg
    assert_line "a1 from-a1"
    assert_line "a2 from-a2"
}

@test "pod memory limit lands on the pod's cgroup" {
    run_cpod pod create --name lim --memory 64m
    pod=$output
    run_cpod run --rm --pod lim busybox cat /proc/self/cgroup
    assert_output --partial "pod-$pod"
    if [ -f "/sys/fs/cgroup/memory/cpod_parent/pod-$pod/memory.limit_in_bytes" ]; then
        [ "$(cat /sys/fs/cgroup/memory/cpod_parent/pod-$pod/memory.limit_in_bytes)" -eq $((64 * 1024 * 1024)) ]
    else
        [ "$(cat /sys/fs/cgroup/cpod_parent/pod-$pod/memory.max)" -eq $((64 * 1024 * 1024)) ]
    fi
    run_cpod pod rm -f lim
    # gone from every hierarchy: v1 controllers, the hybrid unified mount, or the v2 root
    run find /sys/fs/cgroup -maxdepth 4 -type d -name "pod-$pod"
    assert_success
    assert_output ""
}

@test "the pod's --dns and --add-host reach members that share its network; --share-parent=false" {
    run_cpod pod create --name dn --dns 192.0.2.53 --dns-search pod.example --add-host db:192.0.2.7
    run_cpod run --rm --pod dn busybox sh -c 'cat /etc/hosts /etc/resolv.conf'
    assert_line --index 0 "192.0.2.7	db"
    assert_line "search pod.example"
    assert_line "nameserver 192.0.2.53"
    run_cpod 125 create --pod dn --add-host x:192.0.2.8 busybox true
    assert_output --partial "network cannot be configured when it is shared with a pod"
    run_cpod 125 pod create --infra=false --dns 192.0.2.53
    run_cpod pod create --name own --share ipc --share-parent=false
    pod=$output
    run_cpod run --rm --pod own --add-host x:192.0.2.8 busybox sh -c 'head -1 /etc/hosts; cat /proc/self/cgroup'
    assert_line --index 0 "192.0.2.8	x"
    refute_output --partial "pod-$pod"
    run_cpod pod rm -f dn own
}

@test "pod ps --sort orders by name, number of containers and id" {
    run_cpod pod create --name pb
    run_cpod pod create --name pa
    run_cpod pod create --name pc
    run_cpod create --pod pb busybox true
    run_cpod create --pod pb busybox true
    run_cpod create --pod pc busybox true
    run_cpod pod ps --format '{{.Name}}'
    assert_output "$(printf 'pc\npa\npb')"
    run_cpod pod ps --sort name --format '{{.Name}}'
    assert_output "$(printf 'pa\npb\npc')"
    run_cpod pod ps --sort number --format '{{.Name}} {{.NumberOfContainers}}'
    assert_output "$(printf 'pa 1\npc 2\npb 3')"
    run_cpod pod ps -q --no-trunc --sort id
    [ "$output" = "$(sort <<<"$output")" ]
    run_cpod 125 pod ps --sort bogus
    assert_output "Error: invalid option for --sort, options are: created, id, name, number, or status"
    run_cpod pod rm -a -f
}

@test "the infra container goes only with its pod: rm refuses, rm --depend and rm -a remove the pod; prune skips pods" {
    run_cpod pod create --name dep
    run_cpod create --pod dep --name dep1 busybox true
    member=$output
    infra=$(cpod pod inspect dep --format '{{.InfraContainerID}}')
    run_cpod 125 rm "$infra"
    assert_output "Error: container $infra is the infra container of pod $(cpod pod inspect dep --format '{{.Id}}') and cannot be removed without removing the pod"
    run_cpod container prune -f
    assert_output ""
    run_cpod rm --depend "$infra"
    assert_output "$(printf '%s\n%s' "$member" "$infra")"
    run_cpod 1 pod exists dep
    run_cpod pod create --name dep2
    run_cpod run -d --pod dep2 busybox sleep 100
    runner=$output
    run_cpod create --name solo busybox true
    solo=$output
    run_cpod rm -a -f -t 0
    assert_line "$solo"
    assert_line "$runner"
    [ "${#lines[@]}" -eq 3 ]
    run_cpod ps -aq
    assert_output ""
    run_cpod pod ps -q
    assert_output ""
    # a pod whose record is gone (removal interrupted by an older cpod, damaged DB): pod rm ID finishes it
    run_cpod pod create --name lost
    pod=$output
    run_cpod create --pod lost --name lost1 busybox true
    python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("DELETE FROM pods"); c.commit()' \
        "$CPOD_ROOT/cpod.db"
    run_cpod pod rm -f "$pod"
    assert_output "$pod"
    run_cpod ps -aq
    assert_output ""
    run_cpod 1 pod rm nosuch
}

@test "pod create --label-file, then --label" {
    printf 'a=1\n# comment\nb=2\n' > "$CPOD_TEST_DIR/labels"
    run_cpod pod create --name lab --label-file "$CPOD_TEST_DIR/labels" --label b=3
    run_cpod pod inspect lab --format '{{json .Labels}}'
    assert_output '{"a":"1","b":"3"}'
    run_cpod 125 pod create --label-file "$CPOD_TEST_DIR/missing"
    assert_output --partial "no such file or directory"
    run_cpod pod rm lab
}

@test "system prune removes stopped pods and containers, keeps running ones and a running pod's members" {
    run_cpod pod create --name stopped
    run_cpod create --pod stopped busybox true
    run_cpod pod create --name live
    run_cpod run -d --pod live --name live-sleeper busybox sleep 1000
    run_cpod run --pod live --name live-done busybox true
    run_cpod run --name alone-done busybox true
    run_cpod run -d --name alone-up busybox sleep 1000
    run_cpod system prune -f
    run_cpod pod ps --format '{{.Name}}'
    assert_output live
    run_cpod ps -a --format '{{.Names}}' --sort names
    assert_output --partial live-done
    refute_output --partial alone-done
    assert_line alone-up
    assert_line live-sleeper
    run_cpod rm -f -t 0 alone-up
    run_cpod pod rm -f -t 0 live
}

@test "pod top lists every member's processes with its name; --infra-conmon-pidfile" {
    run_cpod pod create --name topped --infra-conmon-pidfile "$CPOD_TEST_DIR/infra.pid"
    run_cpod run -d --pod topped --name worker busybox sleep 1000
    run_cpod pod top topped pid,comm
    assert_line --index 0 --regexp '^PID +COMMAND +NAME$'
    assert_line --regexp '^1 +sleep +worker$'
    assert_line --regexp '^1 +podman-init +[0-9a-f]{12}-infra$'
    run_cpod pod inspect --format '{{.InfraContainerID}}' topped
    infra=$output
    [ -d "/proc/$(cat "$CPOD_TEST_DIR/infra.pid")" ]
    [ "$(cat "$CPOD_TEST_DIR/infra.pid")" = "$(cat "$CPOD_RUNROOT/containers/$infra/userdata/conmon.pid")" ]
    run_cpod 125 pod create --userns keep-id
    assert_output "Error: keep-id is only supported in rootless mode"
}

@test "pod top with a shared PID namespace lists each process once, under its own container" {
    run_cpod pod create --name sharedpid --share +pid
    run_cpod run -d --pod sharedpid --name one busybox sleep 1001
    run_cpod run -d --pod sharedpid --name two busybox sleep 1002
    run_cpod pod top sharedpid args
    assert_line --regexp '^sleep 1001 +one$'
    assert_line --regexp '^sleep 1002 +two$'
    [ "$(grep -c 'sleep 100' <<<"$output")" -eq 2 ]
    [ "$(grep -c 'podman-init' <<<"$output")" -eq 1 ]
    run_cpod top one %p %a
    assert_line --index 0 --regexp '^PID +COMMAND$'
    [ "${#lines[@]}" -eq 2 ]
    assert_line --index 1 --regexp ' sleep 1001$'
}

@test "pod inspect has podman's CreateCommand, CgroupParent and InfraConfig" {
    run_cpod pod create --name insp --dns 10.1.2.3 --add-host db:10.0.0.9
    run_cpod pod inspect insp --format '{{.CreateCommand}}'
    assert_output --regexp "^\[.*cpod --root $CPOD_ROOT --runroot $CPOD_RUNROOT pod create --name insp --dns 10.1.2.3 --add-host db:10.0.0.9\]$"
    run_cpod pod inspect insp --format '{{.CgroupParent}}|{{.CreateCgroup}}|{{.InfraConfig.HostNetwork}}|{{.InfraConfig.DNSServer}}|{{.InfraConfig.HostAdd}}'
    assert_output '/cpod_parent|true|false|[10.1.2.3]|[db:10.0.0.9]'
    run_cpod pod inspect insp
    run jq -r '.InfraConfig.DNSSearch, .InfraConfig.uts_ns' <<<"$output"
    assert_output "null
private"
    run_cpod create --pod insp --name member busybox true
    run_cpod inspect --format '{{.Dependencies}}' member
    assert_output "[$(cpod pod inspect --format '{{.InfraContainerID}}' insp)]"
}

@test "pod create --replace removes the pod of that name with its containers first" {
    run_cpod pod create --name rp --network none
    old=$output
    run_cpod create --pod rp --name rpm busybox true
    run_cpod 125 pod create --name rp --network none
    run_cpod pod create --replace --name rp --network none
    [ "$output" != "$old" ]
    run_cpod 1 container exists rpm
    new=$(cpod pod inspect --format '{{.Id}}' rp)
    run_cpod pod ps -q --no-trunc
    assert_output "$new"
}

@test "pod stop and pod rm -f signal every member at once, as podman stops them in parallel" {
    # Each member, on SIGTERM, leaves a mark and waits for the others' before it exits 7: stopped one
    # after another, the first would wait for marks that never come and be killed (137).
    run_cpod pod create --name together
    for m in m1 m2 m3; do
        run_cpod run -d --pod together --name $m -v marks:/marks busybox sh -c \
            "trap 'touch /marks/$m; while [ \$(ls /marks | wc -l) -lt 3 ]; do sleep 0.1; done; exit 7' TERM; while :; do sleep 0.1; done"
    done
    run_cpod pod stop -t 20 together
    for m in m1 m2 m3; do
        run_cpod inspect --format '{{.State.ExitCode}}' $m
        assert_output 7
    done
    run_cpod pod start together
    run_cpod run --rm -v marks:/marks busybox sh -c 'rm -f /marks/*'
    run_cpod pod rm -f -t 20 together
    run_cpod run --rm -v marks:/marks busybox ls /marks
    assert_output $'m1\nm2\nm3'
    run_cpod volume rm marks
}
