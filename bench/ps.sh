#!/usr/bin/env bash
# `ps -a` latency with many containers (created, not started), cpod and podman side by side.
# Usage: bench/ps.sh [N] [RUNS]   (needs root; hyperfine)
# CPOD_BASE=/path/to/other/cpod adds that build (its own store) to the same run, for before/after.
set -euo pipefail
# The store is removed at the end: its networks must go down with their last container, not linger
# (lib/net/net-anchor.c).
export CPOD_NETWORK_LINGER=0
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-1000}
runs=${2:-20}
work=$(mktemp -d /var/tmp/cpod-bench-ps.XXXXXX)
C="$top/build/cpod --root $work/root --runroot $work/runroot"
P="podman --root $work/podman --runroot $work/podman-run --runtime runc"
cleanup() {
    $C rm -af >/dev/null 2>&1 || true
    if [ -n "${CPOD_BASE:-}" ]; then $CPOD_BASE --root "$work/base-root" --runroot "$work/base-runroot" rm -af >/dev/null 2>&1 || true; fi
    if command -v podman >/dev/null; then $P rm -af >/dev/null 2>&1 || true; $P rmi -af >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

"$top/tests/fixtures/build-busybox-image.sh" "$work/fx" >/dev/null
$C load -q -i "$work/fx/busybox-docker.tar" >/dev/null
start=$(date +%s.%N)
for i in $(seq "$n"); do $C create --name "c$i" busybox true >/dev/null; done
echo "cpod: created $n containers in $(echo "$(date +%s.%N) - $start" | bc) s" >&2
cmds=(-n "cpod ps -a ($n)" "$C ps -a")
if [ -n "${CPOD_BASE:-}" ]; then
    B="$CPOD_BASE --root $work/base-root --runroot $work/base-runroot"
    $B load -q -i "$work/fx/busybox-docker.tar" >/dev/null
    for i in $(seq "$n"); do $B create --name "c$i" busybox true >/dev/null; done
    cmds+=(-n "cpod (base) ps -a ($n)" "$B ps -a")
fi
if command -v podman >/dev/null && [ "${PODMAN:-1}" = 1 ]; then
    $P load -q -i "$work/fx/busybox-docker.tar" >/dev/null
    start=$(date +%s.%N)
    for i in $(seq "$n"); do $P create --name "c$i" busybox true >/dev/null; done
    echo "podman: created $n containers in $(echo "$(date +%s.%N) - $start" | bc) s" >&2
    cmds+=(-n "podman ps -a ($n)" "$P ps -a")
fi
# Fold each store's write-ahead log back first: a WAL left at up to 4 MB by the creates (SQLite's
# checkpoint timing) costs a list ~3 ms, which would measure that timing rather than the code.
for db in "$work"/*/cpod.db; do
    python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA wal_checkpoint(TRUNCATE)")' "$db"
done
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/r.json" "${cmds[@]}" >&2
python3 - "$work/r.json" <<'PY'
import json, sys
for x in json.load(open(sys.argv[1]))["results"]:
    print(f'{x["command"]:<24} median {x["median"]*1000:7.1f} ms   mean {x["mean"]*1000:7.1f} ms')
PY
