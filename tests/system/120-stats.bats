#!/usr/bin/env bats
# stats and pod stats: numbers read from the containers' cgroups, in podman's columns and JSON.
# Containers run with --network none: nothing here needs a network.

load helpers

setup() {
    cpod_setup
    load_busybox
}

# Wait until a file exists in a container (its workload is in place).
wait_for_file() { # CTR PATH
    for _ in $(seq 50); do
        cpod exec "$1" test -e "$2" 2>/dev/null && return 0
        sleep 0.2
    done
    return 1
}

# "43.25MB" (go-units HumanSize) in bytes.
to_bytes() {
    awk -v s="$1" 'BEGIN { n = s + 0; u = s; sub(/^[0-9.]+/, "", u);
        m["B"] = 1; m["kB"] = 1e3; m["MB"] = 1e6; m["GB"] = 1e9; printf "%d\n", n * m[u] }'
}

@test "stats --format json reports the memory a container allocated, against its limit" {
    run_cpod run -d --network none --name hog -m 256m busybox \
        sh -c 'dd if=/dev/zero of=/dev/shm/fill bs=1M count=40 2>/dev/null && touch /tmp/ready; sleep 600'
    wait_for_file hog /tmp/ready
    run_cpod stats --no-stream --format json hog
    [ "$(jq -r '.[0].name' <<<"$output")" = hog ]
    [ "$(jq -r '.[0].id' <<<"$output")" = "$(cpod inspect --format '{{.Id}}' hog | cut -c1-12)" ]
    [ "$(jq -r '.[0] | keys_unsorted | join(",")' <<<"$output")" = \
        "id,name,cpu_time,cpu_percent,avg_cpu,mem_usage,mem_percent,net_io,block_io,pids" ]
    mem=$(jq -r '.[0].mem_usage' <<<"$output")
    used=$(to_bytes "${mem%% / *}")
    # 40 MiB in tmpfs are charged to the container's memory cgroup; the shell and dd add little.
    [ "$used" -ge 41000000 ] && [ "$used" -le 70000000 ]
    [ "${mem##* / }" = 268.4MB ]
    [ "$(jq -r '.[0].net_io' <<<"$output")" = "0B / 0B" ]
    run_cpod stats --no-stream --format '{{.MemLimit}} {{.MemUsageBytes}}' hog
    [[ $output == "268435456 "*"MiB / 256MiB" ]]
}

@test "stats: podman's columns, PIDs, stopped containers with zeros, --no-trunc" {
    run_cpod run -d --network none --name busy busybox sh -c 'sleep 600 & sleep 600 & sleep 600 & touch /tmp/ready; wait'
    run_cpod run --network none --name done busybox true
    wait_for_file busy /tmp/ready
    run_cpod stats --no-stream
    [[ ${lines[0]} =~ ^ID\ +NAME\ +CPU\ %\ +MEM\ USAGE\ /\ LIMIT\ +MEM\ %\ +NET\ IO\ +BLOCK\ IO\ +PIDS\ +CPU\ TIME\ +AVG\ CPU\ %$ ]]
    [ "${#lines[@]}" -eq 3 ]
    run_cpod stats --no-stream --format '{{.Name}}|{{.PIDS}}|{{.MemUsage}}|{{.CPUPerc}}|{{.UpTime}}' done
    assert_output "done|0|0B / 0B|0.00%|0s"
    run_cpod stats --no-stream --format '{{.PIDS}}' busy
    assert_output 4
    run_cpod stats --no-stream --no-trunc --format '{{.ID}}' busy
    assert_output "$(cpod inspect --format '{{.Id}}' busy)"
    run_cpod stats --no-stream --format 'table {{.Name}} {{.PIDS}}' busy
    assert_line --index 0 --regexp '^NAME +PIDS$'
    assert_line --index 1 --regexp '^busy +4$'
}

@test "stats streams a sample every --interval; CPU % of a busy container" {
    run_cpod run -d --network none --name spin busybox sh -c 'while :; do :; done'
    run timeout 3.5 "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" stats --interval 1 --no-reset \
        --format '{{.CPU}}' spin
    [ "$status" -eq 124 ]
    [ "${#lines[@]}" -ge 3 ]
    # The last sample covers one second of a shell spinning on one CPU (a shared host: generous).
    awk -v c="${lines[-1]}" 'BEGIN { exit !(c > 20 && c < 110) }'
}

@test "stats: bad input is an error" {
    run_cpod 125 stats --no-stream nosuch
    assert_output --partial "no such container"
    run_cpod 125 stats --interval 0
    assert_output "Error: invalid interval, must be a positive number greater zero"
    run_cpod run -d --network none --name one busybox sleep 600
    run_cpod 125 stats --all one
    assert_output "Error: --all, --latest and containers cannot be used together"
    run_cpod stats --no-stream --format json
    [ "$(jq length <<<"$output")" -eq 1 ]
}

@test "pod stats: a row per container of the pod, podman's JSON fields and dashes" {
    run_cpod pod stats --no-stream
    assert_line --index 1 --regexp '^--( +--){8}$'
    run_cpod pod create --name p --network none
    run_cpod run -d --pod p --name member busybox sleep 600
    pid=$(cpod pod inspect --format '{{.Id}}' p | cut -c1-12)
    run_cpod pod stats --no-stream --format json p
    [ "$(jq length <<<"$output")" -eq 2 ]
    [ "$(jq -r '.[1] | keys_unsorted | join(",")' <<<"$output")" = \
        "CPU,MemUsage,MemUsageBytes,Mem,NetIO,BlockIO,PIDS,Pod,CID,Name" ]
    [ "$(jq -r '.[1].Name' <<<"$output")" = member ]
    [ "$(jq -r '.[1].Pod' <<<"$output")" = "$pid" ]
    [ "$(jq -r '.[1].PIDS' <<<"$output")" = 1 ]
    [ "$(jq -r '.[1].NetIO' <<<"$output")" = "-- / --" ]
    run_cpod pod stats --no-stream
    assert_line --index 0 --regexp '^POD +CID +NAME +CPU % +MEM USAGE/ LIMIT +MEM % +NET IO +BLOCK IO +PIDS$'
    assert_line --index 2 --regexp "^$pid +[0-9a-f]{12} +member "
    run_cpod pod stats --no-stream --format '{{.Name}}' --latest
    assert_line --index 1 member
    run_cpod 125 pod stats --all p
    assert_output "Error: --all, --latest and arguments cannot be used together"
}
