#!/usr/bin/env bats
# build (image build, buildx build) through Buildah: FROM the offline busybox image in cpod's
# store, the result run by cpod, the layer cache, -q/--iidfile, and clean failures.

load helpers

setup() {
    cpod_setup
    command -v buildah >/dev/null || skip "buildah is not installed"
    load_busybox
    CTX=$CPOD_TEST_DIR/ctx
    mkdir -p "$CTX/sub"
    echo "copied file" > "$CTX/copied.txt"
    echo "from the tarball" > "$CTX/sub/inner.txt"
    tar -C "$CTX/sub" -czf "$CTX/added.tar.gz" inner.txt
    cat > "$CTX/Containerfile" <<'EOF'
FROM localhost/busybox
ARG GREETING=default
ENV GREET_ENV=$GREETING
LABEL org.example.test=yes
RUN mkdir -p /app/added && echo "ran as $(id -u)" > /app/ran.txt
COPY copied.txt /app/copied.txt
ADD added.tar.gz /app/added/
WORKDIR /app
USER 65534
EXPOSE 8080/tcp
ENTRYPOINT ["/bin/sh", "-c", "echo entry $0; cat copied.txt added/inner.txt ran.txt; echo env=$GREET_ENV; pwd; id -u"]
CMD ["cmdarg"]
EOF
}

# Buildah's store under the test's root: what is left of it.
buildah_private() {
    buildah --root "$CPOD_ROOT/buildah/storage" --runroot "$CPOD_RUNROOT/buildah" "$@"
}

assert_buildah_clean() {
    run buildah_private containers -a -q
    assert_success
    assert_output ""
    assert_no_mounts
}

@test "build: a Containerfile FROM cpod's busybox builds and the image runs in cpod" {
    run_cpod build --network none -t localhost/built:1 --build-arg GREETING=hello \
        --label extra=label --annotation org.example.note=x "$CTX"
    assert_output --partial "STEP 1/13: FROM localhost/busybox"
    assert_output --partial "COMMIT localhost/built:1"
    id=${lines[-1]}
    [[ $id =~ ^[0-9a-f]{64}$ ]]
    run_cpod images -q --no-trunc localhost/built:1
    assert_output "sha256:$id"

    run_cpod run --rm --network none localhost/built:1
    assert_output "entry cmdarg
copied file
from the tarball
ran as 0
env=hello
/app
65534"
    run_cpod image inspect --format '{{.Config.User}} {{.Config.WorkingDir}} {{.Config.ExposedPorts}} {{index .Labels "org.example.test"}} {{index .Labels "extra"}}' localhost/built:1
    assert_output --regexp "^65534 /app map\[8080/tcp:.*\] yes label$"
    # The base layer is busybox's own: shared, not a copy.
    run_cpod image inspect --format '{{index .RootFS.Layers 0}}' localhost/busybox
    base=$output
    run_cpod image inspect --format '{{index .RootFS.Layers 0}}' localhost/built:1
    assert_output "$base"
    assert_buildah_clean
}

@test "build: a rebuild with no change reuses every layer; -q, --iidfile, image build, buildx build" {
    run_cpod build --network none -t localhost/built "$CTX"
    id=${lines[-1]}
    run_cpod images -q
    n_images=${#lines[@]}

    run_cpod build -q --network none -t localhost/again --iidfile "$CPOD_TEST_DIR/iid" "$CTX"
    assert_output "$id"
    run cat "$CPOD_TEST_DIR/iid"
    assert_output "sha256:$id"

    run_cpod image build --network none "$CTX"
    # Every step after FROM comes from the cache.
    [ "$(grep -c '^--> Using cache ' <<<"$output")" -eq 11 ]
    [ "${lines[-1]}" = "$id" ]
    run_cpod buildx build -q --network none "$CTX"
    assert_output "$id"
    run_cpod images -q
    [ "${#lines[@]}" -eq "$n_images" ]
    run_cpod image inspect --format '{{.Id}}' localhost/again
    assert_output "$id"

    # --no-cache runs every step again: a new image.
    run_cpod build -q --no-cache --network none "$CTX"
    [ "$output" != "$id" ]
    assert_buildah_clean
}

@test "build --format docker keeps Buildah's image ID in cpod's store" {
    run_cpod build -q --format docker --network none -t localhost/dockerfmt "$CTX"
    id=$output
    run_cpod images -q --no-trunc localhost/dockerfmt
    assert_output "sha256:$id"
    run_cpod run --rm --network none localhost/dockerfmt
    assert_line "env=default"
}

@test "build: a missing Containerfile, a syntax error and a failing RUN fail cleanly with exit 125" {
    run_cpod images -q --no-trunc
    before=$output

    run_cpod 125 build --network none -t localhost/bad -f "$CTX/Nope" "$CTX"
    assert_output --regexp "^Error: .*Nope: no such file or directory"

    printf 'FROM localhost/busybox\nFROBNICATE now\n' > "$CTX/Syntax"
    run_cpod 125 build --network none -t localhost/bad -f "$CTX/Syntax" "$CTX"
    assert_output --regexp "Error: .*(FROBNICATE|frobnicate)"

    printf 'FROM localhost/busybox\nRUN echo partial > /p\nRUN echo failing >&2; exit 3\n' > "$CTX/Fails"
    run_cpod 125 build --network none -t localhost/bad -f "$CTX/Fails" "$CTX"
    assert_output --partial "failing"
    assert_line --regexp '^Error: building at STEP "RUN echo failing.*exit status 3'
    # Buildah's own "Error:" line is not printed twice.
    [ "$(grep -c '^Error: ' <<<"$output")" -eq 1 ]

    run_cpod images -q --no-trunc
    assert_output "$before"
    run_cpod 1 image exists localhost/bad
    assert_buildah_clean
}

@test "build: an invalid tag fails before Buildah runs" {
    run_cpod 125 build --network none -t 'Bad:Name' "$CTX"
    assert_output --regexp '^Error: '
    [ ! -d "$CPOD_ROOT/buildah/storage" ]
}

@test "build --secret: RUN --mount=type=secret reads it, the image does not keep it; a missing file fails first" {
    echo -n "s3cret-value" > "$CPOD_TEST_DIR/secret.txt"
    cat > "$CTX/Containerfile.secret" <<'EOS'
FROM localhost/busybox
RUN --mount=type=secret,id=mysecret test -f /run/secrets/mysecret && sha256sum /run/secrets/mysecret | cut -c1-64 > /seen.txt
EOS
    run_cpod build --network none -t localhost/secret:1 -f "$CTX/Containerfile.secret" \
        --secret "id=mysecret,src=$CPOD_TEST_DIR/secret.txt" "$CTX"
    run_cpod run --rm --network none localhost/secret:1 sh -c 'cat /seen.txt; ls -A /run/secrets 2>/dev/null | wc -l'
    assert_output "$(sha256sum <"$CPOD_TEST_DIR/secret.txt" | cut -c1-64)
0"
    run_cpod save -o "$CPOD_TEST_DIR/secret-image.tar" localhost/secret:1
    run grep -c s3cret-value "$CPOD_TEST_DIR/secret-image.tar"
    assert_output "0"
    # without the secret the RUN step fails (the test is real)
    run_cpod 125 build --no-cache --network none -t localhost/secret:2 -f "$CTX/Containerfile.secret" "$CTX"
    run_cpod 1 image exists localhost/secret:2
    run_cpod 125 build --network none -f "$CTX/Containerfile.secret" --secret "id=mysecret,src=$CPOD_TEST_DIR/nope" "$CTX"
    assert_output --partial "$CPOD_TEST_DIR/nope"
    [ ! -d "$CPOD_ROOT/buildah/storage" ] || [ -z "$(buildah_private containers -q)" ]
    run_cpod 125 build --network none --secret "src=$CPOD_TEST_DIR/secret.txt" "$CTX"
    assert_output --partial "no id"
}

@test "build: cpod killed (kill -9) during a RUN step leaves no image, container, mount or process; the next build works" {
    cat > "$CTX/Containerfile.slow" <<'EOS'
FROM localhost/busybox
RUN echo started && sleep 4 && echo slow > /slow.txt
EOS
    # cpod itself (not a shell function around it) is the process killed
    "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" build --network none -t localhost/slow:1 \
        -f "$CTX/Containerfile.slow" "$CTX" >"$CPOD_TEST_DIR/slow.out" 2>&1 &
    pid=$!
    for _ in $(seq 600); do
        grep -q '^started' "$CPOD_TEST_DIR/slow.out" && break
        sleep 0.1
    done
    grep -q '^started' "$CPOD_TEST_DIR/slow.out"
    kill -9 "$pid"
    rc=0
    wait "$pid" || rc=$?
    assert_equal "$rc" 137
    run_cpod 1 image exists localhost/slow:1
    # the next build waits for the orphaned Buildah (which holds the build lock), cleans up, works
    run_cpod build --network none -t localhost/after:1 -f "$CTX/Containerfile.slow" "$CTX"
    run_cpod run --rm --network none localhost/after:1 cat /slow.txt
    assert_output "slow"
    run_cpod 1 image exists localhost/slow:1
    assert_buildah_clean
    # no Buildah, runtime or sleeping RUN process of this test is left.  The killed build's RUN
    # runs to its end (4 s; cleaning up does not kill it yet: known, see the note), so allow that.
    for _ in $(seq 100); do
        pgrep -f "$CPOD_TEST_DIR" >/dev/null || pgrep -f "sleep 4" >/dev/null || break
        sleep 0.1
    done
    run pgrep -f "$CPOD_TEST_DIR"
    assert_output ""
    run pgrep -f "sleep 4"
    assert_output ""
}
