# The first steps of podman's tutorial: run, list, inspect, logs, exec, stop, remove.
podman run --rm busybox echo "hello from a container"
podman run -d --name web -w /tmp busybox sh -c 'echo ready; exec sleep 1000' >/dev/null
echo "running: $(podman ps --format '{{.Names}}' --filter name=web)"
echo "state: $(podman inspect web --format '{{.State.Running}} {{.State.Status}}')"
sleep 1
podman logs web
podman exec web sh -c 'echo in-exec $(pwd)'
podman exec web false; echo "exec false: $?"
podman stop -t 0 web
echo "after stop: $(podman inspect --format '{{.State.Status}}' web)"
podman rm web
podman container exists web; echo "exists after rm: $?"
