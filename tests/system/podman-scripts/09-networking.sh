# A user network, a published port, a name, and the network commands a deploy script uses.
# Host ports and addresses differ from run to run: only their shape is printed.
podman network create scriptnet
podman network ls --format '{{.Name}} {{.Driver}}' --filter name=scriptnet
podman network inspect scriptnet --format '{{.Name}} {{.Driver}} {{.DNSEnabled}} {{.Internal}}'
podman network exists scriptnet; echo "exists: $?"
podman run -d --name web --network scriptnet --network-alias www -p 127.0.0.1::80 busybox \
    httpd -f -p 80 -h /etc >/dev/null
podman port web | sed -E 's/:[0-9]+$/:PORT/'
podman port web 80/tcp | sed -E 's/:[0-9]+$/:PORT/'
podman inspect web --format '{{.HostConfig.NetworkMode}}'
podman inspect web --format '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}'
podman inspect web --format '{{json .NetworkSettings.Ports}}' | sed -E 's/"HostPort":"[0-9]+"/"HostPort":"PORT"/'
podman ps --filter name=web --format '{{.Names}} {{.Networks}}'
podman ps --filter network=scriptnet --format '{{.Names}}'
podman run --rm --network scriptnet busybox wget -q -O - http://www/hostname >/dev/null && echo "reached by alias"
podman run --rm --network scriptnet busybox sh -c \
    '[ "$(sed -n "s/^nameserver //p" /etc/resolv.conf | head -1)" = "$(ip route | awk "/default/ {print \$3}")" ] && echo "network dns first"'
podman network rm scriptnet; echo "rm in use: $?"
podman network rm -f scriptnet
podman network exists scriptnet; echo "exists after rm: $?"
podman ps -a --format '{{.Names}}' | grep -c web
podman network create --subnet 10.123.77.0/24 --internal inner >/dev/null
podman network inspect inner --format '{{(index .Subnets 0).Subnet}} {{(index .Subnets 0).Gateway}} {{.Internal}}'
podman network rm inner
podman network rm nosuchnet; echo "rm missing: $?"
