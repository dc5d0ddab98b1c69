#!/usr/bin/env bats
# The CNI backend (--network-backend cni) with the real plugins of containernetworking-plugins:
# bridge with host-local, portmap, firewall, tuning.  The same host-state comparison as for
# netavark; the bridge plugin leaves its bridge on DEL, which cpod removes once nothing holds
# the network.

load helpers

load net-helpers

ccpod() {
    run_cpod --network-backend cni "$@"
}

@test "cni: a published port answers on 127.0.0.1; static address and MAC; the host is as before after rm" {
    ccpod network create --subnet 10.123.60.0/24 cnet
    ccpod run -d --name web -p 127.0.0.1::80 --network cnet:ip=10.123.60.9,mac=92:d0:c6:0a:29:44 busybox httpd -f -p 80 -h /etc
    port=$(cpod port web 80 | cut -d: -f2)
    [[ $port =~ ^[0-9]+$ ]]
    run http_get 127.0.0.1 "$port" /hostname
    assert_output "$(cpod inspect web --format '{{.Config.Hostname}}')"
    ccpod exec web sh -c 'ip -o -4 addr show eth0; cat /sys/class/net/eth0/address; ip route'
    assert_output --partial "inet 10.123.60.9/24"
    assert_line "92:d0:c6:0a:29:44"
    assert_line --partial "default via 10.123.60.1"
    ccpod inspect web --format '{{.NetworkSettings.Networks.cnet.IPAddress}} {{.NetworkSettings.Networks.cnet.MacAddress}}'
    assert_output "10.123.60.9 92:d0:c6:0a:29:44"
    # the attachment records which backend wired it: a plain rm (netavark by default) still undoes it with CNI
    run_cpod rm -f -t 0 web
    ccpod network rm cnet
    assert_host_unchanged
}

@test "cni: an internal network has no default route and no masquerading; containers reach each other" {
    ccpod network create --internal --subnet 10.123.61.0/24 cint
    ccpod run -d --name a --network cint --ip 10.123.61.20 busybox httpd -f -p 80 -h /etc
    ccpod run --rm --network cint busybox sh -c 'ip route; wget -q -O - http://10.123.61.20/hostname'
    refute_line --partial default
    assert_line "$(cpod inspect a --format '{{.Config.Hostname}}')"
    run iptables-save -t nat
    refute_output --partial "10.123.61."
    ccpod rm -f -t 0 a
    ccpod network rm cint
    assert_host_unchanged
}

@test "cni: connect and disconnect a running container; a missing plugin is a clear error" {
    ccpod network create --subnet 10.123.62.0/24 cn1
    ccpod network create --subnet 10.123.63.0/24 cn2
    ccpod run -d --name cc --network cn1 busybox sleep 100
    ccpod network connect --ip 10.123.63.5 cn2 cc
    ccpod exec cc ip -o -4 addr show eth1
    assert_output --partial "inet 10.123.63.5/24"
    ccpod network disconnect cn1 cc
    ccpod exec cc ip -o -4 addr
    refute_output --partial "10.123.62."
    ccpod rm -f -t 0 cc
    printf '[network]\ncni_plugin_dirs = ["%s/empty"]\n' "$CPOD_TEST_DIR" >"$CPOD_TEST_DIR/c.conf"
    mkdir -p "$CPOD_TEST_DIR/empty"
    CONTAINERS_CONF=$CPOD_TEST_DIR/c.conf run_cpod 125 --network-backend cni run --rm --network cn1 busybox true
    assert_output --partial "CNI plugin bridge not found in cni_plugin_dirs"
    ccpod ps -aq
    assert_output ""
    ccpod network rm cn1 cn2
    assert_host_unchanged
}

# A process that is gone, or a zombie nobody reaped (aardvark-dns daemonizes; init may not reap here).
gone() {
    [ ! -d "/proc/$1" ] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status"
}

@test "cni: names and aliases resolve through the aardvark-dns cpod runs; it stops with the last name" {
    ccpod network create --subnet 10.123.64.0/24 cdns
    ccpod run -d --name srv --network cdns --network-alias web busybox httpd -f -p 80 -h /etc
    srvhost=$(cpod inspect srv --format '{{.Config.Hostname}}')
    ccpod run --rm --network cdns busybox sh -c 'wget -q -O - http://srv/hostname; wget -q -O - http://web/hostname; cat /etc/resolv.conf'
    assert_line --index 0 "$srvhost"
    assert_line --index 1 "$srvhost"
    assert_line "nameserver 10.123.64.1"
    assert_line --regexp '^search dns\.podman'
    pid=$(cat "$CPOD_RUNROOT/networks/cni-dns/aardvark.pid")
    ! gone "$pid"
    ccpod rm -f -t 0 srv
    for _ in $(seq 1 25); do gone "$pid" && break; sleep 0.2; done
    gone "$pid"
    [ ! -e "$CPOD_RUNROOT/networks/cni-dns/aardvark.pid" ]
    ccpod network rm cdns
    assert_host_unchanged
}
