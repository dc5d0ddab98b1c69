#!/bin/bash
# record.sh: write each script's expected output (NN-name.out) from podman itself, on this host
# (podman 4.3.1 from Debian, runc, the ulimits this host allows).  Run it by hand when a script
# changes; the .out files are what 090-podman-scripts.bats holds cpod to.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
fx=${1:?usage: record.sh FIXTURES_DIR (holding busybox/busybox-docker.tar)}
conf=$(mktemp)
printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n' >"$conf"
for s in "$here"/[0-9]*.sh; do
    store=$(mktemp -d /var/tmp/podman-record.XXXXXX)
    P=(podman --root "$store/root" --runroot "$store/run" --runtime runc)
    CONTAINERS_CONF=$conf "${P[@]}" load -q -i "$fx/busybox/busybox-docker.tar" >/dev/null
    CONTAINERS_CONF=$conf "$here/run.sh" "$(command -v podman)" "$store/root" "$store/run" "$s" --runtime runc \
        >"${s%.sh}.out" || true
    CONTAINERS_CONF=$conf "${P[@]}" rm -af -t 0 >/dev/null 2>&1 || true
    CONTAINERS_CONF=$conf "${P[@]}" pod rm -af -t 0 >/dev/null 2>&1 || true
    "${P[@]}" system reset -f >/dev/null 2>&1 || true
    rm -rf "$store"
    echo "recorded ${s##*/}"
done
rm -f "$conf"
