#!/usr/bin/env bash
# The cost of a bridge network, side by side in one run:
#   cpod run --rm --network none busybox true
#   cpod run --rm --network bridge busybox true      (the default network, netavark)
#   cpod run --rm -p 127.0.0.1::80 busybox true      (plus a published port)
#   cpod run --rm --network bridge, CPOD_NETWORK_LINGER=0 (the network goes down with each container)
#   podman 4.3.1 run --rm busybox true, with its default network and with --network none
# Usage: bench/network.sh [RUNS]   (needs root, netavark, hyperfine)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-20}
cpod=$top/build/cpod
work=$(mktemp -d /var/tmp/cpod-bench.XXXXXX)
cleanup() {
    local c="$cpod --root $work/root --runroot $work/runroot"
    $c rm -af -t 0 >/dev/null 2>&1 || true
    # the default network's anchor lingers after the last run (lib/net/net-anchor.c): take it down now
    $c network reap --after 0 podman "$($c network inspect podman --format '{{.ID}}')" >/dev/null 2>&1 || true
    podman --root "$work/podman" --runroot "$work/podman-run" rm -af -t 0 >/dev/null 2>&1 || true
    podman --root "$work/podman" --runroot "$work/podman-run" rmi -af >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

"$top/tests/fixtures/build-busybox-image.sh" "$work/fx" >/dev/null
C="$cpod --root $work/root --runroot $work/runroot"
$C load -q -i "$work/fx/busybox-docker.tar" >/dev/null
$C run --rm --network bridge busybox true # writes the default network once
cmds=(-n "cpod --network none" "$C run --rm --network none busybox true"
      -n "cpod --network bridge" "$C run --rm --network bridge busybox true"
      -n "cpod -p 127.0.0.1::80" "$C run --rm -p 127.0.0.1::80 busybox true"
      -n "cpod bridge, no linger" "env CPOD_NETWORK_LINGER=0 $C run --rm --network bridge busybox true")
if command -v podman >/dev/null; then
    P="podman --root $work/podman --runroot $work/podman-run --runtime runc --storage-driver overlay"
    U="--ulimit nofile=20000:20000 --ulimit nproc=32768:32768"
    $P load -q -i "$work/fx/busybox-docker.tar" >/dev/null
    cmds+=(-n "podman (default network)" "$P run --rm $U busybox true"
           -n "podman --network none" "$P run --rm --network none $U busybox true")
fi
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/result.json" "${cmds[@]}" >&2
python3 - "$work/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
for x in r:
    print(f'{x["command"]:<28} median {x["median"]*1000:7.1f} ms   mean {x["mean"]*1000:7.1f} ms   min {x["min"]*1000:7.1f} ms')
PY
