# Build an image by hand: create, copy a file in, commit, run the result.
printf '#!/bin/sh\necho "greetings from $1"\n' >"$WORK/greet.sh"
chmod +x "$WORK/greet.sh"
podman create --name builder busybox true >/dev/null
podman cp "$WORK/greet.sh" builder:/usr/local/bin/greet
podman commit -q --change 'ENTRYPOINT ["/usr/local/bin/greet"]' builder localhost/greeter:1 >/dev/null
podman rm builder >/dev/null
podman run --rm localhost/greeter:1 world
podman image inspect --format '{{.Config.Entrypoint}}' localhost/greeter:1
podman run -d --name box busybox sh -c 'echo created-inside >/tmp/out; sleep 1000' >/dev/null
sleep 1
podman cp box:/tmp/out "$WORK/out"
cat "$WORK/out"
podman rm -f -t 0 box >/dev/null
podman rmi localhost/greeter:1 >/dev/null
