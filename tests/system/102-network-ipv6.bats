#!/usr/bin/env bats
# IPv6 (dual-stack networks, --ip6, ip6=) and macvlan networks with the real netavark,
# aardvark-dns and CNI plugins.  Traffic stays between the test's own containers on the test's
# own networks (and, for macvlan, a veth pair the test makes as the parent).  Other tests may
# run networks on this host at the same time: the host state is compared only for what this
# test made (its bridges, its subnets in the firewall rules, its address records).

load helpers

load net-helpers

# net-helpers' teardown, then the test's veth parent (on failure too).
eval "net_teardown() $(declare -f teardown | tail -n +2)"
teardown() {
    if [ -f "${CPOD_TEST_DIR:-/nonexistent}/service.pid" ]; then
        kill "$(cat "$CPOD_TEST_DIR/service.pid")" 2>/dev/null || true
    fi
    net_teardown
    teardown_parent
}

# A random unique local /64 for a test network.
rand_ula() {
    printf 'fd%02x:%x:%x:%x' $((RANDOM % 256)) $((RANDOM + 1)) $((RANDOM + 1)) $((RANDOM + 1))
}

# What of the host names this test's networks: links, firewall rules with their subnets or names.
my_state() {
    local pat="$1"
    ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print "link " $2 }' | grep -E "$pat" || true
    { iptables-save; ip6tables-save; } | grep -v '^#' | sed -E 's/ \[[0-9]+:[0-9]+\]$//' | grep -E "$pat" | sort || true
    find "$CPOD_RUNROOT/networks/ctrs" "$CPOD_RUNROOT/netns" -mindepth 1 2>/dev/null | sed 's/^/held /'
}

# The pattern of a network's objects: its bridge, its backend name, its subnets.
net_pattern() {
    local n
    n=$(cpod network inspect "$1" --format '{{.NetworkInterface}} cpod-{{printf "%.12s" .ID}}{{range .Subnets}} {{.Subnet}}{{end}}')
    echo "$n" | sed -E 's/\./\\./g; s/ +/|/g'
}

@test "ipv6: network create --ipv6, --subnet, --gateway, --ip-range: podman's definitions and errors" {
    run_cpod network create --ipv6 dual6
    run_cpod network inspect dual6 --format '{{.IPv6Enabled}} {{range .Subnets}}{{.Subnet}} {{.Gateway}} {{end}}'
    assert_output --regexp '^true 10\.[0-9.]+\.0/24 10\.[0-9.]+\.1 fd[0-9a-f]{2}:[0-9a-f:]+::/64 fd[0-9a-f:]+::1 $'
    u=$(rand_ula)
    run_cpod network create --label team=b --subnet "$u::/64" --gateway "$u::fe" --ip-range "$u::100/120" only6
    run_cpod network inspect only6 --format '{{.IPv6Enabled}}{{range .Subnets}} {{.Subnet}} {{.Gateway}} {{.LeaseRange.StartIP}} {{.LeaseRange.EndIP}}{{end}}'
    assert_output "true $u::/64 $u::fe $u::100 $u::1ff"
    run_cpod network inspect only6
    assert_output --partial "\"ipv6_enabled\": true"
    run_cpod 125 network create --subnet "$u::/64" again6
    assert_output --regexp "^Error: subnet $u::/64 is already used on the host or by another config \(network only6\)$"
    v=$(rand_ula)
    run_cpod 125 network create --subnet "$v::/64" --gateway "$u::1" bad6
    assert_output "Error: gateway $u::1 not in subnet $v::/64"
    run_cpod 125 network create --gateway fd00::1 bad6
    assert_output "Error: cannot set gateway or range without subnet"
    run_cpod 125 network create --subnet "$v::/64" --gateway "$v::1" --gateway "$v::2" bad6
    assert_output "Error: cannot set more gateways than subnets"
    run_cpod 125 network create --subnet "$v::/64" --ip-range "$u::/120" bad6
    assert_output "Error: ip-range $u::/120 is not inside subnet $v::/64"
    run_cpod 125 network create --subnet "$v::/127" bad6
    assert_output "Error: subnet $v::/127: the prefix must be /8 to /126"
    run_cpod 125 network create --subnet "$v::/64" --subnet "$v::/80" bad6
    assert_output "Error: subnet $v::/80 is given twice"
    run_cpod 1 network exists bad6
    run_cpod network ls --format '{{.Name}} {{.Driver}}' --filter name=6
    assert_output $'dual6 bridge\nonly6 bridge'
    # one key several times: any value; different keys: all of them
    run_cpod network ls -q --filter name=^dual --filter name=^only
    assert_output $'dual6\nonly6'
    run_cpod network ls -q --filter name=6 --filter driver=macvlan
    assert_output ""
    run_cpod network ls -q --filter driver=bridge --filter name=^only --filter name=^pod
    assert_output $'only6\npodman'
    run_cpod network ls -q --filter label=team=c --filter label=team=b --filter id=
    assert_output only6
    run_cpod 125 network ls -q --filter name=6 --filter color=red
    assert_output 'Error: invalid filter "color" (cpod knows name, id, driver, label)'
    run_cpod network rm dual6 only6
}

@test "ipv6: a dual-stack network on netavark: addresses, --ip6, ip6=, ping6 and AAAA names between containers" {
    u=$(rand_ula)
    run_cpod network create --subnet 10.$((RANDOM % 100 + 130)).$((RANDOM % 250)).0/24 --subnet "$u::/64" n6
    pat=$(net_pattern n6)
    before=$(my_state "$pat")
    run_cpod run -d --name a6 --cap-add NET_RAW --network n6 --ip6 "$u::a" busybox sleep 1000
    run_cpod run -d --name b6 --network "n6:ip6=$u::b,alias=bee" busybox sleep 1000
    run_cpod exec a6 ip -6 -o addr show eth0 scope global
    assert_output --partial "inet6 $u::a/64"
    # /etc/hosts holds both of its addresses, as podman writes it
    run_cpod exec a6 cat /etc/hosts
    assert_line --regexp "^10\.[0-9.]+	[0-9a-f]{12} a6\$"
    assert_line --regexp "^$u::a	[0-9a-f]{12} a6\$"
    run_cpod exec a6 ping6 -c 1 -W 5 "$u::b"
    run_cpod exec a6 ping6 -c 1 -W 5 "$u::1"
    run_cpod exec b6 nslookup -type=AAAA a6
    assert_output --partial "$u::a"
    run_cpod exec a6 nslookup -type=AAAA bee
    assert_output --partial "$u::b"
    run_cpod inspect a6 --format '{{with index .NetworkSettings.Networks "n6"}}{{.GlobalIPv6Address}}/{{.GlobalIPv6PrefixLen}} {{.IPv6Gateway}} {{.IPAddress}}{{end}}'
    assert_output --regexp "^$u::a/64 $u::1 10\.[0-9.]+\$"
    # the lowest free address otherwise; a taken one is refused
    run_cpod run -d --name c6 --network n6 busybox sleep 1000
    run_cpod inspect c6 --format '{{with index .NetworkSettings.Networks "n6"}}{{.GlobalIPv6Address}}{{end}}'
    assert_output --regexp "^$u::[2-9]\$"
    # connect with --ip6 gives a running container that address
    run_cpod network disconnect n6 c6
    run_cpod network connect --ip6 "$u::c" n6 c6
    run_cpod exec c6 ip -6 -o addr show scope global
    assert_output --partial "inet6 $u::c/64"
    # a pod's --ip6 is its infra's
    run_cpod pod create --name p6 --network n6 --ip6 "$u::d"
    run_cpod run -d --pod p6 --name inpod busybox sleep 1000
    run_cpod exec inpod ip -6 -o addr show scope global
    assert_output --partial "inet6 $u::d/64"
    run_cpod pod rm -f -t 0 p6
    run_cpod 125 run --rm --network n6 --ip6 "$u::a" busybox true
    assert_output --partial "requested ip address $u::a is already allocated to container ID"
    run_cpod 125 run --rm --network n6 --ip6 10.1.2.3 busybox true
    assert_output 'Error: --ip6: "10.1.2.3" is not an IPv6 address'
    run_cpod 125 run --rm --network "n6:ip=$u::7" busybox true
    assert_output "Error: ip: \"$u::7\" is not an IPv4 address"
    run_cpod 125 run --rm --network n6 --ip6 fd00:1::5 busybox true
    assert_output --partial "requested ip address fd00:1::5 is not in the usable range of network n6"
    run_cpod rm -f -t 0 a6 b6 c6
    run_cpod network rm n6
    assert_equal "$(my_state "$pat")" "$before"
}

@test "ipv6: -p on a dual-stack network answers on 127.0.0.1 and on the host's own IPv6 address" {
    addr6=$(ip -6 -o addr show scope global | awk '{ split($4, a, "/"); print a[1]; exit }')
    u=$(rand_ula)
    run_cpod network create --ipv6 --subnet "$u::/64" p6
    pat=$(net_pattern p6)
    before=$(my_state "$pat")
    run_cpod run -d --name web6 --network p6 -p 80 busybox httpd -f -p 80 -h /etc
    port=$(cpod port web6 80 | cut -d: -f2)
    run http_get 127.0.0.1 "$port" /hostname
    assert_output "$(cpod inspect web6 --format '{{.Config.Hostname}}')"
    if [ -n "$addr6" ]; then
        run http_get "$addr6" "$port" /hostname
        assert_output "$(cpod inspect web6 --format '{{.Config.Hostname}}')"
    fi
    run_cpod rm -f -t 0 web6
    run_cpod network rm p6
    assert_equal "$(my_state "$pat")" "$before"
}

@test "ipv6 on cni: host-local gives both families; --ip6, ping6 and AAAA names between containers" {
    u=$(rand_ula)
    run_cpod --network-backend cni network create --ipv6 --subnet "$u::/64" c6net
    pat=$(net_pattern c6net)
    before=$(my_state "$pat")
    run_cpod --network-backend cni run -d --name ca --cap-add NET_RAW --network c6net --ip6 "$u::a" busybox sleep 1000
    run_cpod --network-backend cni run -d --name cb --network c6net busybox sleep 1000
    run_cpod exec ca ip -6 -o addr show eth0 scope global
    assert_output --partial "inet6 $u::a/64"
    run_cpod exec ca ip -4 -o addr show eth0
    assert_output --regexp 'inet 10\.[0-9.]+/24'
    b=$(cpod inspect cb --format '{{with index .NetworkSettings.Networks "c6net"}}{{.GlobalIPv6Address}}{{end}}')
    [[ $b == "$u::"* ]]
    run_cpod exec ca ping6 -c 1 -W 5 "$b"
    run_cpod exec ca nslookup -type=AAAA cb
    assert_output --partial "$b"
    run_cpod inspect ca --format '{{with index .NetworkSettings.Networks "c6net"}}{{.GlobalIPv6Address}}/{{.GlobalIPv6PrefixLen}} {{.IPv6Gateway}}{{end}}'
    assert_output "$u::a/64 $u::1"
    run_cpod rm -f -t 0 ca cb
    run_cpod --network-backend cni network rm c6net
    assert_equal "$(my_state "$pat")" "$before"
}

# A veth pair made by the test as a macvlan parent: its name carries the test's PID, it goes in teardown.
make_parent() {
    parent=cpodmv$$
    ip link add "$parent" type veth peer name "${parent}p"
    ip link set "$parent" up
    ip link set "${parent}p" up
    echo "$parent" >"$CPOD_TEST_DIR/parent"
}

teardown_parent() {
    if [ -f "$CPOD_TEST_DIR/parent" ]; then
        ip link del "$(cat "$CPOD_TEST_DIR/parent")" 2>/dev/null || true
    fi
}

# macvlan on one backend ($1: netavark or cni): two containers on a veth parent reach each other.
macvlan_pair() {
    local be=$1 sub=10.$((RANDOM % 100 + 130)).$((RANDOM % 250)).0/24 u
    u=$(rand_ula)
    make_parent
    run_cpod --network-backend "$be" network create -d macvlan -o parent="$parent" -o mode=bridge --subnet "$sub" --subnet "$u::/64" mv
    run_cpod network inspect mv --format '{{.Driver}} {{.NetworkInterface}} {{.DNSEnabled}} {{.Options.mode}}'
    assert_output "macvlan $parent false bridge"
    run_cpod --network-backend "$be" run -d --name ma --cap-add NET_RAW --network mv busybox sleep 1000
    run_cpod --network-backend "$be" run -d --name mb --network "mv:ip6=$u::b" busybox sleep 1000
    ns=$(cpod inspect ma --format '{{.NetworkSettings.SandboxKey}}')
    run nsenter --net="$ns" ip -d link show eth0
    assert_output --partial "macvlan mode bridge"
    ipb=$(cpod inspect mb --format '{{with index .NetworkSettings.Networks "mv"}}{{.IPAddress}}{{end}}')
    [[ $ipb == "${sub%.0/24}".* ]]
    run_cpod exec ma ping -c 1 -W 5 "$ipb"
    # the macvlan interfaces do duplicate address detection first (no bridge in between)
    nsb=$(cpod inspect mb --format '{{.NetworkSettings.SandboxKey}}')
    for _ in $(seq 50); do
        [ -z "$(nsenter --net="$ns" ip -6 addr show tentative; nsenter --net="$nsb" ip -6 addr show tentative)" ] && break
        sleep 0.1
    done
    run_cpod exec ma ping6 -c 1 -W 5 "$u::b"
    # the parent's index is the one the macvlan interface names
    run_cpod exec mb cat /sys/class/net/eth0/iflink
    assert_output "$(cat /sys/class/net/"$parent"/ifindex)"
    run_cpod rm -f -t 0 ma mb
    run_cpod --network-backend "$be" network rm mv
    # the parent is left alone
    ip link show "$parent" >/dev/null
    run find "$CPOD_RUNROOT/networks/ctrs" -name '*.json'
    assert_output ""
}

@test "macvlan on netavark: -o parent, mode; two containers on a veth parent ping each other over IPv4 and IPv6" {
    macvlan_pair netavark
    teardown_parent
}

@test "macvlan on cni: the macvlan plugin with host-local; two containers ping each other" {
    macvlan_pair cni
    teardown_parent
}

@test "macvlan: a subnet is required, the parent must exist, unknown options and ipvlan are errors" {
    make_parent
    run_cpod 125 network create -d macvlan -o parent="$parent" m1
    assert_output "Error: macvlan driver needs at least one subnet specified, DHCP is not supported by cpod"
    run_cpod 125 network create -d macvlan -o parent=cpodnosuch0 --subnet 10.123.1.0/24 m1
    assert_output "Error: parent interface cpodnosuch0 does not exist"
    run_cpod 125 network create -d macvlan -o parent="$parent" -o mode=l2 --subnet 10.123.1.0/24 m1
    assert_output 'Error: unknown macvlan mode "l2" (bridge, private, vepa, passthru)'
    run_cpod 125 network create -d macvlan -o parent="$parent" -o vlan=5 --subnet 10.123.1.0/24 m1
    assert_output "Error: unsupported macvlan network option vlan (cpod knows mtu, parent, mode)"
    run_cpod 125 network create -o vlan=5 m1
    assert_output "Error: unsupported bridge network option vlan (cpod knows mtu)"
    run_cpod 125 network create -d ipvlan -o parent="$parent" --subnet 10.123.1.0/24 m1
    assert_output "Error: unsupported driver ipvlan: cpod supports bridge and macvlan networks (this kernel has no ipvlan)"
    run_cpod 1 network exists m1
    teardown_parent
}

@test "ipv6: the Docker API's network create takes several IPAM.Config entries and EnableIPv6" {
    local sock=$CPOD_TEST_DIR/api/cpod.sock u v
    u=$(rand_ula)
    "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" system service --time 0 "unix://$sock" \
        >"$CPOD_TEST_DIR/service.log" 2>&1 3>&- &
    echo $! >"$CPOD_TEST_DIR/service.pid"
    for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
    body='{"Name":"api6","EnableIPv6":true,"IPAM":{"Config":[{"Subnet":"'"$u"'::/64","IPRange":"'"$u"'::100/120"},{"Subnet":"10.123.77.0/24","Gateway":"10.123.77.254"}]}}'
    run curl -s --max-time 10 --unix-socket "$sock" -H 'Content-Type: application/json' -d "$body" http://d/v1.41/networks/create
    assert_output --regexp '"Id": ?"[0-9a-f]{64}"'
    run_cpod network inspect api6 --format '{{.IPv6Enabled}} {{range .Subnets}}{{.Subnet}} {{.Gateway}} {{with .LeaseRange}}{{.StartIP}} {{end}}{{end}}'
    assert_output "true $u::/64 $u::1 $u::100 10.123.77.0/24 10.123.77.254 "
    run curl -s --max-time 10 --unix-socket "$sock" -d '{"Name":"api7","IPAM":{"Config":[{"Gateway":"10.1.2.3"}]}}' http://d/v1.41/networks/create
    assert_output --partial "every entry needs a Subnet"
    run_cpod network rm api6
    kill "$(cat "$CPOD_TEST_DIR/service.pid")"
    wait "$(cat "$CPOD_TEST_DIR/service.pid")" || true
    rm -f "$CPOD_TEST_DIR/service.pid"
}
