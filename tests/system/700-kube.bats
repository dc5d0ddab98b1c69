#!/usr/bin/env bats
# kube play / kube down / play kube: Kubernetes YAML (Pod, Deployment, PVC, ConfigMap, Secret) run as
# cpod pods, and the defensive YAML reader (malformed, oversized, alias bombs).  Pods run with
# --network none unless a test is about published ports.

load helpers

setup() {
    cpod_setup
    load_busybox
}

REG=$BATS_TEST_DIRNAME/../fixtures/registry.sh

teardown() {
    if [ -n "${KREG:-}" ]; then
        "$REG" stop "$KREG" || true
    fi
    cpod_teardown
}

# A Pod in the style of the Kubernetes docs: env from a ConfigMap and a Secret, hostPath, emptyDir and
# a claim, init containers that must run first and in order, limits and a securityContext.
write_pod_yaml() {
    mkdir -p "$CPOD_TEST_DIR/host"
    echo from-host >"$CPOD_TEST_DIR/host/in"
    cat >"$CPOD_TEST_DIR/pod.yaml" <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  GREETING: hello
  mode: "fast"
---
apiVersion: v1
kind: Secret
metadata:
  name: app-secret
type: Opaque
data:
  password: czNjcjN0   # s3cr3t
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: app-data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
  annotations:
    team: blue
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 1
  hostname: webhost
  hostAliases:
  - ip: 10.1.2.3
    hostnames: [db.local]
  initContainers:
  - name: init-one
    image: localhost/busybox
    command: [sh, -c, 'echo one >> /data/order']
    volumeMounts:
    - {name: data, mountPath: /data}
  - name: init-two
    image: localhost/busybox
    command: [sh, -c, 'echo two >> /data/order']
    volumeMounts:
    - {name: data, mountPath: /data}
  containers:
  - name: app
    image: localhost/busybox
    command: [sh, -c]
    args: ['echo main >> /data/order; cat /host/in > /scratch/copy; sleep 300']
    workingDir: /tmp
    env:
    - name: PLAIN
      value: "42"
    - name: GREETING
      valueFrom:
        configMapKeyRef: {name: app-config, key: GREETING}
    - name: PASSWORD
      valueFrom:
        secretKeyRef: {name: app-secret, key: password}
    envFrom:
    - configMapRef: {name: app-config}
      prefix: CM_
    resources:
      limits:
        memory: 64Mi
        cpu: 500m
    securityContext:
      capabilities:
        drop: [NET_RAW]
      allowPrivilegeEscalation: false
    volumeMounts:
    - {name: data, mountPath: /data}
    - {name: host, mountPath: /host, readOnly: true}
    - {name: scratch, mountPath: /scratch}
    - {name: cfg, mountPath: /etc/cfg}
  volumes:
  - name: data
    persistentVolumeClaim: {claimName: app-data}
  - name: host
    hostPath: {path: $CPOD_TEST_DIR/host, type: Directory}
  - name: scratch
    emptyDir: {}
  - name: cfg
    configMap: {name: app-config}
YAML
}

@test "kube play runs a Pod: init containers first and in order, env, volumes, limits, names" {
    write_pod_yaml
    run_cpod kube play --network none "$CPOD_TEST_DIR/pod.yaml"
    assert_line Pod:
    assert_line Volumes:
    assert_line app-data
    assert_line "Init Containers:"
    run_cpod pod ps --format '{{.Name}} {{.Status}}'
    assert_output "web Running"
    run_cpod ps -a --format '{{.Names}}' --filter pod=web
    assert_output --partial web-app
    refute_output --partial web-init-one   # init containers run once and are removed, as podman's "once"
    # init-one, init-two, then the app, on the claim's volume
    for _ in $(seq 50); do [ "$(cpod exec web-app cat /data/order 2>/dev/null | wc -l)" = 3 ] && break; sleep 0.1; done
    run_cpod exec web-app cat /data/order
    assert_output $'one\ntwo\nmain'
    run_cpod exec web-app sh -c 'echo $PLAIN $GREETING $PASSWORD $CM_mode $CM_GREETING; pwd; hostname'
    assert_output $'42 hello s3cr3t fast hello\n/tmp\nwebhost'
    run_cpod exec web-app cat /scratch/copy /etc/cfg/mode
    assert_output $'from-host\nfast'
    run_cpod 1 exec web-app sh -c 'echo x > /host/new'
    run_cpod exec web-app grep db.local /etc/hosts
    assert_output --partial 10.1.2.3
    run_cpod inspect --format '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.CapDrop}}' web-app
    assert_output "67108864 500000000 [CAP_NET_RAW]"
    run_cpod inspect --format '{{index .Config.Labels "app"}} {{index .Config.Annotations "team"}}' web-app
    assert_output "web blue"
    run_cpod secret ls --format '{{.Name}}'
    assert_output app-secret
}

@test "env valueFrom fieldRef and resourceFieldRef resolve as podman 4.3.1's; unsupported paths are errors" {
    cat >"$CPOD_TEST_DIR/fr.yaml" <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: fr
  labels: {app: shop}
  annotations: {team: blue}
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: localhost/busybox:latest
    command: ["sh", "-c", "env | sort | grep -E '^(POD|UID|APP|TEAM|NONE|MEM|CPU|RMEM)='"]
    resources:
      limits: {memory: 64Mi, cpu: 500m}
    env:
    - {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: UID, valueFrom: {fieldRef: {fieldPath: metadata.uid}}}
    - {name: APP, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}}
    - {name: TEAM, valueFrom: {fieldRef: {fieldPath: "metadata.annotations['team']"}}}
    - {name: NONE, valueFrom: {fieldRef: {fieldPath: "metadata.labels['nope']"}}}
    - {name: MEM, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
    - {name: CPU, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 1m}}}
    - {name: RMEM, valueFrom: {resourceFieldRef: {resource: requests.memory}}}
EOF
    run_cpod kube play --network none "$CPOD_TEST_DIR/fr.yaml"
    pod_id=$(cpod pod inspect --format '{{.Id}}' fr)
    run_cpod wait fr-c
    run_cpod logs fr-c
    # the same YAML under podman 4.3.1 prints these lines (but for the pod's ID)
    assert_output "APP=shop
CPU=500
MEM=64
NONE=
POD=fr
RMEM=67108864
TEAM=blue
UID=$pod_id"
    run_cpod kube down "$CPOD_TEST_DIR/fr.yaml"
    sed -i "s/metadata.name/spec.nodeName/" "$CPOD_TEST_DIR/fr.yaml"
    run_cpod 125 kube play --network none "$CPOD_TEST_DIR/fr.yaml"
    assert_output --partial "Can not set env POD. Reason: fieldPath spec.nodeName is either not valid or not supported"
    sed -i "s/spec.nodeName/metadata.name/; s/divisor: 1m}/divisor: 2m}/" "$CPOD_TEST_DIR/fr.yaml"
    run_cpod 125 kube play --network none "$CPOD_TEST_DIR/fr.yaml"
    assert_output --partial "Can not set env CPU. Reason: divisor value 2m is not valid"
    run_cpod pod ps -q
    assert_output ""
    run_cpod ps -aq
    assert_output ""
}

@test "kube down removes exactly what kube play created; --force takes the volumes" {
    write_pod_yaml
    run_cpod volume create unrelated
    run_cpod kube play --network none "$CPOD_TEST_DIR/pod.yaml"
    pod_id=$(cpod pod inspect --format '{{.Id}}' web)
    run_cpod kube down "$CPOD_TEST_DIR/pod.yaml"
    assert_output --regexp "Pods stopped:
$pod_id
Pods removed:
$pod_id
Secrets removed:
[0-9a-f]{25}\$"
    run_cpod pod ps -q
    assert_output ""
    run_cpod ps -aq
    assert_output ""
    run_cpod secret ls -q
    assert_output ""
    # the claim and the configMap volume stay without --force (the emptyDir went with its container)
    run_cpod volume ls -q
    assert_output $'app-config\napp-data\nunrelated'
    run_cpod kube down --force "$CPOD_TEST_DIR/pod.yaml"
    run_cpod volume ls -q
    assert_output unrelated
    assert_no_mounts
}

@test "a Deployment runs a pod per replica as NAME-pod-N (podman 4.3.1); play kube, --replace, --down" {
    cat >"$CPOD_TEST_DIR/dep.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels:
    app: nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: nginx
        image: localhost/busybox
        command: ["sleep", "300"]
        ports:
        - containerPort: 80
YAML
    run_cpod play kube --network none "$CPOD_TEST_DIR/dep.yaml"
    [ "$(grep -c '^Pod:$' <<<"$output")" -eq 3 ]
    run_cpod pod ps --sort name --format '{{.Name}} {{.Status}}'
    assert_output $'nginx-deployment-pod-0 Running\nnginx-deployment-pod-1 Running\nnginx-deployment-pod-2 Running'
    run_cpod ps --format '{{.Names}}' --filter pod=nginx-deployment-pod-1
    assert_line "nginx-deployment-pod-1-nginx"
    old=$(cpod pod inspect --format '{{.Id}}' nginx-deployment-pod-0)
    run_cpod 125 kube play --network none "$CPOD_TEST_DIR/dep.yaml"
    assert_output --partial "nginx-deployment-pod-0"
    run_cpod kube play --replace --network none "$CPOD_TEST_DIR/dep.yaml"
    new=$(cpod pod inspect --format '{{.Id}}' nginx-deployment-pod-0)
    [ "$old" != "$new" ]
    run_cpod kube play --down "$CPOD_TEST_DIR/dep.yaml"
    [ "$(grep -cE '^[0-9a-f]{64}$' <<<"$output")" -eq 6 ]   # three pods stopped, three removed
    run_cpod pod ps -q
    assert_output ""
    sed -i 's/replicas: 3/replicas: 0/' "$CPOD_TEST_DIR/dep.yaml"
    run_cpod kube play --network none "$CPOD_TEST_DIR/dep.yaml"
    run_cpod pod ps -q
    assert_output ""
    sed -i 's/replicas: 0/replicas: many/' "$CPOD_TEST_DIR/dep.yaml"
    run_cpod 125 kube play --network none "$CPOD_TEST_DIR/dep.yaml"
    assert_output "Error: kube: Deployment nginx-deployment: spec.replicas must be an integer from 0 to 100"
}

@test "kube play --start=false creates the pod without starting it; YAML from stdin" {
    run_cpod kube play --start=false --network none - <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: idle}
spec:
  containers:
  - {name: c, image: localhost/busybox, command: [sleep, "100"]}
YAML
    run_cpod ps -a --format '{{.Names}} {{.State}}' --filter name=idle-c
    assert_output "idle-c created"
}

@test "a hostPort is published on the pod (bridge network)" {
    cat >"$CPOD_TEST_DIR/port.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: served}
spec:
  containers:
  - name: httpd
    image: localhost/busybox
    command: [sh, -c, 'mkdir /www && echo served-ok > /www/index.html && httpd -f -p 8080 -h /www']
    ports:
    - {containerPort: 8080, hostPort: 18931, hostIP: 127.0.0.1}
YAML
    run_cpod kube play "$CPOD_TEST_DIR/port.yaml"
    run_cpod port served-httpd
    assert_output --partial "127.0.0.1:18931"
    for _ in $(seq 50); do curl -sf http://127.0.0.1:18931/ >/dev/null && break; sleep 0.1; done
    run curl -sf http://127.0.0.1:18931/
    assert_output served-ok
    run_cpod kube down "$CPOD_TEST_DIR/port.yaml"
}

@test "an init container that fails stops the play, and nothing is left" {
    run_cpod 125 kube play --network none - <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: broken}
spec:
  initContainers:
  - {name: fail, image: localhost/busybox, command: [sh, -c, 'exit 3']}
  containers:
  - {name: c, image: localhost/busybox, command: [sleep, "100"]}
YAML
    assert_output --partial "init container broken-fail exited with code 3"
    run_cpod pod ps -q
    assert_output ""
    run_cpod ps -aq
    assert_output ""
}

# Bad input: one line, exit 125, within a second, nothing created.
assert_refused() { # FILE MESSAGE
    local start end
    start=$(date +%s%N)
    run_cpod 125 kube play --network none "$1"
    end=$(date +%s%N)
    assert_output --partial "$2"
    [ "${#lines[@]}" -eq 1 ]
    [ $(((end - start) / 1000000)) -lt 1000 ]
    run_cpod pod ps -q
    assert_output ""
    run_cpod volume ls -q
    assert_output ""
    run_cpod secret ls -q
    assert_output ""
}

@test "malformed, oversized, too deep and alias-bomb YAML is refused with line and column" {
    f=$CPOD_TEST_DIR/bad.yaml
    printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [x\n' >"$f"
    assert_refused "$f" "yaml: line 5, column 1: did not find expected ',' or ']'"
    printf 'kind: Pod\nkind: Pod\n' >"$f"
    assert_refused "$f" 'yaml: line 2, column 1: mapping key "kind" already defined'
    # a billion laughs: 9 levels of 9 aliases
    {
        echo 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
        for i in 1 2 3 4 5 6 7 8 9; do
            p=$((i - 1))
            echo "a$i: &a$i [*a$p,*a$p,*a$p,*a$p,*a$p,*a$p,*a$p,*a$p,*a$p]"
        done
    } >"$f"
    assert_refused "$f" "aliases expand to more than 100000 nodes"
    python3 -c 'print("a:" + " [" * 100 + "]" * 100)' >"$f"
    assert_refused "$f" "nesting deeper than 64 levels"
    head -c $((9 * 1024 * 1024)) /dev/zero | tr '\0' '#' >"$f"
    assert_refused "$f" "larger than 8388608 bytes"
    printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: localhost/busybox}\n  volumes:\n  - {name: v, hostPath: {path: /nonexistent/x, type: Directory}}\n' >"$f"
    assert_refused "$f" "hostPath /nonexistent/x is not a Directory on the host"
    printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: localhost/busybox\n    env:\n    - name: X\n      valueFrom: {configMapKeyRef: {name: nope, key: k}}\n' >"$f"
    assert_refused "$f" "cannot set env X: configmap nope not found"
}

@test "fields cpod does not implement are warnings, never silently dropped" {
    run_cpod kube play --start=false --network none - <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: w}
spec:
  nodeSelector: {disk: ssd}
  containers:
  - name: c
    image: localhost/busybox
    readinessProbe: {exec: {command: ["true"]}}
    securityContext: {seLinuxOptions: {level: "s0:c1"}}
---
apiVersion: v1
kind: Service
metadata: {name: svc}
YAML
    assert_output --partial "spec.nodeSelector is not supported, ignoring"
    assert_output --partial "container c.readinessProbe is not supported, ignoring"
    assert_output --partial "container c securityContext.seLinuxOptions is not supported, ignoring"
    assert_output --partial "kind Service is not supported, ignoring"
}

@test "a livenessProbe is the container's healthcheck, as podman converts it; healthy and unhealthy" {
    cat >"$CPOD_TEST_DIR/probe.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: probed}
spec:
  restartPolicy: Never
  containers:
  - name: app
    image: localhost/busybox
    command: [sleep, "300"]
    livenessProbe:
      exec:
        command: [cat, /tmp/healthy]
      initialDelaySeconds: 0
      periodSeconds: 3600
      timeoutSeconds: 2
      failureThreshold: 1
  - name: web
    image: localhost/busybox
    command: [sleep, "300"]
    livenessProbe:
      httpGet: {path: /healthz, port: 8080}
      initialDelaySeconds: 7
      periodSeconds: 3600
  - name: tcp
    image: localhost/busybox
    command: [sleep, "300"]
    livenessProbe:
      tcpSocket: {port: "9000"}
      periodSeconds: 3600
YAML
    run_cpod kube play --network none "$CPOD_TEST_DIR/probe.yaml"
    run_cpod inspect --format '{{.Config.Healthcheck.Test}} {{.Config.Healthcheck.Interval}} {{.Config.Healthcheck.Timeout}} {{.Config.Healthcheck.Retries}} {{.Config.Healthcheck.StartPeriod}} {{.Config.HealthcheckOnFailureAction}}' probed-app
    assert_output "[CMD-SHELL cat /tmp/healthy || exit 1] 3600000000000 2000000000 1 0 none"
    run_cpod inspect --format '{{.Config.Healthcheck.Test}} {{.Config.Healthcheck.Timeout}} {{.Config.Healthcheck.Retries}} {{.Config.Healthcheck.StartPeriod}}' probed-web
    assert_output "[CMD-SHELL curl -f http://localhost:8080/healthz || exit 1] 1000000000 3 7000000000"
    run_cpod inspect --format '{{json .Config.Healthcheck.Test}}' probed-tcp
    assert_output '["CMD-SHELL","nc","-z","-v","","9000","||","exit","1"]'
    run_cpod 1 healthcheck run probed-app
    assert_output unhealthy
    run_cpod inspect --format '{{.State.Health.Status}} {{.State.Health.FailingStreak}}' probed-app
    assert_output "unhealthy 1"
    run_cpod exec probed-app touch /tmp/healthy
    run_cpod healthcheck run probed-app
    run_cpod inspect --format '{{.State.Health.Status}} {{.State.Health.FailingStreak}}' probed-app
    assert_output "healthy 0"
    run_cpod kube down "$CPOD_TEST_DIR/probe.yaml"
}

@test "with restartPolicy Always an unhealthy probe restarts the container (--health-on-failure=restart)" {
    run_cpod kube play --network none - <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: restarts}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: localhost/busybox
    command: [sleep, "300"]
    livenessProbe:
      exec: {command: [cat, /tmp/healthy]}
      periodSeconds: 3600
      failureThreshold: 1
YAML
    run_cpod inspect --format '{{.Config.HealthcheckOnFailureAction}} {{.RestartCount}}' restarts-app
    assert_output "restart 0"
    run_cpod 1 healthcheck run restarts-app
    for _ in $(seq 50); do [ "$(cpod inspect --format '{{.RestartCount}} {{.State.Status}}' restarts-app)" = "1 running" ] && break; sleep 0.1; done
    run_cpod inspect --format '{{.RestartCount}} {{.State.Status}}' restarts-app
    assert_output "1 running"
    run_cpod pod rm -f restarts
}

@test "a livenessProbe with a named port or a bad number is refused" {
    f=$CPOD_TEST_DIR/bad.yaml
    printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: localhost/busybox\n    livenessProbe: {httpGet: {port: http}}\n' >"$f"
    assert_refused "$f" "kube: container c: livenessProbe.httpGet.port must be a port number (named ports are not supported)"
    printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: localhost/busybox\n    livenessProbe: {exec: {command: [x]}, periodSeconds: often}\n' >"$f"
    assert_refused "$f" "kube: container c: livenessProbe.periodSeconds must be an integer"
}

@test "--configmap files (repeated and comma-separated) feed env and volumes; wrong kind and ambiguity refused" {
    printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-a}\ndata: {A: from-a}\n' >"$CPOD_TEST_DIR/a.yaml"
    printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-b}\ndata: {B: from-b}\n' >"$CPOD_TEST_DIR/b.yaml"
    printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-c}\ndata: {C: from-c}\n' >"$CPOD_TEST_DIR/c.yaml"
    cat >"$CPOD_TEST_DIR/pod.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: cmp}
spec:
  containers:
  - name: c
    image: localhost/busybox
    command: [sleep, "300"]
    envFrom:
    - configMapRef: {name: cm-a}
    - configMapRef: {name: cm-b}
    env:
    - name: C
      valueFrom: {configMapKeyRef: {name: cm-c, key: C}}
    volumeMounts:
    - {name: vb, mountPath: /etc/b}
  volumes:
  - name: vb
    configMap: {name: cm-b}
YAML
    run_cpod kube play --network none --configmap "$CPOD_TEST_DIR/a.yaml,$CPOD_TEST_DIR/b.yaml" \
        --configmap "$CPOD_TEST_DIR/c.yaml" "$CPOD_TEST_DIR/pod.yaml"
    run_cpod exec cmp-c sh -c 'echo $A $B $C; cat /etc/b/B'
    assert_output $'from-a from-b from-c\nfrom-b'
    run_cpod pod rm -f -t 0 cmp
    # without the files the references are unresolved
    run_cpod 125 kube play --network none --configmap "$CPOD_TEST_DIR/a.yaml" "$CPOD_TEST_DIR/pod.yaml"
    assert_output "Error: kube: volume vb: configmap cm-b not found"
    printf 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n' >"$CPOD_TEST_DIR/s.yaml"
    run_cpod 125 kube play --network none --configmap "$CPOD_TEST_DIR/s.yaml" "$CPOD_TEST_DIR/pod.yaml"
    assert_output "Error: \"$CPOD_TEST_DIR/s.yaml\": invalid YAML kind: \"Secret\". [ConfigMap] is the only supported by --configmap"
    { echo ---; cat "$CPOD_TEST_DIR/a.yaml"; } >>"$CPOD_TEST_DIR/pod.yaml"
    run_cpod 125 kube play --network none --configmap "$CPOD_TEST_DIR/a.yaml" "$CPOD_TEST_DIR/pod.yaml"
    assert_output "Error: ambiguous configuration: the same config map cm-a is present in YAML and in --configmaps $CPOD_TEST_DIR/a.yaml file"
    run_cpod 125 kube play --network none --configmap "$CPOD_TEST_DIR/nope.yaml" "$CPOD_TEST_DIR/pod.yaml"
    assert_output --partial "nope.yaml"
    run_cpod 125 kube play --network none "$CPOD_TEST_DIR/a.yaml"
    assert_output "Error: ConfigMaps are not a standalone object and must be used in a container"
    run_cpod pod ps -q
    assert_output ""
}

@test "kube play and kube down from an http URL (a local python3 http.server); one file per call" {
    cat >"$CPOD_TEST_DIR/www.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: fromurl}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: c, image: localhost/busybox, command: [sleep, "300"]}
YAML
    mkdir "$CPOD_TEST_DIR/www"
    mv "$CPOD_TEST_DIR/www.yaml" "$CPOD_TEST_DIR/www/pod.yaml"
    python3 -u -m http.server --bind 127.0.0.1 --directory "$CPOD_TEST_DIR/www" 0 >"$CPOD_TEST_DIR/http.log" 2>&1 &
    echo $! >"$CPOD_TEST_DIR/http.pid"
    for _ in $(seq 50); do grep -q 'port [0-9]' "$CPOD_TEST_DIR/http.log" && break; sleep 0.1; done
    port=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$CPOD_TEST_DIR/http.log" | head -1)
    [ -n "$port" ]
    run_cpod kube play --network none "http://127.0.0.1:$port/pod.yaml"
    run_cpod pod ps --format '{{.Name}} {{.Status}}'
    assert_output "fromurl Running"
    run_cpod 125 kube play --network none "http://127.0.0.1:$port/missing.yaml"
    assert_output "Error: Get \"http://127.0.0.1:$port/missing.yaml\": HTTP status 404"
    run_cpod kube down "http://127.0.0.1:$port/pod.yaml"
    assert_line "Pods removed:"
    run_cpod pod ps -q
    assert_output ""
    kill "$(cat "$CPOD_TEST_DIR/http.pid")"
    wait "$(cat "$CPOD_TEST_DIR/http.pid")" || true
    rm "$CPOD_TEST_DIR/http.pid"
    run_cpod 125 kube play "$CPOD_TEST_DIR/www/pod.yaml" "$CPOD_TEST_DIR/www/pod.yaml"
    assert_output "Error: accepts 1 arg(s), received 2"
}

@test "kube play flags: --annotation, --log-driver, --log-opt, --no-hosts; the others that cannot apply are errors" {
    cat >"$CPOD_TEST_DIR/pod.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: flags
  annotations: {from-yaml: "1"}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: c, image: localhost/busybox, command: [sleep, "300"]}
YAML
    run_cpod kube play --network none --annotation team=red,tier=web --log-driver k8s-file \
        --log-opt "path=$CPOD_TEST_DIR/c.log" --log-opt max-size=10k --no-hosts "$CPOD_TEST_DIR/pod.yaml"
    run_cpod inspect --format '{{index .Config.Annotations "team"}} {{index .Config.Annotations "tier"}} {{index .Config.Annotations "from-yaml"}}' flags-c
    assert_output "red web 1"
    run_cpod inspect --format '{{.HostConfig.LogConfig.Type}} {{.HostConfig.LogConfig.Path}} {{.HostConfig.LogConfig.Size}}' flags-c
    assert_output "k8s-file $CPOD_TEST_DIR/c.log 10kB"
    run_cpod pod inspect --format '{{.InfraConfig.NoManageHosts}}' flags
    assert_output true
    run_cpod kube down "$CPOD_TEST_DIR/pod.yaml"
    f=$CPOD_TEST_DIR/pod.yaml
    run_cpod 125 kube play --network none --ip 10.88.0.5 "$f"
    assert_output "Error: static ip addresses can only be set when the network mode is bridge: invalid argument"
    run_cpod 125 kube play --network none --mac-address 92:d0:c6:0a:29:33 "$f"
    assert_output "Error: static mac address can only be set when the network mode is bridge: invalid argument"
    run_cpod 125 kube play --ip nonsense "$f"
    assert_output "Error: invalid argument \"nonsense\" for \"--ip\" flag: invalid string being converted to IP address: nonsense"
    run_cpod 125 kube play --userns auto "$f"
    assert_output "Error: --userns \"auto\": cpod kube play supports only the host user namespace"
    run_cpod 125 kube play --context-dir "$CPOD_TEST_DIR" "$f"
    assert_output "Error: --build must be specified when using --context-dir option"
    run_cpod 125 kube play --service-container "$f"
    assert_output "Error: --service-container is not supported by cpod"
    run_cpod 125 kube play --annotation novalue "$f"
    assert_output "Error: annotation \"novalue\" must include an '=' sign"
    run_cpod 125 kube play --annotation "k=$(printf 'x%.0s' $(seq 64))" "$f"
    assert_output --partial "Error: annotation exceeds maximum size, 63, of kubernetes annotation"
    run_cpod 125 kube play --network none --log-driver journald "$f"
    assert_output --partial 'log driver "journald" is not supported'
    printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: ha}\nspec:\n  hostAliases: [{ip: 10.1.1.1, hostnames: [x]}]\n  containers:\n  - {name: c, image: localhost/busybox}\n' >"$CPOD_TEST_DIR/ha.yaml"
    run_cpod 125 kube play --network none --no-hosts "$CPOD_TEST_DIR/ha.yaml"
    assert_output "Error: HostAliases in yaml file will not work with --no-hosts"
    run_cpod kube play --network none --start=false --seccomp-profile-root /x "$f"
    assert_output --partial "--seccomp-profile-root: cpod does not read seccomp profiles from annotations, ignoring"
    run_cpod kube down "$f"
    run_cpod pod ps -q
    assert_output ""
}

@test "kube play builds an image from a directory named after it (--build, --context-dir)" {
    command -v buildah >/dev/null || skip "buildah is not installed"
    mkdir -p "$CPOD_TEST_DIR/ctx/kubebuilt"
    printf 'FROM localhost/busybox\nRUN echo built-one > /built\n' >"$CPOD_TEST_DIR/ctx/kubebuilt/Containerfile"
    cat >"$CPOD_TEST_DIR/ctx/pod.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: built}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: c, image: kubebuilt, command: [sleep, "300"]}
YAML
    # the image is missing and the directory is in the current directory: podman's default builds it
    cd "$CPOD_TEST_DIR/ctx"
    run_cpod kube play --network none -q pod.yaml
    run_cpod exec built-c cat /built
    assert_output built-one
    run_cpod kube down pod.yaml
    # stored now: not built again unless --build
    printf 'FROM localhost/busybox\nRUN echo built-two > /built\n' >"$CPOD_TEST_DIR/ctx/kubebuilt/Containerfile"
    cd "$CPOD_TEST_DIR"
    run_cpod kube play --network none --build=false ctx/pod.yaml
    run_cpod exec built-c cat /built
    assert_output built-one
    run_cpod kube down ctx/pod.yaml
    run_cpod kube play --network none --build --context-dir "$CPOD_TEST_DIR/ctx" -q ctx/pod.yaml
    run_cpod exec built-c cat /built
    assert_output built-two
    run_cpod kube down ctx/pod.yaml
}

# A pod of one container running IMAGE with imagePullPolicy POLICY (none when empty).
pull_pod() { # IMAGE POLICY
    printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: pulled}\nspec:\n  terminationGracePeriodSeconds: 1\n  containers:\n  - name: c\n    image: %s\n    command: [sleep, "300"]\n' "$1" >"$CPOD_TEST_DIR/pull.yaml"
    [ -z "$2" ] || echo "    imagePullPolicy: $2" >>"$CPOD_TEST_DIR/pull.yaml"
}

@test "imagePullPolicy Never, IfNotPresent and Always pull from a registry with --creds, --cert-dir, --tls-verify, --authfile" {
    for t in skopeo docker-registry htpasswd openssl; do
        command -v "$t" >/dev/null || skip "$t not installed"
    done
    fx=$(fixtures_dir)
    export HOME=$CPOD_TEST_DIR/home XDG_RUNTIME_DIR=$CPOD_TEST_DIR/xdg
    export CONTAINERS_REGISTRIES_CONF=$CPOD_TEST_DIR/registries.conf CPOD_CERTS_D=$CPOD_TEST_DIR/certs.d
    export CONTAINERS_REGISTRIES_CONF_DIR=$CPOD_TEST_DIR/registries.conf.d
    unset REGISTRY_AUTH_FILE DOCKER_CONFIG XDG_CONFIG_HOME
    mkdir -p "$HOME" "$XDG_RUNTIME_DIR" "$CPOD_CERTS_D" "$CONTAINERS_REGISTRIES_CONF_DIR"
    : >"$CONTAINERS_REGISTRIES_CONF"
    KREG=$CPOD_TEST_DIR/registry
    "$REG" start --mode auth "$KREG" 2>/dev/null
    host=$( (eval "$("$REG" env "$KREG")" && echo "$FIXTURE_REGISTRY_HOST"))
    certs=$( (eval "$("$REG" env "$KREG")" && echo "$FIXTURE_REGISTRY_CERT_DIR"))
    "$REG" push "$KREG" "oci:$fx/busybox/oci:latest" kube/busybox:latest >/dev/null 2>&1
    one=$( (source "$fx/busybox/image.env" && echo "$FIXTURE_IMAGE_ID"))
    two=$( (source "$fx/variant/image.env" && echo "$FIXTURE_IMAGE_ID"))

    pull_pod "$host/kube/busybox:latest" Never
    run_cpod 125 kube play --network none "$CPOD_TEST_DIR/pull.yaml"
    assert_output "Error: $host/kube/busybox:latest: image not known"
    pull_pod "$host/kube/busybox:latest" IfNotPresent
    run_cpod 125 kube play --network none -q --cert-dir "$certs" "$CPOD_TEST_DIR/pull.yaml"
    assert_output --partial "unauthorized: authentication required"
    run_cpod 125 kube play --network none -q --creds testuser:testpassword "$CPOD_TEST_DIR/pull.yaml"
    assert_output --regexp "pinging container registry $host: .*(certificate|issuer)"
    run_cpod pod ps -q
    assert_output ""
    run_cpod kube play --network none --cert-dir "$certs" --creds testuser:testpassword "$CPOD_TEST_DIR/pull.yaml"
    assert_output --partial "Trying to pull $host/kube/busybox:latest..."
    run_cpod inspect --format '{{.Image}}' pulled-c
    assert_output "$one"
    run_cpod kube down "$CPOD_TEST_DIR/pull.yaml"

    # the tag moves: IfNotPresent keeps the stored image, Always pulls the new one
    "$REG" push "$KREG" "oci:$fx/variant/oci:latest" kube/busybox:latest >/dev/null 2>&1
    run_cpod kube play --network none -q --tls-verify=false --creds testuser:testpassword "$CPOD_TEST_DIR/pull.yaml"
    run_cpod inspect --format '{{.Image}}' pulled-c
    assert_output "$one"
    run_cpod kube down "$CPOD_TEST_DIR/pull.yaml"
    printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$host" "$(printf testuser:testpassword | base64)" >"$CPOD_TEST_DIR/auth.json"
    pull_pod "$host/kube/busybox:latest" Always
    run_cpod kube play --network none -q --tls-verify=false --authfile "$CPOD_TEST_DIR/auth.json" "$CPOD_TEST_DIR/pull.yaml"
    run_cpod inspect --format '{{.Image}}' pulled-c
    assert_output "$two"
    run_cpod kube down "$CPOD_TEST_DIR/pull.yaml"
    pull_pod "$host/kube/busybox:latest" Sometimes
    run_cpod 125 kube play --network none "$CPOD_TEST_DIR/pull.yaml"
    assert_output 'Error: kube: container c: unsupported pull policy "Sometimes"'
}

@test "secretKeyRef, envFrom secretRef and secret volumes find a secret of the secret store when the YAML has none" {
    printf '{"password": "%s", "user": "%s"}' "$(printf from-store | base64)" "$(printf admin | base64)" >"$CPOD_TEST_DIR/s.json"
    run_cpod secret create stored "$CPOD_TEST_DIR/s.json"
    # a Secret an earlier play stored is found the same way
    printf 'apiVersion: v1\nkind: Secret\nmetadata: {name: earlier}\nstringData: {token: tok-123}\n' >"$CPOD_TEST_DIR/secret.yaml"
    run_cpod kube play "$CPOD_TEST_DIR/secret.yaml"
    cat >"$CPOD_TEST_DIR/pod.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: sec}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: localhost/busybox
    command: [sleep, "300"]
    env:
    - name: PASSWORD
      valueFrom: {secretKeyRef: {name: stored, key: password}}
    - name: TOKEN
      valueFrom: {secretKeyRef: {name: earlier, key: token}}
    envFrom:
    - secretRef: {name: stored}
      prefix: S_
    volumeMounts:
    - {name: sv, mountPath: /etc/sec}
  volumes:
  - name: sv
    secret: {secretName: stored}
YAML
    run_cpod kube play --network none "$CPOD_TEST_DIR/pod.yaml"
    run_cpod exec sec-c sh -c 'echo $PASSWORD $TOKEN $S_user $S_password; cat /etc/sec/user; echo; cat /etc/sec/password'
    assert_output $'from-store tok-123 admin from-store\nadmin\nfrom-store'
    run_cpod kube down --force "$CPOD_TEST_DIR/pod.yaml"
    # the store's secrets stay: kube down removes only what the YAML defines
    run_cpod secret ls --format '{{.Name}}'
    assert_output $'stored\nearlier'
    # a key the secret does not have, a secret nobody has, and data that is not a Secret
    sed -i 's/key: password/key: nokey/' "$CPOD_TEST_DIR/pod.yaml"
    run_cpod 125 kube play --network none "$CPOD_TEST_DIR/pod.yaml"
    assert_output "Error: kube: container c: cannot set env PASSWORD: secret stored has no key nokey"
    sed -i 's/name: earlier, key: token/name: nobody, key: token/' "$CPOD_TEST_DIR/pod.yaml"
    sed -i 's/key: nokey/key: password/' "$CPOD_TEST_DIR/pod.yaml"
    run_cpod 125 kube play --network none "$CPOD_TEST_DIR/pod.yaml"
    assert_output "Error: kube: container c: cannot set env TOKEN: secret nobody not found"
    printf 'not-json-s3cr3t' >"$CPOD_TEST_DIR/raw"
    run_cpod secret create nobody "$CPOD_TEST_DIR/raw"
    run_cpod 125 kube play --network none "$CPOD_TEST_DIR/pod.yaml"
    assert_output "Error: kube: secret nobody of the secret store is not a Kubernetes Secret or a JSON object of base64 values"
    printf '{"token": "not base64 s3cr3t!"}' >"$CPOD_TEST_DIR/raw"
    run_cpod secret rm nobody
    run_cpod secret create nobody "$CPOD_TEST_DIR/raw"
    run_cpod 125 kube play --network none "$CPOD_TEST_DIR/pod.yaml"
    assert_output "Error: kube: Secret nobody: data.token is not base64 of text"
    run_cpod pod ps -q
    assert_output ""
}

@test "a DaemonSet is not a kind podman 4.3.1 plays: a warning, and an error when nothing else is there" {
    run_cpod 125 kube play --network none - <<'YAML'
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds}
spec:
  selector: {matchLabels: {app: ds}}
  template:
    metadata: {labels: {app: ds}}
    spec:
      containers:
      - {name: c, image: localhost/busybox, command: [sleep, "300"]}
YAML
    assert_line --partial "kind DaemonSet is not supported, ignoring"
    assert_line "Error: kube: YAML document does not contain any supported kube kind"
    run_cpod pod ps -q
    assert_output ""
}
