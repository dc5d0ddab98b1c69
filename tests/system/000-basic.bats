#!/usr/bin/env bats
# version, info, help, unknown commands and flags

load helpers

@test "version prints the version and accepts --format" {
    run_cpod version
    assert_line --regexp '^Version: +[0-9]+\.[0-9]+\.[0-9]+$'
    run_cpod version --format '{{.Client.Version}}'
    assert_output --regexp '^[0-9]+\.[0-9]+\.[0-9]+$'
    run_cpod version --format json
    run jq -r .Client.Version <<<"$output"
    assert_output --regexp '^[0-9]+\.[0-9]+\.[0-9]+$'
    run_cpod -v
    assert_output --regexp '^cpod version [0-9.]+$'
    run_cpod --version
    assert_output --regexp '^cpod version [0-9.]+$'
}

@test "cpod maps only the libraries every command needs at start" {
    # The others (libcurl, libarchive, libcrypto, ISA-L, gpgme, libyaml, libmicrohttpd with GnuTLS)
    # are loaded on first use (lib/util/dlshim.h): their mapping and constructors cost every command.
    command -v readelf >/dev/null || skip "no readelf (binutils)"
    run readelf -d "$CPOD_BIN"
    assert_success
    local needed extra
    needed=$(sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' <<<"$output")
    [[ "$needed" == *libsqlite3* ]] # the parse found the entries
    # Sanitizer builds add their runtimes.
    extra=$(grep -Ev '^(ld-linux-x86-64|libc|libm|libjansson|libsqlite3|libz|libzstd|libasan|libubsan|libgcc_s|libstdc\+\+)\.so' <<<"$needed" || true)
    [ -z "$extra" ] || { echo "linked at start, not loaded on use: $extra"; false; }
}

@test "info reports host, runtime, conmon and store" {
    run_cpod info --format json
    json=$output
    run jq -r '.host.ociRuntime.name' <<<"$json"
    assert_output --regexp '^(runc|crun)$'
    run jq -r '.host.ociRuntime.path' <<<"$json"
    [ -x "$output" ]
    run jq -r '.host.conmon.path' <<<"$json"
    [ -x "$output" ]
    run jq -r '.host.conmon.version' <<<"$json"
    assert_output --partial "conmon version"
    run jq -r '.store.graphRoot' <<<"$json"
    assert_output "$CPOD_ROOT/storage"
    run jq -r '.store.runRoot' <<<"$json"
    assert_output "$CPOD_RUNROOT"
    run jq -r '.store.graphDriverName' <<<"$json"
    assert_output overlay
    run jq -r '.host.kernel' <<<"$json"
    assert_output "$(uname -r)"
}

@test "info reports the cgroup layout and manager of this host" {
    run_cpod info --format '{{.Host.CgroupsVersion}} {{.Host.CgroupManager}}'
    if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
        assert_output --regexp '^v2 '
    else
        assert_output --regexp '^v1 '
    fi
    if [ ! -d /run/systemd/system ]; then
        assert_output --regexp ' cgroupfs$'
    fi
}

@test "info picks a runtime that works on this host" {
    run_cpod info --format '{{.Host.OCIRuntime.Name}}'
    name=$output
    # On a hybrid cgroup host crun 1.8 refuses to run containers: it must not be chosen.
    if [ -d /sys/fs/cgroup/unified ] && [ "$(stat -f -c %T /sys/fs/cgroup/unified)" = cgroup2fs ] \
        && [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ] && command -v crun >/dev/null \
        && crun --version | grep -q '^crun version 1\.8'; then
        assert_equal "$name" runc
    fi
    # The probe's verdict is cached per boot in the runroot.
    run jq -r '.boot_id' "$CPOD_RUNROOT/oci-runtime-probe.json"
    assert_output "$(cat /proc/sys/kernel/random/boot_id)"
}

@test "--runtime selects the runtime explicitly, unknown ones fail" {
    run_cpod --runtime runc info --format '{{.Host.OCIRuntime.Path}}'
    [ "$(realpath "$output")" = "$(realpath "$(command -v runc)")" ]
    run_cpod 125 --runtime /nonexistent/runtime info
    assert_output 'Error: default OCI runtime "/nonexistent/runtime" not found: invalid argument'
}

@test "info default output is YAML" {
    run_cpod info
    assert_line --regexp '^host:$'
    assert_line --regexp '^  ociRuntime:$'
    assert_line --regexp '^store:$'
    assert_line --regexp '^version:$'
}

@test "info: a malformed containers.conf names file and line" {
    printf '[containers]\ndefault_capabilities = [\n"CHOWN",\n= 3\n' > "$CPOD_TEST_DIR/bad.conf"
    CONTAINERS_CONF=$CPOD_TEST_DIR/bad.conf run_cpod 125 info
    assert_output --regexp "^Error: .*bad.conf:4:"
    [ "${#lines[@]}" -eq 1 ]
}

@test "containers.conf values are read and --config overrides CONTAINERS_CONF" {
    printf '[containers]\ndefault_capabilities = ["CHOWN", "KILL"]\nlog_driver = "journald"\n' \
        > "$CPOD_TEST_DIR/a.conf"
    printf '[containers]\nlog_driver = "none"\nunknown_key = 1\n[unknown_table]\nx = 2\n' > "$CPOD_TEST_DIR/b.conf"
    CONTAINERS_CONF=$CPOD_TEST_DIR/a.conf run_cpod info --format '{{.Host.Security.DefaultCapabilities}} {{.Host.LogDriver}}'
    assert_output "CAP_CHOWN,CAP_KILL journald"
    CONTAINERS_CONF=$CPOD_TEST_DIR/a.conf run_cpod --config "$CPOD_TEST_DIR/b.conf" info \
        --format '{{.Host.LogDriver}}'
    assert_output "none"
}

@test "containers.conf keys cpod reads but does not honour yet draw a warning; tz is honoured" {
    printf '[containers]\numask = "0077"\ntz = "UTC"\napparmor_profile = "p"\ndevices = ["/dev/null:/dev/n:rwm"]\nmade_up = 1\n[engine]\ninfra_image = "x"\n[engine.volume_plugins]\nplug = "/run/plug.sock"\n[engine.runtimes]\n[machine]\ncpus = 2\n' > "$CPOD_TEST_DIR/n.conf"
    CONTAINERS_CONF=$CPOD_TEST_DIR/n.conf run_cpod ps -q
    assert_line "WARN[0000] $CPOD_TEST_DIR/n.conf: [containers] umask is not supported by cpod yet and has no effect"
    assert_line "WARN[0000] $CPOD_TEST_DIR/n.conf: [engine] infra_image is not supported by cpod yet and has no effect"
    # podman's keys cpod does not apply warn too (a device list or an AppArmor profile must not look
    # honoured); keys podman does not know either are left alone, as podman leaves them.
    assert_line "WARN[0000] $CPOD_TEST_DIR/n.conf: [containers] apparmor_profile is not supported by cpod yet and has no effect"
    assert_line "WARN[0000] $CPOD_TEST_DIR/n.conf: [containers] devices is not supported by cpod yet and has no effect"
    assert_line "WARN[0000] $CPOD_TEST_DIR/n.conf: [engine] volume_plugins is not supported by cpod yet and has no effect"
    assert_line "WARN[0000] $CPOD_TEST_DIR/n.conf: [machine] cpus is not supported by cpod yet and has no effect"
    refute_output --partial made_up
    refute_output --partial runtimes
    [ "${#lines[@]}" -eq 6 ]
    refute_output --partial "tz is not"
    [ -f /usr/share/zoneinfo/UTC ] || return 0
    load_busybox
    CONTAINERS_CONF=$CPOD_TEST_DIR/n.conf run_cpod run --rm busybox cat /etc/localtime
    assert_output --partial "TZif"
}

@test "containers.conf with a wrong type for a known key is an error" {
    printf '[engine]\nruntime = 3\n' > "$CPOD_TEST_DIR/c.conf"
    CONTAINERS_CONF=$CPOD_TEST_DIR/c.conf run_cpod 125 info
    assert_output "Error: $CPOD_TEST_DIR/c.conf: [engine] runtime must be a string"
}

@test "unknown command and unknown flags exit 125 with podman's wording" {
    run_cpod 125 nosuchcommand
    assert_line --index 0 'Error: unrecognized command `cpod nosuchcommand`'
    run_cpod 125 version --nosuchflag
    assert_line --index 0 "Error: unknown flag: --nosuchflag"
    assert_line --index 1 "See 'cpod version --help'"
    run_cpod 125 version -x
    assert_line --index 0 "Error: unknown shorthand flag: 'x' in -x"
    run_cpod 125 version --format
    assert_line --index 0 "Error: flag needs an argument: --format"
    assert_line --index 1 "See 'cpod version --help'"
    run_cpod 125 run -h
    assert_output "$(printf "Error: flag needs an argument: 'h' in -h\nSee 'cpod run --help'")"
    run_cpod 125 version extra-arg
    assert_output "Error: \`cpod version\` takes no arguments"
    # podman's words, without "Error:", and its exit code 1
    run_cpod 1 --log-level bogus version
    assert_output 'Log Level "bogus" is not supported, choose from: trace, debug, info, warn, warning, error, fatal, panic'
    run_cpod --log-level warning version
    run_cpod --log-level trace version
}

@test "help and usage name the program as it was invoked (cpod linked as podman)" {
    ln -s "$CPOD_BIN" "$CPOD_TEST_DIR/podman"
    run "$CPOD_TEST_DIR/podman" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" run -h
    assert_equal "$status" 125
    assert_output "$(printf "Error: flag needs an argument: 'h' in -h\nSee 'podman run --help'")"
    run "$CPOD_TEST_DIR/podman" attach --help
    assert_line "  podman attach [options] CONTAINER"
    assert_line --partial "The podman attach command"
    refute_output --partial "cpod"
    run "$CPOD_TEST_DIR/podman" help import
    assert_line "  cat ctr.tar | podman import -"
    run "$CPOD_TEST_DIR/podman" nosuchcommand
    assert_line --index 0 'Error: unrecognized command `podman nosuchcommand`'
}

@test "--force lets objects that do not exist pass, as podman: rm, rmi, pod rm exit 0" {
    run_cpod rm --force bogus
    assert_output ""
    run_cpod image rm --force bogus
    assert_output ""
    run_cpod pod rm --force bogus
    assert_output ""
    run_cpod 1 rm bogus
    run_cpod 1 image rm bogus
    run_cpod 1 pod rm bogus
}

@test "missing subcommand prints help and exits 125" {
    run_cpod 125 system
    assert_output --partial "Available Commands:"
    assert_line "Error: missing command 'cpod system COMMAND'"
    run_cpod 125
    assert_line "Error: missing command 'cpod COMMAND'"
}

@test "invalid --format template gives one clear error" {
    run_cpod 125 version --format '{{.Client.Version'
    assert_output --regexp '^Error: .*template'
    [ "${#lines[@]}" -eq 1 ]
    run_cpod 125 info --format '{{.Nosuchfield}}'
    assert_output --regexp '^Error: .*Nosuchfield'
}

@test "global flags work before and after the subcommand" {
    run "$CPOD_BIN" info --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" --format '{{.Store.RunRoot}}'
    assert_success
    assert_output "$CPOD_RUNROOT"
    run "$CPOD_BIN" --root="$CPOD_ROOT" --runroot="$CPOD_RUNROOT" info --format='{{.Store.GraphRoot}}'
    assert_success
    assert_output "$CPOD_ROOT/storage"
}

@test "--storage-driver accepts overlay and vfs only" {
    run_cpod --storage-driver vfs info --format '{{.Store.GraphDriverName}}'
    assert_output vfs
    run_cpod 125 --storage-driver zfs info
    assert_output --partial 'unknown storage driver "zfs"'
}

@test "--noout hides stdout only; the remote flags say there is no API service" {
    run_cpod --noout images
    assert_output ""
    run_cpod 1 --noout rm nosuch
    assert_output --partial "no container with name or ID"
    for f in --remote "--url unix:///x" "--connection c"; do
        # shellcheck disable=SC2086
        run_cpod 125 $f ps
        assert_output "Error: ${f%% *}: cpod has no remote client: there is no API service to connect to"
    done
}

@test "--runtime-flag reaches the OCI runtime; --volumepath moves the volume directory" {
    load_busybox
    run_cpod --runtime-flag debug run --rm busybox echo ran
    assert_output --partial "ran"
    run_cpod --runtime-flag debug run -d --name rf busybox sleep 100
    run_cpod rm -f -t 0 rf
    run_cpod 126 --runtime-flag bogus-flag run -d --name rfb busybox true
    assert_output --partial "Error: OCI runtime error: runc:"
    assert_output --partial "bogus-flag"
    # the foreground fast path reports the runtime's failure the same way and leaves a created container
    run_cpod 126 --runtime-flag bogus-flag run --name rfc busybox true
    assert_output --partial "Error: OCI runtime error: runc:"
    run_cpod ps -a --format '{{.Names}} {{.Status}}' --filter name=rfc
    assert_output "rfc Created"
    run_cpod start -a rfc
    run_cpod --volumepath "$CPOD_TEST_DIR/vols" info --format '{{.Store.VolumePath}}'
    assert_output "$CPOD_TEST_DIR/vols"
}

@test "--syslog is accepted and warnings still reach stderr" {
    load_busybox
    run_cpod --syslog run --rm --kernel-memory 1m busybox true
    assert_output --partial "WARN[0000] The --kernel-memory flag is no longer supported. This flag is a noop."
}

@test "version takes .Client, .Server and bare fields as podman; info has podman's host fields" {
    v=$(cpod version --format '{{.Client.Version}}')
    [ -n "$v" ]
    run_cpod version --format '{{.Server.Version}}'
    assert_output "$v"
    run_cpod version --format '{{.Version}}'
    assert_output "$v"
    run_cpod 125 version --format '{{.Bogus}}'
    run_cpod info --format '{{.Host.NetworkBackend}}|{{.Host.BuildahVersion}}|{{.Host.ServiceIsRemote}}'
    assert_output "netavark||false"
    run_cpod --network-backend cni info --format '{{.Host.NetworkBackend}}'
    assert_output cni
    run_cpod info --format json
    run jq -r '.host.cpuUtilization | (.userPercent + .systemPercent + .idlePercent) | round' <<<"$output"
    assert_output 100
}
