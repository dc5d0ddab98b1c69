#!/usr/bin/env bats
# run/create flags a podman script uses: each asserted against podman's output, exit code or effect.

load helpers

setup() {
    cpod_setup
    load_busybox
}

@test "--workdir that the image does not have fails with 126, as podman" {
    run_cpod 126 run --rm -w /nonexistent/dir busybox pwd
    assert_output --regexp '^Error: workdir "/nonexistent/dir" does not exist on container [0-9a-f]{64}$'
    run_cpod 126 run --rm -w /etc/passwd busybox pwd
    assert_output --regexp 'workdir "/etc/passwd" exists on container [0-9a-f]{64}, but is not a directory$'
    run_cpod 126 run -d --rm -w /nonexistent busybox pwd
    # a mount provides it
    mkdir "$CPOD_TEST_DIR/wd"
    run_cpod run --rm -v "$CPOD_TEST_DIR/wd:/data" -w /data busybox pwd
    assert_output /data
    run_cpod run --rm -w /tmp busybox pwd
    assert_output /tmp
    run_cpod ps -aq
    assert_output ""
}

@test "--attach picks the streams; a bad stream name is refused" {
    run --separate-stderr "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" run --rm -a stderr busybox \
        sh -c 'echo out; echo err >&2'
    assert_success
    assert_output ""
    [ "$stderr" = "err" ]
    run --separate-stderr "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" run --rm -a stdout busybox \
        sh -c 'echo out; echo err >&2'
    assert_output "out"
    [ "$stderr" = "" ]
    run_cpod 125 run --rm -a bogus busybox true
    assert_output 'Error: invalid stream "bogus" for --attach - must be one of stdin, stdout, or stderr: invalid argument'
}

@test "--preserve-fds passes the caller's descriptors in; missing ones are refused" {
    echo secret-content >"$CPOD_TEST_DIR/f"
    run_cpod run --rm --preserve-fds 1 busybox sh -c 'cat <&3' 3<"$CPOD_TEST_DIR/f"
    assert_output secret-content
    # through conmon too (detached), read back from the log
    run_cpod run -d --name pfd --preserve-fds 1 busybox sh -c 'cat <&3' 3<"$CPOD_TEST_DIR/f"
    run_cpod wait pfd
    run_cpod logs pfd
    assert_output secret-content
    # bats holds a few low descriptors itself: ask for far more than are open
    run_cpod 125 run --rm --preserve-fds 200 busybox true 3<"$CPOD_TEST_DIR/f"
    assert_output --regexp "^Error: file descriptor [0-9]+ is not available - the preserve-fds option requires that file descriptors must be passed$"
}

@test "--rmi removes the image after the container, unless another container uses it" {
    run_cpod tag busybox localhost/rmi-one
    run_cpod run --rmi localhost/rmi-one echo hi
    assert_output hi
    run_cpod ps -aq
    assert_output ""
    run_cpod 1 image exists localhost/rmi-one
    run_cpod image exists busybox
    # an image with one name, used by another container, stays
    fx=$(fixtures_dir)
    run_cpod load -q -i "$fx/variant/busybox-docker.tar"
    run_cpod create --name user localhost/busybox2 true
    run_cpod run --rmi localhost/busybox2 true
    run_cpod image exists localhost/busybox2
    run_cpod rm user
    run_cpod run --rmi localhost/busybox2 true
    run_cpod 1 image exists localhost/busybox2
}

@test "--conmon-pidfile gets conmon's PID; --timeout kills the container with 255" {
    run_cpod run -d --name cp --conmon-pidfile "$CPOD_TEST_DIR/conmon.pid" busybox sleep 100
    pid=$(cat "$CPOD_TEST_DIR/conmon.pid")
    [ "$(cat /proc/"$pid"/comm)" = conmon ]
    run_cpod rm -f -t 0 cp
    run_cpod 255 run --rm --timeout 1 busybox sleep 60
    run_cpod ps -aq
    assert_output ""
}

@test "--tz puts the zone's file at /etc/localtime; unknown zones fail at create" {
    [ -f /usr/share/zoneinfo/Europe/Paris ] || skip "no tzdata on this host"
    run_cpod run --rm --tz Europe/Paris busybox sh -c 'cmp /etc/localtime /etc/localtime && date +%Z'
    assert_output --regexp '^CES?T$'
    run_cpod run --rm --tz local busybox cat /etc/localtime
    [ "$output" = "$(cat /etc/localtime)" ]
    run_cpod 125 run --rm --tz Bogus/Zone busybox true
    assert_output "Error: running container create option: stat /usr/share/zoneinfo/Bogus/Zone: no such file or directory"
    run_cpod 125 create --tz ../../etc/passwd busybox true
    assert_output 'Error: invalid timezone "../../etc/passwd"'
    run_cpod ps -aq
    assert_output ""
}

@test "--unsetenv and --unsetenv-all drop default variables, not the user's" {
    run_cpod run --rm --unsetenv-all -e A=1 busybox /bin/busybox env
    assert_output "A=1
HOSTNAME=$(echo "$output" | sed -n 's/^HOSTNAME=//p')
HOME=/root"
    run_cpod run --rm --unsetenv PATH --unsetenv TERM busybox /bin/busybox env
    refute_output --partial PATH=
    refute_output --partial TERM=
    assert_output --partial container=podman
}

@test "--device-cgroup-rule adds to the device cgroup; bad rules are refused" {
    run_cpod run --rm --device-cgroup-rule 'c 42:* rwm' busybox cat /sys/fs/cgroup/devices/devices.list
    assert_output --partial "c 42:* rwm"
    run_cpod 125 run --rm --device-cgroup-rule 'x 1:3 mr' busybox true
    assert_output 'Error: invalid device cgroup rule requires type, major:Minor, and access rules: "x 1:3 mr"'
    run_cpod 125 create --device-cgroup-rule 'c 1:3 rwx' busybox true
}

@test "--security-opt takes KEY:VALUE too; --group-add keep-groups stands alone" {
    run_cpod run --rm --security-opt no-new-privileges:true busybox grep NoNewPrivs /proc/self/status
    assert_output --regexp 'NoNewPrivs:.1'
    run_cpod run --rm --group-add keep-groups busybox id -G
    assert_output "$(id -G)"
    run_cpod 125 run --rm --group-add keep-groups --group-add 10 busybox true
    assert_output "Error: the '--group-add keep-groups' option is not allowed with any other --group-add options"
}

@test "the same -v twice is one mount; two different ones on a destination are an error" {
    run_cpod run --rm -v "$CPOD_TEST_DIR:/x" -v "$CPOD_TEST_DIR:/x" busybox true
    run_cpod 125 run --rm -v "$CPOD_TEST_DIR:/x" -v /tmp:/x busybox true
    assert_output "Error: /x: duplicate mount destination"
}

@test "-it without a terminal warns as podman; --kernel-memory warns and is ignored" {
    run_cpod run --rm -it busybox true </dev/null
    assert_output --partial "The input device is not a TTY. The --tty and --interactive flags might not work properly"
    run_cpod run --rm --kernel-memory 10m busybox true
    assert_output --partial "The --kernel-memory flag is no longer supported. This flag is a noop."
}

@test "--privileged shows the host's devices, and not its terminals with -t" {
    run_cpod run --rm --privileged busybox ls /dev
    for d in $(ls /dev); do
        case $d in console | core | pts | shm | fd | mqueue | stdin | stdout | stderr) continue ;; esac
        if [ -c "/dev/$d" ] || [ -b "/dev/$d" ]; then
            assert_line "$d"
        fi
    done
    [ ! -c /dev/tty1 ] || assert_line tty1
    run_cpod 1 run --rm -t --privileged busybox ls /dev/tty1
    assert_output --partial "No such file"
}

@test "images named with a transport are read from it: docker-archive:, oci-archive:, docker://, containers-storage:" {
    fx=$(fixtures_dir)
    run_cpod rmi busybox
    run_cpod run --rm "docker-archive:$fx/busybox/busybox-docker.tar" echo from-archive
    assert_output from-archive
    run_cpod run --rm "oci-archive:$fx/busybox/busybox-oci.tar" echo from-oci
    assert_output from-oci
    run_cpod pull -q "docker-archive:$fx/busybox/busybox-docker.tar"
    assert_output --regexp '^[0-9a-f]{64}$'
    run_cpod run --rm containers-storage:localhost/busybox echo local
    assert_output local
    run_cpod run --rm docker://localhost/busybox echo local
    assert_output local
    run_cpod 125 run --rm docker-daemon:busybox:latest true
    assert_output --partial "docker-daemon transport is not supported"
}

@test "--network host gives the container the host's hostname unless --hostname says otherwise" {
    run_cpod run --rm --network host busybox sh -c 'hostname; cat /etc/hostname; echo $HOSTNAME'
    assert_output "$(hostname)
$(hostname)
$(hostname)"
    run_cpod run --rm --network host --hostname other busybox hostname
    assert_output other
    run_cpod run --rm busybox hostname
    refute_output "$(hostname)"
}

@test "--mount type=image: another image's files, read-only or through a throwaway writable layer" {
    python3 - "$CPOD_TEST_DIR/data.tar" <<'PY'
import io, sys, tarfile
t = tarfile.open(sys.argv[1], 'w')
f = tarfile.TarInfo('./data.txt'); f.size = 5; t.addfile(f, io.BytesIO(b'data\n'))
t.close()
PY
    run_cpod import "$CPOD_TEST_DIR/data.tar" localhost/data
    run_cpod run --rm --mount type=image,source=localhost/data,target=/img busybox \
        sh -c 'cat /img/data.txt; touch /img/new 2>/dev/null || echo read-only'
    assert_output "data
read-only"
    run_cpod run -d --name imgrw --mount type=image,src=localhost/data,dst=/img,rw=true busybox sleep 1000
    run_cpod exec imgrw sh -c 'echo more >>/img/data.txt; cat /img/data.txt'
    assert_output "data
more"
    run_cpod image mount
    assert_output --partial localhost/data
    # stopped: the image is no longer mounted and the writes are gone at the next start
    run_cpod stop -t 0 imgrw
    run_cpod image mount
    refute_output --partial localhost/data
    run_cpod start imgrw
    run_cpod exec imgrw cat /img/data.txt
    assert_output data
    run_cpod rm -f -t 0 imgrw
    run_cpod image mount
    assert_output ""
    run_cpod 125 create --mount type=image,source=nosuch,target=/img busybox true
    assert_output "Error: --mount type=image,source=nosuch: nosuch: image not known"
    run_cpod 125 create --mount type=image,target=/img busybox true
    assert_output --partial "image mounts need source="
}

@test "--ipc private keeps the IPC namespace to itself; /dev/shm has podman's default size" {
    run_cpod run -d --name ipc-priv --ipc private busybox sleep 1000
    id=$(cpod inspect --format '{{.Id}}' ipc-priv)
    run_cpod 125 run --rm --ipc container:ipc-priv busybox true
    assert_output "Error: joining IPC of container $id is not allowed: non-shareable IPC (hint: use IpcMode:shareable for the donor container)"
    run_cpod run -d --name ipc-share --ipc shareable busybox sleep 1000
    run_cpod run --rm --ipc container:ipc-share busybox true
    # containers.conf's default "65536k" is 65536000 bytes in podman's units; --shm-size is binary
    run_cpod run --rm busybox sh -c 'grep " /dev/shm " /proc/mounts'
    assert_output --partial "size=64000k"
    run_cpod run --rm --shm-size 64m busybox sh -c 'grep " /dev/shm " /proc/mounts'
    assert_output --partial "size=65536k"
    run_cpod inspect --format '{{.HostConfig.ShmSize}}' ipc-priv
    assert_output 65536000
}

@test "inspect names added and dropped capabilities as podman does (CAP_ prefix, upper case)" {
    run_cpod create --name caps --cap-add net_admin --cap-drop CAP_CHOWN --cap-drop kill busybox true
    run_cpod inspect --format '{{.HostConfig.CapAdd}} {{.HostConfig.CapDrop}}' caps
    assert_output "[CAP_NET_ADMIN] [CAP_CHOWN CAP_KILL]"
}
