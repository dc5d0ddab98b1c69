#!/usr/bin/env bash
# Pod lifecycle: `pod create` + two members started (`run -d --pod`), then `pod rm -f`,
# cpod and podman 4.3.1 side by side (medians of N rounds).
# Usage: bench/pod.sh [ROUNDS]   (needs root)
set -euo pipefail
# The store is removed at the end: its networks must go down with their last container, not linger
# (lib/net/net-anchor.c).
export CPOD_NETWORK_LINGER=0
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-10}
work=$(mktemp -d /var/tmp/cpod-bench-pod.XXXXXX)
C="$top/build/cpod --root $work/root --runroot $work/runroot"
# podman's infra container takes its rlimits from containers.conf (pod create has no --ulimit),
# and its defaults are above this host's hard limits.
printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n' > "$work/podman.conf"
P="env CONTAINERS_CONF=$work/podman.conf podman --root $work/podman --runroot $work/podman-run --runtime runc"
U="--ulimit nofile=20000:20000 --ulimit nproc=32768:32768"
cleanup() {
    $C pod rm -af -t 0 >/dev/null 2>&1 || true
    if command -v podman >/dev/null; then $P pod rm -af -t 0 >/dev/null 2>&1 || true; $P rmi -af >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)/1e6}'; }

"$top/tests/fixtures/build-busybox-image.sh" "$work/fx" >/dev/null
$C load -q -i "$work/fx/busybox-docker.tar" >/dev/null
engines=(cpod)
if command -v podman >/dev/null; then $P load -q -i "$work/fx/busybox-docker.tar" >/dev/null; engines+=(podman); fi
for e in "${engines[@]}"; do
    if [ "$e" = cpod ]; then X=$C; extra=""; else X=$P; extra="$U"; fi
    : > "$work/up.$e"; : > "$work/rm.$e"
    for i in $(seq "$rounds"); do
        t0=$(now)
        $X pod create --name "p$i" >/dev/null
        $X run -d --pod "p$i" $extra busybox sleep 1000 >/dev/null
        $X run -d --pod "p$i" $extra busybox sleep 1000 >/dev/null
        t1=$(now)
        $X pod rm -f -t 0 "p$i" >/dev/null
        t2=$(now)
        echo $((t1 - t0)) >> "$work/up.$e"
        echo $((t2 - t1)) >> "$work/rm.$e"
    done
    printf '%-7s pod create + 2 members started: median %7.1f ms   pod rm -f: median %7.1f ms\n' "$e" \
        "$(median < "$work/up.$e")" "$(median < "$work/rm.$e")"
done
