#!/usr/bin/env bash
# `images` with many images, and `load` of the Debian minbase image, cpod and podman side by side.
#   images: N distinct one-layer images (imported from tiny tarballs) plus N extra tags of busybox
#   load:   docker-archive of debian:bookworm minbase (tests/fixtures/build-debian-image.sh)
# Usage: bench/images.sh [N] [RUNS]   (needs root; hyperfine; PODMAN=0 to skip podman)
set -euo pipefail
# The store is removed at the end: its networks must go down with their last container, not linger
# (lib/net/net-anchor.c).
export CPOD_NETWORK_LINGER=0
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-1000}
runs=${2:-20}
work=$(mktemp -d /var/tmp/cpod-bench-images.XXXXXX)
C="$top/build/cpod --root $work/root --runroot $work/runroot"
P="podman --root $work/podman --runroot $work/podman-run --runtime runc"
with_podman() { command -v podman >/dev/null && [ "${PODMAN:-1}" = 1 ]; }
cleanup() {
    $C rmi -af >/dev/null 2>&1 || true
    if with_podman; then $P rmi -af >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

"$top/tests/fixtures/build-busybox-image.sh" "$work/fx" >/dev/null
"$top/tests/fixtures/build-debian-image.sh" "$work/deb" >/dev/null

# load of the Debian image into empty storage, each run from scratch
{
    echo "$C rmi -af >/dev/null 2>&1 || true"
    if with_podman; then echo "$P rmi -af >/dev/null 2>&1 || true"; fi
} > "$work/empty.sh"
cmds=(-n "cpod load debian" "$C load -q -i $work/deb/debian-docker.tar")
if with_podman; then
    cmds+=(-n "podman load debian" "$P load -q -i $work/deb/debian-docker.tar")
fi
hyperfine -N --runs 5 --prepare "bash $work/empty.sh" --export-json "$work/load.json" "${cmds[@]}" >&2

# N images: one tiny layer each, so each has its own ID
$C rmi -af >/dev/null
$C load -q -i "$work/fx/busybox-docker.tar" >/dev/null
mkdir -p "$work/t"
for i in $(seq "$n"); do
    echo "$i" > "$work/t/f"
    tar -C "$work/t" -cf "$work/t.tar" f
    $C import -q "$work/t.tar" "localhost/img$i:latest" >/dev/null
    $C tag localhost/busybox "localhost/tag$i:v1"
done
cmds=(-n "cpod images ($n+1 images, $n extra tags)" "$C images")
if with_podman; then
    $P load -q -i "$work/fx/busybox-docker.tar" >/dev/null
    for i in $(seq "$n"); do
        echo "$i" > "$work/t/f"
        tar -C "$work/t" -cf "$work/t.tar" f
        $P import -q "$work/t.tar" "localhost/img$i:latest" >/dev/null
        $P tag localhost/busybox "localhost/tag$i:v1"
    done
    cmds+=(-n "podman images ($n+1 images, $n extra tags)" "$P images")
fi
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/images.json" "${cmds[@]}" >&2
python3 - "$work/load.json" "$work/images.json" <<'PY'
import json, sys
for f in sys.argv[1:]:
    for x in json.load(open(f))["results"]:
        print(f'{x["command"]:<44} median {x["median"]*1000:8.1f} ms   mean {x["mean"]*1000:8.1f} ms')
PY
