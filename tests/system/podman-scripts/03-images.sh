# Image housekeeping: tag, save, remove, load, history, formats that scripts parse.
id=$(podman images --format '{{.ID}}' localhost/busybox)
podman tag busybox localhost/mybox:v1
podman images --format '{{.Repository}}:{{.Tag}}' | sort
[ "$(podman image inspect --format '{{.ID}}' localhost/mybox:v1 | cut -c1-12)" = "$id" ] && echo "same image"
podman save -o "$WORK/mybox.tar" localhost/mybox:v1
podman rmi localhost/mybox:v1
podman image exists localhost/mybox:v1; echo "after rmi: $?"
podman load -q -i "$WORK/mybox.tar"
podman images --format '{{.Repository}}:{{.Tag}}' localhost/mybox
podman history --format '{{.CreatedBy}}' localhost/mybox:v1 | head -1
podman image inspect --format '{{.Os}}/{{.Architecture}}' busybox
podman images -q | wc -l
podman rmi localhost/mybox:v1 >/dev/null
podman images --format json | python3 -c 'import json,sys; print(sorted(n for i in json.load(sys.stdin) for n in i["Names"]))'
