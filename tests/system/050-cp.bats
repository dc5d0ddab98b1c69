#!/usr/bin/env bats
# cp (and container mount listing): podman's path rules in both directions, tar streams, ownership, and a
# hostile-symlink suite: no host path outside the container's rootfs is ever
# read or written, whatever the container's symlinks say or do mid-copy.

load helpers

setup() {
    cpod_setup
    load_busybox
    HOSTDIR=$CPOD_TEST_DIR/host
    mkdir -p "$HOSTDIR"
    cd "$HOSTDIR"
}

# A stopped container with /d/f, /d/sub/g, /lnk -> /d/f and /etclnk -> /etc.
make_src() {
    run_cpod run --name src busybox sh -c \
        'mkdir -p /d/sub && echo a > /d/f && echo b > /d/sub/g && ln -s /d/f /lnk && ln -s /etc /etclnk'
}

# What a path holds inside a (stopped or running) container, read back through cp.
ctr_cat() {
    "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" cp "$1:$2" - | tar -xO
}

ctr_list() {
    "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" cp "$1:$2" - | tar -t | sort | tr '\n' ' '
}

@test "cp from a stopped container: files, directories, trailing / and /." {
    make_src
    run_cpod cp src:/d/f newf
    [ "$(cat newf)" = a ]
    mkdir ed
    run_cpod cp src:/d/f ed
    [ "$(cat ed/f)" = a ]
    run_cpod cp src:/d newd
    [ "$(cat newd/sub/g)" = b ] && [ -f newd/f ]
    run_cpod cp src:/d ed
    [ -f ed/d/f ] && [ -f ed/d/sub/g ]
    mkdir ed2
    run_cpod cp src:/d/. ed2
    [ -f ed2/f ] && [ -f ed2/sub/g ] && [ ! -e ed2/d ]
    run_cpod cp src:/d/. newd2
    [ -f newd2/f ] && [ ! -e newd2/d ]
    run_cpod cp src:/d/ newd3
    [ -f newd3/sub/g ]
    # A symlink is followed inside the container; the copy takes the target's name in a directory.
    run_cpod cp src:/lnk lnkcopy
    [ -f lnkcopy ] && [ ! -L lnkcopy ] && [ "$(cat lnkcopy)" = a ]
    mkdir el
    run_cpod cp src:/lnk el
    [ "$(cat el/f)" = a ]
    # Copies out of a container belong to the user running cpod.
    [ "$(stat -c %u:%g newd/sub/g)" = "$(id -u):$(id -g)" ]
    assert_no_mounts
}

@test "cp errors follow podman" {
    make_src
    touch afile
    run_cpod 125 cp src:/d afile
    assert_output "Error: destination must be a directory when copying a directory"
    run_cpod 125 cp src:/nonexist x
    assert_output 'Error: "/nonexist" could not be found on container src: no such file or directory'
    run_cpod 125 cp src:/d/f nodir/
    assert_output 'Error: "nodir/" could not be found on the host: no such file or directory'
    run_cpod 125 cp src:/d/f nodir/x
    assert_output 'Error: "nodir/x" could not be found on the host: no such file or directory'
    run_cpod 125 cp nosuch:/d/f x
    assert_output 'Error: container "nosuch" does not exist'
    run_cpod 125 cp nonexist src:/x
    assert_output 'Error: "nonexist" could not be found on the host: no such file or directory'
    mkdir hd
    run_cpod 125 cp hd src:/d/f
    assert_output "Error: destination must be a directory when copying a directory"
    run_cpod 125 cp hd src:/nodir/x
    assert_output 'Error: "/nodir/x" could not be found on container src: no such file or directory'
    run_cpod 125 cp src: x
    assert_output 'Error: invalid arguments "src:", "x": you must specify paths'
    run_cpod 125 cp a b
    assert_output --partial "you must specify at least one container"
    run_cpod 125 cp onlyone
    assert_no_mounts
}

@test "cp into a stopped container: files, directories, /., symlinked destinations" {
    make_src
    mkdir -p hd/sub && echo x > hd/hf && echo y > hd/sub/hg && echo z > hfile
    run_cpod cp hfile src:/newfile
    [ "$(ctr_cat src /newfile)" = z ]
    run_cpod cp hfile src:/d
    [ "$(ctr_cat src /d/hfile)" = z ]
    run_cpod cp hd src:/newdir
    run ctr_list src /newdir
    assert_output "newdir/ newdir/hf newdir/sub/ newdir/sub/hg "
    run_cpod cp hd src:/d
    [ "$(ctr_cat src /d/hd/sub/hg)" = y ]
    run_cpod cp hd/. src:/d
    [ "$(ctr_cat src /d/hf)" = x ]
    run_cpod cp hd/. src:/newdir2
    run ctr_list src /newdir2
    assert_output "newdir2/ newdir2/hf newdir2/sub/ newdir2/sub/hg "
    # A destination symlink resolves inside the container: /etclnk is /etc, /lnk is /d/f.
    run_cpod cp hfile src:/etclnk
    [ "$(ctr_cat src /etc/hfile)" = z ]
    run_cpod cp hfile src:/lnk
    [ "$(ctr_cat src /d/f)" = z ]
    assert_no_mounts
}

@test "cp to and from a running container" {
    run_cpod run -d --name live busybox sleep 1000
    echo hello > h
    run_cpod cp h live:/tmp/h
    run_cpod exec live cat /tmp/h
    assert_output hello
    run_cpod exec live sh -c 'mkdir /made && echo inside > /made/x'
    run_cpod cp live:/made out
    [ "$(cat out/x)" = inside ]
    # The container's own mount stays; ours is released.
    run_cpod cp live:/made/x -
    run_cpod rm -f -t 0 live
    assert_no_mounts
}

@test "cp between two containers, and within one" {
    make_src
    run_cpod create --name dst busybox true
    run_cpod cp src:/d dst:/copied
    run ctr_list dst /copied
    assert_output "copied/ copied/f copied/sub/ copied/sub/g "
    run_cpod cp src:/d/f src:/d/f2
    [ "$(ctr_cat src /d/f2)" = a ]
    run_cpod 125 cp src:/d dst:/copied/f
    assert_output "Error: destination must be a directory when copying a directory"
    assert_no_mounts
}

@test "cp with tar streams on stdin and stdout" {
    make_src
    run -0 bash -c "'$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' cp src:/d - | tar -t"
    assert_output "d/
d/f
d/sub/
d/sub/g"
    run -0 bash -c "'$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' cp src:/d/. - | tar -t"
    assert_output "f
sub/
sub/g"
    run -0 bash -c "'$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' cp src:/lnk - | tar -t"
    assert_output "f"
    mkdir -p t/s && echo 1 > t/one && echo 2 > t/s/two
    tar -C t -cf plain.tar . && tar -C t -czf gz.tar.gz .
    run -0 bash -c "'$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' cp - src:/d/sub < plain.tar"
    [ "$(ctr_cat src /d/sub/s/two)" = 2 ]
    run -0 bash -c "'$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' cp - src:/tmp < gz.tar.gz"
    [ "$(ctr_cat src /tmp/one)" = 1 ]
    run -125 bash -c "'$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' cp - src:/d/f < plain.tar"
    assert_output "Error: destination must be a directory when copying from stdin"
    run -125 bash -c "'$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' cp - src:/nonexist < plain.tar"
    assert_output "Error: destination must be a directory when copying from stdin"
    run -125 bash -c "echo notatar | '$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' cp - src:/d"
    assert_output "Error: source must be a (compressed) tar archive"
    assert_no_mounts
}

@test "cp --archive: the container's user owns copies, --archive=false keeps the source's owner" {
    run_cpod create --name owned --user 1234:555 busybox true
    echo w > w
    chown 77:88 w
    run_cpod cp w owned:/w
    run_cpod cp --archive=false w owned:/w2
    run -0 bash -c "'$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' cp owned:/. - | tar -tvn --numeric-owner | grep ' w'"
    # Out of a container everything is the container's root (podman's id mapping).
    assert_output --partial "0/0"
    mnt=$("$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" mount owned)
    [ "$(stat -c %u:%g "$mnt/w")" = 1234:555 ]
    [ "$(stat -c %u:%g "$mnt/w2")" = 77:88 ]
    run_cpod umount owned
    assert_no_mounts
}

@test "cp --overwrite replaces a directory by a file and vice versa" {
    run_cpod run --name ov busybox sh -c 'mkdir -p /ov/x; echo > /ov/y'
    mkdir -p src/y && echo hi > src/x
    run_cpod 125 cp src/x ov:/ov
    assert_output --partial "cannot overwrite"
    run_cpod 125 cp src/. ov:/ov
    run_cpod cp --overwrite src/. ov:/ov
    [ "$(ctr_cat ov /ov/x)" = hi ]
    run -0 bash -c "'$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' cp ov:/ov/y - | tar -t"
    assert_output "y/"
    assert_no_mounts
}

# ---- hostile symlinks ----

# Host files the container's symlinks aim at; they must never be read or changed.
make_outside() {
    OUTSIDE=$CPOD_TEST_DIR/outside
    mkdir -p "$OUTSIDE/dir"
    echo HOST-SECRET > "$OUTSIDE/secret"
    echo HOST-SECRET > "$OUTSIDE/dir/secret2"
    OUTSIDE_BEFORE=$(cd "$OUTSIDE" && find . -printf '%p %s %T@ %m\n' | sort)
}

outside_untouched() {
    local now
    now=$(cd "$OUTSIDE" && find . -printf '%p %s %T@ %m\n' | sort)
    [ "$now" = "$OUTSIDE_BEFORE" ] || { echo "host files changed:"; echo "$now"; return 1; }
    [ ! -e /escape ] && [ ! -e /tmp/cpod-cp-escape ]
}

# No copy out of the container may hold the host's secret.
no_secret_in() {
    ! grep -r -q HOST-SECRET "$@" 2>/dev/null
}

make_hostile() {
    make_outside
    run_cpod run --name hostile busybox sh -c "
        ln -s $OUTSIDE /abs
        ln -s $OUTSIDE/secret /secretlink
        ln -s ../../../../../../../../../.. /up
        mkdir -p /dst /data/inner && echo ok > /data/inner/file
        ln -s $OUTSIDE /dst/out
        ln -s $OUTSIDE/dir /data/hostdir
        ln -s ../../../../../../../../$OUTSIDE /data/climb"
}

@test "hostile symlinks: nothing outside the rootfs is read" {
    make_hostile
    run_cpod 125 cp hostile:/abs/secret got1
    run_cpod 125 cp hostile:/secretlink got2
    run_cpod 125 cp "hostile:/up$OUTSIDE/secret" got3
    run_cpod 125 cp hostile:/data/climb/secret got4
    run_cpod 125 cp hostile:/data/hostdir/secret2 got5
    [ ! -e got1 ] && [ ! -e got2 ] && [ ! -e got3 ] && [ ! -e got4 ] && [ ! -e got5 ]
    # Whole trees and streams carry the links as links, never what they point at.
    run_cpod cp hostile:/data got-data
    [ -L got-data/hostdir ] && [ -L got-data/climb ]
    [ "$(readlink got-data/hostdir)" = "$OUTSIDE/dir" ]
    "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" cp hostile:/ - > root.tar
    mkdir root-x && tar -C root-x -xf root.tar
    no_secret_in got-data root-x root.tar
    # /up resolves to the container's own root.
    run -0 bash -c "'$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' cp hostile:/up/data/inner/file - | tar -xO"
    assert_output ok
    outside_untouched
    assert_no_mounts
}

@test "hostile symlinks: nothing outside the rootfs is written" {
    make_hostile
    echo PAYLOAD > payload
    mkdir -p pdir && echo PAYLOAD > pdir/p
    run_cpod 125 cp payload hostile:/abs/new
    run_cpod 125 cp payload "hostile:/up$OUTSIDE/new"
    run_cpod 125 cp pdir hostile:/data/hostdir/new
    # Into a directory through an absolute link to the host: resolved in the container, where it's missing.
    run_cpod 125 cp payload hostile:/data/hostdir/
    # A destination that is a dangling link to the host is replaced inside the container, not followed.
    run_cpod cp payload hostile:/dst/out
    [ "$(ctr_cat hostile /dst/out)" = PAYLOAD ]
    # Relative climbing links resolve to the container's root.
    run_cpod cp payload hostile:/up/tmp/cpod-cp-escape
    [ "$(ctr_cat hostile /tmp/cpod-cp-escape)" = PAYLOAD ]
    # Tar streams: entries through links, climbing names, absolute names, hardlinks out.
    python3 - "$OUTSIDE" <<'EOF'
import io, sys, tarfile
out = sys.argv[1]
def add(t, name, data=b"PAYLOAD", **kw):
    ti = tarfile.TarInfo(name); ti.size = len(data)
    for k, v in kw.items(): setattr(ti, k, v)
    t.addfile(ti, io.BytesIO(data) if ti.type == tarfile.REGTYPE else None)
for fname, entries in {
    "through-link.tar": [("hostdir/x", {})],
    "climb.tar": [("../../../../../../../../../escape", {})],
    "absolute.tar": [(out + "/abs-entry", {})],
    "hardlink.tar": [("h", {"type": tarfile.LNKTYPE, "linkname": "../../../../../../../" + out + "/secret"})],
    "link-then-file.tar": [("evil", {"type": tarfile.SYMTYPE, "linkname": out}), ("evil/x", {})],
}.items():
    with tarfile.open(fname, "w", format=tarfile.PAX_FORMAT) as t:
        for n, kw in entries:
            add(t, n, **kw)
EOF
    for t in through-link climb hardlink link-then-file; do
        run -125 bash -c "'$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' cp - hostile:/data < $t.tar"
    done
    # An absolute entry name is taken below the destination directory.
    run -0 bash -c "'$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' cp - hostile:/data < absolute.tar"
    [ "$(ctr_cat hostile "/data$OUTSIDE/abs-entry")" = PAYLOAD ]
    outside_untouched
    assert_no_mounts
}

@test "hostile symlinks: cp out of a container never writes outside the host destination" {
    make_hostile
    mkdir dest
    run_cpod cp hostile:/data dest
    # The copied links sit in dest as links; nothing went through them.
    [ -L dest/data/hostdir ] && [ -f dest/data/inner/file ]
    outside_untouched
    no_secret_in dest
}

@test "cp out onto a host symlink replaces the link and leaves its target alone" {
    make_outside
    run_cpod create --name src busybox true
    ln -s "$OUTSIDE/secret" linked
    ln -s /nonexistent-cpod-target dangling
    ln -s "$OUTSIDE/dir" linkdir
    run_cpod cp src:/etc/passwd linked
    [ ! -L linked ] && [ -f linked ]
    grep -q '^root:' linked
    run_cpod cp src:/etc/group dangling
    [ ! -L dangling ] && grep -q '^root:' dangling
    [ ! -e /nonexistent-cpod-target ]
    # a link to a directory is not followed either
    run_cpod cp src:/etc/hostname linkdir
    [ ! -L linkdir ] && [ -f linkdir ]
    outside_untouched
}

# Start cp with a failpoint that holds it between resolving its paths and copying; wait until it is there.
cp_paused() {
    CPOD_FAILPOINTS=cp-before-copy=sleep:4000 "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" \
        --log-level debug cp "$@" > "$CPOD_TEST_DIR/cp.out" 2> "$CPOD_TEST_DIR/cp.err" &
    CP_PID=$!
    for _ in $(seq 100); do
        grep -q "failpoint cp-before-copy" "$CPOD_TEST_DIR/cp.err" 2>/dev/null && return 0
        sleep 0.05
    done
    echo "cp never reached the failpoint"; cat "$CPOD_TEST_DIR/cp.err"; return 1
}

@test "hostile symlinks: a directory swapped for a host symlink during the copy" {
    make_hostile
    mnt=$("$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" mount hostile)
    # Out of the container: /data resolved, then replaced by a link to the host's secrets.
    cp_paused hostile:/data got
    mv "$mnt/data" "$mnt/data.old"
    ln -s "$OUTSIDE/dir" "$mnt/data"
    st=0
    wait $CP_PID || st=$?
    [ "$st" -ne 0 ]
    grep -q "changed during the copy" "$CPOD_TEST_DIR/cp.err" || { cat "$CPOD_TEST_DIR/cp.err"; false; }
    no_secret_in got
    # Into the container: /dst2 resolved, then replaced by a link to a host directory.
    rm "$mnt/data" && mv "$mnt/data.old" "$mnt/data"
    mkdir "$mnt/dst2"
    echo PAYLOAD > payload
    cp_paused payload hostile:/dst2
    mv "$mnt/dst2" "$mnt/dst2.old"
    ln -s "$OUTSIDE/dir" "$mnt/dst2"
    st=0
    wait $CP_PID || st=$?
    # The link resolves inside the container, where it leads nowhere: refused, the host dir untouched.
    [ "$st" -eq 125 ]
    [ ! -e "$OUTSIDE/dir/payload" ]
    outside_untouched
    run_cpod umount hostile
    assert_no_mounts
}

@test "mount without names lists mounted containers; umount --all undoes a mount of each" {
    run_cpod create --name m1 busybox true
    run_cpod create --name m2 busybox true
    run_cpod mount
    assert_output ""
    run_cpod mount m1
    path=$output
    [ -x "$path/bin/busybox" ]
    run_cpod inspect --format '{{.Id}}' m1
    id=$output
    run_cpod mount
    assert_output "${id:0:12} $path"
    run_cpod mount --no-trunc
    assert_output "$id $path"
    run_cpod mount --format json
    [ "$(jq -r '.[0].id + " " + .[0].names[0] + " " + .[0].mountpoint' <<<"$output")" = "$id m1 $path" ]
    run_cpod umount -a
    assert_output "$id"
    run_cpod mount
    assert_output ""
    assert_no_mounts
    run_cpod 125 umount
    assert_output "Error: container ID must be specified"
}

@test "cp: relative container paths start at the working directory, running or not" {
    run_cpod run -d --name rel -w /var busybox sleep 1000
    echo one >"$CPOD_TEST_DIR/one"
    run_cpod cp "$CPOD_TEST_DIR/one" rel:one.txt
    run_cpod exec rel cat /var/one.txt
    assert_output one
    run_cpod cp rel:one.txt "$CPOD_TEST_DIR/back"
    [ "$(cat "$CPOD_TEST_DIR/back")" = one ]
    run_cpod stop -t 0 rel
    run_cpod cp "$CPOD_TEST_DIR/one" rel:two.txt
    run_cpod start rel
    run_cpod exec rel cat /var/two.txt
    assert_output one
}

@test "cp into a running container reaches its tmpfs and volume mounts and follows its symlinked directories" {
    mkdir "$CPOD_TEST_DIR/vol"
    run_cpod run -d --name mnts --tmpfs /scratch -v "$CPOD_TEST_DIR/vol:/vol" busybox \
        sh -c 'ln -s /etc /link; sleep 1000'
    echo data >"$CPOD_TEST_DIR/f"
    run_cpod cp "$CPOD_TEST_DIR/f" mnts:/scratch/
    run_cpod exec mnts cat /scratch/f
    assert_output data
    run_cpod cp mnts:/scratch/f "$CPOD_TEST_DIR/from-tmpfs"
    [ "$(cat "$CPOD_TEST_DIR/from-tmpfs")" = data ]
    run_cpod cp "$CPOD_TEST_DIR/f" mnts:/vol/
    [ "$(cat "$CPOD_TEST_DIR/vol/f")" = data ]
    run_cpod cp "$CPOD_TEST_DIR/f" mnts:/link/
    run_cpod exec mnts cat /etc/f
    assert_output data
    # nothing landed in the rootfs below the mounts
    m=$(cpod mount mnts)
    [ ! -e "$m/scratch/f" ] && [ ! -e "$m/vol/f" ]
    run_cpod umount mnts
}

@test "cp: /dev/stdin and /dev/stdout are the tar streams, as -" {
    run_cpod run -d --name streams busybox sleep 1000
    echo in >"$CPOD_TEST_DIR/in.txt"
    tar -cf - -C "$CPOD_TEST_DIR" in.txt | "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" \
        cp /dev/stdin streams:/tmp
    run_cpod exec streams cat /tmp/in.txt
    assert_output in
    run bash -c "\"$CPOD_BIN\" --root \"$CPOD_ROOT\" --runroot \"$CPOD_RUNROOT\" cp streams:/tmp/in.txt /dev/stdout | tar -t"
    assert_output in.txt
}

# ---- a container that is not running: its bind mounts, as it sees them ----

@test "cp into and out of a created container's bind mount uses the host directory" {
    mkdir -p vol && echo hostside > vol/a
    echo fresh > newf
    run_cpod create --name bm -v "$HOSTDIR/vol:/data" busybox cat /data/newf /data/tree/sub/t
    run_cpod cp newf bm:/data/newf
    [ "$(cat vol/newf)" = fresh ]
    run -0 ctr_cat bm /data/a
    assert_output hostside
    run_cpod cp bm:/data/a got-a
    [ "$(cat got-a)" = hostside ]
    mkdir -p tree/sub && echo t > tree/sub/t
    run_cpod cp tree bm:/data
    [ "$(cat vol/tree/sub/t)" = t ]
    # The mount point itself is copied under its container name.
    run -0 bash -c "'$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' cp bm:/data - | tar -t | sort"
    assert_output "data/
data/a
data/newf
data/tree/
data/tree/sub/
data/tree/sub/t"
    run_cpod cp bm:/data out-data
    [ "$(cat out-data/tree/sub/t)" = t ] && [ "$(cat out-data/a)" = hostside ]
    # Nothing landed in the rootfs below the mount point.
    m=$(cpod mount bm)
    [ ! -e "$m/data/newf" ] && [ ! -e "$m/data/tree" ]
    run_cpod umount bm
    # The container sees the copies.
    run_cpod start -a bm
    assert_output "fresh
t"
    run_cpod rm bm
    assert_no_mounts
}

@test "cp into and out of a stopped container's bind mounts, through rootfs symlinks and file mounts" {
    mkdir -p vol && echo hostside > vol/a && echo single > single
    run_cpod run --name bm2 -v "$HOSTDIR/vol:/data" -v "$HOSTDIR/single:/etc/single" busybox \
        sh -c 'ln -s /data/a /lnk && ln -s /data /lnkdir && ln -s ../data/a /etc/rel'
    echo fresh > newf
    run_cpod cp newf bm2:/data/
    [ "$(cat vol/newf)" = fresh ]
    run_cpod run --rm -v "$HOSTDIR/vol:/mnt" busybox cat /mnt/newf
    assert_output fresh
    # Symlinks in the rootfs resolve into the mount, as in the container.
    run -0 ctr_cat bm2 /lnk
    assert_output hostside
    run -0 ctr_cat bm2 /etc/rel
    assert_output hostside
    echo via-link > vl
    run_cpod cp vl bm2:/lnkdir/
    [ "$(cat vol/vl)" = via-link ]
    # A file bind mount: read and replaced on the host side.
    run -0 ctr_cat bm2 /etc/single
    assert_output single
    echo replaced > r
    run_cpod cp r bm2:/etc/single
    [ "$(cat single)" = replaced ]
    run_cpod 125 cp r bm2:/etc/single/x
    m=$(cpod mount bm2)
    [ ! -e "$m/data/newf" ] && [ ! -e "$m/data/vl" ]
    run_cpod umount bm2
    run_cpod rm bm2
    assert_no_mounts
}

@test "cp out of a stopped container's /etc/hosts and /etc/hostname: the files it ran with" {
    run_cpod run --name etcs --hostname myhost --network none busybox cat /etc/hosts
    saw=$output
    run -0 bash -c "'$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' cp etcs:/etc/hosts - | tar -xO"
    assert_output "$saw"
    assert_output --partial "myhost etcs"
    run_cpod cp etcs:/etc/hosts hosts
    [ -s hosts ] && grep -q "myhost etcs" hosts
    run_cpod cp etcs:/etc/hostname hn
    [ "$(cat hn)" = myhost ]
    run_cpod start -a etcs
    assert_output "$saw"
    # Before its first start a container has no such files: the image's are copied (podman's rule).
    run_cpod create --name fresh busybox true
    run_cpod cp fresh:/etc/hosts fresh-hosts
    [ -f fresh-hosts ]
    run_cpod rm etcs fresh
    assert_no_mounts
}

@test "cp into a stopped container's read-only bind mount fails" {
    mkdir rovol && echo keep > rovol/k
    run_cpod create --name rom -v "$HOSTDIR/rovol:/ro:ro" \
        --mount "type=bind,src=$HOSTDIR/rovol,dst=/ro2,ro=true" busybox true
    echo x > x
    run_cpod 125 cp x rom:/ro/
    assert_output 'Error: copying to container: "/ro/": read-only file system'
    run_cpod 125 cp x rom:/ro/k
    run_cpod 125 cp x rom:/ro2/new
    run -125 bash -c "tar -cf - x | '$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' cp - rom:/ro"
    [ "$(ls rovol)" = k ] && [ "$(cat rovol/k)" = keep ]
    run -0 ctr_cat rom /ro/k
    assert_output keep
    run_cpod rm rom
    assert_no_mounts
}

@test "hostile symlinks inside a stopped container's bind mount do not lead out of it" {
    make_outside
    mkdir -p vol/sub
    ln -s "$OUTSIDE" vol/abs
    ln -s "$OUTSIDE/dir" vol/outdir
    ln -s "../../../../../../../../..$OUTSIDE" vol/climb
    ln -s /etc vol/etclink
    run_cpod create --name hm -v "$HOSTDIR/vol:/data" busybox true
    run_cpod 125 cp hm:/data/abs/secret got1
    run_cpod 125 cp hm:/data/climb/secret got2
    run_cpod 125 cp hm:/data/outdir/secret2 got3
    [ ! -e got1 ] && [ ! -e got2 ] && [ ! -e got3 ]
    # An absolute link in the mount is the container's path: /etc is the rootfs's, not the host's.
    m=$(cpod mount hm)
    run_cpod cp hm:/data/etclink/passwd passwd
    cmp passwd "$m/etc/passwd"
    run_cpod umount hm
    echo PAYLOAD > payload
    run_cpod 125 cp payload hm:/data/abs/new
    run_cpod 125 cp payload hm:/data/outdir/
    run_cpod 125 cp payload "hm:/data/climb/new"
    # The tree carries the links as links.
    run_cpod cp hm:/data got-data
    [ -L got-data/abs ] && [ "$(readlink got-data/abs)" = "$OUTSIDE" ]
    no_secret_in got-data
    # A directory of the mount swapped for a host link after it was resolved.
    cp_paused payload hm:/data/sub
    mv vol/sub vol/sub.old
    ln -s "$OUTSIDE/dir" vol/sub
    st=0
    wait $CP_PID || st=$?
    [ "$st" -eq 125 ]
    [ ! -e "$OUTSIDE/dir/payload" ]
    outside_untouched
    run_cpod rm hm
    assert_no_mounts
}
