#!/usr/bin/env bats
# Proves the offline fixtures in tests/fixtures work: the busybox image built
# by umoci/skopeo in every transport, and docker-registry in every mode.
# Needs: busybox-static, umoci, skopeo, docker-registry, apache2-utils,
# openssl, jq, curl. Never touches the network beyond 127.0.0.1.

# shellcheck disable=SC1091,SC2153
FIXTURES=$BATS_TEST_DIRNAME/../fixtures
BUILD=$FIXTURES/build-busybox-image.sh
REGISTRY=$FIXTURES/registry.sh

setup_file() {
	local t
	for t in umoci skopeo docker-registry htpasswd openssl jq curl; do
		command -v "$t" >/dev/null || skip "$t not installed"
	done
	export IMG=$BATS_FILE_TMPDIR/img
	"$BUILD" "$IMG" --multi
}

setup() {
	IMG=$BATS_FILE_TMPDIR/img
	# shellcheck disable=SC1091
	. "$IMG/image.env"
	REGS=()
	EXTRA_PIDS=()
}

teardown() {
	local d p
	for d in "${REGS[@]}"; do
		"$REGISTRY" stop "$d" || true
	done
	for p in "${EXTRA_PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
}

# --- helpers -------------------------------------------------------------------

die() {
	echo "# $*" >&2
	return 1
}

# expect_eq ACTUAL EXPECTED [WHAT]
expect_eq() {
	[ "$1" = "$2" ] || die "${3:-value}: expected '$2', got '$1'"
}

# start_registry MODE -> registry dir in $REGDIR, env loaded
start_registry() {
	REGDIR=$BATS_TEST_TMPDIR/reg-$1-${#REGS[@]}
	REGS+=("$REGDIR")
	"$REGISTRY" start --mode "$1" "$REGDIR"
	eval "$("$REGISTRY" env "$REGDIR")"
	expect_eq "$FIXTURE_REGISTRY_MODE" "$1" mode
	[ -n "$FIXTURE_REGISTRY_PORT" ] || die "no port"
	[ -d "/proc/$FIXTURE_REGISTRY_PID" ] || die "pid $FIXTURE_REGISTRY_PID not running"
}

# curl against the running registry with the right CA / client cert / creds.
reg_curl() {
	local args=(-sS)
	[ -z "$FIXTURE_REGISTRY_CA" ] || args+=(--cacert "$FIXTURE_REGISTRY_CA")
	[ "$FIXTURE_REGISTRY_MODE" != mtls ] || args+=(--cert "$FIXTURE_REGISTRY_CLIENT_CERT" --key "$FIXTURE_REGISTRY_CLIENT_KEY")
	[ -z "$FIXTURE_REGISTRY_CREDS" ] || args+=(-u "$FIXTURE_REGISTRY_CREDS")
	curl "${args[@]}" "$@"
}

# skopeo flags to read from the running registry as an authorised client.
reg_skopeo_flags() {
	SKOPEO_FLAGS=()
	if [ -n "$FIXTURE_REGISTRY_CERT_DIR" ]; then
		SKOPEO_FLAGS+=(--cert-dir "$FIXTURE_REGISTRY_CERT_DIR")
	else
		SKOPEO_FLAGS+=(--tls-verify=false)
	fi
	[ -z "$FIXTURE_REGISTRY_CREDS" ] || SKOPEO_FLAGS+=(--creds "$FIXTURE_REGISTRY_CREDS")
}

# Stop the registry and check its process is really gone.
stop_registry_and_check() {
	local pid=$FIXTURE_REGISTRY_PID
	"$REGISTRY" stop "$REGDIR"
	[ ! -e "/proc/$pid" ] || die "registry pid $pid still exists after stop"
	[ ! -e "$REGDIR/pid" ] || die "pid file left behind"
	run curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$FIXTURE_REGISTRY_PORT/v2/"
	[ "$status" -ne 0 ] || die "port $FIXTURE_REGISTRY_PORT still answers"
}

# push the fixture image, then check the registry serves it with the same digest.
push_and_verify() {
	local src=${1:-$FIXTURE_OCI} repo=${2:-fixtures/busybox}
	"$REGISTRY" push "$REGDIR" "$src" "$repo:latest" -q

	local hdrs body
	hdrs=$BATS_TEST_TMPDIR/hdrs
	body=$(reg_curl -D "$hdrs" \
		-H 'Accept: application/vnd.oci.image.manifest.v1+json' \
		-H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
		"$FIXTURE_REGISTRY_URL/v2/$repo/manifests/latest")
	grep -qi '^HTTP/[0-9.]* 200' "$hdrs" || die "manifest GET failed: $(cat "$hdrs")"
	expect_eq "$(jq -r .schemaVersion <<<"$body")" 2 schemaVersion
	[ "$(jq '.layers | length' <<<"$body")" -eq 1 ] || die "expected one layer: $body"

	reg_skopeo_flags
	local cfg
	cfg=$(skopeo inspect "${SKOPEO_FLAGS[@]}" --config "docker://$FIXTURE_REGISTRY_HOST/$repo:latest")
	expect_eq "$(jq -c .config.Cmd <<<"$cfg")" '["sh"]' Cmd
	expect_eq "$(jq -r .architecture <<<"$cfg")" "$FIXTURE_IMAGE_ARCH" architecture

	# tags list
	expect_eq "$(reg_curl "$FIXTURE_REGISTRY_URL/v2/$repo/tags/list" | jq -c .tags)" '["latest"]' tags
}

# --- image ---------------------------------------------------------------------

@test "build: every transport has the right config" {
	local ref cfg insp
	for ref in "$FIXTURE_OCI" "$FIXTURE_OCI_ARCHIVE" "$FIXTURE_DOCKER_ARCHIVE" "$FIXTURE_DIR"; do
		cfg=$(skopeo inspect --config "$ref")
		expect_eq "$(jq -c .config.Cmd <<<"$cfg")" '["sh"]' "$ref Cmd"
		expect_eq "$(jq -c .config.Env <<<"$cfg")" \
			'["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]' "$ref Env"
		expect_eq "$(jq -r .architecture <<<"$cfg")" "$FIXTURE_IMAGE_ARCH" "$ref arch"
		expect_eq "$(jq -r .os <<<"$cfg")" linux "$ref os"
		expect_eq "$(jq -r '.config.Labels["io.cpod.test.fixture"]' <<<"$cfg")" busybox "$ref label"
		insp=$(skopeo inspect "$ref")
		expect_eq "$(jq '.Layers | length' <<<"$insp")" 1 "$ref layers"
		# the config blob is carried over unchanged, so the image ID is stable
		expect_eq "$(skopeo inspect --raw "$ref" | jq -r .config.digest)" \
			"$FIXTURE_IMAGE_CONFIG_DIGEST" "$ref config digest"
	done
	expect_eq "$(uname -m | sed 's/x86_64/amd64/;s/aarch64/arm64/')" "$FIXTURE_IMAGE_ARCH" "host arch"

	# the OCI layout and its tag
	expect_eq "$(jq -r '.manifests[0].annotations["org.opencontainers.image.ref.name"]' "$IMG/oci/index.json")" latest tag
	expect_eq "$(jq -r '.manifests[0].digest' "$IMG/oci/index.json")" "$FIXTURE_IMAGE_MANIFEST_DIGEST" digest
	# the docker archive names the image like podman would
	expect_eq "$(tar -xOf "$IMG/busybox-docker.tar" manifest.json | jq -c '.[0].RepoTags')" \
		'["localhost/busybox:latest"]' RepoTags
	expect_eq "$FIXTURE_IMAGE_NAME" localhost/busybox:latest name
	expect_eq "$(cat "$IMG/dir/version")" "Directory Transport Version: 1.1" "dir version"
}

@test "build: root filesystem layout" {
	local layer list
	layer=$IMG/oci/blobs/sha256/$(jq -r '.layers[0].digest' \
		"$IMG/oci/blobs/sha256/${FIXTURE_IMAGE_MANIFEST_DIGEST#sha256:}" | cut -d: -f2)
	list=$(tar -tvzf "$layer")
	grep -Eq '^-rwxr-xr-x 0/0 .* bin/busybox$' <<<"$list" || die "no bin/busybox"
	local a
	for a in bin/sh bin/ls bin/cat bin/echo bin/true bin/false bin/sleep usr/bin/nc \
		usr/sbin/httpd usr/bin/id bin/hostname usr/bin/top bin/ps usr/bin/env \
		usr/bin/wc usr/bin/head; do
		grep -Eq "^l.* $a -> /bin/busybox$" <<<"$list" || die "no applet link $a"
	done
	grep -Eq '^drwxrwxrwt 0/0 .* tmp/$' <<<"$list" || die "tmp is not 1777"
	grep -Eq '^drwx------ 0/0 .* root/$' <<<"$list" || die "no /root"
	grep -Eq '^d.* home/$' <<<"$list" || die "no /home"

	local passwd group
	passwd=$(tar -xzOf "$layer" etc/passwd)
	group=$(tar -xzOf "$layer" etc/group)
	grep -q '^root:x:0:0:' <<<"$passwd" || die "no root in passwd"
	grep -q '^nobody:x:65534:65534:' <<<"$passwd" || die "no nobody in passwd"
	grep -q '^root:x:0:' <<<"$group" || die "no root group"
	grep -q '^nobody:x:65534:' <<<"$group" || die "no nobody group"
}

@test "build: the image runs (umoci unpack + chroot)" {
	[ "$(id -u)" -eq 0 ] || skip "needs root for chroot"
	umoci unpack --image "$IMG/oci:latest" "$BATS_TEST_TMPDIR/bundle"
	run chroot "$BATS_TEST_TMPDIR/bundle/rootfs" /bin/sh -c \
		'echo hello; id -un; id -gn nobody; ls -d /tmp /root /home; true && ! false'
	[ "$status" -eq 0 ] || die "chroot failed: $output"
	expect_eq "${lines[0]}" hello
	expect_eq "${lines[1]}" root
	expect_eq "${lines[2]}" nobody
}

@test "build: deterministic, fast, and --variant/--arch/--tag give distinct images" {
	local t0=$SECONDS
	"$BUILD" "$BATS_TEST_TMPDIR/again"
	[ $((SECONDS - t0)) -lt 5 ] || die "build took $((SECONDS - t0))s"
	expect_eq "$(. "$BATS_TEST_TMPDIR/again/image.env" && echo "$FIXTURE_IMAGE_MANIFEST_DIGEST")" \
		"$FIXTURE_IMAGE_MANIFEST_DIGEST" "rebuild digest"

	"$BUILD" "$BATS_TEST_TMPDIR/v2" --variant two --tag other:v2 --arch arm64
	local base=$FIXTURE_IMAGE_MANIFEST_DIGEST
	(
		. "$BATS_TEST_TMPDIR/v2/image.env"
		[ "$FIXTURE_IMAGE_MANIFEST_DIGEST" != "$base" ] || die "variant has the same digest"
		expect_eq "$FIXTURE_IMAGE_NAME" localhost/other:v2 name
		expect_eq "$FIXTURE_IMAGE_ARCH" arm64 arch
		cfg=$(skopeo inspect --config "$FIXTURE_OCI")
		expect_eq "$(jq -r .architecture <<<"$cfg")" arm64 arch
		expect_eq "$(jq -r '.config.Labels["io.cpod.test.variant"]' <<<"$cfg")" two label
		expect_eq "$(tar -xOf "$BATS_TEST_TMPDIR/v2/busybox-docker.tar" manifest.json | jq -c '.[0].RepoTags')" \
			'["localhost/other:v2"]' RepoTags
		skopeo inspect "oci:$BATS_TEST_TMPDIR/v2/oci:v2" >/dev/null
		skopeo inspect "oci-archive:$BATS_TEST_TMPDIR/v2/busybox-oci.tar:v2" >/dev/null
		layer=$BATS_TEST_TMPDIR/v2/oci/blobs/sha256/$(skopeo inspect --raw "$FIXTURE_OCI" | jq -r '.layers[0].digest' | cut -d: -f2)
		expect_eq "$(tar -xzOf "$layer" etc/variant)" two "/etc/variant"
	)
}

@test "build: multi-arch OCI index" {
	local raw
	raw=$(skopeo inspect --raw "$FIXTURE_MULTI")
	expect_eq "$(jq -r .mediaType <<<"$raw")" application/vnd.oci.image.index.v1+json mediaType
	expect_eq "$(jq -c '[.manifests[].platform.architecture]' <<<"$raw")" '["amd64","arm64"]' platforms
	expect_eq "$(jq -r '.manifests[1].digest' <<<"$raw")" "$FIXTURE_MULTI_ARM64_DIGEST" arm64
	local a
	for a in amd64 arm64; do
		expect_eq "$(skopeo --override-arch "$a" inspect --config "$FIXTURE_MULTI" | jq -r .architecture)" "$a" "$a config"
		expect_eq "$(skopeo inspect --config "oci:$IMG/multi:$a" | jq -r .architecture)" "$a" "tag $a"
	done
}

# --- registry ------------------------------------------------------------------

@test "registry: plain HTTP" {
	start_registry plain
	expect_eq "$FIXTURE_REGISTRY_URL" "http://127.0.0.1:$FIXTURE_REGISTRY_PORT" url
	expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "$FIXTURE_REGISTRY_URL/v2/")" 200 "/v2/"
	push_and_verify "$FIXTURE_OCI"
	# docker-archive and dir sources push too
	push_and_verify "$FIXTURE_DOCKER_ARCHIVE" fixtures/from-docker-archive
	push_and_verify "$FIXTURE_DIR" fixtures/from-dir
	# OCI source to registry keeps the manifest digest
	expect_eq "$(curl -s -o /dev/null -D - -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
		"$FIXTURE_REGISTRY_URL/v2/fixtures/busybox/manifests/latest" | tr -d '\r' |
		sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p')" "$FIXTURE_IMAGE_MANIFEST_DIGEST" digest
	stop_registry_and_check
}

@test "registry: TLS with a self-signed CA" {
	start_registry tls
	expect_eq "$FIXTURE_REGISTRY_URL" "https://127.0.0.1:$FIXTURE_REGISTRY_PORT" url
	local f
	for f in "$FIXTURE_REGISTRY_CERT_DIR"/{ca.crt,client.cert,client.key} \
		"$FIXTURE_REGISTRY_CERT_DIR_NOCLIENT/ca.crt" \
		"$FIXTURE_REGISTRY_CERTS_D/127.0.0.1:$FIXTURE_REGISTRY_PORT/ca.crt" \
		"$FIXTURE_REGISTRY_CERTS_D/localhost:$FIXTURE_REGISTRY_PORT/ca.crt"; do
		[ -f "$f" ] || die "$f missing"
	done
	# the server cert is valid for 127.0.0.1 and localhost
	expect_eq "$(curl -sS --cacert "$FIXTURE_REGISTRY_CA" -o /dev/null -w '%{http_code}' "https://localhost:$FIXTURE_REGISTRY_PORT/v2/")" 200 localhost
	run curl -sS -o /dev/null "$FIXTURE_REGISTRY_URL/v2/"
	expect_eq "$status" 60 "curl without the CA"
	run skopeo inspect "docker://$FIXTURE_REGISTRY_HOST/fixtures/busybox:latest"
	[ "$status" -ne 0 ] || die "skopeo trusted an unknown CA"
	push_and_verify
	# the client pair is signed by the CA
	openssl verify -CAfile "$FIXTURE_REGISTRY_CA" "$FIXTURE_REGISTRY_CLIENT_CERT" >/dev/null
	stop_registry_and_check
}

@test "registry: auth (TLS + htpasswd) rejects anonymous access" {
	start_registry auth
	expect_eq "$FIXTURE_REGISTRY_CREDS" testuser:testpassword creds
	expect_eq "$(curl -s --cacert "$FIXTURE_REGISTRY_CA" -o /dev/null -w '%{http_code}' "$FIXTURE_REGISTRY_URL/v2/")" 401 anonymous
	expect_eq "$(curl -s --cacert "$FIXTURE_REGISTRY_CA" -u testuser:wrong -o /dev/null -w '%{http_code}' "$FIXTURE_REGISTRY_URL/v2/")" 401 "wrong password"
	curl -s --cacert "$FIXTURE_REGISTRY_CA" -D - -o /dev/null "$FIXTURE_REGISTRY_URL/v2/" | grep -qi '^www-authenticate: Basic realm=' ||
		die "no Basic challenge"
	push_and_verify
	expect_eq "$(curl -s --cacert "$FIXTURE_REGISTRY_CA" -o /dev/null -w '%{http_code}' \
		"$FIXTURE_REGISTRY_URL/v2/fixtures/busybox/manifests/latest")" 401 "anonymous manifest"
	run skopeo inspect --cert-dir "$FIXTURE_REGISTRY_CERT_DIR" --no-creds "docker://$FIXTURE_REGISTRY_HOST/fixtures/busybox:latest"
	[ "$status" -ne 0 ] || die "skopeo read without creds"
	# the generated auth.json works as an authfile
	skopeo inspect --cert-dir "$FIXTURE_REGISTRY_CERT_DIR" --authfile "$FIXTURE_REGISTRY_AUTHFILE" \
		"docker://$FIXTURE_REGISTRY_HOST/fixtures/busybox:latest" >/dev/null
	stop_registry_and_check
}

@test "registry: auth-plain (HTTP + htpasswd)" {
	start_registry auth-plain
	expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "$FIXTURE_REGISTRY_URL/v2/")" 401 anonymous
	push_and_verify
	stop_registry_and_check
}

@test "registry: mTLS requires the client certificate" {
	start_registry mtls
	run curl -sS --cacert "$FIXTURE_REGISTRY_CA" -o /dev/null "$FIXTURE_REGISTRY_URL/v2/"
	[ "$status" -ne 0 ] || die "accepted a client without certificate"
	run skopeo inspect --cert-dir "$FIXTURE_REGISTRY_CERT_DIR_NOCLIENT" "docker://$FIXTURE_REGISTRY_HOST/x:latest"
	[ "$status" -ne 0 ] || die "skopeo without client cert was accepted"
	push_and_verify
	stop_registry_and_check
}

@test "registry: multi-arch index pushed with skopeo copy --all" {
	start_registry plain
	skopeo --insecure-policy copy -q --all --dest-tls-verify=false \
		"$FIXTURE_MULTI" "docker://$FIXTURE_REGISTRY_HOST/fixtures/multi:latest"
	local body
	body=$(curl -sS -H 'Accept: application/vnd.oci.image.index.v1+json' \
		-H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' \
		"$FIXTURE_REGISTRY_URL/v2/fixtures/multi/manifests/latest")
	expect_eq "$(jq -r .mediaType <<<"$body")" application/vnd.oci.image.index.v1+json mediaType
	expect_eq "$(jq -c '[.manifests[].platform | .os + "/" + .architecture]' <<<"$body")" \
		'["linux/amd64","linux/arm64"]' platforms
	expect_eq "$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
		"$FIXTURE_REGISTRY_URL/v2/fixtures/multi/manifests/$FIXTURE_MULTI_ARM64_DIGEST")" 200 "arm64 manifest"
	expect_eq "$(skopeo --override-arch arm64 inspect --tls-verify=false --config \
		"docker://$FIXTURE_REGISTRY_HOST/fixtures/multi:latest" | jq -r .architecture)" arm64 "arm64 selection"
	expect_eq "$(skopeo --override-arch amd64 inspect --tls-verify=false --config \
		"docker://$FIXTURE_REGISTRY_HOST/fixtures/multi:latest" | jq -r .architecture)" amd64 "amd64 selection"
	# skopeo inspect reports the digest of the index itself
	expect_eq "$(skopeo inspect --tls-verify=false "docker://$FIXTURE_REGISTRY_HOST/fixtures/multi:latest" |
		jq -r .Digest)" "$FIXTURE_MULTI_INDEX_DIGEST" "index digest"
	stop_registry_and_check
}

@test "registry: stop only kills its own registry" {
	start_registry plain
	local dir1=$REGDIR pid1=$FIXTURE_REGISTRY_PID
	start_registry plain
	local dir2=$REGDIR pid2=$FIXTURE_REGISTRY_PID port2=$FIXTURE_REGISTRY_PORT
	"$REGISTRY" stop "$dir1"
	[ ! -e "/proc/$pid1" ] || die "first registry still there"
	[ -d "/proc/$pid2" ] || die "second registry was killed too"
	expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port2/v2/")" 200 "second still serves"
	# stopping twice is a no-op
	"$REGISTRY" stop "$dir1"
	# a stale pid file naming an unrelated process must not kill it
	sleep 60 3>&- &
	EXTRA_PIDS+=("$!")
	echo "$!" >"$dir1/pid"
	"$REGISTRY" stop "$dir1"
	kill -0 "${EXTRA_PIDS[0]}" || die "registry.sh stop killed an unrelated process"
	# starting twice in the same dir is refused
	run "$REGISTRY" start "$dir2"
	[ "$status" -ne 0 ] || die "second start in the same dir succeeded"
	[ -d "/proc/$pid2" ] || die "second registry gone after refused start"
}
