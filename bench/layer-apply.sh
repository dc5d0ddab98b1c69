#!/usr/bin/env bash
# Layer apply benchmark: `cpod load` of the Debian 12 minbase image (one gzip
# layer, ~95 MB compressed, ~204 MB of tar, ~6,800 entries) into empty
# storage, for one or more build directories side by side.
#
#   bench/layer-apply.sh [--runs N] [--callgrind] [--syncfs] [BUILD_DIR...]
#
# BUILD_DIR defaults to build/.  Each run loads into a fresh --root (removed
# between runs, untimed); runs of the builds are interleaved so that load
# from other work on the machine spreads over all of them.  Prints the median
# wall, user and system time of each build.
#
#   --callgrind  also count instructions (valgrind --tool=callgrind) of the
#                CPU part of the apply: bench/layer-read, built with
#                `meson configure BUILD_DIR -Dbench=true`, reads the layer
#                blob through the same decompression, digests and tar reader
#                and writes nothing (`cpod load` itself can't run under
#                valgrind 3.19: it does not know openat2).  Counts repeat to
#                the instruction on a busy machine; wall times don't.  Valgrind
#                hides SHA-NI from OpenSSL, so sha256 costs ~5x more
#                instructions there than natively: its column is shown apart.
#                "native best" is the fastest of RUNS plain runs of the same.
#   --syncfs     time the syncfs() each layer does before it is published
#                (strace -T on RUNS more loads with the first build).
#
# The image is built once with tests/fixtures/build-debian-image.sh (needs
# debootstrap's cache or debootstrap and the Debian mirror) into $BENCH_WORK,
# default /var/tmp/cpod-bench-layer.  Never asserts anything.
set -euo pipefail
# The store is removed at the end: its networks must go down with their last container, not linger
# (lib/net/net-anchor.c).
export CPOD_NETWORK_LINGER=0

top=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_WORK:-/var/tmp/cpod-bench-layer}
runs=5 callgrind=0 syncfs=0 builds=()
while [ $# -gt 0 ]; do
    case "$1" in
    --runs) runs=$2; shift 2 ;;
    --callgrind) callgrind=1; shift ;;
    --syncfs) syncfs=1; shift ;;
    -*) echo "usage: $0 [--runs N] [--callgrind] [--syncfs] [BUILD_DIR...]" >&2; exit 2 ;;
    *) builds+=("$(cd "$1" && pwd)"); shift ;;
    esac
done
[ ${#builds[@]} -gt 0 ] || builds=("$top/build")
for b in "${builds[@]}"; do
    [ -x "$b/cpod" ] || { echo "layer-apply.sh: no cpod in $b (build it first)" >&2; exit 1; }
done

mkdir -p "$work"
image=$work/debian/debian-oci.tar
if [ ! -f "$image" ]; then
    echo "building the Debian minbase image (once)..." >&2
    rm -rf "$work/debian"
    "$top/tests/fixtures/build-debian-image.sh" "$work/debian" >/dev/null
fi
# The layer blob alone, for bench/layer-read: the largest file in the archive.
blob=$work/layer.blob
if [ ! -f "$blob" ] || [ "$image" -nt "$blob" ]; then
    name=$(tar -tvf "$image" | sort -k3 -n | tail -1 | awk '{print $NF}')
    tar -xOf "$image" "$name" > "$blob"
fi

# One timed load: prints "wall user sys" (seconds) of the cpod process tree.
time_load() {
    local cpod=$1 root=$work/root
    rm -rf "$root"
    mkdir -p "$root"
    python3 - "$cpod" "$root" "$image" <<'EOF'
import resource, subprocess, sys, time
cpod, root, image = sys.argv[1:4]
r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
t0 = time.monotonic()
subprocess.run([cpod, "--root", root + "/root", "--runroot", root + "/run", "load", "-i", image],
               check=True, stdout=subprocess.DEVNULL)
t = time.monotonic() - t0
r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{t:.3f} {r1.ru_utime - r0.ru_utime:.3f} {r1.ru_stime - r0.ru_stime:.3f}")
EOF
    rm -rf "$root"
}

median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

declare -A times
for ((i = 0; i < runs; i++)); do
    for b in "${builds[@]}"; do
        times[$b]+="$(time_load "$b/cpod")"$'\n'
    done
done

echo "cpod load of $(basename "$image") ($(du -m "$blob" | cut -f1) MB layer), median of $runs runs:"
printf '  %-40s %8s %8s %8s\n' build wall user sys
for b in "${builds[@]}"; do
    t=${times[$b]}
    printf '  %-40s %8s %8s %8s\n' "$b" \
        "$(awk 'NF{print $1}' <<<"$t" | median)" "$(awk 'NF{print $2}' <<<"$t" | median)" \
        "$(awk 'NF{print $3}' <<<"$t" | median)"
done

if [ "$callgrind" = 1 ]; then
    command -v valgrind >/dev/null || { echo "layer-apply.sh: --callgrind needs valgrind" >&2; exit 1; }
    echo "instructions (callgrind) of bench/layer-read on the layer blob:"
    printf '  %-40s %14s %14s %14s %12s\n' build total sha256 'all but sha256' 'native best'
    for b in "${builds[@]}"; do
        if [ ! -x "$b/bench/layer-read" ]; then
            printf '  %-40s %s\n' "$b" "(no bench/layer-read: meson configure -Dbench=true)"
            continue
        fi
        out=$work/callgrind.$$.out
        valgrind --tool=callgrind --callgrind-out-file="$out" "$b/bench/layer-read" "$blob" >/dev/null 2>&1
        # Per-object totals; libcrypto here is sha256 (and nothing else of size).
        read -r total crypto < <(callgrind_annotate --inclusive=no --threshold=100 "$out" 2>/dev/null | awk '
            /PROGRAM TOTALS/ {gsub(",", "", $1); total = $1}
            /libcrypto\.so/ {gsub(",", "", $1); crypto += $1}
            END {printf "%.0f %.0f\n", total, crypto}')
        rm -f "$out"
        best=$("$b/bench/layer-read" "$blob" "$runs" 2>&1 >/dev/null | sed -n 's/^best of [0-9]*: //p')
        printf '  %-40s %14s %14s %14s %12s\n' "$b" "$total" "$crypto" "$((total - crypto))" "$best"
    done
fi

if [ "$syncfs" = 1 ]; then
    command -v strace >/dev/null || { echo "layer-apply.sh: --syncfs needs strace" >&2; exit 1; }
    root=$work/root log=$work/strace.log
    : > "$work/syncfs.times"
    for ((i = 0; i < runs; i++)); do
        rm -rf "$root"
        mkdir -p "$root"
        strace -f -qq -T -e trace=syncfs -o "$log" \
            "${builds[0]}/cpod" --root "$root/root" --runroot "$root/run" load -i "$image" >/dev/null
        # One syncfs per layer: their sum is this load's wait for the disk.
        sed -n 's/.*syncfs(.*<\([0-9.]*\)>$/\1/p' "$log" | awk '{s += $1} END {printf "%.4f\n", s}' >> "$work/syncfs.times"
    done
    rm -rf "$root" "$log"
    echo "time in syncfs per load (${builds[0]}, $runs runs): median $(median < "$work/syncfs.times") s," \
        "min $(sort -n "$work/syncfs.times" | head -1) s, max $(sort -n "$work/syncfs.times" | tail -1) s"
fi
