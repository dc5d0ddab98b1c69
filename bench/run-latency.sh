#!/usr/bin/env bash
# Start latency of a short container, side by side in one run:
#   cpod run --rm --network none IMAGE true
#   bare `runc run` of an equivalent bundle (busybox rootfs, /bin/true)
#   podman 4.3.1 run --rm --network none (if installed)
# Usage: bench/run-latency.sh [RUNS]   (needs root; uses hyperfine)
# CPOD_BASE=/path/to/other/cpod adds that build (its own store) to the same run, for before/after.
set -euo pipefail
# The store is removed at the end: its networks must go down with their last container, not linger
# (lib/net/net-anchor.c).
export CPOD_NETWORK_LINGER=0
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-20}
cpod=$top/build/cpod
work=$(mktemp -d /var/tmp/cpod-bench.XXXXXX)
trap 'podman --root "$work/podman" --runroot "$work/podman-run" rmi -af >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

"$top/tests/fixtures/build-busybox-image.sh" "$work/fx" >/dev/null
C="$cpod --root $work/root --runroot $work/runroot"
$C load -q -i "$work/fx/busybox-docker.tar" >/dev/null

# Bare runc on an equivalent bundle: the same image unpacked by umoci, and the runtime config cpod
# itself generates (seccomp profile, capabilities, masked paths, rlimits), with /bin/true and
# without cpod's bind-mounted /etc files.
mkdir -p "$work/bundle"
umoci unpack --image "$work/fx/oci:latest" "$work/bundle/unpacked" >/dev/null
mv "$work/bundle/unpacked/rootfs" "$work/bundle/rootfs"
$C create --name template --network none busybox true >/dev/null
$C init template >/dev/null
id=$($C inspect --format '{{.Id}}' template)
python3 - "$work/runroot/containers/$id/userdata/config.json" "$work/bundle" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["root"] = {"path": "rootfs", "readonly": False}
c["process"]["args"] = ["/bin/true"]
c["mounts"] = [m for m in c["mounts"] if m["type"] != "bind"]
c["linux"]["cgroupsPath"] = "/cpod_bench/runc"
json.dump(c, open(sys.argv[2] + "/config.json", "w"))
PY
$C rm -f -t 0 template >/dev/null

# OCI hooks: an empty hooks directory, and ten hook files that do not match (issue 16's bar).
mkdir -p "$work/hooks-empty" "$work/hooks-10"
for i in $(seq -w 1 10); do
    printf '{"version": "1.0.0", "hook": {"path": "/bin/true"}, "when": {"annotations": {"^bench[.]never$": "^%s$"}, "commands": ["^/never/%s$"]}, "stages": ["prestart", "poststop"]}\n' "$i" "$i" >"$work/hooks-10/$i-nomatch.json"
done
cmds=(-n "cpod run --rm" "$C run --rm --network none busybox true"
      -n "cpod run --rm (hooks dir empty)" "$C --hooks-dir $work/hooks-empty run --rm --network none busybox true"
      -n "cpod run --rm (10 hooks, none match)" "$C --hooks-dir $work/hooks-10 run --rm --network none busybox true"
      -n "runc run (bare)" "runc --root $work/runc-state run --bundle $work/bundle benchctr")
if [ -n "${CPOD_BASE:-}" ]; then
    B="$CPOD_BASE --root $work/base-root --runroot $work/base-runroot"
    $B load -q -i "$work/fx/busybox-docker.tar" >/dev/null
    cmds+=(-n "cpod (base) run --rm" "$B run --rm --network none busybox true")
fi
if command -v podman >/dev/null; then
    P="podman --root $work/podman --runroot $work/podman-run --runtime runc --storage-driver overlay"
    $P load -q -i "$work/fx/busybox-docker.tar" >/dev/null
    cmds+=(-n "podman run --rm" "$P run --rm --network none --ulimit nofile=20000:20000 --ulimit nproc=32768:32768 busybox true")
fi
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/result.json" "${cmds[@]}" >&2
python3 - "$work/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
for x in r:
    print(f'{x["command"]:<36} median {x["median"]*1000:7.1f} ms   mean {x["mean"]*1000:7.1f} ms   min {x["min"]*1000:7.1f} ms')
PY
