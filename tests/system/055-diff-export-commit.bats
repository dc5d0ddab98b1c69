#!/usr/bin/env bats
# diff, export, commit, rename and port.

load helpers

setup() {
    cpod_setup
    load_busybox
    cd "$CPOD_TEST_DIR"
}

# A stopped container that added, changed and deleted files.
make_changed() {
    run_cpod run --name changed busybox sh -c 'echo x > /etc/newfile; rm /etc/group; mkdir -p /newdir/sub; echo y > /newdir/sub/f'
}

@test "diff lists A/C/D changes sorted by path, like podman" {
    make_changed
    run_cpod diff changed
    assert_output "C /etc
D /etc/group
A /etc/newfile
A /newdir
A /newdir/sub
A /newdir/sub/f"
    run_cpod container diff changed
    assert_output --partial "D /etc/group"
    run_cpod diff --format json changed
    assert_output '{
     "changed": [
          "/etc"
     ],
     "added": [
          "/etc/newfile",
          "/newdir",
          "/newdir/sub",
          "/newdir/sub/f"
     ],
     "deleted": [
          "/etc/group"
     ]
}'
    # A running container's engine-made mount points (/etc/hosts, /dev, /proc, ...) are not changes.
    run_cpod run -d --name idle busybox sleep 1000
    run_cpod diff idle
    assert_output ""
    run_cpod rm -f -t 0 idle
}

@test "diff of images and errors" {
    run_cpod image diff busybox
    assert_line "A /bin"
    assert_line "A /bin/busybox"
    run_cpod diff --format json busybox
    assert_output --partial '"added": ['
    refute_output --partial '"changed"'
    run_cpod 125 diff nosuch
    assert_output "Error: nosuch not found: layer not known"
    run_cpod 125 container diff nosuch
    assert_output "Error: nosuch not found: container not known"
    run_cpod 125 image diff nosuch
    assert_output "Error: nosuch not found: nosuch: image not known"
    make_changed
    run_cpod 125 diff --format yaml changed
}

@test "export writes the whole rootfs as a tar, and refuses a terminal" {
    make_changed
    run_cpod export -o out.tar changed
    run tar -tf out.tar
    assert_line "bin/busybox"
    assert_line "etc/newfile"
    assert_line "newdir/sub/f"
    refute_line "etc/group"
    [ "$(tar -xOf out.tar newdir/sub/f)" = y ]
    "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" export changed > stdout.tar
    cmp out.tar stdout.tar
    run script -qec "'$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' export changed" /dev/null
    [ "$status" -eq 125 ]
    assert_output --partial "refusing to export to terminal. Use -o flag or redirect"
    run_cpod 125 export nosuch -o x.tar
    [ ! -e x.tar ]
    # A running container exports too, and keeps its own mount.
    run_cpod run -d --name live busybox sh -c 'echo live > /live; sleep 1000'
    run_cpod export -o live.tar live
    [ "$(tar -xOf live.tar live)" = live ]
    run_cpod exec live true
    run_cpod rm -f -t 0 live
    assert_no_mounts
}

@test "commit: the new image runs with the container's changes and settings" {
    make_changed
    run_cpod commit changed snap
    id=$output
    [[ $id =~ ^[0-9a-f]{64}$ ]]
    run_cpod images --format '{{.Repository}}:{{.Tag}} {{.ID}}'
    assert_line "localhost/snap:latest ${id:0:12}"
    run_cpod run --rm snap cat /newdir/sub/f
    assert_output y
    run_cpod 1 run --rm snap ls /etc/group
    # The container's command became the image's.
    run_cpod image inspect snap --format '{{json .Config.Cmd}} {{.Config.WorkingDir}}'
    assert_output '["sh","-c","echo x > /etc/newfile; rm /etc/group; mkdir -p /newdir/sub; echo y > /newdir/sub/f"] /'
    run_cpod history --format '{{.CreatedBy}}|{{.Comment}}' snap
    assert_line --index 0 "/bin/sh|FROM localhost/busybox:latest"
    run_cpod image inspect snap --format '{{len .RootFS.Layers}} {{.ManifestType}}'
    assert_output "2 application/vnd.oci.image.manifest.v1+json"
    # Without a name: a dangling image.
    run_cpod commit -q changed
    anon=$output
    run_cpod images --format '{{.Repository}} {{.ID}}'
    assert_line "<none> ${anon:0:12}"
    assert_no_mounts
}

@test "commit --change, --author, --message and --format docker" {
    run_cpod create --name c1 busybox true
    run_cpod commit -q -f docker -m "my msg" -a "me <me@x>" -c 'CMD ["/bin/echo","hi"]' -c "ENV A=1 B=2" \
        -c "LABEL k=v" -c "EXPOSE 80" -c "USER 1000" -c "WORKDIR /tmp" -c "VOLUME /data" -c "STOPSIGNAL SIGINT" \
        -c "ONBUILD RUN x" c1 quay.io/test/img:v1
    run_cpod image inspect quay.io/test/img:v1 --format \
        '{{.Comment}}|{{.Author}}|{{json .Config.Cmd}}|{{.Config.User}}|{{.Config.WorkingDir}}|{{.Config.StopSignal}}|{{json .Config.ExposedPorts}}|{{json .Config.Volumes}}|{{index .Config.Labels "k"}}|{{.ManifestType}}'
    assert_output 'my msg|me <me@x>|["/bin/echo","hi"]|1000|/tmp|2|{"80/tcp":{}}|{"/data":{}}|v|application/vnd.docker.distribution.manifest.v2+json'
    run_cpod image inspect quay.io/test/img:v1 --format '{{json .Config.Env}}'
    assert_output --partial '"A=1","B=2"'
    run_cpod run --rm --user 0 quay.io/test/img:v1
    assert_output hi
    # Messages need the docker format; bad instructions are refused.
    run_cpod 125 commit -m msg c1
    assert_output "Error: messages are only compatible with the docker image format (-f docker)"
    run_cpod 125 commit -c "BOGUS x" c1
    assert_output 'Error: invalid change "BOGUS x" - invalid instruction BOGUS'
    run_cpod 125 commit -f bogus c1
    run_cpod 125 commit nosuch
    assert_output --partial 'no container with name or ID "nosuch" found'
    # ONBUILD with the OCI format: a warning, and it's dropped.
    run_cpod commit -q -c "ONBUILD RUN x" c1 oci-onbuild
    assert_output --partial "ONBUILD is not supported for OCI image format"
    run_cpod image inspect oci-onbuild --format '{{json .Config}}'
    refute_output --partial OnBuild
    run_cpod commit --iidfile iid -q c1 withiid
    [ "$(cat iid)" = "${output##*$'\n'}" ]
}

@test "commit --squash, --pause on a running container" {
    run_cpod run -d --name live busybox sh -c 'echo v1 > /state; sleep 1000'
    sleep 0.5
    run_cpod commit -q --pause live paused-snap
    run_cpod inspect --format '{{.State.Status}}' live
    assert_output running
    run_cpod run --rm paused-snap cat /state
    assert_output v1
    run_cpod commit -q --squash live squashed
    run_cpod image inspect squashed --format '{{len .RootFS.Layers}}'
    assert_output 1
    run_cpod run --rm squashed cat /state
    assert_output v1
    run_cpod rm -f -t 0 live
    assert_no_mounts
}

@test "commit output round-trips through save and load" {
    make_changed
    run_cpod commit -q changed snap
    id=$output
    for fmt in docker-archive oci-archive; do
        run_cpod save --format $fmt -o snap-$fmt.tar snap
    done
    run_cpod rmi snap
    run_cpod load -i snap-docker-archive.tar
    run_cpod images --no-trunc --format '{{.ID}}' localhost/snap
    assert_output "sha256:$id"
    run_cpod run --rm snap cat /newdir/sub/f
    assert_output y
    run_cpod rmi snap
    run_cpod load -i snap-oci-archive.tar
    run_cpod 1 run --rm snap sh -c 'cat /etc/newfile; ls /etc/group 2>&1'
    assert_output --partial "x"
    assert_output --partial "No such file"
    run_cpod image inspect snap --format '{{.Id}}'
    assert_output "$id"
    if command -v skopeo >/dev/null; then
        run skopeo inspect "docker-archive:snap-docker-archive.tar"
        assert_success
        assert_output --partial '"Layers"'
    fi
}

@test "rename a stopped and a running container" {
    run_cpod create --name old busybox true
    run_cpod rename old new
    run_cpod ps -a --format '{{.Names}}'
    assert_output new
    run_cpod 125 inspect old
    run_cpod inspect --format '{{.Name}}' new
    assert_output new
    run_cpod create --name other busybox true
    run_cpod 125 rename new other
    assert_output --partial "already in use"
    run_cpod 125 rename new 'bad name'
    assert_output "Error: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument"
    run_cpod 125 rename nosuch x
    assert_output 'Error: no container with name or ID "nosuch" found: no such container'
    run_cpod 125 rename new
    run_cpod run -d --name live busybox sleep 1000
    run_cpod rename live alive
    run_cpod exec alive true
    run_cpod stop -t 0 alive
    run_cpod ps -a --format '{{.Names}} {{.State}}' --filter name=alive
    assert_output --partial "alive exited"
}

@test "port: nothing published, errors for missing containers" {
    run_cpod run -d --name live busybox sleep 1000
    run_cpod port live
    assert_output ""
    run_cpod port live 80
    assert_output ""
    run_cpod port --all
    assert_output ""
    run_cpod 125 port nosuch
    assert_output 'Error: no container with name or ID "nosuch" found: no such container'
    run_cpod 125 port
    run_cpod rm -f -t 0 live
}
