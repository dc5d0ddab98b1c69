#!/usr/bin/env bats
# Container networking with the real netavark and aardvark-dns: published ports answer from the
# host, containers on one network find each other by name and alias, internal networks have no
# way out, and after the containers and networks are gone the host has exactly the links,
# firewall rules and address allocations it had before.  Traffic stays on loopback, the host's
# own address and the test's own bridges.

load helpers

load net-helpers

@test "-p publishes a container port on 127.0.0.1 and on the host's address; port, inspect, hosts show it" {
    run_cpod run -d --name web -p 127.0.0.1::80 -p 8080/udp busybox httpd -f -p 80 -h /etc
    run_cpod port web 80/tcp
    assert_output --regexp '^127\.0\.0\.1:[0-9]+$'
    port=${output#127.0.0.1:}
    run_cpod port web
    assert_line "80/tcp -> 127.0.0.1:$port"
    assert_line --regexp '^8080/udp -> 0\.0\.0\.0:[0-9]+$'
    run http_get 127.0.0.1 "$port" /hostname
    assert_output "$(cpod inspect web --format '{{.Config.Hostname}}')"
    run_cpod ps --filter name=web --format '{{.Ports}} {{.Networks}}'
    assert_output --regexp "^127\.0\.0\.1:$port->80/tcp, 0\.0\.0\.0:[0-9]+->8080/udp podman\$"
    run_cpod inspect web --format '{{.NetworkSettings.IPAddress}} {{.HostConfig.NetworkMode}} {{json .NetworkSettings.Ports}}'
    assert_output --regexp '^10\.[0-9.]+ bridge \{"80/tcp":\[\{"HostIp":"127\.0\.0\.1","HostPort":"'"$port"'"\}\],"8080/udp":'
    ip=${output%% *}
    run_cpod exec web cat /etc/hosts
    assert_line --regexp "^$ip	[0-9a-f]{12} web\$"
    assert_line --regexp '^10\.[0-9.]+	host\.containers\.internal$'
    run_cpod rm -f -t 0 web

    # without an address, the host's own address answers too
    run_cpod run -d --name web2 -p 127.0.0.1::80 busybox httpd -f -p 80 -h /etc
    port=$(cpod port web2 80 | cut -d: -f2)
    run_cpod run -d --name web3 -p "$((port + 1)):80" busybox httpd -f -p 80 -h /etc
    run http_get "$(host_addr)" "$((port + 1))" /hostname
    assert_output "$(cpod inspect web3 --format '{{.Config.Hostname}}')"
    run_cpod rm -f -t 0 web2 web3
    assert_host_unchanged
}

@test "-P publishes the ports the container exposes on random host ports" {
    run_cpod run -d --name pall --expose 80 --expose 9999/udp -P busybox httpd -f -p 80 -h /etc
    run_cpod port pall
    assert_line --regexp '^80/tcp -> 0\.0\.0\.0:[0-9]+$'
    assert_line --regexp '^9999/udp -> 0\.0\.0\.0:[0-9]+$'
    port=$(cpod port pall 80/tcp | cut -d: -f2)
    run http_get 127.0.0.1 "$port" /hostname
    assert_output "$(cpod inspect pall --format '{{.Config.Hostname}}')"
    run_cpod inspect pall --format '{{.HostConfig.PublishAllPorts}}'
    assert_output true
    run_cpod rm -f -t 0 pall
    assert_host_unchanged
}

@test "a user network: names and aliases resolve through aardvark-dns; create, ls, inspect, exists, rm" {
    run_cpod network create --label team=a appnet
    assert_output appnet
    run_cpod 125 network create appnet
    assert_output "Error: network name appnet already used: network already exists"
    run_cpod network create --ignore appnet
    assert_output appnet
    run_cpod network ls --format '{{.Name}} {{.Driver}}' --filter label=team=a
    assert_output "appnet bridge"
    run_cpod network ls -q
    assert_output $'appnet\npodman'
    run_cpod network inspect appnet --format '{{.DNSEnabled}} {{.Internal}} {{.NetworkInterface}}'
    assert_output --regexp '^true false cpod[0-9a-f]{8}$'
    run_cpod network inspect appnet
    assert_output --partial '"name": "appnet"'
    assert_output --partial '"ipam_options": {'
    run_cpod network exists appnet
    run_cpod 1 network exists nosuchnet
    run_cpod 1 network rm nosuchnet
    assert_output "Error: unable to find network with name or ID nosuchnet: network not found"

    run_cpod run -d --name srv --network appnet --network-alias web busybox httpd -f -p 80 -h /etc
    srvhost=$(cpod inspect srv --format '{{.Config.Hostname}}')
    run_cpod ps -q --filter network=appnet
    assert_output "$(cpod inspect srv --format '{{.Id}}' | cut -c1-12)"
    run_cpod ps -q --filter network=podman
    assert_output ""
    run_cpod run --rm --network appnet busybox sh -c 'wget -q -O - http://srv/hostname; wget -q -O - http://web/hostname; sed -n "s/^nameserver //p" /etc/resolv.conf | head -1; ip route | awk "/default/ {print \$3}"'
    assert_line --index 0 "$srvhost"
    assert_line --index 1 "$srvhost"
    # aardvark-dns (on the gateway) first, then the host's resolvers, as podman writes it
    assert_equal "${lines[2]}" "${lines[3]}"
    run_cpod inspect srv --format '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{$v.IPAddress}} {{$v.Aliases}}{{end}}'
    assert_output --regexp "^appnet 10\.[0-9.]+ \[[0-9a-f]{12} web\]\$"

    # prune: unused networks go, one in use and the default network stay
    run_cpod network create idle
    run_cpod network prune -f
    assert_output idle
    run_cpod network exists appnet
    run_cpod network create idle2
    run_cpod system prune -f
    assert_line idle2
    run_cpod 1 network exists idle2
    run_cpod network exists appnet
    run_cpod 2 network rm appnet
    assert_output "Error: \"appnet\" has associated containers with it. Use -f to forcibly delete containers and pods: network is being used"
    run_cpod 125 network rm podman
    assert_output "Error: default network podman cannot be removed"
    run_cpod network rm -f -t 0 appnet
    assert_output appnet
    run_cpod ps -aq
    assert_output ""
    run_cpod 1 network exists appnet
    assert_host_unchanged
}

@test "--internal: containers reach each other but have no route out and no NAT" {
    run_cpod network create --internal --subnet 10.123.45.0/24 inner
    run_cpod run -d --name a --network inner --ip 10.123.45.20 busybox httpd -f -p 80 -h /etc
    run_cpod run --rm --network inner busybox sh -c 'ip route; wget -q -O - http://10.123.45.20/hostname'
    refute_line --partial default
    assert_line --partial "10.123.45.0/24 dev eth0"
    assert_line "$(cpod inspect a --format '{{.Config.Hostname}}')"
    run iptables-save -t nat
    refute_output --partial "10.123.45.0/24"
    run_cpod rm -f -t 0 a
    run_cpod network rm inner
    assert_host_unchanged
}

@test "static addresses: --ip and ip= are honoured, a taken or foreign address is refused" {
    run_cpod network create --subnet 10.123.46.0/24 statnet
    run_cpod run -d --name s1 --network statnet:ip=10.123.46.7,mac=92:d0:c6:0a:29:33 busybox sleep 100
    run_cpod exec s1 ip -o addr show eth0
    assert_output --partial "inet 10.123.46.7/24"
    run_cpod exec s1 cat /sys/class/net/eth0/address
    assert_output "92:d0:c6:0a:29:33"
    run_cpod 125 run --rm --network statnet --ip 10.123.46.7 busybox true
    assert_output --regexp "requested ip address 10\.123\.46\.7 is already allocated to container ID [0-9a-f]{64}"
    run_cpod 125 run --rm --network statnet --ip 10.99.99.9 busybox true
    assert_output --partial "requested ip address 10.99.99.9 is not in the usable range of network statnet"
    run_cpod rm -f -t 0 s1
    run_cpod network rm statnet
    assert_host_unchanged
}

@test "bad network requests are clear errors that leave nothing behind" {
    run_cpod 125 run --rm --network nosuchnet busybox true
    assert_output "Error: unable to find network with name or ID nosuchnet: network not found"
    run_cpod 125 run --rm --network none -p 80 busybox true
    assert_output "Error: publishing ports needs a bridge network: not possible with --network none"
    run_cpod 125 run --rm -p 70000:80 busybox true
    assert_output 'Error: invalid host port "70000" in "70000:80"'
    run_cpod 125 run --rm --network slirp4netns busybox true
    assert_output "Error: network mode slirp4netns is not supported by cpod yet"
    run_cpod 125 --network-backend bogus run --rm --network bridge busybox true
    assert_output 'Error: unsupported network backend "bogus" (cpod knows netavark and cni)'
    # a subnet the host routes already (the default route's link) is refused at create
    sub=$(ip -4 -o route show scope link | awk '$1 ~ /\// { print $1; exit }')
    run_cpod 125 network create --subnet "$sub" clash
    assert_output --partial "is already used on the host or by another config"
    # a malformed definition is named, and the other networks keep working
    run_cpod network create goodnet
    mkdir -p "$CPOD_ROOT/networks"
    echo '{"name": "badnet", "id": "x"' >"$CPOD_ROOT/networks/badnet.json"
    run_cpod 125 run --rm --network badnet busybox true
    assert_output --partial "badnet.json"
    run_cpod run --rm --network goodnet busybox true
    run_cpod network ls -q
    assert_line goodnet
    rm "$CPOD_ROOT/networks/badnet.json"
    run_cpod ps -aq
    assert_output ""
    run_cpod network rm goodnet
    assert_host_unchanged
}

@test "a crash in the middle of network setup, or a killed conmon, leaks nothing" {
    for fp in net-after-reserve net-after-setup; do
        CPOD_FAILPOINTS="$fp=kill" run -137 "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" \
            run -d --name crash -p 127.0.0.1::80 busybox sleep 100
        run_cpod rm -f -t 0 crash
        assert_host_unchanged
    done
    run_cpod run -d --name k9 -p 127.0.0.1::80 busybox sleep 100
    pid=$(cpod inspect k9 --format '{{.State.Pid}}')
    conmon=$(cat "$CPOD_RUNROOT/containers/$(cpod inspect k9 --format '{{.Id}}')/userdata/conmon.pid")
    [[ $pid =~ ^[1-9][0-9]*$ && $conmon =~ ^[1-9][0-9]*$ ]]
    kill -9 "$conmon" "$pid"
    run_cpod rm -f -t 0 k9
    run_cpod run --rm -p 127.0.0.1::80 busybox true
    assert_host_unchanged
}

@test "a pod with -p: the infra holds the network and the port, a member serves on it" {
    run_cpod pod create --name pw -p 127.0.0.1::80 --network-alias pwalias
    run_cpod run -d --pod pw --name pwm busybox httpd -f -p 80 -h /etc
    port=$(cpod port pwm 80 | cut -d: -f2)
    [[ $port =~ ^[0-9]+$ ]]
    run http_get 127.0.0.1 "$port" /hostname
    assert_output pw
    run_cpod exec pwm cat /etc/hosts
    assert_line --regexp '^10\.[0-9.]+	pw pwm$'
    run_cpod 125 run --rm --pod pw -p 81 busybox true
    assert_output "Error: invalid config provided: published or exposed ports and networks must be defined when the pod is created: network cannot be configured when it is shared with a pod"
    run_cpod 125 pod create --infra=false -p 80
    assert_output --partial "not with --infra=false"
    run_cpod pod rm -f -t 0 pw
    assert_host_unchanged
}

@test "network connect adds an interface to a running container, disconnect takes it away" {
    run_cpod network create --subnet 10.123.47.0/24 cn1
    run_cpod network create --subnet 10.123.48.0/24 cn2
    run_cpod run -d --name cc --network cn1 busybox httpd -f -p 80 -h /etc
    run_cpod network connect --alias ccalias --ip 10.123.48.9 cn2 cc
    run_cpod exec cc ip -o -4 addr show eth1
    assert_output --partial "inet 10.123.48.9/24"
    run_cpod run --rm --network cn2 busybox wget -q -O - http://ccalias/hostname
    assert_output "$(cpod inspect cc --format '{{.Config.Hostname}}')"
    run_cpod inspect cc --format '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}} {{end}}'
    assert_output --regexp '^cn1=10\.123\.47\.[0-9]+ cn2=10\.123\.48\.9 $'
    run_cpod 125 network connect cn2 cc
    assert_output "Error: container cc is already connected to network cn2"
    run_cpod network disconnect cn1 cc
    run_cpod exec cc ip -o -4 addr
    refute_output --partial "10.123.47."
    assert_output --partial "10.123.48.9"
    run_cpod 125 network disconnect cn1 cc
    assert_output "Error: container cc is not connected to network cn1"
    # the change stays with the container across a restart
    run_cpod restart -t 0 cc
    run_cpod exec cc ip -o -4 addr show eth1
    assert_output --partial "inet 10.123.48.9/24"
    run_cpod 125 network connect cn1 nosuchctr
    run_cpod rm -f -t 0 cc
    run_cpod network rm cn1 cn2
    assert_host_unchanged
}

@test "a network stays up a while after its last container, then its anchor goes; network rm takes it at once" {
    run_cpod network create --subnet 10.123.49.0/24 lnet
    bridge=$(cpod network inspect lnet --format '{{.NetworkInterface}}')
    CPOD_NETWORK_LINGER=3 run_cpod run --rm --network lnet busybox true
    # the anchor keeps the bridge; a second container finds the network up
    ip link show "$bridge"
    CPOD_NETWORK_LINGER=3 run_cpod run --rm --network lnet busybox sh -c 'ip -o -4 addr show eth0'
    assert_output --partial "10.123.49."
    for _ in $(seq 1 50); do
        ip link show "$bridge" >/dev/null 2>&1 || break
        sleep 0.2
    done
    run ip link show "$bridge"
    assert_failure
    # while a reaper waits, network rm takes the anchor down itself
    CPOD_NETWORK_LINGER=60 run_cpod run --rm --network lnet busybox true
    ip link show "$bridge"
    run_cpod network rm lnet
    run ip link show "$bridge"
    assert_failure
    kill_pidfiles_below "$CPOD_RUNROOT/networks/anchors"
    assert_host_unchanged
}

@test "network reload brings back the port forwarding a firewall flush removed" {
    run_cpod run -d --name rl -p 127.0.0.1::80 busybox httpd -f -p 80 -h /etc
    port=$(cpod port rl 80 | cut -d: -f2)
    id=$(cpod inspect rl --format '{{.Id}}')
    run http_get 127.0.0.1 "$port" /hostname
    assert_output "${id:0:12}"
    # take this container's DNAT rule away, as a firewall reload would
    rule=$(iptables-save -t nat | grep -- "--dport $port " | grep -- "-A NETAVARK-HOSTPORT-DNAT")
    [ -n "$rule" ]
    eval "iptables -t nat ${rule/-A /-D }"
    run iptables-save -t nat
    refute_line --partial -- "-A NETAVARK-HOSTPORT-DNAT -p tcp -m tcp --dport $port "
    run_cpod network reload rl
    assert_output "$id"
    run iptables-save -t nat
    assert_line --partial -- "-A NETAVARK-HOSTPORT-DNAT -p tcp -m tcp --dport $port "
    run http_get 127.0.0.1 "$port" /hostname
    assert_output "${id:0:12}"
    run_cpod exec rl ip -o -4 addr show eth0
    assert_output --partial "$(cpod inspect rl --format '{{.NetworkSettings.IPAddress}}')/"
    run_cpod 125 network reload --all rl
    run_cpod network reload --all
    assert_output "$id"
    run_cpod rm -f -t 0 rl
    assert_host_unchanged
}
