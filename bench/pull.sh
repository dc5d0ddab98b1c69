#!/usr/bin/env bash
# Pull benchmark: cpod against podman 4.3.1, side by side, from a local
# docker-registry (plain HTTP on 127.0.0.1) into empty storage every run.
#
#   bench/pull.sh [--runs N] [--only NAME] [--keep]
#
# Images (built offline once, cached in $BENCH_WORK, default
# /var/tmp/cpod-bench-pull):
#   busybox     the test fixture: one 1 MB layer
#   minbase     Debian bookworm --variant=minbase from debootstrap (one
#               layer, ~30 MB gzip; needs debootstrap and the Debian mirror
#               apt uses; skipped otherwise)
#   layers-5    5 layers of 20 MiB of random data (incompressible)
#   layers-30   30 layers of 3 MiB of random data
# Each is timed with hyperfine (--prepare empties both stores), then a
# breakdown of where cpod's time goes for that image: download (curl of
# every blob), sha256 of the compressed blobs, decompression, and tar
# extraction, each measured alone with the same data.
#
# Results: $BENCH_WORK/results.md (hyperfine tables) and the summary printed
# at the end.  Never asserts anything: numbers are for people.
set -euo pipefail
# The store is removed at the end: its networks must go down with their last container, not linger
# (lib/net/net-anchor.c).
export CPOD_NETWORK_LINGER=0

top=$(cd "$(dirname "$0")/.." && pwd)
CPOD=${CPOD:-$top/build/cpod}
FIX=$top/tests/fixtures
work=${BENCH_WORK:-/var/tmp/cpod-bench-pull}
runs=5 only='' keep=0
while [ $# -gt 0 ]; do
    case "$1" in
    --runs) runs=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--runs N] [--only NAME] [--keep]" >&2; exit 2 ;;
    esac
done
for t in hyperfine skopeo docker-registry python3 jq curl; do
    command -v "$t" >/dev/null || { echo "pull.sh: $t is required" >&2; exit 1; }
done
[ -x "$CPOD" ] || { echo "pull.sh: build cpod first ($CPOD)" >&2; exit 1; }
have_podman=0
command -v podman >/dev/null && have_podman=1

mkdir -p "$work"
# Keep the host's registries.conf, auth files and certs out of both tools.
export CONTAINERS_REGISTRIES_CONF=$work/registries.conf CONTAINERS_REGISTRIES_CONF_DIR=$work/registries.conf.d
: > "$CONTAINERS_REGISTRIES_CONF"
mkdir -p "$CONTAINERS_REGISTRIES_CONF_DIR"
export REGISTRY_AUTH_FILE=$work/auth.json
echo '{"auths":{}}' > "$REGISTRY_AUTH_FILE"

build_images() {
    [ -f "$work/busybox/.done" ] || { "$FIX/build-busybox-image.sh" "$work/busybox" >/dev/null && touch "$work/busybox/.done"; }
    [ -f "$work/layers-5/index.json" ] ||
        "$FIX/make-layered-image.py" "$work/layers-5" --layers 5 --size $((20 << 20)) >/dev/null
    [ -f "$work/layers-30/index.json" ] ||
        "$FIX/make-layered-image.py" "$work/layers-30" --layers 30 --size $((3 << 20)) --seed 30 >/dev/null
    if [ ! -f "$work/minbase/index.json" ] && command -v debootstrap >/dev/null; then
        echo "building the Debian minbase image with debootstrap (about a minute)..." >&2
        rm -rf "$work/minbase-root"
        if debootstrap --variant=minbase bookworm "$work/minbase-root" http://deb.debian.org/debian \
            >"$work/debootstrap.log" 2>&1; then
            rm -rf "$work/minbase-root/var/cache/apt/archives/"*.deb
            tar --numeric-owner --xattrs -C "$work/minbase-root" -cf "$work/minbase.tar" .
            "$FIX/make-layered-image.py" "$work/minbase" --layers 0 --from-tar "$work/minbase.tar" >/dev/null
            rm -rf "$work/minbase-root" "$work/minbase.tar"
        else
            echo "debootstrap failed (see $work/debootstrap.log): no minbase image" >&2
        fi
    fi
}

reg=$work/registry
# Every run pulls into a new directory, and no store is removed until the end: ext4 skips
# the inodes freed in the last 30 s (5 min while their table block is dirty) when it creates
# files, reading each candidate's inode block (recently_deleted() in perf), so a pull right
# after a store's removal spent up to twice as long in the kernel, more with every run.
fresh=$work/fresh
cleanup() {
    "$FIX/registry.sh" stop "$reg" 2>/dev/null || true
    [ "$keep" = 1 ] || rm -rf "$fresh" "$work/root-cpod" "$work/run-cpod" "$work/root-podman" "$work/run-podman" "$work/x"
}
trap cleanup EXIT

build_images
"$FIX/registry.sh" start --mode plain "$reg" 2>/dev/null
host=127.0.0.1:$(cat "$reg/port")
images=()
for name in busybox minbase layers-5 layers-30; do
    [ -n "$only" ] && [ "$only" != "$name" ] && continue
    src=$work/$name
    [ "$name" = busybox ] && src=$work/busybox/oci
    [ -f "$src/index.json" ] || continue
    "$FIX/registry.sh" push "$reg" "oci:$src:latest" "$name:latest" >/dev/null 2>&1
    images+=("$name")
done

results=$work/results.md
: > "$results"
summary=()
for name in "${images[@]}"; do
    ref=$host/$name:latest
    cmds=("$CPOD --root $fresh/cur/root --runroot $fresh/cur/run pull -q --tls-verify=false $ref")
    names=(cpod)
    if [ "$have_podman" = 1 ]; then
        cmds+=("podman --root $fresh/cur/root --runroot $fresh/cur/run --runtime runc pull -q --tls-verify=false $ref")
        names+=(podman)
    fi
    # A new empty store, and the previous run's data written back: cpod's syncfs would
    # otherwise pay for it, and podman, which never syncs, would not.
    mkdir -p "$fresh"
    prep="ln -sfn \$(mktemp -d $fresh/run.XXXXXX) $fresh/cur && sync"
    args=()
    for i in "${!cmds[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
    echo "## $name" | tee -a "$results"
    hyperfine --style basic --runs "$runs" --warmup 1 --prepare "$prep" --export-json "$work/$name.json" \
        --export-markdown "$work/$name.md" "${args[@]}" >/dev/null
    cat "$work/$name.md" >> "$results"
    size=$(skopeo inspect --tls-verify=false --raw "docker://$ref" | jq '[.layers[].size] | add')
    c=$(jq '.results[0].median' "$work/$name.json")
    line=$(printf '%-10s %6.1f MB compressed  cpod %6.3f s (%6.1f MB/s)' "$name" "$(echo "$size/1000000" | bc -l)" \
        "$c" "$(echo "$size/1000000/$c" | bc -l)")
    if [ "$have_podman" = 1 ]; then
        p=$(jq '.results[1].median' "$work/$name.json")
        line+=$(printf '  podman %6.3f s (%6.1f MB/s)  speedup %.2fx' "$p" "$(echo "$size/1000000/$p" | bc -l)" \
            "$(echo "$p/$c" | bc -l)")
    fi
    summary+=("$line")

    # Where the time goes: the same bytes through each stage alone.
    src=$work/$name
    [ "$name" = busybox ] && src=$work/busybox/oci
    mf=$src/blobs/sha256/$(jq -r '.manifests[0].digest' "$src/index.json" | cut -d: -f2)
    blobs=$(jq -r '.layers[].digest' "$mf" | sed "s|sha256:|$src/blobs/sha256/|")
    t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
    net=$(t bash -c "for d in $(jq -r '.layers[].digest' "$mf" | tr '\n' ' '); do curl -s -o /dev/null http://$host/v2/$name/blobs/\$d; done")
    sha=$(t bash -c "cat $(echo $blobs) | sha256sum")
    dec=$(t bash -c "for b in $(echo $blobs); do zcat -f \$b; done | sha256sum")
    rm -rf "$work/x"; mkdir -p "$work/x"
    ext=$(t bash -c "for b in $(echo $blobs); do zcat -f \$b | tar -x -C $work/x; done")
    rm -rf "$work/x"
    brk=$(printf '           stages alone: download %.3f s, sha256 %.3f s, gunzip+sha256 %.3f s, gunzip+untar %.3f s' \
        "$net" "$sha" "$dec" "$ext")
    summary+=("$brk")
    echo | tee -a "$results" >/dev/null
done

echo
echo "median of $runs runs each, empty storage every run ($(nproc) CPUs):"
printf '%s\n' "${summary[@]}" | tee -a "$results"
echo "(tables: $results)"
