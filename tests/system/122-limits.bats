#!/usr/bin/env bats
# Create/run limits beyond memory, CPU and pids: --oom-score-adj.
# Containers run with --network none: nothing here needs a network.

load helpers

setup() {
    cpod_setup
    load_busybox
}

@test "--oom-score-adj reaches the container's process and inspect" {
    run_cpod run -d --network none --name adj --oom-score-adj 500 busybox sleep 600
    pid=$(cpod inspect --format '{{.State.Pid}}' adj)
    [ "$(cat /proc/$pid/oom_score_adj)" = 500 ]
    run_cpod inspect --format '{{.HostConfig.OomScoreAdj}}' adj
    assert_output 500
    # (Lowering it needs CAP_SYS_RESOURCE, which this sandbox withholds even from root.)
    run_cpod run --rm --network none --oom-score-adj 300 busybox cat /proc/self/oom_score_adj
    assert_output 300
    run_cpod create --network none --name plain busybox true
    run_cpod inspect --format '{{.HostConfig.OomScoreAdj}}' plain
    assert_output 0
}

@test "--oom-score-adj out of range: one error, nothing created" {
    run_cpod 125 run --network none --name bad --oom-score-adj 1001 busybox true
    assert_output "Error: invalid --oom-score-adj 1001: it must be between -1000 and 1000"
    run_cpod ps -aq
    assert_output ""
}
