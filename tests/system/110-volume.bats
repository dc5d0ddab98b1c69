#!/usr/bin/env bats
# Volumes: named and anonymous, copy-up, removal rules, mount options, --volumes-from,
# the volume commands, and kills in the middle of removals.  Containers run with
# --network none: nothing here needs a network.

load helpers

setup() {
    cpod_setup
    load_busybox
}

# An image with VOLUME /vol holding a file, made by cpod commit.
volume_image() {
    run_cpod run --network none --name mkimg busybox sh -c 'mkdir -p /vol/sub && echo from-image > /vol/sub/f'
    run_cpod commit -q --change 'VOLUME /vol' mkimg localhost/withvol
    run_cpod rm mkimg
}

@test "a file in a named volume outlives its container and is read by the next" {
    run_cpod run --network none --name w -v data:/data busybox sh -c 'echo kept > /data/f'
    run_cpod rm w
    run_cpod volume ls -q
    assert_output data
    run_cpod run --rm --network none -v data:/data busybox cat /data/f
    assert_output kept
    mp=$(cpod volume inspect --format '{{.Mountpoint}}' data)
    [ "$mp" = "$CPOD_ROOT/volumes/data/_data" ]
    [ "$(cat "$mp/f")" = kept ]
}

@test "copy-up fills a new volume from the image, never a volume that holds data" {
    run_cpod volume create fresh
    run_cpod volume inspect --format '{{.NeedsCopyUp}}' fresh
    assert_output true
    run_cpod run --rm --network none -v fresh:/etc busybox cat /etc/passwd
    assert_output --partial root:x:0:0
    run_cpod volume inspect --format '{{.NeedsCopyUp}}' fresh
    assert_output false
    # A volume with data of its own is left alone, also on its first use.
    run_cpod volume create full
    echo mine > "$(cpod volume inspect --format '{{.Mountpoint}}' full)/mine"
    run_cpod run --rm --network none -v full:/etc busybox ls /etc
    assert_output mine
    # nocopy: an empty volume stays empty.
    run_cpod run --rm --network none -v empty:/etc:nocopy busybox ls /etc
    assert_output ""
}

@test "the image's VOLUME is an anonymous volume with the image's content; rm -v removes it" {
    volume_image
    run_cpod run --network none --name a1 localhost/withvol cat /vol/sub/f
    assert_output from-image
    run_cpod inspect --format '{{range .Mounts}}{{.Type}} {{.Destination}}{{end}}' a1
    assert_output "volume /vol"
    anon=$(cpod inspect --format '{{range .Mounts}}{{.Name}}{{end}}' a1)
    [ ${#anon} -eq 64 ]
    run_cpod volume inspect --format '{{.Anonymous}}' "$anon"
    assert_output true
    run_cpod rm -v a1
    run_cpod 1 volume exists "$anon"
    # --image-volume tmpfs and ignore make none; a user mount at the place wins.
    run_cpod run --rm --network none --image-volume tmpfs localhost/withvol sh -c 'grep " /vol " /proc/self/mountinfo'
    assert_output --partial tmpfs
    run_cpod run --rm --network none --image-volume ignore localhost/withvol cat /vol/sub/f
    assert_output from-image
    run_cpod run --rm --network none -v named:/vol localhost/withvol cat /vol/sub/f
    assert_output from-image
    run_cpod volume ls -q
    assert_output named
    run_cpod 125 run --rm --network none --image-volume bogus localhost/withvol true
    assert_output --partial "invalid image volume mode"
    # containers.conf's image_volume_mode is the default
    printf '[engine]\nimage_volume_mode = "tmpfs"\n' > "$CPOD_TEST_DIR/iv.conf"
    CONTAINERS_CONF=$CPOD_TEST_DIR/iv.conf run_cpod run --rm --network none localhost/withvol \
        sh -c 'grep " /vol " /proc/self/mountinfo'
    assert_output --partial tmpfs
}

@test "rm -v and --rm remove anonymous volumes and keep named ones" {
    run_cpod run --network none --name k -v keep:/k -v /anon busybox true
    run_cpod volume ls -q
    [ "${#lines[@]}" -eq 2 ]
    run_cpod rm -v k
    run_cpod volume ls -q
    assert_output keep
    run_cpod run --rm --network none -v keep:/k -v /anon2 busybox true
    run_cpod volume ls -q
    assert_output keep
    # Without -v the anonymous volume stays (dangling).
    run_cpod run --network none --name k2 -v /anon3 busybox true
    run_cpod rm k2
    run_cpod volume ls -q --filter dangling=true
    [ "${#lines[@]}" -eq 2 ]
}

@test "volume rm of a volume in use fails with podman's message; -f removes the container first" {
    run_cpod run -d --network none --name user -v busy:/b busybox sleep 1000
    id=$(cpod inspect --format '{{.Id}}' user)
    run_cpod 2 volume rm busy
    assert_output "Error: volume busy is being used by the following container(s): $id: volume is being used"
    run_cpod volume inspect --format '{{.MountCount}}' busy
    assert_output 1
    run_cpod 1 volume rm nosuch
    assert_output 'Error: no volume with name "nosuch" found: no such volume'
    run_cpod volume rm -f -t 0 busy
    assert_output busy
    run_cpod ps -aq
    assert_output ""
    run_cpod volume ls -q
    assert_output ""
}

@test "propagation, nodev/noexec and ro options show in the container's mountinfo" {
    mkdir "$CPOD_TEST_DIR/h"
    run_cpod run --rm --network none -v "$CPOD_TEST_DIR/h:/p:rshared,noexec" -v pv:/q:ro busybox \
        sh -c 'grep " /p " /proc/self/mountinfo; grep " /q " /proc/self/mountinfo'
    assert_line --index 0 --regexp ' /p rw,[^ ]*noexec[^ ]* shared:[0-9]+ '
    assert_line --index 1 --regexp ' /q ro,nosuid,nodev'
    run_cpod run --rm --network none -v "$CPOD_TEST_DIR/h:/p" busybox grep " /p " /proc/self/mountinfo
    refute_output --partial shared:
}

@test "U chowns a bind mount and a volume to the container's user" {
    mkdir -p "$CPOD_TEST_DIR/u/sub"
    touch "$CPOD_TEST_DIR/u/sub/f"
    run_cpod run --rm --network none --user 1234:5678 -v "$CPOD_TEST_DIR/u:/u:U" -v uv:/v:U busybox \
        sh -c 'stat -c "%u:%g" /u /u/sub/f /v'
    assert_output $'1234:5678\n1234:5678\n1234:5678'
    [ "$(stat -c %u:%g "$CPOD_TEST_DIR/u/sub/f")" = 1234:5678 ]
}

@test "O lays an overlay over a host directory and leaves the directory untouched" {
    mkdir "$CPOD_TEST_DIR/o"
    echo host > "$CPOD_TEST_DIR/o/f"
    run_cpod run --rm --network none -v "$CPOD_TEST_DIR/o:/o:O" busybox \
        sh -c 'cat /o/f; echo changed > /o/f; echo new > /o/g; cat /o/f'
    assert_output $'host\nchanged'
    [ "$(cat "$CPOD_TEST_DIR/o/f")" = host ]
    [ ! -e "$CPOD_TEST_DIR/o/g" ]
    run_cpod 125 run --rm --network none -v named:/o:O busybox true
    assert_output --partial 'overlay mounts take a host directory'
}

@test "--volumes-from sees the same volumes and binds, ro when asked" {
    mkdir "$CPOD_TEST_DIR/b"
    run_cpod create --network none --name src -v shared:/s -v "$CPOD_TEST_DIR/b:/b" busybox true
    run_cpod run --rm --network none --volumes-from src busybox sh -c 'echo one > /s/f; echo two > /b/g'
    [ "$(cat "$CPOD_ROOT/volumes/shared/_data/f")" = one ]
    [ "$(cat "$CPOD_TEST_DIR/b/g")" = two ]
    run_cpod 1 run --rm --network none --volumes-from src:ro busybox touch /s/x
    assert_output --partial "Read-only file system"
    run_cpod 125 run --rm --network none --volumes-from nosuch busybox true
    assert_output --partial nosuch
}

@test "cp into and out of a named volume lands in the volume, running or not" {
    run_cpod create --network none --name cv -v cpv:/data busybox sleep 1000
    echo in > "$CPOD_TEST_DIR/in"
    run_cpod cp "$CPOD_TEST_DIR/in" cv:/data/in
    [ "$(cat "$CPOD_ROOT/volumes/cpv/_data/in")" = in ]
    run_cpod start cv
    run_cpod exec cv sh -c 'echo out > /data/out'
    run_cpod cp cv:/data/out "$CPOD_TEST_DIR/out"
    [ "$(cat "$CPOD_TEST_DIR/out")" = out ]
    run_cpod rm -f -t 0 cv
}

@test "volume create, ls filters and format, inspect, exists, labels and options" {
    run_cpod volume create --label app=web --label tier v1
    assert_output v1
    run_cpod volume create -o o=uid=1000,gid=1001 v2
    run_cpod 125 volume create v1
    assert_output "Error: volume with name v1 already exists: volume already exists"
    run_cpod volume create --ignore v1
    assert_output v1
    run_cpod volume ls
    assert_line --index 0 --regexp '^DRIVER +VOLUME NAME$'
    assert_line --index 1 --regexp '^local +v1$'
    run_cpod volume ls -q --filter label=app=web
    assert_output v1
    run_cpod volume ls -q --filter label=tier
    assert_output v1
    run_cpod volume ls -q --filter label!=tier
    assert_output v2
    run_cpod volume ls -q --filter opt=o
    assert_output v2
    run_cpod volume ls -q --filter name=2
    assert_output v2
    run_cpod volume ls -q --filter until=2000-01-01T00:00:00Z
    assert_output ""
    run_cpod volume ls --format '{{.Name}} {{.Driver}} {{.Scope}}' --filter name=v1
    assert_output "v1 local local"
    run_cpod 125 volume ls --filter bogus=1
    assert_output --partial '"bogus" is an invalid volume filter'
    run_cpod volume inspect --format '{{.UID}}:{{.GID}}' v2
    assert_output 1000:1001
    [ "$(stat -c %u:%g "$CPOD_ROOT/volumes/v2/_data")" = 1000:1001 ]
    run_cpod volume inspect v1
    assert_output --partial '"Labels": {'
    assert_output --partial '"app": "web"'
    run_cpod volume inspect --all --format '{{.Name}}'
    assert_output $'v1\nv2'
    run_cpod volume exists v1
    run_cpod 1 volume exists nope
    run_cpod volume reload
}

@test "bad input: one-line errors, exit 125, nothing created" {
    run_cpod 125 volume create a/b
    assert_output --partial 'volume name "a/b" is invalid'
    run_cpod 125 volume create -o bogus=1 v
    assert_output --partial 'unrecognized volume option "bogus"'
    run_cpod 125 volume create -d nosuchdriver v
    assert_output --partial 'nosuchdriver'
    run_cpod 125 run --rm --network none -v "$CPOD_TEST_DIR/missing:/m" busybox true
    assert_output --partial "$CPOD_TEST_DIR/missing"
    run_cpod 125 run --rm --network none -v x:/m:bogus busybox true
    assert_output --partial 'invalid option type "bogus"'
    run_cpod 125 run --rm --network none -v "a/b:/m" busybox true
    assert_output --partial 'is invalid'
    run_cpod 125 run --rm --network none -v dup:/m -v dup2:/m busybox true
    assert_output --partial 'duplicate mount destination'
    [ "$(echo "$output" | wc -l)" -eq 1 ]
    run_cpod volume ls -q
    assert_output ""
    run_cpod ps -aq
    assert_output ""
}

@test "a tmpfs volume is mounted on first use and gone after unmount" {
    run_cpod volume create -o type=tmpfs -o device=tmpfs -o o=size=2m,uid=1000 tv
    run_cpod run --rm --network none -v tv:/t busybox sh -c 'grep " /t " /proc/self/mountinfo; stat -c %u /t; echo x > /t/f'
    assert_line --index 0 --partial tmpfs
    assert_line --index 1 1000
    [ -e "$CPOD_ROOT/volumes/tv/_data/f" ]
    run_cpod volume unmount tv
    [ ! -e "$CPOD_ROOT/volumes/tv/_data/f" ]
    run_cpod volume mount tv
    assert_output "$CPOD_ROOT/volumes/tv/_data"
    run_cpod volume rm tv
    assert_no_mounts
}

@test "volume export and import round-trip a tree; import stays inside the volume" {
    run_cpod run --rm --network none -v ex:/e busybox sh -c 'mkdir -p /e/d && echo a > /e/d/a && ln -s /etc/passwd /e/l'
    run_cpod volume export -o "$CPOD_TEST_DIR/ex.tar" ex
    tar -tf "$CPOD_TEST_DIR/ex.tar" | grep -q '^d/a$'
    run_cpod volume create im
    run_cpod volume import im "$CPOD_TEST_DIR/ex.tar"
    [ "$(cat "$CPOD_ROOT/volumes/im/_data/d/a")" = a ]
    [ "$(readlink "$CPOD_ROOT/volumes/im/_data/l")" = /etc/passwd ]
    # A hostile archive climbing out of the volume is refused, and nothing lands outside.
    python3 - "$CPOD_TEST_DIR/evil.tar" <<'EOF'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    data = b"pwned\n"
    info = tarfile.TarInfo("../../escaped")
    info.size = len(data)
    t.addfile(info, io.BytesIO(data))
EOF
    run_cpod 125 volume import im "$CPOD_TEST_DIR/evil.tar"
    [ ! -e "$CPOD_ROOT/volumes/escaped" ] && [ ! -e "$CPOD_ROOT/escaped" ]
}

@test "prune and system prune --volumes remove only unused volumes" {
    run_cpod volume create --label tmp=1 p1
    run_cpod volume create p2
    run_cpod create --network none --name holder -v p3:/p busybox true
    run_cpod volume prune -f --filter label=tmp
    assert_output p1
    run_cpod volume prune -f
    assert_output p2
    run_cpod system prune -f # the stopped holder goes, its volume stays
    run_cpod volume ls -q
    assert_output p3
    run_cpod system prune -f --volumes
    assert_output --partial p3
    run_cpod volume ls -q
    assert_output ""
}

@test "kill -9 in the middle of volume rm, volume prune and system prune --volumes: the next command completes" {
    for point in volume-rm-mid volume-rm-after-data; do
        run_cpod volume create gone
        run_cpod volume create other
        echo precious > "$CPOD_ROOT/volumes/other/_data/p"
        echo doomed > "$CPOD_ROOT/volumes/gone/_data/d"
        CPOD_FAILPOINTS="$point=kill" run "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" volume rm gone
        [ "$status" -eq 137 ]
        # Never listed half-removed; the other volume's data intact; the next command finishes.
        run_cpod volume ls -q
        assert_output other
        [ "$(cat "$CPOD_ROOT/volumes/other/_data/p")" = precious ]
        [ ! -e "$CPOD_ROOT/volumes/gone" ]
        run_cpod volume create gone
        [ ! -e "$CPOD_ROOT/volumes/gone/_data/d" ]
        run_cpod volume rm gone other
    done
    for cmd in "volume prune -f" "system prune -f --volumes"; do
        run_cpod volume create gone
        run_cpod run -d --network none --name keeper -v kept:/k busybox sleep 1000
        echo precious > "$CPOD_ROOT/volumes/kept/_data/p"
        CPOD_FAILPOINTS="volume-rm-mid=kill" run "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" $cmd
        [ "$status" -eq 137 ]
        run_cpod volume ls -q
        assert_output kept
        [ "$(cat "$CPOD_ROOT/volumes/kept/_data/p")" = precious ]
        run_cpod rm -f -t 0 keeper
        run_cpod volume rm kept
    done
}

@test "ps --filter volume= by name, destination or both; ps shows the mounts" {
    run_cpod create --network none --name f1 -v fv:/data busybox true
    run_cpod create --network none --name f2 -v "$CPOD_TEST_DIR:/hostt" busybox true
    run_cpod create --network none --name f3 busybox true
    run_cpod ps -a --filter volume=fv --format '{{.Names}}'
    assert_output f1
    run_cpod ps -a --filter volume=/hostt --format '{{.Names}}'
    assert_output f2
    run_cpod ps -a --filter volume=fv:/data --format '{{.Names}}'
    assert_output f1
    run_cpod ps -a --filter volume=fv:/elsewhere --format '{{.Names}}'
    assert_output ""
    run_cpod ps -a --filter volume=f1 --filter volume=/hostt --format '{{.Names}}'
    assert_output f2
    run_cpod ps -a --filter name=f1 --format '{{.Mounts}}'
    assert_output /data
}

@test "system df counts volumes, their size and the containers using them" {
    run_cpod run --network none --name d1 -v dfv:/d busybox sh -c 'head -c 100000 /dev/zero > /d/z'
    run_cpod volume create idle
    run_cpod system df --format '{{.Type}} {{.Total}} {{.Active}} {{.RawSize}} {{.RawReclaimable}}'
    assert_line "Local Volumes 2 1 100000 0"
    run_cpod system df -v --format json
    run jq -c '[.Volumes[] | [.VolumeName, .Links, .Size]], [.Containers[] | .LocalVolumes]' <<<"$output"
    assert_output $'[["dfv",1,100000],["idle",0,0]]\n[1]'
}

@test "system reset removes containers, pods, images, volumes, secrets and networks; a kill midway is finished by the next reset" {
    mkdir "$CPOD_TEST_DIR/h"
    run_cpod run -d --network none --name r1 -v rv:/d -v "$CPOD_TEST_DIR/h:/h" busybox sleep 1000
    run_cpod pod create --name p1
    run_cpod network create n1
    printf data > "$CPOD_TEST_DIR/s"
    run_cpod secret create s1 "$CPOD_TEST_DIR/s"
    run_cpod image mount busybox
    CPOD_FAILPOINTS="system-reset-mid=kill" run "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" system reset -f
    [ "$status" -eq 137 ]
    run_cpod ps -aq
    assert_output ""
    run_cpod system reset -f
    assert_output ""
    [ -z "$(ls -A "$CPOD_ROOT" 2>/dev/null)" ] && [ -z "$(ls -A "$CPOD_RUNROOT" 2>/dev/null)" ]
    [ ! -e "$CPOD_ROOT.cpod-reset" ]
    assert_no_mounts
    for what in "images -q" "ps -aq" "pod ps -q" "volume ls -q" "secret ls -q"; do
        run_cpod $what
        assert_output ""
    done
    run_cpod network ls --format '{{.Name}}'
    assert_output podman
    # the host directory a container had mounted is untouched
    [ -d "$CPOD_TEST_DIR/h" ]
    # and the store works again
    load_busybox
    run_cpod run --rm --network none busybox true
}

@test "system migrate and renumber say what they do" {
    run_cpod system migrate
    run_cpod 125 system migrate --new-runtime crun
    assert_output --partial "not supported by cpod yet"
    run_cpod system renumber
    assert_output --partial "nothing to renumber"
}

@test "--mount type=devpts mounts a new devpts instance with its options" {
    run_cpod run --rm --network none --mount type=devpts,destination=/dev/pts2,mode=0600,max=10 busybox \
        grep " /dev/pts2 " /proc/self/mountinfo
    assert_output --regexp 'devpts .*mode=600.*max=10|devpts .*max=10.*mode=600'
    run_cpod 125 run --rm --network none --mount type=bind,source=/tmp,target=/t,uid=5 busybox true
    assert_output --partial 'options of type=devpts'
}

@test "pod rm removes its members' anonymous volumes and keeps named ones" {
    run_cpod pod create --name vp --network none
    run_cpod create --pod vp --name vpm -v /anon -v vpnamed:/n busybox true
    run_cpod volume ls -q
    [ "${#lines[@]}" -eq 2 ]
    run_cpod pod rm vp
    run_cpod volume ls -q
    assert_output vpnamed
}
