#!/usr/bin/env bash
# The cost of a user namespace on a short container's start, side by side in one run:
#   cpod run --rm --network none busybox true                 (no user namespace)
#   ... --uidmap 0:100000:65536                               (overlay: idmapped lower layers)
#   ... --userns auto                                         (plus the allocation in the engine DB)
#   the same two on the vfs driver (no idmapped mounts: the container's copy is chowned)
#   podman 4.3.1 run --rm with and without --uidmap (if installed)
# Usage: bench/userns.sh [RUNS]   (needs root; uses hyperfine).  /etc/subuid and /etc/subgid get
# a "containers" range for the run and are put back exactly as they were.
set -euo pipefail
export CPOD_NETWORK_LINGER=0
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-20}
cpod=$top/build/cpod
work=$(mktemp -d /var/tmp/cpod-bench.XXXXXX)
cp -a /etc/subuid "$work/subuid.saved"
cp -a /etc/subgid "$work/subgid.saved"
restore() {
    cat "$work/subuid.saved" >/etc/subuid
    cat "$work/subgid.saved" >/etc/subgid
    podman --root "$work/podman" --runroot "$work/podman-run" rmi -af >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap restore EXIT
echo containers:1000000:1000000 >/etc/subuid
echo containers:1000000:1000000 >/etc/subgid

"$top/tests/fixtures/build-busybox-image.sh" "$work/fx" >/dev/null
C="$cpod --root $work/root --runroot $work/runroot"
V="$cpod --root $work/vroot --runroot $work/vrunroot --storage-driver vfs"
$C load -q -i "$work/fx/busybox-docker.tar" >/dev/null
$V load -q -i "$work/fx/busybox-docker.tar" >/dev/null
R="run --rm --network none"
cmds=(-n "cpod run --rm" "$C $R busybox true"
      -n "cpod run --rm --uidmap" "$C $R --uidmap 0:100000:65536 busybox true"
      -n "cpod run --rm --userns auto" "$C $R --userns auto busybox true"
      -n "cpod vfs run --rm" "$V $R busybox true"
      -n "cpod vfs run --rm --uidmap" "$V $R --uidmap 0:100000:65536 busybox true")
if command -v podman >/dev/null; then
    P="podman --root $work/podman --runroot $work/podman-run --runtime runc --storage-driver overlay"
    $P load -q -i "$work/fx/busybox-docker.tar" >/dev/null
    U="--ulimit nofile=20000:20000 --ulimit nproc=32768:32768"
    cmds+=(-n "podman run --rm" "$P $R $U busybox true"
           -n "podman run --rm --uidmap" "$P $R $U --uidmap 0:100000:65536 busybox true")
fi
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/result.json" "${cmds[@]}" >&2
python3 - "$work/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
for x in r:
    print(f'{x["command"]:<30} median {x["median"]*1000:7.1f} ms   mean {x["mean"]*1000:7.1f} ms   min {x["min"]*1000:7.1f} ms')
PY
