#!/usr/bin/env bats
# kube generate / generate kube: the YAML podman 4.3.1 writes for containers, pods and volumes; played
# back by kube play to an equivalent pod; valid for the real kubectl (offline, --local).  Containers
# run with --network none unless a test is about published ports.

load helpers

setup() {
    cpod_setup
    load_busybox
}

teardown() {
    cpod_teardown
}

# A command that ends at once on SIGTERM (a shell as PID 1 ignores it otherwise).
WAITCMD='trap "exit 0" TERM; sleep 300 & wait'

# The inspect fields a generate -> play round trip must keep (HOSTNAME is the pod's).
ctr_fields() {
    cpod inspect "$1" --format '{{range .Config.Env}}{{.}} {{end}}|{{.HostConfig.Memory}}|{{.HostConfig.NanoCpus}}|{{.EffectiveCaps}}|{{.Config.WorkingDir}}|{{.Config.User}}|{{.HostConfig.ReadonlyRootfs}}|{{range .Mounts}}{{.Type}}:{{.Source}}:{{.Destination}}:{{.RW}} {{end}}|{{.Config.Cmd}}' | sed 's/HOSTNAME=[^ ]* //'
}

# kubectl must accept FILE offline: each Pod through `kubectl set env --local` (which decodes it into
# the typed API objects, refusing wrong kinds and types), the other kinds through `kubectl label
# --local`; and kubectl's output must still hold every field of the input (it drops what it does not
# know).  The comparison is on JSON, with what kubectl itself adds taken out.
kubectl_check() {
    local file=$1 doc
    command -v kubectl >/dev/null || skip "no kubectl"
    echo "# $(kubectl version --client 2>/dev/null | head -1)" >&3
    python3 - "$file" <<'PY'
import json, sys, yaml
for i, d in enumerate(d for d in yaml.safe_load_all(open(sys.argv[1])) if d):
    json.dump(d, open("%s.doc%d.%s.json" % (sys.argv[1], i, d["kind"]), "w"), default=str)
PY
    for doc in "$file".doc*.json; do
        if [[ $doc == *.Pod.json ]]; then
            run kubectl set env --local -f "$doc" KUBECTL_CHECK=1 -o json
        else
            run kubectl label --local -f "$doc" kubectl-check=1 -o json
        fi
        assert_success
        echo "$output" >"$doc.out"
        python3 - "$doc" "$doc.out" <<'PY'
import json, sys
want, have = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
have.get("metadata", {}).get("labels", {}).pop("kubectl-check", None)
if have.get("metadata", {}).get("labels") == {} and "labels" not in want.get("metadata", {}):
    del have["metadata"]["labels"]
for o in (want, have):
    if o.get("status") == {}:
        del o["status"]
    for c in o.get("spec", {}).get("containers", []):
        c["env"] = [e for e in c.get("env", []) if e["name"] != "KUBECTL_CHECK"]
        if not c["env"]:
            del c["env"]
        if c.get("resources") == {}:  # kubectl writes the empty struct
            del c["resources"]
if want != have:
    print("kubectl changed the document:")
    print(json.dumps(want, indent=1, sort_keys=True))
    print(json.dumps(have, indent=1, sort_keys=True))
    sys.exit(1)
PY
    done
}

@test "kube generate of a container: podman's fields, only what differs from the image" {
    mkdir -p "$CPOD_TEST_DIR/data"
    run_cpod volume create gvol
    run_cpod create --name web_1 --network none -e MODE=fast -e 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        -m 64m --cpus 1.5 --cap-add NET_ADMIN --cap-drop CHOWN -v "$CPOD_TEST_DIR/data:/data:ro" -v gvol:/vol \
        -w /tmp -u 1000:1000 --read-only --label tier=front --annotation note=hi --restart always \
        --hostname webhost localhost/busybox sleep 300
    run_cpod kube generate web_1
    local y=$output
    [[ $y == "# Save the output of this file and use kubectl create -f to import"* ]]
    for want in "kind: Pod" "  name: web1-pod" "    app: web1-pod" "    tier: front" "  creationTimestamp: \"" \
        "    note/web1: hi" '    io.podman.annotations.privileged/web1: "FALSE"' "  - command:" '    - "300"' \
        "    image: localhost/busybox:latest" "    name: web1" "    - name: MODE" "      value: fast" \
        "        cpu: 1500m" "        memory: 64Mi" "        - CAP_NET_ADMIN" "        - CAP_CHOWN" "        - CAP_MKNOD" \
        "      readOnlyRootFilesystem: true" "      runAsUser: 1000" "      runAsGroup: 1000" "    workingDir: /tmp" \
        "    - mountPath: /data" "      readOnly: true" "      name: gvol-pvc" "      claimName: gvol" \
        "      type: Directory" "  hostname: webhost" "  restartPolicy: Always" "  enableServiceLinks: false" \
        "  automountServiceAccountToken: false" "# NOTE: If you generated this yaml"; do
        [[ $y == *"$want"* ]] || { echo "missing: $want"; false; }
    done
    # the image's PATH, its command and an unchanged working directory are not written
    [[ $y != *"name: PATH"* ]]
    [[ $y != *"ports:"* ]]
    [[ $y != *"kind: Service"* ]]
    # a default container: no command, the OCI defaults podman drops, no limits
    run_cpod create --name plain --network none localhost/busybox
    run_cpod generate kube plain
    [[ $output != *"command:"* && $output != *"resources:"* && $output != *"env:"* ]]
    [[ $output == *"drop:"*"- CAP_MKNOD"*"- CAP_NET_RAW"*"- CAP_AUDIT_WRITE"* ]]
    [[ $output != *"add:"* && $output != *"workingDir"* ]]
}

@test "kube generate: the YAML passes kubectl (offline) without losing a field" {
    mkdir -p "$CPOD_TEST_DIR/data"
    run_cpod volume create kvol
    run_cpod create --name kc --network none -e A=1 -e B='two words' -m 32m --cpus 0.25 --cap-add SYS_TIME \
        -v "$CPOD_TEST_DIR/data:/data" -v kvol:/vol --security-opt no-new-privileges -t -i \
        --add-host db.local:10.1.2.3 --label x=y localhost/busybox sh -c "$WAITCMD"
    run_cpod kube generate -s -f "$CPOD_TEST_DIR/kc.yaml" kc
    kubectl_check "$CPOD_TEST_DIR/kc.yaml"
    run_cpod pod create --name kp --network none --label team=blue
    run_cpod create --pod kp --name kp_a -e X=1 localhost/busybox sh -c "$WAITCMD"
    run_cpod create --pod kp --name kp_b -v kvol:/v:ro localhost/busybox sh -c "$WAITCMD"
    run_cpod kube generate -f "$CPOD_TEST_DIR/kp.yaml" kp kvol
    kubectl_check "$CPOD_TEST_DIR/kp.yaml"
    run cat "$CPOD_TEST_DIR/kp.yaml"
    [[ $output == *"kind: PersistentVolumeClaim"*"---"*"kind: Pod"* ]]
    [[ $output == *"volume.podman.io/driver: local"* ]]
}

@test "generate -> rm -> kube play of a container gives an equivalent container" {
    mkdir -p "$CPOD_TEST_DIR/data"
    echo hello >"$CPOD_TEST_DIR/data/f"
    run_cpod volume create rvol
    run_cpod run -d --name orig --network none -e GREETING=hi -e 'ODD=a: b # c' -m 48m --cpus 0.5 \
        --cap-add NET_ADMIN --cap-drop CHOWN -v "$CPOD_TEST_DIR/data:/data:ro" -v rvol:/vol -w /data \
        --label l1=v1 localhost/busybox sh -c "$WAITCMD"
    local before
    before=$(ctr_fields orig)
    run_cpod kube generate -f "$CPOD_TEST_DIR/orig.yaml" orig
    run_cpod rm -f -t 0 orig
    run_cpod kube play --network none "$CPOD_TEST_DIR/orig.yaml"
    run_cpod inspect orig-pod-orig --format '{{.State.Status}} {{index .Config.Labels "l1"}} {{index .Config.Labels "app"}}'
    assert_output "running v1 orig-pod"
    run ctr_fields orig-pod-orig
    assert_output "$before"
    run_cpod exec orig-pod-orig cat /data/f
    assert_output hello
    run_cpod kube down "$CPOD_TEST_DIR/orig.yaml"
}

@test "generate -> kube down of the original pod -> kube play gives an equivalent pod" {
    run_cpod pod create --name rp --network none --label team=blue --hostname rphost
    run_cpod create --pod rp --name rp-one -e ONE=1 -m 40m --cap-drop NET_BIND_SERVICE localhost/busybox sh -c "$WAITCMD"
    run_cpod create --pod rp --name rp-two -e TWO=2 --read-only localhost/busybox sh -c "$WAITCMD"
    run_cpod pod start rp
    local one two
    one=$(ctr_fields rp-one)
    two=$(ctr_fields rp-two)
    run_cpod kube generate -f "$CPOD_TEST_DIR/rp.yaml" rp
    run cat "$CPOD_TEST_DIR/rp.yaml"
    [[ $output == *"  name: rp"* && $output == *"  hostname: rphost"* && $output == *"team: blue"* ]]
    # kube down of the generated file removes the original pod: it has the same name
    run_cpod kube down "$CPOD_TEST_DIR/rp.yaml"
    run_cpod 1 pod exists rp
    run_cpod kube play --network none "$CPOD_TEST_DIR/rp.yaml"
    run_cpod pod inspect rp --format '{{.Hostname}} {{.Labels.team}} {{.NumContainers}}'
    assert_output "rphost blue 3"
    run ctr_fields rp-rp-one
    assert_output "$one"
    run ctr_fields rp-rp-two
    assert_output "$two"
    run_cpod kube down "$CPOD_TEST_DIR/rp.yaml"
}

@test "published ports round-trip through the pod, with a NodePort Service (bridge network)" {
    local port=$((20000 + RANDOM % 10000))
    run_cpod pod create --name pp -p "127.0.0.1:$port:8080" -p "$((port + 1)):53/udp"
    run_cpod create --pod pp --name pp-web localhost/busybox sh -c "$WAITCMD"
    run_cpod kube generate --service pp
    local y=$output
    for want in "kind: Service" "  type: NodePort" "    nodePort: 3" "  - name: \"8080\"" "    targetPort: 8080" \
        "    - containerPort: 8080" "      hostPort: $port" "      hostIP: 127.0.0.1" "      protocol: UDP" \
        "      hostPort: $((port + 1))"; do
        [[ $y == *"$want"* ]] || { echo "missing: $want"; false; }
    done
    echo "$y" >"$CPOD_TEST_DIR/pp.yaml"
    run_cpod kube down "$CPOD_TEST_DIR/pp.yaml"
    run_cpod kube play --start=false "$CPOD_TEST_DIR/pp.yaml"
    run_cpod port pp-pp-web
    assert_line "8080/tcp -> 127.0.0.1:$port"
    assert_line "53/udp -> 0.0.0.0:$((port + 1))"
    run_cpod kube down "$CPOD_TEST_DIR/pp.yaml"
}

@test "kube generate: -f refuses to replace, bad names give podman's errors" {
    run_cpod create --name c1 --network none localhost/busybox
    run_cpod kube generate -f "$CPOD_TEST_DIR/out.yaml" c1
    assert_output ""
    run grep -c "kind: Pod" "$CPOD_TEST_DIR/out.yaml"
    assert_output 1
    run_cpod 125 kube generate -f "$CPOD_TEST_DIR/out.yaml" c1
    assert_output "Error: cannot write to \"$CPOD_TEST_DIR/out.yaml\"; file exists"
    run_cpod 125 kube generate nosuch
    assert_output 'Error: name or ID "nosuch" not found'
    run_cpod 125 generate kube c1 nosuch
    assert_output 'Error: name or ID "nosuch" not found'
    run_cpod 125 kube generate
    run_cpod pod create --name only-infra --network none
    run_cpod 125 kube generate only-infra
    assert_output --partial "only has an infra container"
    run_cpod create --pod only-infra --name member localhost/busybox
    run_cpod 125 kube generate member
    assert_output --regexp "^Error: container [0-9a-f]{64} is associated with pod [0-9a-f]{64}: use generate on the pod itself$"
}
