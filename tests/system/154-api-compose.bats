#!/usr/bin/env bats
# docker-compose 1.29 (Debian's) driving the REST service (see api-helpers.bash): a project with
# two services, a healthcheck and a named volume, each service with network_mode: none.

load helpers
load api-helpers

setup() {
    command -v docker-compose >/dev/null || skip "no docker-compose (scripts/install-deps installs it)"
    api_setup
    mkdir -p "$CPOD_TEST_DIR/proj"
    cat >"$CPOD_TEST_DIR/proj/docker-compose.yml" <<'EOF'
version: "3"
services:
  web:
    image: localhost/busybox:latest
    command: ["httpd", "-f", "-p", "8080"]
    network_mode: none
    labels:
      tier: front
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
  worker:
    image: localhost/busybox:latest
    command: ["sh", "-c", "echo working; sleep 1000"]
    network_mode: none
    environment:
      MODE: batch
    volumes:
      - data:/data
volumes:
  data:
EOF
}

teardown() {
    (cd "$CPOD_TEST_DIR/proj" 2>/dev/null && timeout 60 docker-compose -p ct down -v >/dev/null 2>&1) || true
    api_teardown
}

compose() {
    (cd "$CPOD_TEST_DIR/proj" && timeout 60 docker-compose -p ct "$@")
}

@test "docker-compose up, ps, logs, exec, restart, stop, down -v" {
    run compose up -d
    assert_success
    run_cpod ps --format '{{.Names}} {{.Labels}}'
    assert_line --partial "ct_web_1 "
    assert_line --partial "ct_worker_1 "
    run_cpod inspect --format '{{index .Config.Labels "com.docker.compose.project"}} {{index .Config.Labels "tier"}}' ct_web_1
    assert_output "ct front"
    run_cpod volume ls -q
    assert_output ct_data
    # ps shows Docker's states; a service without a healthcheck is plain "Up"
    for _ in $(seq 50); do
        run compose ps
        [[ "$output" == *"Up (healthy)"* ]] && break
        sleep 0.2
    done
    assert_line --regexp '^ct_web_1 .* Up \(healthy\)'
    assert_line --regexp '^ct_worker_1 .* Up +$'
    run compose logs --no-color worker
    assert_output --partial "working"
    run compose exec -T worker sh -c 'echo $MODE; touch /data/kept; ls /data'
    assert_success
    assert_output $'batch\nkept'
    run compose restart worker
    assert_success
    run compose exec -T worker ls /data
    assert_output kept
    run compose stop
    assert_success
    run_cpod ps -q
    assert_output ""
    run compose down -v
    assert_success
    run_cpod ps -aq
    assert_output ""
    run_cpod volume ls -q
    assert_output ""
}

@test "docker-compose's default network: services reach each other by name; down removes the network" {
    cat >"$CPOD_TEST_DIR/proj/docker-compose.yml" <<'EOF'
version: "3"
services:
  web:
    image: localhost/busybox:latest
    command: ["httpd", "-f", "-p", "8080"]
  client:
    image: localhost/busybox:latest
    command: ["sleep", "1000"]
EOF
    export CPOD_NETWORK_LINGER=0
    run compose up -d
    assert_success
    run_cpod network ls --format '{{.Name}}'
    assert_line ct_default
    run_cpod inspect --format '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{join $v.Aliases ","}}{{end}}' ct_web_1
    assert_output --partial "ct_default"
    assert_output --partial "web"
    # the service name resolves (aardvark-dns) and the port answers, inside the project's network only
    run compose exec -T client sh -c 'printf "GET / HTTP/1.0\r\n\r\n" | nc -w 5 web 8080 | head -1'
    assert_success
    assert_output --partial "HTTP/1.1 404"
    run compose down
    assert_success
    run_cpod network ls --format '{{.Name}}'
    refute_line ct_default
    run_cpod ps -aq
    assert_output ""
}
