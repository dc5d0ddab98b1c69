#!/bin/bash
# run.sh ENGINE ROOT RUNROOT SCRIPT [GLOBAL-FLAGS...]: run a podman-style script with `podman` being
# ENGINE (argv[0] "podman", as a symlink named podman would give) on a private store; prints the
# script's standard output.  Used by 090-podman-scripts.bats with cpod, and to record the expected
# outputs with podman itself (record.sh).
set -u
engine=$1 root=$2 runroot=$3 script=$4
shift 4
WORK=$(mktemp -d /var/tmp/podman-script.XXXXXX)
export WORK
mkdir "$WORK/bin"
{
    echo '#!/bin/bash'
    printf 'exec -a podman %q --root %q --runroot %q' "$engine" "$root" "$runroot"
    [ $# -eq 0 ] || printf ' %q' "$@"
    echo ' "$@"'
} >"$WORK/bin/podman"
chmod +x "$WORK/bin/podman"
PATH=$WORK/bin:$PATH bash "$script"
rc=$?
rm -rf "$WORK"
exit $rc
