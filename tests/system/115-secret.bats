#!/usr/bin/env bats
# secret create/ls/inspect/exists/rm, and --secret on run: files at /run/secrets, variables in the
# environment, and the data nowhere else (inspect, secret inspect, the records file).

load helpers

setup() {
    cpod_setup
}

@test "secret create from a file and from stdin; ls, inspect, exists, rm" {
    printf 'file-data-123' >"$CPOD_TEST_DIR/f"
    run_cpod secret create s1 "$CPOD_TEST_DIR/f"
    assert_output --regexp '^[0-9a-f]{25}$'
    id1=$output
    run bash -c "printf 'stdin-data-456' | '$CPOD_BIN' --root '$CPOD_ROOT' --runroot '$CPOD_RUNROOT' secret create --label k=v s2 -"
    assert_success
    assert_output --regexp '^[0-9a-f]{25}$'
    id2=$output

    run_cpod secret ls
    assert_line --index 0 --regexp '^ID +NAME +DRIVER +CREATED +UPDATED$'
    assert_line --regexp "^$id1 +s1 +file +.* ago +.* ago\$"
    assert_line --regexp "^$id2 +s2 +file "
    run_cpod secret ls -q --filter name=s2
    assert_output "$id2"
    run_cpod secret ls --noheading --format '{{.Name}}' --filter id="${id1:0:6}"
    assert_output "s1"

    run_cpod secret inspect s2
    run jq -r '.[0] | [.ID, .Spec.Name, .Spec.Driver.Name, .Spec.Labels.k, (.CreatedAt == .UpdatedAt)] | join(" ")' <<<"$output"
    assert_output "$id2 s2 file v true"
    run_cpod secret inspect --format '{{.Spec.Name}} {{.ID}}' "${id1:0:8}"
    assert_output "s1 $id1"
    run_cpod secret inspect s1 s2
    refute_output --partial "file-data-123"
    refute_output --partial "stdin-data-456"

    run_cpod secret exists s1
    run_cpod 1 secret exists nosuch
    run_cpod secret rm s1
    assert_output "$id1"
    run_cpod 1 secret exists s1
    run_cpod 125 secret rm s1
    assert_output 'Error: no secret with name or id "s1": no such secret'
    run_cpod secret rm -a
    assert_output "$id2"
    run_cpod secret ls --noheading
    assert_output ""
    run ls "$CPOD_ROOT/secrets/filedriver"
    assert_output ""
}

@test "secret data files are 0600 in 0700 directories, and the records hold no data" {
    printf 'perm-data' >"$CPOD_TEST_DIR/f"
    run_cpod secret create perm "$CPOD_TEST_DIR/f"
    id=$output
    run stat -c '%a' "$CPOD_ROOT/secrets" "$CPOD_ROOT/secrets/filedriver" "$CPOD_ROOT/secrets/filedriver/$id" \
        "$CPOD_ROOT/secrets/secrets.json"
    assert_output $'700\n700\n600\n600'
    run cat "$CPOD_ROOT/secrets/filedriver/$id"
    assert_output "perm-data"
    run grep -c perm-data "$CPOD_ROOT/secrets/secrets.json"
    assert_output "0"
}

@test "secret create --env reads an environment variable" {
    MY_SECRET_VAR=env-data run "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" secret create --env s MY_SECRET_VAR
    assert_success
    run cat "$CPOD_ROOT/secrets/filedriver/$output"
    assert_output "env-data"
    run_cpod 125 secret create --env s2 NO_SUCH_VAR_FOR_CPOD
    assert_output "Error: cannot create store secret data: environment variable NO_SUCH_VAR_FOR_CPOD is not set"
}

@test "secret create refuses bad input with one line and exit 125, creating nothing" {
    printf 'x' >"$CPOD_TEST_DIR/f"
    head -c 512000 /dev/zero >"$CPOD_TEST_DIR/big"
    : >"$CPOD_TEST_DIR/empty"
    run_cpod 125 secret create big "$CPOD_TEST_DIR/big"
    assert_output "Error: secret data must be larger than 0 and less than 512000 bytes"
    run_cpod 125 secret create empty "$CPOD_TEST_DIR/empty"
    assert_output "Error: secret data must be larger than 0 and less than 512000 bytes"
    for bad in 'a/b' '-a' 'a.' "$(printf 'a%.0s' {1..65})"; do
        run_cpod 125 secret create -- "$bad" "$CPOD_TEST_DIR/f"
        assert_output "Error: only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]: $bad: invalid secret name"
    done
    run_cpod 125 secret create --driver pass p "$CPOD_TEST_DIR/f"
    assert_output --partial "invalid driver"
    run_cpod 125 secret create s "$CPOD_TEST_DIR/nosuchfile"
    assert_output --partial "no such file or directory"
    run_cpod secret ls --noheading
    assert_output ""
    run_cpod secret create dup "$CPOD_TEST_DIR/f"
    run_cpod 125 secret create dup "$CPOD_TEST_DIR/f"
    assert_output "Error: dup: secret name in use"
    run_cpod secret ls -q
    assert_equal "$(wc -l <<<"$output")" 1
    run ls "$CPOD_ROOT/secrets/filedriver"
    assert_equal "$(wc -l <<<"$output")" 1
}

@test "--secret mounts at /run/secrets/NAME and at a target, with mode and owner" {
    load_busybox
    printf 'mounted-data' >"$CPOD_TEST_DIR/f"
    run_cpod secret create msec "$CPOD_TEST_DIR/f"
    id=$output
    run_cpod run --rm --secret msec busybox sh -c 'cat /run/secrets/msec; echo; stat -c "%a %u %g" /run/secrets/msec'
    assert_output $'mounted-data\n444 0 0'
    run_cpod run --rm --secret msec,target=/etc/app.key,mode=0400,uid=1000,gid=100 busybox \
        sh -c 'cat /etc/app.key; echo; stat -c "%a %u %g" /etc/app.key'
    assert_output $'mounted-data\n400 1000 100'
    run_cpod run --rm --secret source=msec,target=rel busybox cat /run/secrets/rel
    assert_output "mounted-data"

    run_cpod create --name c1 --secret msec,uid=5 busybox true
    run_cpod inspect c1 --format '{{json .Config.Secrets}}'
    assert_output "[{\"Name\":\"msec\",\"ID\":\"$id\",\"UID\":5,\"GID\":0,\"Mode\":292}]"
    run_cpod inspect c1
    refute_output --partial "mounted-data"
    # podman 4.3.1 lets a secret in use go; the container then cannot start
    run_cpod secret rm msec
    run_cpod 125 start c1
    assert_output --partial 'no secret with name or id "msec": no such secret'
}

@test "--secret type=env sets a variable that inspect and secret inspect never show" {
    load_busybox
    printf 'env-secret-789' >"$CPOD_TEST_DIR/f"
    run_cpod secret create esec "$CPOD_TEST_DIR/f"
    run_cpod run --rm --secret esec,type=env busybox sh -c 'echo "$esec"'
    assert_output "env-secret-789"
    run_cpod run --name c2 --secret esec,type=env,target=MYVAR -e OTHER=1 busybox env
    assert_line "MYVAR=env-secret-789"
    run_cpod inspect c2
    refute_output --partial "env-secret-789"
    refute_output --partial "MYVAR="
    assert_output --partial '"OTHER=1"'
    run_cpod inspect c2 --format '{{.Config.Env}}'
    refute_output --partial "env-secret-789"
    run_cpod ps -a --no-trunc
    refute_output --partial "env-secret-789"
    run_cpod secret inspect esec
    refute_output --partial "env-secret-789"
    run_cpod exec c2 true 2>/dev/null || true
    run_cpod rm c2
}

@test "--secret errors: missing secret, bad options; nothing is created" {
    load_busybox
    printf 'x' >"$CPOD_TEST_DIR/f"
    run_cpod secret create ok "$CPOD_TEST_DIR/f"
    run_cpod 125 create --name bad1 --secret nosuch busybox true
    assert_output 'Error: no secret with name or id "nosuch": no such secret'
    run_cpod 125 create --name bad2 --secret ok,foo=bar busybox true
    assert_output "Error: option foo=bar invalid: parsing secret"
    run_cpod 125 create --name bad3 --secret ok,type=file busybox true
    assert_output "Error: type file is invalid: parsing secret"
    run_cpod 125 create --name bad4 --secret ok,type=env,uid=1 busybox true
    assert_output "Error: UID, GID, Mode options cannot be set with secret type env: parsing secret"
    run_cpod 125 create --name bad5 --secret ok,mode=9 busybox true
    assert_output "Error: mode 9 invalid: parsing secret"
    run_cpod 125 create --name bad6 --secret ok,target busybox true
    assert_output "Error: option target must be in form option=value: parsing secret"
    run_cpod 125 create --name bad7 --secret type=env busybox true
    assert_output 'Error: no secret with name or id "type=env": no such secret'
    run_cpod ps -a --noheading
    assert_output ""
}
