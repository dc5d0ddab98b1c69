#!/usr/bin/env bash
# kube play of a three-container pod with a published port and a volume claim, then kube down,
# cpod and podman 4.3.1 side by side (medians of N rounds).  The pod joins the default bridge
# network (the port needs it); nothing is sent to it.
# Usage: bench/kube.sh [ROUNDS]   (needs root)
set -euo pipefail
export CPOD_NETWORK_LINGER=0
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-10}
work=$(mktemp -d /var/tmp/cpod-bench-kube.XXXXXX)
C="$top/build/cpod --root $work/root --runroot $work/runroot"
# podman's containers take their rlimits from containers.conf (kube play has no --ulimit), and its
# defaults are above this host's hard limits.
printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n' >"$work/podman.conf"
P="env CONTAINERS_CONF=$work/podman.conf podman --root $work/podman --runroot $work/podman-run --runtime runc"
cleanup() {
    $C kube down --force "$work/pod.yaml" >/dev/null 2>&1 || true
    $C pod rm -af -t 0 >/dev/null 2>&1 || true
    $C volume rm -af >/dev/null 2>&1 || true
    if command -v podman >/dev/null; then
        $P kube down "$work/pod.yaml" >/dev/null 2>&1 || true
        $P pod rm -af -t 0 >/dev/null 2>&1 || true
        $P volume rm -af >/dev/null 2>&1 || true
        $P rmi -af >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)/1e6}'; }

"$top/tests/fixtures/build-busybox-image.sh" "$work/fx" >/dev/null
$C load -q -i "$work/fx/busybox-docker.tar" >/dev/null
port=$((20000 + RANDOM % 20000))
cat >"$work/pod.yaml" <<YAML
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: benchdata
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: v1
kind: Pod
metadata:
  name: benchpod
spec:
  containers:
  - name: web
    image: localhost/busybox:latest
    command: ["httpd", "-f", "-p", "8080"]
    ports:
    - containerPort: 8080
      hostPort: $port
      hostIP: 127.0.0.1
    volumeMounts:
    - name: data
      mountPath: /data
  - name: worker
    image: localhost/busybox:latest
    command: ["sleep", "1000"]
    volumeMounts:
    - name: data
      mountPath: /data
  - name: side
    image: localhost/busybox:latest
    command: ["sleep", "1000"]
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: benchdata
YAML
engines=(cpod)
if command -v podman >/dev/null; then $P load -q -i "$work/fx/busybox-docker.tar" >/dev/null; engines+=(podman); fi
for e in "${engines[@]}"; do
    if [ "$e" = cpod ]; then X=$C; down="kube down --force"; else X=$P; down="kube down"; fi
    : >"$work/up.$e"
    : >"$work/down.$e"
    for _ in $(seq "$rounds"); do
        t0=$(now)
        $X kube play "$work/pod.yaml" >/dev/null
        t1=$(now)
        $X $down "$work/pod.yaml" >/dev/null
        t2=$(now)
        # podman's kube down keeps the claim's volume: remove it outside the timing.
        $X volume rm -f benchdata >/dev/null 2>&1 || true
        echo $((t1 - t0)) >>"$work/up.$e"
        echo $((t2 - t1)) >>"$work/down.$e"
    done
    printf '%-7s kube play (3 containers, port, volume): median %7.1f ms   kube down: median %7.1f ms\n' "$e" \
        "$(median <"$work/up.$e")" "$(median <"$work/down.$e")"
done
