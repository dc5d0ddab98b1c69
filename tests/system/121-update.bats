#!/usr/bin/env bats
# update: new limits reach a running container's cgroup, are kept for its next start, and apply
# to stopped containers.  Containers run with --network none: nothing here needs a network.

load helpers

setup() {
    cpod_setup
    load_busybox
}

# The container's memory limit as its cgroup reports it (v2, else the v1 controller).
cgroup_memory_limit() { # CTR
    local pid cg
    pid=$(cpod inspect --format '{{.State.Pid}}' "$1")
    if cg=$(grep -E '^[0-9]+:memory:' "/proc/$pid/cgroup"); then
        cat "/sys/fs/cgroup/memory${cg#*:memory:}/memory.limit_in_bytes"
    else
        cg=$(grep '^0::' "/proc/$pid/cgroup")
        cat "/sys/fs/cgroup${cg#0::}/memory.max"
    fi
}

cgroup_pids_limit() { # CTR
    local pid cg
    pid=$(cpod inspect --format '{{.State.Pid}}' "$1")
    if cg=$(grep -E '^[0-9]+:pids:' "/proc/$pid/cgroup"); then
        cat "/sys/fs/cgroup/pids${cg#*:pids:}/pids.max"
    else
        cg=$(grep '^0::' "/proc/$pid/cgroup")
        cat "/sys/fs/cgroup${cg#0::}/pids.max"
    fi
}

@test "update --memory on a running container: its cgroup's limit changes and a hog is OOM-killed" {
    # The hog starts when /tmp/go appears: a shell holding 300 MB in a variable, as the container's PID 1.
    run_cpod run -d --network none --name hog -m 512m busybox sh -c \
        'while [ ! -e /tmp/go ]; do sleep 0.1; done; x=$(head -c 300m /dev/zero | tr "\0" x); echo survived; sleep 600'
    id=$output
    [ "$(cgroup_memory_limit hog)" = 536870912 ]
    run_cpod update --memory 64m hog
    assert_output "$id"
    [ "$(cgroup_memory_limit hog)" = 67108864 ]
    run_cpod stats --no-stream --format '{{.MemLimit}}' hog
    assert_output 67108864
    run_cpod inspect --format '{{.HostConfig.Memory}}' hog
    assert_output 67108864
    run_cpod exec hog touch /tmp/go
    run_cpod wait hog
    assert_output 137
    run_cpod inspect --format '{{.State.OOMKilled}}' hog
    assert_output true
    run_cpod logs hog
    refute_output --partial survived
}

@test "update keeps the new limits for the next start; a stopped container can be updated" {
    run_cpod run -d --network none --name c -m 256m busybox sleep 600
    run_cpod update --memory 128m --pids-limit 50 c
    [ "$(cgroup_pids_limit c)" = 50 ]
    run_cpod restart -t 0 c
    [ "$(cgroup_memory_limit c)" = 134217728 ]
    [ "$(cgroup_pids_limit c)" = 50 ]
    run_cpod stop -t 0 c
    run_cpod update --memory 96m --cpus 0.5 c
    run_cpod inspect --format '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}' c
    assert_output "100663296 500000000 50"
    run_cpod start c
    [ "$(cgroup_memory_limit c)" = 100663296 ]
}

@test "update: bad values are refused with podman's errors and change nothing" {
    run_cpod run -d --network none --name c -m 256m busybox sleep 600
    run_cpod 125 update --memory 1m c
    assert_output "Error: minimum memory limit allowed is 6MB"
    run_cpod 125 update --memory 64m --memory-reservation 128m c
    assert_output "Error: minimum memory limit can not be less than memory reservation limit, see usage"
    run_cpod 125 update --cpus 0.5 --cpu-quota 50000 c
    assert_output "Error: --cpus and --cpu-period/--cpu-quota cannot be set together"
    run_cpod 125 update --memory lots c
    assert_output 'Error: invalid argument "lots" for "--memory" flag: invalid size'
    run_cpod 125 update --memory 64m nosuch
    assert_output --partial "no such container"
    run_cpod inspect --format '{{.HostConfig.Memory}}' c
    assert_output 268435456
    [ "$(cgroup_memory_limit c)" = 268435456 ]
}
