# What scripts branch on: exit codes of containers and of podman itself.
podman run --rm busybox sh -c 'exit 3'; echo "exit 3: $?"
podman run --rm busybox nosuchcommand 2>/dev/null; echo "not found: $?"
podman run --rm busybox /etc/passwd 2>/dev/null; echo "not executable: $?"
podman run --rm localhost:1/nosuch:tag true 2>/dev/null; echo "bad image: $?"
podman inspect nosuchcontainer >/dev/null 2>&1; echo "inspect missing: $?"
podman rm nosuchcontainer 2>/dev/null; echo "rm missing: $?"
podman rm -f nosuchcontainer; echo "rm -f missing: $?"
podman rmi nosuchimage 2>/dev/null; echo "rmi missing: $?"
podman image exists busybox; echo "image exists: $?"
podman image exists nosuchimage; echo "image exists missing: $?"
podman create --name c1 busybox true >/dev/null
podman start -a c1; echo "start -a: $?"
podman wait c1
podman rm c1 >/dev/null
podman run -d --name sleeper busybox sleep 1000 >/dev/null
podman rm sleeper 2>/dev/null; echo "rm running: $?"
podman rm -f -t 0 sleeper >/dev/null; echo "rm -f running: $?"
podman nosuchcommand 2>/dev/null; echo "unknown command: $?"
podman run --nosuchflag busybox true 2>/dev/null; echo "unknown flag: $?"
