# Fields scripts read with inspect --format, and bind mounts / tmpfs as a deploy script uses them.
mkdir -p "$WORK/data"
echo config-v1 >"$WORK/data/app.conf"
podman run -d --name svc --restart on-failure:3 -l tier=backend -e MODE=prod \
    -v "$WORK/data:/etc/app:ro" --tmpfs /cache:size=1m busybox sleep 1000 >/dev/null
podman inspect svc --format '{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}'
podman inspect svc --format '{{index .Config.Labels "tier"}}'
podman inspect svc --format '{{range .Config.Env}}{{println .}}{{end}}' | grep '^MODE='
[ "$(podman inspect svc --format '{{.State.Pid}}')" -gt 0 ] && echo "has a pid"
podman inspect svc --format '{{range .Mounts}}{{.Destination}} {{.RW}}{{end}}'
podman exec svc cat /etc/app/app.conf
podman exec svc sh -c 'echo x > /etc/app/new 2>/dev/null'; echo "write to ro bind: $?"
podman exec svc sh -c 'echo x > /cache/file && echo tmpfs ok'
podman exec svc sh -c 'grep " /cache " /proc/mounts | cut -d" " -f3'
podman inspect --format '{{.Name}}' svc
podman container inspect --format '{{.Config.Image}}' svc
podman rm -f -t 0 svc >/dev/null
