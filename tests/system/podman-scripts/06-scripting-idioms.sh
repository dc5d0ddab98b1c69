# Idioms from shell scripts: cidfile, quiet IDs piped to other commands, labels and filters, env, wait.
podman run -d --cidfile "$WORK/cid" --label role=worker --name w1 busybox sleep 1000 >/dev/null
podman run -d --label role=worker --name w2 busybox sleep 1000 >/dev/null
podman run -d --label role=other --name o1 busybox sleep 1000 >/dev/null
[ "$(podman inspect --format '{{.Id}}' w1)" = "$(cat "$WORK/cid")" ] && echo "cidfile holds the ID"
podman ps --filter label=role=worker --format '{{.Names}}' --sort names
podman ps -q --filter label=role=worker | xargs podman stop -t 0 | wc -l
podman ps -a --filter status=exited --format '{{.Names}}' --sort names
podman run --rm -e GREETING=hi busybox sh -c 'echo $GREETING'
podman run --rm --env-file /dev/null busybox true; echo "env-file: $?"
podman run -d --name short busybox sh -c 'exit 7' >/dev/null
podman wait short
podman inspect --format '{{.State.ExitCode}}' short
podman rm -f -t 0 $(podman ps -aq) | wc -l
podman ps -aq | wc -l
