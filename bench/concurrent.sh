#!/usr/bin/env bash
# N containers started at once: N concurrent `run -d --network none busybox sleep`, then one
# `rm -af -t 0` of them, cpod and podman 4.3.1 side by side, for each N (default 20 50 100).
# Every start must succeed (a lock timeout or any failure aborts the benchmark).  Wall times are
# medians of ROUNDS rounds.
# Usage: bench/concurrent.sh [ROUNDS] [N...]   (needs root; PODMAN=0 leaves podman out)
set -euo pipefail
export CPOD_NETWORK_LINGER=0
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}
shift || true
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(20 50 100); fi
work=$(mktemp -d /var/tmp/cpod-bench-conc.XXXXXX)
C="$top/build/cpod --root $work/root --runroot $work/runroot"
P="podman --root $work/podman --runroot $work/podman-run --runtime runc"
U="--ulimit nofile=20000:20000 --ulimit nproc=32768:32768"
cleanup() {
    $C rm -af -t 0 >/dev/null 2>&1 || true
    if command -v podman >/dev/null; then $P rm -af -t 0 >/dev/null 2>&1 || true; $P rmi -af >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)/1e6}'; }

"$top/tests/fixtures/build-busybox-image.sh" "$work/fx" >/dev/null
$C load -q -i "$work/fx/busybox-docker.tar" >/dev/null
engines=(cpod)
if [ "${PODMAN:-1}" != 0 ] && command -v podman >/dev/null; then $P load -q -i "$work/fx/busybox-docker.tar" >/dev/null; engines+=(podman); fi

# Start n containers at once; fails unless all n started and run.
start_n() {
    local e=$1 n=$2 pids=() fail=0
    for i in $(seq "$n"); do
        if [ "$e" = cpod ]; then
            $C run -d --network none busybox sleep 1000 >/dev/null 2>"$work/err.$i" &
        else
            $P run -d --network none $U busybox sleep 1000 >/dev/null 2>"$work/err.$i" &
        fi
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || fail=$((fail + 1)); done
    if [ "$fail" -gt 0 ]; then
        echo "$e: $fail of $n starts failed:" >&2
        cat "$work"/err.* >&2
        exit 1
    fi
}
running() {
    if [ "$1" = cpod ]; then $C ps -q | wc -l; else $P ps -q | wc -l; fi
}
rm_all() {
    if [ "$1" = cpod ]; then $C rm -af -t 0 >/dev/null; else $P rm -af -t 0 >/dev/null; fi
}

printf '%-8s %5s %14s %14s\n' engine N "run -d (ms)" "rm -af (ms)"
for n in "${sizes[@]}"; do
    for e in "${engines[@]}"; do
        : >"$work/start.$e"
        : >"$work/rm.$e"
        for _ in $(seq "$rounds"); do
            t0=$(now)
            start_n "$e" "$n"
            t1=$(now)
            got=$(running "$e")
            [ "$got" -eq "$n" ] || { echo "$e: $got of $n containers running" >&2; exit 1; }
            t2=$(now)
            rm_all "$e"
            t3=$(now)
            echo $((t1 - t0)) >>"$work/start.$e"
            echo $((t3 - t2)) >>"$work/rm.$e"
        done
        printf '%-8s %5d %14.0f %14.0f\n' "$e" "$n" "$(median <"$work/start.$e")" "$(median <"$work/rm.$e")"
    done
done
