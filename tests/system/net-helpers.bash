# Shared by the network test files: the host's network state before and after a test (links,
# firewall rules, cpod's attachment records), cleanup of what a failed test left, and an HTTP
# client that needs nothing but bash.  Load after helpers.

# netavark's shared chains (NETAVARK_FORWARD, NETAVARK-HOSTPORT-DNAT/-MASQ/-SETMARK and the jumps
# into them) are made on its first use and kept for every user of netavark on the host (podman
# too), by netavark's design; everything a network or a container adds is compared.
netavark_base_rules='^(:NETAVARK_FORWARD |:NETAVARK-HOSTPORT-(DNAT|MASQ|SETMARK) |-A (FORWARD|PREROUTING|OUTPUT|POSTROUTING) .*-j NETAVARK(_FORWARD|-HOSTPORT-DNAT|-HOSTPORT-MASQ)$|-A NETAVARK-HOSTPORT-MASQ -m comment --comment "netavark portfw masq mark"|-A NETAVARK-HOSTPORT-SETMARK -j MARK)'
# The same for the CNI plugins' shared chains (portmap's CNI-HOSTPORT-*, firewall's CNI-FORWARD and
# CNI-ADMIN), made on first use and kept by the plugins.
cni_base_rules='^(:CNI-HOSTPORT-(DNAT|SETMARK|MASQ) |:CNI-(FORWARD|ADMIN) |-A (FORWARD|PREROUTING|OUTPUT|POSTROUTING) .*-j CNI-(HOSTPORT-DNAT|HOSTPORT-MASQ|FORWARD)$|-A CNI-HOSTPORT-MASQ .*-j MASQUERADE$|-A CNI-HOSTPORT-SETMARK .*-j MARK|-A CNI-FORWARD .*-j CNI-ADMIN$)'

host_state() {
    ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print "link " $2 }' | sort
    iptables-save | grep -v '^#' | sed -E 's/ \[[0-9]+:[0-9]+\]$//' | grep -Ev "$netavark_base_rules" | grep -Ev "$cni_base_rules" | sort
    find "$CPOD_RUNROOT/networks/ctrs" "$CPOD_RUNROOT/netns" -mindepth 1 2>/dev/null | sed 's/^/held /'
}

setup() {
    cpod_setup
    load_busybox
    host_state >"$CPOD_TEST_DIR/before"
    ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' >"$CPOD_TEST_DIR/links-before"
}

# Bridges of this test's networks that a failed test left behind (never one that was there before).
teardown() {
    local f br name id
    if [ -d "$CPOD_ROOT" ]; then
        timeout 60 "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" pod rm -af -t 0 >/dev/null 2>&1 || true
        timeout 60 "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" rm -af -t 0 >/dev/null 2>&1 || true
    fi
    for f in "$CPOD_ROOT"/networks/*.json; do
        [ -f "$f" ] || continue
        # cpod takes a network's anchor down (network rm; the default network's through the reaper)
        read -r name id br < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["name"], d["id"], d["network_interface"])' "$f")
        if [ "$name" = podman ]; then
            timeout 60 "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" network reap --after 0 "$name" "$id" >/dev/null 2>&1 || true
        else
            timeout 60 "$CPOD_BIN" --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" network rm -f -t 0 "$name" >/dev/null 2>&1 || true
        fi
        if ip link show "$br" >/dev/null 2>&1 && ! grep -qx "$br" "$CPOD_TEST_DIR/links-before"; then
            ip link del "$br" || true
        fi
    done
    cpod_teardown
}

assert_host_unchanged() {
    host_state >"$CPOD_TEST_DIR/after"
    run diff "$CPOD_TEST_DIR/before" "$CPOD_TEST_DIR/after"
    assert_success
}

# http_get HOST PORT PATH: a plain HTTP/1.0 GET with bash's /dev/tcp (no client needed), given 5 s.
http_get() {
    timeout 5 bash -c 'exec 5<>"/dev/tcp/$1/$2" && printf "GET %s HTTP/1.0\r\n\r\n" "$3" >&5 && cat <&5' \
        http_get "$1" "$2" "$3" | tail -n 1
}

host_addr() {
    ip -4 -o addr show scope global | awk '{ split($4, a, "/"); print a[1]; exit }'
}

