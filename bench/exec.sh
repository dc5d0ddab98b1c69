#!/usr/bin/env bash
# `exec CTR true` latency: cpod, bare `runc exec` into the same container, and podman 4.3.1 side by
# side, same image, same host.
# Usage: bench/exec.sh [RUNS]   (needs root; hyperfine)
set -euo pipefail
# The store is removed at the end: its networks must go down with their last container, not linger
# (lib/net/net-anchor.c).
export CPOD_NETWORK_LINGER=0
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-20}
work=$(mktemp -d /var/tmp/cpod-bench-exec.XXXXXX)
C="$top/build/cpod --root $work/root --runroot $work/runroot"
P="podman --root $work/podman --runroot $work/podman-run --runtime runc"
cleanup() {
    $C rm -af -t 0 >/dev/null 2>&1 || true
    if command -v podman >/dev/null; then $P rm -af -t 0 >/dev/null 2>&1 || true; $P rmi -af >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

"$top/tests/fixtures/build-busybox-image.sh" "$work/fx" >/dev/null
$C load -q -i "$work/fx/busybox-docker.tar" >/dev/null
$C run -d --name target --network none busybox sleep 100000 >/dev/null
id=$($C inspect --format '{{.Id}}' target)
# The floor: the runtime's own exec into the same container (cpod keeps runc's state in <runroot>/runtime).
cmds=(-n "cpod exec" "$C exec target true" -n "runc exec (bare)" "runc --root $work/runroot/runtime exec $id true")
if command -v podman >/dev/null; then
    $P load -q -i "$work/fx/busybox-docker.tar" >/dev/null
    $P run -d --name target --network none --ulimit nofile=20000:20000 --ulimit nproc=32768:32768 busybox sleep 100000 >/dev/null
    cmds+=(-n "podman exec" "$P exec target true")
fi
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/r.json" "${cmds[@]}" >&2
python3 - "$work/r.json" <<'PY'
import json, sys
for x in json.load(open(sys.argv[1]))["results"]:
    print(f'{x["command"]:<18} median {x["median"]*1000:7.1f} ms   mean {x["mean"]*1000:7.1f} ms')
PY
