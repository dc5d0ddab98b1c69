#!/usr/bin/env bats
# The rest of issue 17's limits: block IO, swappiness, OOM killer, real-time CPU, cgroup
# namespace and mode, cgroup-conf, sysctls.  Proved in the container's cgroup files (found
# through /proc/PID/cgroup) and, for --device-write-bps, by timing dd on a loop device.
# Containers run with --network none.

load helpers

setup() {
    cpod_setup
    load_busybox
    LOOPDEV=
}

teardown() {
    cpod_teardown_loop
}

# Remove the containers first (they hold the loop device), then detach it by its path.
cpod_teardown_loop() {
    if [ -n "$CPOD_ROOT" ] && [ -d "$CPOD_ROOT" ]; then
        timeout 60 "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" rm -af -t 0 >/dev/null 2>&1 || true
    fi
    if [ -n "$LOOPDEV" ]; then
        losetup -d "$LOOPDEV" 2>/dev/null || true
    fi
    cpod_teardown
}

# A loop device on a file of the test dir; sets LOOPDEV.
make_loop() {
    truncate -s 64M "$CPOD_TEST_DIR/disk.img"
    LOOPDEV=$(losetup -f --show "$CPOD_TEST_DIR/disk.img") || skip "no loop device available"
}

# The cgroup v1 directory of a controller for a running container.
cg_dir() { # CTR CONTROLLER
    local pid path
    pid=$(cpod inspect --format '{{.State.Pid}}' "$1")
    path=$(awk -F: -v c="$2" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' /proc/$pid/cgroup)
    echo "/sys/fs/cgroup/$2$path"
}

v1_only() {
    [ -d /sys/fs/cgroup/blkio ] || skip "needs the cgroup v1 controllers"
}

@test "--device-write-bps throttles writes to a loop device" {
    v1_only
    make_loop
    run_cpod run -d --network none --name io --device "$LOOPDEV" --device-write-bps "$LOOPDEV:1mb" \
        --device-read-iops "$LOOPDEV:100" busybox sleep 600
    dir=$(cg_dir io blkio)
    majmin=$(printf '%d:%d' "0x$(stat -c %t "$LOOPDEV")" "0x$(stat -c %T "$LOOPDEV")")
    [ "$(cat "$dir/blkio.throttle.write_bps_device")" = "$majmin 1048576" ]
    [ "$(cat "$dir/blkio.throttle.read_iops_device")" = "$majmin 100" ]
    # 4 MiB at 1 MiB/s: about 3-4 s (the kernel lets a first slice through); unthrottled it is milliseconds.
    start=$(date +%s%N)
    run_cpod exec io dd if=/dev/zero of="$LOOPDEV" bs=64k count=64 oflag=direct
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    echo "# 4 MiB took $ms ms" >&3
    [ "$ms" -ge 2500 ] && [ "$ms" -le 12000 ]
    run_cpod inspect --format '{{range .HostConfig.BlkioDeviceWriteBps}}{{.Path}} {{.Rate}}{{end}}' io
    assert_output "$LOOPDEV 1048576"
    run_cpod inspect --format '{{range .HostConfig.BlkioDeviceReadIOps}}{{.Path}} {{.Rate}}{{end}}' io
    assert_output "$LOOPDEV 100"
    # update changes the running container's limit (runc leaves throttles alone: cpod writes them).
    run_cpod update --device-write-bps "$LOOPDEV:4mb" io
    [ "$(cat "$dir/blkio.throttle.write_bps_device")" = "$majmin 4194304" ]
}

@test "--blkio-weight: lands in blkio.weight, or podman's warning where the kernel has none" {
    v1_only
    if [ -e /sys/fs/cgroup/blkio/blkio.weight ]; then
        run_cpod run -d --network none --name w --blkio-weight 300 busybox sleep 600
        [ "$(cat "$(cg_dir w blkio)/blkio.weight")" = 300 ]
    else
        run_cpod run --rm --network none --blkio-weight 300 busybox true
        assert_output "WARN[0000] Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded."
        make_loop
        run_cpod create --network none --blkio-weight-device "$LOOPDEV:200" busybox true
        assert_line "WARN[0000] Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded."
    fi
}

@test "--memory-swappiness, --oom-kill-disable, --cpu-rt-period land in the cgroup and inspect" {
    v1_only
    [ -e /sys/fs/cgroup/cpu/cpu.rt_period_us ] || skip "no cpu.rt_period_us"
    run_cpod run -d --network none --name m --memory-swappiness 17 --oom-kill-disable --cpu-rt-period 900000 \
        --kernel-memory 10m busybox sleep 600
    assert_output --partial "WARN[0000] The --kernel-memory flag is no longer supported. This flag is a noop."
    [ "$(cat "$(cg_dir m memory)/memory.swappiness")" = 17 ]
    run grep oom_kill_disable "$(cg_dir m memory)/memory.oom_control"
    assert_output "oom_kill_disable 1"
    [ "$(cat "$(cg_dir m cpu)/cpu.rt_period_us")" = 900000 ]
    run_cpod inspect --format '{{.HostConfig.MemorySwappiness}} {{.HostConfig.OomKillDisable}} {{.HostConfig.CpuRealtimePeriod}} {{.HostConfig.KernelMemory}} {{.HostConfig.Cgroups}}' m
    assert_output "17 true 900000 0 default"
    run_cpod update --memory-swappiness 44 --cpu-rt-period 800000 m
    [ "$(cat "$(cg_dir m memory)/memory.swappiness")" = 44 ]
    [ "$(cat "$(cg_dir m cpu)/cpu.rt_period_us")" = 800000 ]
    run_cpod create --network none --name plain busybox true
    run_cpod inspect --format '{{.HostConfig.MemorySwappiness}} {{.HostConfig.OomKillDisable}} {{.HostConfig.BlkioWeight}}' plain
    assert_output "-1 false 0"
}

@test "--cgroupns private, host and container:" {
    run_cpod run -d --network none --name priv --cgroupns private busybox sleep 600
    run_cpod exec priv cat /proc/self/cgroup
    refute_output --partial "cpod-"
    run_cpod inspect --format '{{.HostConfig.CgroupMode}}' priv
    assert_output private
    run_cpod run --rm --network none --cgroupns host busybox cat /proc/self/cgroup
    assert_output --partial "/cpod-"
    run_cpod run -d --network none --name join --cgroupns container:priv busybox sleep 600
    pid1=$(cpod inspect --format '{{.State.Pid}}' priv)
    pid2=$(cpod inspect --format '{{.State.Pid}}' join)
    [ "$(readlink /proc/$pid1/ns/cgroup)" = "$(readlink /proc/$pid2/ns/cgroup)" ]
    run_cpod 125 run --rm --network none --cgroupns bogus busybox true
    assert_output 'Error: invalid --cgroupns mode "bogus"'
}

@test "--cgroups: no-conmon runs, disabled/split/bad refused, --cgroup-conf needs cgroup v2" {
    run_cpod run --rm --network none --cgroups no-conmon busybox true
    run_cpod run --rm --network none --cgroups enabled busybox true
    run_cpod 125 run --rm --network none --cgroups bogus busybox true
    assert_output 'Error: invalid cgroup mode "bogus": invalid argument'
    run_cpod 125 run --rm --network none --cgroups disabled --pid host busybox true
    assert_output "Error: containers not creating Cgroups must create a private PID namespace: invalid argument"
    if [ "$(cpod info --format '{{.Host.OCIRuntime.Name}}')" = runc ]; then
        run_cpod 125 run --rm --network none --cgroups disabled busybox true
        assert_output "Error: requested OCI runtime runc is not compatible with NoCgroups: invalid argument"
    fi
    run_cpod 125 run --rm --network none --cgroups split busybox true
    assert_output --partial 'Error: cgroup mode "split" is not supported by cpod'
    run_cpod 125 run --rm --network none --cgroup-conf memory.high=1m-bad busybox true
    if [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ]; then
        assert_output "Error: cannot use --cgroup-conf without cgroup v2"
    fi
    run_cpod 125 run --rm --network none --cgroup-conf nokey busybox true
    assert_output "Error: --cgroup-conf must be formatted KEY=VALUE"
    run_cpod ps -aq
    assert_output ""
}

@test "--sysctl: namespaced keys only, none of a namespace shared with the host" {
    run_cpod run --rm --network none --sysctl net.ipv4.ip_forward=1 --sysctl kernel.shmmni=1000 busybox \
        sh -c 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni'
    assert_output "1
1000"
    run_cpod 125 run --rm --network none --sysctl kernel.hostname=x busybox true
    assert_output "Error: sysctl 'kernel.hostname' is not allowed"
    run_cpod 125 run --rm --network none --sysctl vm.swappiness=1 busybox true
    assert_output "Error: sysctl 'vm.swappiness' is not allowed"
    run_cpod 125 run --rm --network host --sysctl net.ipv4.ip_forward=1 busybox true
    assert_output "Error: sysctl net.ipv4.ip_forward=1 can't be set since Network Namespace set to host: invalid argument"
    run_cpod 125 run --rm --network none --ipc host --sysctl fs.mqueue.msg_max=20 busybox true
    assert_output "Error: sysctl fs.mqueue.msg_max=20 can't be set since IPC Namespace set to host: invalid argument"
    run_cpod 125 run --rm --network none --sysctl net.ipv4.ip_forward busybox true
    assert_output "Error: net.ipv4.ip_forward is invalid, sysctl values must be in the form of KEY=VALUE"
    run_cpod ps -aq
    assert_output ""
}

@test "bad limits: one line, exit 125, nothing created" {
    run_cpod 125 create --network none --name b1 --blkio-weight 5 busybox true
    assert_output --partial "Error: range of blkio weight is from 10 to 1000"
    run_cpod 125 create --network none --blkio-weight abc busybox true
    assert_output 'Error: invalid value for blkio-weight: strconv.ParseUint: parsing "abc": invalid syntax'
    run_cpod 125 create --network none --device-write-bps /dev/cpod-no-such-disk:1mb busybox true
    assert_output "Error: could not parse throttle device at /dev/cpod-no-such-disk: no such file or directory"
    run_cpod 125 create --network none --device-read-bps /dev/null busybox true
    assert_output "Error: bad format: /dev/null"
    run_cpod 125 create --network none --device-read-iops /tmp/x:10 busybox true
    assert_output "Error: bad format for device path: /tmp/x:10"
    run_cpod 125 create --network none --device-write-iops /dev/null:lots busybox true
    assert_output "Error: invalid rate for device: /dev/null:lots. The correct format is <device-path>:<number>. Number must be a positive integer"
    run_cpod 125 create --network none --blkio-weight-device /dev/null:5 busybox true
    assert_output "Error: invalid weight for device: /dev/null:5"
    run_cpod 125 create --network none --memory-swappiness 101 busybox true
    assert_output "Error: invalid value: 101, valid memory swappiness range is 0-100"
    run_cpod ps -aq
    assert_output ""
    run_cpod create --network none --name ok busybox true
    run_cpod 125 update --blkio-weight 2000 ok
    assert_output --partial "Error: range of blkio weight is from 10 to 1000"
    run_cpod inspect --format '{{.HostConfig.BlkioWeight}}' ok
    assert_output 0
}
