#!/usr/bin/env bats
# User namespaces: --uidmap/--gidmap, --userns host|private|auto|ns:|container:, --subuidname,
# pods, volumes, inspect, top.  Containers run with --network none but for the pod's.
# /etc/subuid and /etc/subgid are saved before a test writes its own ranges and put back,
# byte for byte, after it.

load helpers

setup() {
    cpod_setup
    load_busybox
    SUBSAVE=$CPOD_TEST_DIR/subsave
    mkdir -p "$SUBSAVE"
    cp -a /etc/subuid "$SUBSAVE/subuid"
    cp -a /etc/subgid "$SUBSAVE/subgid"
}

teardown() {
    local save=${SUBSAVE:-}
    if [ -n "$save" ] && [ -f "$save/subuid" ]; then
        cat "$save/subuid" >/etc/subuid
        cat "$save/subgid" >/etc/subgid
    fi
    cpod_teardown
}

subids() {
    printf '%s\n' "$@" >/etc/subuid
    printf '%s\n' "$@" >/etc/subgid
}

@test "--uidmap: root inside, the mapped ID outside, image files root-owned inside" {
    run_cpod run -d --network none --name mapped --uidmap 0:100000:65536 busybox sleep 600
    pid=$(cpod inspect --format '{{.State.Pid}}' mapped)
    run grep '^Uid:' /proc/$pid/status
    assert_output --regexp '^Uid:[[:space:]]+100000[[:space:]]+100000[[:space:]]+100000[[:space:]]+100000$'
    run grep '^Gid:' /proc/$pid/status
    assert_output --regexp '^Gid:[[:space:]]+100000[[:space:]]'
    run_cpod exec mapped sh -c 'id -u; stat -c "%u:%g" / /bin /etc/passwd; cat /proc/self/uid_map'
    assert_line --index 0 0
    assert_line --index 1 0:0
    assert_line --index 2 0:0
    assert_line --index 3 0:0
    assert_line --index 4 --regexp '^ +0 +100000 +65536$'
    # The image layers are shared, not copied: their files keep the host's root as owner.
    run_cpod image inspect --format '{{.RootFS.Layers}}' busybox
    run find "$CPOD_ROOT/storage/overlay" -path '*/diff/bin/busybox' -uid 100000
    assert_output ""
    # A file the container writes is the mapped root's on the host.
    run_cpod exec mapped touch /written
    run_cpod mount mapped
    mnt=$output
    [ "$(stat -c %u:%g "$mnt/written")" = 100000:100000 ]
    [ "$(stat -c %u "$mnt")" = 100000 ]
    run_cpod umount mapped
    run_cpod top mapped huser user pid
    assert_line --index 1 --regexp '^100000 +root +1$'
    run_cpod inspect --format '{{.HostConfig.UsernsMode}} {{json .HostConfig.IDMappings}}' mapped
    assert_output 'private {"UidMap":["0:100000:65536"],"GidMap":["0:100000:65536"]}'
    run_cpod rm -f -t 0 mapped
}

@test "--uidmap and --gidmap, several ranges; one side alone is used for both" {
    run_cpod run --rm --network none --uidmap 0:100000:1000 --uidmap 1000:300000:10 --gidmap 0:200000:65536 \
        busybox sh -c 'cat /proc/self/uid_map /proc/self/gid_map'
    assert_line --index 0 --regexp '^ +0 +100000 +1000$'
    assert_line --index 1 --regexp '^ +1000 +300000 +10$'
    assert_line --index 2 --regexp '^ +0 +200000 +65536$'
    run_cpod create --network none --name gidonly --gidmap 0:100000:65536 busybox true
    run_cpod inspect --format '{{.HostConfig.UsernsMode}} {{json .HostConfig.IDMappings}}' gidonly
    assert_output 'private {"UidMap":["0:100000:65536"],"GidMap":["0:100000:65536"]}'
}

@test "--userns host and \"\": the host's user namespace, no IDMappings" {
    for mode in host ""; do
        run_cpod run --rm --network none --userns "$mode" busybox cat /proc/self/uid_map
        assert_output --regexp '^ +0 +0 +4294967295$'
    done
    run_cpod create --network none --name plain busybox true
    run_cpod inspect --format '{{.HostConfig.UsernsMode}}|{{json .HostConfig}}' plain
    assert_output --regexp '^\|\{'
    refute_output --partial IDMappings
}

@test "bad user namespace options: podman's errors, exit 125, nothing created" {
    local -a cases=(
        "--userns=keep-id|Error: keep-id is only supported in rootless mode"
        "--userns=nomap|Error: nomap is only supported in rootless mode"
        "--userns=bogus|Error: unrecognized namespace mode bogus passed"
        "--userns=private|Error: must provide at least one UID or GID mapping to configure a user namespace"
        "--uidmap=0:100000|Error: initializing ID mappings: UID setting is malformed expected [\"uint32:uint32:uint32\"]: [\"0:100000\"]"
        "--gidmap=a:1:2|Error: initializing ID mappings: GID setting is malformed expected [\"uint32:uint32:uint32\"]: [\"a:1:2\"]"
        "--userns=auto:size=abc|Error: strconv.ParseUint: parsing \"abc\": invalid syntax"
        "--userns=auto:foo=1|Error: unknown option specified: \"foo\""
        "--userns=ns:/nonexistent|Error: cannot find specified user namespace path: stat /nonexistent: no such file or directory"
        "--userns=container:nosuch|Error: looking up container to share user namespace with: no container with name or ID \"nosuch\" found: no such container"
        "--subuidname=nosuch|Error: no subuid ranges found for user \"nosuch\" in /etc/subuid"
    )
    for c in "${cases[@]}"; do
        run_cpod 125 create --network none "${c%%|*}" busybox true
        assert_output "${c#*|}"
    done
    run_cpod 125 create --network none --userns=auto --uidmap 0:1:10 busybox true
    assert_output "Error: --userns and --uidmap/--gidmap/--subuidname/--subgidname are mutually exclusive"
    run_cpod 125 create --network none --uidmap 0:100000:10 --uidmap 5:200000:10 busybox true
    assert_output "Error: creating container storage: the specified UID and/or GID mapping 5:200000:10 conflicts with other mappings: invalid mappings specified"
    run_cpod ps -aq
    assert_output ""
    # no container layer was left behind
    run find "$CPOD_ROOT/storage/overlay" -maxdepth 2 -name work
    assert_output ""
}

@test "--userns auto: ranges from /etc/subuid for containers, never overlapping, freed on rm" {
    subids containers:200000:5000
    run_cpod create --network none --name a1 --userns auto busybox true
    run_cpod create --network none --name a2 --userns auto:size=500 busybox true
    run_cpod create --network none --name a3 --userns auto busybox true
    run_cpod inspect --format '{{.HostConfig.UsernsMode}}|{{json .HostConfig.IDMappings}}' a1 a2 a3
    assert_line --index 0 '|{"UidMap":["0:200000:1024"],"GidMap":["0:200000:1024"]}'
    assert_line --index 1 '|{"UidMap":["0:201024:500"],"GidMap":["0:201024:500"]}'
    assert_line --index 2 '|{"UidMap":["0:201524:1024"],"GidMap":["0:201524:1024"]}'
    # Not enough left: podman's error, nothing created.
    run_cpod 125 create --network none --name big --userns auto:size=4000 busybox true
    assert_output "Error: creating container storage: could not find enough available IDs"
    run_cpod 1 container exists big
    # rm frees a2's range, which the next container of that size gets.
    run_cpod rm a2
    run_cpod create --network none --name a4 --userns auto:size=400 busybox true
    run_cpod inspect --format '{{json .HostConfig.IDMappings.UidMap}}' a4
    assert_output '["0:201024:400"]'
    # uidmapping= forces a range; the rest is allocated around it, first fit (the gap a2 left).
    run_cpod create --network none --name a5 --userns auto:size=100,uidmapping=0:0:1 busybox true
    run_cpod inspect --format '{{json .HostConfig.IDMappings}}' a5
    assert_output '{"UidMap":["0:0:1","1:201424:99"],"GidMap":["0:201424:100"]}'
    # the allocated namespace works
    run_cpod run --rm --network none --userns auto:size=2000 busybox sh -c 'cat /proc/self/uid_map; stat -c %u /bin'
    assert_line --index 0 --regexp '^ +0 +202548 +2000$'
    assert_line --index 1 0
}

@test "--userns auto: a failed or killed create leaves no range behind" {
    subids containers:200000:2048
    # An error after the range was taken: the range is released with the layer.
    CPOD_FAILPOINTS=ctr-create-before-record=error run "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" \
        create --network none --userns auto:size=2048 busybox true
    [ "$status" -eq 125 ] || { echo "$output"; return 1; }
    # Killed after the range was taken and the layer made: the next create repairs both.
    CPOD_FAILPOINTS=ctr-create-before-record=kill run "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" \
        create --network none --userns auto:size=2048 busybox true
    [ "$status" -eq 137 ] || { echo "failpoint did not fire: $status $output"; return 1; }
    run_cpod create --network none --name whole --userns auto:size=2048 busybox true
    run_cpod inspect --format '{{json .HostConfig.IDMappings.UidMap}}' whole
    assert_output '["0:200000:2048"]'
    # and the killed create's layer is gone: one container layer remains
    run find "$CPOD_ROOT/storage/overlay" -maxdepth 2 -name work
    [ "${#lines[@]}" -eq 1 ]
}

@test "--subuidname/--subgidname map the named user's ranges" {
    subids other:300000:65536
    run_cpod run --rm --network none --subuidname other busybox sh -c 'cat /proc/self/uid_map /proc/self/gid_map'
    assert_line --index 0 --regexp '^ +0 +300000 +65536$'
    assert_line --index 1 --regexp '^ +0 +300000 +65536$'
}

@test "--userns container:ID and ns:PATH join another container's user namespace" {
    run_cpod run -d --network none --name owner --uidmap 0:100000:65536 busybox sleep 600
    pid=$(cpod inspect --format '{{.State.Pid}}' owner)
    run_cpod run --rm --network none --name joiner --userns container:owner busybox \
        sh -c 'cat /proc/self/uid_map; readlink /proc/self/ns/user; stat -c %u /bin'
    assert_line --index 0 --regexp '^ +0 +100000 +65536$'
    assert_line --index 1 "$(readlink /proc/$pid/ns/user)"
    assert_line --index 2 0
    run_cpod run --rm --network none --userns ns:/proc/$pid/ns/user busybox readlink /proc/self/ns/user
    assert_output "$(readlink /proc/$pid/ns/user)"
    run_cpod create --network none --name dep --userns container:owner busybox true
    run_cpod inspect --format '{{.HostConfig.UsernsMode}}' dep
    assert_output "container:$(cpod inspect --format '{{.Id}}' owner)"
    # owner cannot go while dep needs it
    run_cpod 125 rm -f owner
    run_cpod rm dep
    run_cpod rm -f -t 0 owner
}

@test "volumes: U chowns a bind to the mapped user, a new volume is the mapped root's, idmap is refused" {
    mkdir "$CPOD_TEST_DIR/bind"
    run_cpod run --rm --network none --uidmap 0:100000:65536 -v "$CPOD_TEST_DIR/bind:/b:U" -v uvol:/data busybox \
        sh -c 'touch /b/f /data/g && stat -c %u /b/f /data/g'
    assert_output $'0\n0'
    [ "$(stat -c %u:%g "$CPOD_TEST_DIR/bind")" = 100000:100000 ]
    [ "$(stat -c %u:%g "$CPOD_TEST_DIR/bind/f")" = 100000:100000 ]
    run_cpod volume inspect --format '{{.Mountpoint}}' uvol
    [ "$(stat -c %u:%g "$output/g")" = 100000:100000 ]
    run_cpod 125 run --rm --network none --uidmap 0:100000:65536 -v "$CPOD_TEST_DIR/bind:/b:idmap" busybox true
    assert_output --partial 'invalid option "idmap": idmapped bind mounts need an OCI runtime that supports them'
}

@test "pod create --uidmap: the infra and the members run in the pod's user namespace" {
    # cpod's bridge network namespaces belong to the host's user namespace: refused, nothing left
    run_cpod 125 pod create --name upod --uidmap 0:100000:65536
    assert_output --partial "Error: --network bridge with a user namespace is not supported yet"
    run_cpod pod ps -q
    assert_output ""
    run_cpod 125 run --rm --uidmap 0:100000:65536 busybox true
    assert_output --partial "Error: --network bridge with a user namespace is not supported yet"
    run_cpod pod create --name upod --network none --uidmap 0:100000:65536
    run_cpod run -d --pod upod --name member busybox sleep 600
    infra=$(cpod pod inspect --format '{{.InfraContainerID}}' upod)
    for c in "$infra" member; do
        pid=$(cpod inspect --format '{{.State.Pid}}' "$c")
        run grep '^Uid:' /proc/$pid/status
        assert_output --regexp '^Uid:[[:space:]]+100000[[:space:]]'
    done
    run_cpod exec member sh -c 'cat /proc/self/uid_map; stat -c %u /bin; hostname; readlink /proc/1/ns/user'
    assert_line --index 0 --regexp '^ +0 +100000 +65536$'
    assert_line --index 1 0
    assert_line --index 2 upod
    assert_line --index 3 "$(readlink /proc/$(cpod inspect --format '{{.State.Pid}}' "$infra")/ns/user)"
    run_cpod inspect --format '{{json .HostConfig.IDMappings.UidMap}}' "$infra"
    assert_output '["0:100000:65536"]'
    run_cpod 125 create --pod upod --uidmap 0:200000:10 busybox true
    assert_output "Error: invalid config provided: cannot set --userns, --uidmap, --gidmap, --subuidname or --subgidname: the pod has a user namespace"
    run_cpod pod rm -f -t 0 upod
    run_cpod 125 pod create --userns nomap
    assert_output "Error: nomap is only supported in rootless mode"
}

@test "vfs: the container's copy of the image is chowned to the mapping" {
    local v=("$CPOD_BIN" --root "$CPOD_TEST_DIR/vroot" --runroot "$CPOD_TEST_DIR/vrun" --storage-driver vfs)
    "${v[@]}" load -q -i "$(fixtures_dir)/busybox/busybox-docker.tar" >/dev/null
    run "${v[@]}" run --rm --network none --uidmap 0:100000:65536 busybox sh -c 'stat -c %u /bin/busybox; id -u'
    [ "$status" -eq 0 ] || { echo "$output"; return 1; }
    assert_output $'0\n0'
    "${v[@]}" rm -af >/dev/null
}

@test "commit of a container in a user namespace keeps the IDs it saw" {
    run_cpod run --name cm --network none --uidmap 0:100000:65536 busybox \
        sh -c 'echo hi >/new && mkdir /d && chown 5:6 /d && rm /etc/group'
    run_cpod commit -q cm committed
    run_cpod run --rm --network none committed sh -c 'stat -c "%u:%g %n" /new /d; test -e /etc/group || echo gone'
    assert_output $'0:0 /new\n5:6 /d\ngone'
    run_cpod 125 commit --squash cm squashed
    assert_output "Error: commit --squash of a container in a user namespace is not supported"
}

@test "containers.conf userns is the default mode" {
    subids containers:400000:5000
    printf '[containers]\nuserns = "auto"\n' >"$CPOD_TEST_DIR/containers.conf"
    CONTAINERS_CONF=$CPOD_TEST_DIR/containers.conf run_cpod run --rm --network none busybox cat /proc/self/uid_map
    assert_output --regexp '^ +0 +400000 +1024$'
    # a flag wins
    CONTAINERS_CONF=$CPOD_TEST_DIR/containers.conf run_cpod run --rm --network none --userns host busybox \
        cat /proc/self/uid_map
    assert_output --regexp '^ +0 +0 +4294967295$'
}
