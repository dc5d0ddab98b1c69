#!/usr/bin/env bats
# load, save, images, tag, untag, rmi, inspect, history, image mount; hostile layers; crash consistency

load helpers

setup() {
    cpod_setup
    FX=$(fixtures_dir)
    source "$FX/busybox/image.env"
}

@test "load reads docker-archive, oci-archive, OCI layout and dir: written by skopeo/umoci" {
    for src in busybox-docker.tar busybox-oci.tar oci dir; do
        run_cpod load -i "$FX/busybox/$src"
        assert_output --regexp '^Loaded image: '
    done
    # One image, whatever the transport: same config digest = same ID.
    run_cpod images -q --no-trunc
    assert_output "$FIXTURE_IMAGE_CONFIG_DIGEST"
    run_cpod images --format '{{.Repository}}:{{.Tag}}'
    assert_output localhost/busybox:latest
    run_cpod image inspect --format '{{.Id}} {{.Os}} {{.Architecture}}' localhost/busybox
    assert_output "${FIXTURE_IMAGE_CONFIG_DIGEST#sha256:} linux $FIXTURE_IMAGE_ARCH"
}

@test "load from stdin, and clear errors for bad input" {
    run bash -c "'$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' load < '$FX/busybox/busybox-docker.tar'"
    assert_success
    assert_output "Loaded image: localhost/busybox:latest"
    echo "not an archive" > "$CPOD_TEST_DIR/junk"
    run_cpod 125 load -i "$CPOD_TEST_DIR/junk"
    assert_output --regexp '^Error: '
    [ "${#lines[@]}" -eq 1 ]
    run_cpod 125 load -i /nonexistent.tar
    assert_output --partial "no such file or directory"
}

@test "load decompresses gzip archives and pipes; oci: and oci-archive: pick the named entry" {
    gzip -c "$FX/busybox/busybox-docker.tar" > "$CPOD_TEST_DIR/bb.tar.gz"
    run_cpod load -i "$CPOD_TEST_DIR/bb.tar.gz"
    assert_output "Loaded image: localhost/busybox:latest"
    run_cpod rmi localhost/busybox
    run bash -c "gzip -c '$FX/busybox/busybox-docker.tar' | '$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' load"
    assert_success
    assert_output "Loaded image: localhost/busybox:latest"
    run_cpod rmi localhost/busybox
    run_cpod load -i "$FIXTURE_OCI"
    assert_output "Loaded image: sha256:$FIXTURE_IMAGE_ID"
    run_cpod load -i "$FIXTURE_OCI_ARCHIVE"
    assert_output "Loaded image: sha256:$FIXTURE_IMAGE_ID"
    run_cpod 125 load -i "oci:$FX/busybox/oci:nosuchtag"
    assert_output --partial 'no image with reference "nosuchtag"'
}

@test "a corrupted layer is refused and leaves the store as it was" {
    work=$CPOD_TEST_DIR/bad
    cp -r "$FX/busybox/oci" "$work"
    layer=$(jq -r '.layers[0].digest' "$work/blobs/sha256/${FIXTURE_IMAGE_MANIFEST_DIGEST#sha256:}")
    f="$work/blobs/sha256/${layer#sha256:}"
    chmod u+w "$f"
    printf 'corrupt' | dd of="$f" bs=1 seek=100 conv=notrunc 2>/dev/null
    run_cpod 125 load -i "$work"
    assert_output --regexp "^Error: .*layer $layer: "
    run_cpod images -q
    assert_output ""
    [ -z "$(ls "$CPOD_ROOT/storage/overlay" | grep -v '^l$')" ]
    [ -z "$(ls "$CPOD_ROOT/storage/tmp")" ]
}

@test "save round-trips: skopeo reads every format with identical diff IDs, and they load back" {
    load_busybox >/dev/null
    want=$(skopeo inspect --config "oci:$FX/busybox/oci" | jq -c .rootfs.diff_ids)
    run_cpod save -o "$CPOD_TEST_DIR/d.tar" busybox
    run_cpod save --format oci-archive -o "$CPOD_TEST_DIR/o.tar" busybox
    run_cpod save --format oci-dir -o "$CPOD_TEST_DIR/odir" busybox
    run_cpod save --format docker-dir -o "$CPOD_TEST_DIR/ddir" busybox
    for ref in "docker-archive:$CPOD_TEST_DIR/d.tar" "oci-archive:$CPOD_TEST_DIR/o.tar" "oci:$CPOD_TEST_DIR/odir" \
        "dir:$CPOD_TEST_DIR/ddir"; do
        run skopeo inspect --config "$ref"
        assert_success
        [ "$(jq -c .rootfs.diff_ids <<<"$output")" = "$want" ]
        # skopeo verifies every blob digest while copying.
        skopeo copy -q "$ref" "oci:$CPOD_TEST_DIR/verify:x" >/dev/null
    done
    run_cpod rmi busybox
    run_cpod load -i "$CPOD_TEST_DIR/d.tar"
    run_cpod images -q --no-trunc
    assert_output "$FIXTURE_IMAGE_CONFIG_DIGEST"
    run_cpod run --rm busybox echo still-runs
    assert_output still-runs
}

@test "save's layers are byte-identical to the originals" {
    load_busybox >/dev/null
    run_cpod save --format oci-dir -o "$CPOD_TEST_DIR/odir" busybox
    orig=$(skopeo inspect --raw "oci:$FX/busybox/oci" | jq -r '.layers[0].digest')
    gunzip -c "$FX/busybox/oci/blobs/sha256/${orig#sha256:}" > "$CPOD_TEST_DIR/orig.tar" 2>/dev/null \
        || cp "$FX/busybox/oci/blobs/sha256/${orig#sha256:}" "$CPOD_TEST_DIR/orig.tar"
    saved=$(jq -r '.layers[0].digest' "$CPOD_TEST_DIR/odir/blobs/sha256/$(jq -r '.manifests[0].digest' \
        "$CPOD_TEST_DIR/odir/index.json" | cut -d: -f2)")
    cmp "$CPOD_TEST_DIR/orig.tar" "$CPOD_TEST_DIR/odir/blobs/sha256/${saved#sha256:}"
}

@test "save -m writes several images into one docker-archive" {
    load_busybox >/dev/null
    run_cpod load -i "$FX/variant/busybox-docker.tar"
    run_cpod save -m -o "$CPOD_TEST_DIR/multi.tar" localhost/busybox localhost/busybox2
    run tar -xOf "$CPOD_TEST_DIR/multi.tar" manifest.json
    [ "$(jq length <<<"$output")" -eq 2 ]
    run_cpod rmi -a
    run_cpod load -i "$CPOD_TEST_DIR/multi.tar"
    assert_line "Loaded image: localhost/busybox:latest"
    assert_line "Loaded image: localhost/busybox2:latest"
    # Two names of one image: one entry that carries both.
    run_cpod tag localhost/busybox localhost/busybox:other
    run_cpod save -m -o "$CPOD_TEST_DIR/same.tar" localhost/busybox:latest localhost/busybox:other
    run tar -xOf "$CPOD_TEST_DIR/same.tar" manifest.json
    [ "$(jq length <<<"$output")" -eq 1 ]
    [ "$(jq -r '.[0].RepoTags | sort | join(",")' <<<"$output")" = "localhost/busybox:latest,localhost/busybox:other" ]
}

@test "images: columns, quiet, filters, sort, json" {
    load_busybox >/dev/null
    run_cpod load -i "$FX/variant/busybox-docker.tar"
    run_cpod images
    assert_line --index 0 --regexp '^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE$'
    [ "${#lines[@]}" -eq 3 ]
    run_cpod images --noheading --format 'table {{.Repository}}'
    [ "${#lines[@]}" -eq 2 ]
    run_cpod images --filter reference=busybox2 --format '{{.Repository}}'
    assert_output localhost/busybox2
    run_cpod images localhost/busybox --format '{{.Repository}}'
    assert_output localhost/busybox
    run_cpod images --filter label=io.cpod.test.variant=two --format '{{.Repository}}'
    assert_output localhost/busybox2
    run_cpod images --sort repository --format '{{.Repository}}'
    assert_output "$(printf 'localhost/busybox\nlocalhost/busybox2')"
    run_cpod images --format json
    [ "$(jq length <<<"$output")" -eq 2 ]
    [ "$(jq -r '.[0].Id | length' <<<"$output")" -eq 64 ]
    run_cpod 125 images --filter bogus=1
    assert_output --partial 'invalid image filter'
}

@test "tag, untag and rmi follow podman's rules" {
    load_busybox >/dev/null
    run_cpod tag busybox myimg extra:v1 quay.io/x/y:z
    run_cpod images --format '{{.Repository}}:{{.Tag}}' --sort repository
    assert_output "$(printf 'localhost/busybox:latest\nlocalhost/extra:v1\nlocalhost/myimg:latest\nquay.io/x/y:z')"
    # a name that is too long once qualified (localhost/ + 250) is refused: it could never be named again
    long=$(printf 'a%.0s' $(seq 250))
    run_cpod 125 tag busybox "$long"
    assert_output --partial "repository name must not be more than 255 characters"
    run_cpod tag busybox "${long:0:245}"
    run_cpod untag busybox "${long:0:245}"
    run_cpod untag myimg extra:v1
    run_cpod images --format '{{.Repository}}' --sort repository
    assert_output "$(printf 'localhost/busybox\nlocalhost/myimg\nquay.io/x/y')"
    # With several names, rmi NAME only untags.
    run_cpod rmi quay.io/x/y:z
    assert_output "Untagged: quay.io/x/y:z"
    id=$(cpod images -q --no-trunc | head -1)
    run_cpod 2 rmi "${id#sha256:}"
    assert_output --partial "more than one tag"
    run_cpod rmi -f "${id#sha256:}"
    assert_line --partial "Deleted: ${id#sha256:}"
    run_cpod 1 rmi nosuch
    assert_output "Error: nosuch: image not known"
    run_cpod rmi -i nosuch
    [ -z "$(ls "$CPOD_ROOT/storage/overlay" | grep -v '^l$')" ]
    [ -z "$(ls "$CPOD_ROOT/storage/images")" ]
}

@test "image inspect, history, exists, tree" {
    load_busybox >/dev/null
    run_cpod image inspect busybox
    run jq -r '.[0].RepoTags[0], .[0].Config.Cmd[0], .[0].RootFS.Type, (.[0].RootFS.Layers|length)' <<<"$output"
    assert_output "$(printf 'localhost/busybox:latest\nsh\nlayers\n1')"
    run_cpod history --format '{{.ID}} {{.CreatedBy}}' busybox
    [ "${#lines[@]}" -ge 1 ]
    run_cpod image exists busybox
    run_cpod 1 image exists nosuch
    run_cpod image tree busybox
    assert_line --index 0 --regexp '^Image ID: [0-9a-f]{12}$'
}

@test "image mount shows the image's files read-only; unmount removes the mount" {
    load_busybox >/dev/null
    run_cpod image mount busybox
    mp=$output
    [ -x "$mp/bin/busybox" ]
    run touch "$mp/newfile"
    assert_failure
    run_cpod image mount
    assert_output --partial "$mp"
    run_cpod image unmount busybox
    assert_no_mounts
}

@test "hostile layers never write outside the layer" {
    python3 "$FIXTURES/make-evil-layers.py" "$CPOD_TEST_DIR/evil" >/dev/null
    sentinel=$CPOD_TEST_DIR/sentinel
    echo untouched > "$sentinel"
    sums_before=$(sha256sum /etc/passwd /etc/shadow /etc/hosts)
    while IFS=$'\t' read -r file outcome what; do
        [ "$file" = bomb.tar.gz ] && continue
        python3 "$FIXTURES/wrap-layer.py" "$CPOD_TEST_DIR/evil/$file" "$CPOD_TEST_DIR/img.tar" "localhost/evil:${file%%.*}"
        run "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" load -i "$CPOD_TEST_DIR/img.tar"
        case $outcome in
        reject)
            [ "$status" -eq 125 ] || { echo "$file ($what) was accepted"; return 1; }
            [ "${#lines[@]}" -eq 1 ] || { echo "$file: more than one error line: $output"; return 1; }
            ;;
        inside)
            [ "$status" -eq 0 ] || { echo "$file ($what) failed: $output"; return 1; }
            ;;
        esac
    done < "$CPOD_TEST_DIR/evil/EXPECT"
    [ "$(cat "$sentinel")" = untouched ]
    for p in /escape /x /abs /tmp/cpod-escape /tmp/escape /etc/cpod-escape "$CPOD_TEST_DIR/escape"; do
        [ ! -e "$p" ] || { echo "$p was created outside the layer"; return 1; }
    done
    [ "$(sha256sum /etc/passwd /etc/shadow /etc/hosts)" = "$sums_before" ]
    # Near the layer too: nothing named like the escapes outside a layer's own diff dir.
    run find "$CPOD_TEST_DIR" \( -name escape -o -name cpod-escape -o -name x \) -not -path '*/overlay/*/diff/*'
    assert_output ""
    # Rejected loads left no layer or workspace behind.
    [ -z "$(ls "$CPOD_ROOT/storage/tmp")" ]
}

@test "a crash at any step of a load leaves a store the next command repairs" {
    for point in layer-after-extract layer-before-commit image-before-commit; do
        CPOD_FAILPOINTS="$point=kill" run "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" \
            load -i "$FX/busybox/busybox-docker.tar"
        [ "$status" -eq 137 ] || { echo "failpoint $point did not fire: $status $output"; return 1; }
        # The next load repairs and succeeds; nothing half-written survives.
        run_cpod load -i "$FX/busybox/busybox-docker.tar"
        run_cpod images -q
        [ "${#lines[@]}" -eq 1 ]
        run_cpod rmi -a
        [ -z "$(ls "$CPOD_ROOT/storage/overlay" | grep -v '^l$')" ] || { ls -la "$CPOD_ROOT/storage/overlay"; return 1; }
        [ -z "$(ls "$CPOD_ROOT/storage/images")" ]
    done
}

@test "a crash in the middle of rmi is finished by the next command" {
    load_busybox >/dev/null
    CPOD_FAILPOINTS="image-remove-mid=kill" run "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" rmi busybox
    [ "$status" -eq 137 ]
    run_cpod images -q
    assert_output ""
    run_cpod load -i "$FX/busybox/busybox-docker.tar"
    run_cpod rmi busybox
    [ -z "$(ls "$CPOD_ROOT/storage/overlay" | grep -v '^l$')" ]
}

@test "rmi refuses an image used by a container, --force removes the container too" {
    load_busybox >/dev/null
    run_cpod create --name user1 busybox true
    run_cpod 2 rmi busybox
    assert_output --partial "image is in use by a container"
    # one of several names only untags, container or not (as podman)
    run_cpod tag busybox localhost/other:1
    run_cpod rmi localhost/other:1
    assert_output "Untagged: localhost/other:1"
    run_cpod ps -a --format '{{.Names}}'
    assert_output user1
    # an infra container made from the image goes with its pod
    run_cpod pod create --name withinfra --infra-image busybox --infra-command 'sleep 1000'
    run_cpod rmi -f busybox
    assert_line --partial "Deleted:"
    run_cpod ps -a -q
    assert_output ""
    run_cpod pod ps -q
    assert_output ""
}

@test "system df counts shared layers once; -v lists images with shared and unique sizes, and containers" {
    load_busybox >/dev/null
    run_cpod run --name writer busybox sh -c 'head -c 30000 /dev/zero > /f'
    run_cpod commit -q writer localhost/derived
    base=$(cpod image inspect --format '{{.Size}}' busybox)
    run_cpod system df -v --format json
    [ "$(jq '.Images[] | select(.Repository == "localhost/derived") | .SharedSize' <<<"$output")" -eq "$base" ]
    [ "$(jq '.Images[] | select(.Repository == "localhost/derived") | .UniqueSize' <<<"$output")" -ge 30000 ]
    [ "$(jq '.Images[] | select(.Repository == "localhost/busybox") | .UniqueSize' <<<"$output")" -eq 0 ]
    [ "$(jq '.Containers[0].Size' <<<"$output")" -ge 30000 ]
    [ "$(jq -r '.Containers[0].Status' <<<"$output")" = exited ]
    derived=$(cpod image inspect --format '{{.Size}}' localhost/derived)
    # The busybox layer is counted once; only the derived layer is reclaimable while writer uses busybox.
    run_cpod system df --format '{{.Type}} {{.RawSize}} {{.RawReclaimable}}'
    assert_line "Images $derived $((derived - base))"
    run_cpod system df -v
    assert_line "Images space usage:"
    assert_line --regexp '^localhost/derived +latest +[0-9a-f]{12} '
    assert_line "Containers space usage:"
    assert_line --regexp "^[0-9a-f]{12} +[0-9a-f]{12} +sh -c head -c 30000"
    run_cpod 125 system df -v --format '{{.Type}}'
    assert_output "Error: cannot combine --format and --verbose flags"
}

@test "image prune removes dangling (or, with -a, unused) images; system df counts them" {
    load_busybox >/dev/null
    run_cpod load -i "$FX/variant/busybox-docker.tar"
    run_cpod create --name keeper busybox true
    run_cpod system df --format '{{.Type}}={{.Total}}/{{.Active}}'
    assert_line "Images=2/1"
    assert_line "Containers=1/0"
    run_cpod untag localhost/busybox2
    run_cpod image prune -f
    [ "${#lines[@]}" -eq 1 ]
    run_cpod images --format '{{.Repository}}'
    assert_output localhost/busybox
    # busybox is used by a container: even -a keeps it
    run_cpod image prune -a -f
    assert_output ""
    run_cpod rm keeper
    run_cpod image prune -a -f
    run_cpod images -q
    assert_output ""
    # without -f, a "no" (or EOF) on stdin keeps everything
    load_busybox >/dev/null
    run bash -c "echo n | '$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' image prune -a"
    run_cpod images -q
    [ "${#lines[@]}" -eq 1 ]
}

@test "image templates take podman's field names: .ID, .History, history .CreatedSince/.CreatedAt" {
    load_busybox
    id=$(cpod image inspect --format '{{.Id}}' busybox)
    run_cpod image inspect --format '{{.ID}}' busybox
    assert_output "$id"
    run_cpod images --format '{{.History}}' localhost/busybox
    assert_output localhost/busybox:latest
    run_cpod history --format '{{.CreatedSince}}|{{.CreatedAt}}' busybox
    assert_output --regexp '^[0-9]+ years? ago\|2024-01-01 00:00:00 \+0000 UTC$'
    run_cpod history --format json busybox
    run jq -r '.[0] | [.Created, (has("comment") | tostring)] | @tsv' <<<"$output"
    assert_output "2024-01-01T00:00:00Z	false"
}

@test "save names what it was asked for: by ID no name, by name that one; load -q still prints the names" {
    load_busybox
    id=$(cpod image inspect --format '{{.Id}}' busybox)
    run_cpod tag busybox localhost/other:x
    run_cpod save -o "$CPOD_TEST_DIR/byid.tar" "${id:0:12}"
    run tar -xOf "$CPOD_TEST_DIR/byid.tar" manifest.json
    run jq -c '.[0].RepoTags' <<<"$output"
    assert_output "[]"
    run_cpod save -o "$CPOD_TEST_DIR/byname.tar" busybox
    run tar -xOf "$CPOD_TEST_DIR/byname.tar" manifest.json
    run jq -c '.[0].RepoTags' <<<"$output"
    assert_output '["localhost/busybox:latest"]'
    # the archive by ID loads as an image without names, as podman's
    run_cpod rmi -f "$id"
    run_cpod load -q -i "$CPOD_TEST_DIR/byid.tar"
    assert_output "Loaded image: sha256:$id"
    run_cpod images --format '{{.Repository}}:{{.Tag}}'
    assert_output "<none>:<none>"
    # names survive save to a pipe and load from it
    run_cpod tag "$id" localhost/piped:1
    "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" save localhost/piped:1 >"$CPOD_TEST_DIR/p.tar"
    run_cpod rmi -f "$id"
    run_cpod load <"$CPOD_TEST_DIR/p.tar"
    assert_output "Loaded image: localhost/piped:1"
}

@test "a container's root has the mode of its image's root (555 when the layer says so)" {
    python3 - "$CPOD_TEST_DIR/root555.tar" <<'PY'
import io, sys, tarfile
t = tarfile.open(sys.argv[1], 'w')
d = tarfile.TarInfo('./'); d.type = tarfile.DIRTYPE; d.mode = 0o555; t.addfile(d)
f = tarfile.TarInfo('./x'); f.size = 3; t.addfile(f, io.BytesIO(b'hi\n'))
t.close()
PY
    run_cpod import "$CPOD_TEST_DIR/root555.tar" localhost/r555
    run_cpod create --name r5 localhost/r555 /x
    run_cpod mount r5
    [ "$(stat -c %a "$output")" = 555 ]
    run_cpod umount r5
}

@test "NamesHistory and images .History keep every name an image had, most recent first, as podman" {
    load_busybox
    run_cpod tag busybox localhost/hist:1
    run_cpod untag busybox localhost/busybox:latest
    run_cpod image inspect --format '{{.NamesHistory}} {{.RepoTags}}' localhost/hist:1
    assert_output "[localhost/hist:1 localhost/busybox:latest] [localhost/hist:1]"
    run_cpod images --format '{{.Repository}}:{{.Tag}} {{.History}}'
    assert_output "localhost/hist:1 localhost/hist:1, localhost/busybox:latest"
    run_cpod tag localhost/hist:1 localhost/busybox:latest
    run_cpod image inspect --format '{{.NamesHistory}}' busybox
    assert_output "[localhost/busybox:latest localhost/hist:1]"
}
