#!/usr/bin/env bash
# `stats --no-stream --all` with N running containers, cpod and podman 4.3.1 side by side
# (hyperfine medians).  Containers run with --network none.
# Usage: bench/stats.sh [N] [RUNS]   (needs root; PODMAN=0 leaves podman out)
set -euo pipefail
export CPOD_NETWORK_LINGER=0
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-50}
runs=${2:-20}
work=$(mktemp -d /var/tmp/cpod-bench-stats.XXXXXX)
C="$top/build/cpod --root $work/root --runroot $work/runroot"
P="podman --root $work/podman --runroot $work/podman-run --runtime runc"
U="--ulimit nofile=20000:20000 --ulimit nproc=32768:32768"
use_podman() { [ "${PODMAN:-1}" != 0 ] && command -v podman >/dev/null; }
cleanup() {
    $C rm -af -t 0 >/dev/null 2>&1 || true
    if use_podman; then $P rm -af -t 0 >/dev/null 2>&1 || true; $P rmi -af >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

"$top/tests/fixtures/build-busybox-image.sh" "$work/fx" >/dev/null
$C load -q -i "$work/fx/busybox-docker.tar" >/dev/null
for _ in $(seq "$n"); do $C run -d --network none busybox sleep 100000 >/dev/null; done
cmds=(-n "cpod stats" "$C stats --no-stream --all")
if use_podman; then
    $P load -q -i "$work/fx/busybox-docker.tar" >/dev/null
    for _ in $(seq "$n"); do $P run -d --network none $U busybox sleep 100000 >/dev/null; done
    cmds+=(-n "podman stats" "$P stats --no-stream --all")
fi
hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/r.json" "${cmds[@]}" >&2
python3 - "$work/r.json" "$n" <<'PY'
import json, sys
for x in json.load(open(sys.argv[1]))["results"]:
    print(f'{x["command"]:<14} {sys.argv[2]} containers: median {x["median"]*1000:7.1f} ms   mean {x["mean"]*1000:7.1f} ms')
PY
