# kill with signals, restart, pause, and the states a supervisor script checks.
podman run -d --name sig busybox sh -c 'trap "echo got-usr1" USR1; while :; do sleep 0.1; done' >/dev/null
sleep 0.5
podman kill -s USR1 sig >/dev/null
sleep 0.5
podman logs sig
podman pause sig >/dev/null
podman inspect --format '{{.State.Status}}' sig
podman unpause sig >/dev/null
podman inspect --format '{{.State.Status}}' sig
podman restart -t 0 sig >/dev/null
podman inspect --format '{{.State.Status}} {{.RestartCount}}' sig
podman kill sig >/dev/null
podman wait sig
podman inspect --format '{{.State.Status}}' sig
podman start sig >/dev/null
podman stop -t 1 sig >/dev/null
podman inspect --format '{{.State.ExitCode}}' sig
podman rm sig
