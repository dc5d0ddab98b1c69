#!/usr/bin/env bats
# --help on every command, `cpod help`, and shell completion

load helpers

# Every command path, found by walking `Available Commands:` sections.
all_commands() {
    local prefix=$1 sub
    echo "$prefix"
    while read -r sub; do
        all_commands "$prefix $sub"
    done < <("$CPOD_BIN" $prefix --help | awk '/^Available Commands:/ {on=1; next} /^$/ {on=0} on {print $1}')
}

@test "--help works on every command and describes it" {
    local n=0
    while read -r path; do
        run "$CPOD_BIN" $path --help
        [ "$status" -eq 0 ] || { echo "cpod $path --help failed: $output"; return 1; }
        [[ "$output" == *"Usage:"* ]] || { echo "no Usage in cpod $path --help"; return 1; }
        [[ "$output" == *"cpod $path"* ]] || [ -z "$path" ] || { echo "no path in help of $path"; return 1; }
        n=$((n + 1))
    done < <(all_commands "")
    [ "$n" -ge 5 ]
}

@test "help COMMAND equals COMMAND --help" {
    run_cpod help version
    a=$output
    run_cpod version --help
    assert_equal "$a" "$output"
    run_cpod 125 help nosuchtopic
    assert_output --partial 'unknown help topic'
}

@test "-h is --help" {
    run_cpod version -h
    assert_output --partial "Display the cpod version information"
    assert_output --partial "--format"
}

@test "completion scripts for bash, zsh and fish" {
    run_cpod completion bash
    assert_output --partial "complete -o default -F _cpod cpod"
    bash -n <(echo "$output")
    run_cpod completion zsh
    assert_output --partial "#compdef cpod"
    run_cpod completion fish
    assert_output --partial "complete -c cpod"
    run_cpod 125 completion powershell
    assert_output --partial 'unsupported shell'
    run_cpod completion -f "$CPOD_TEST_DIR/c.bash" bash
    grep -q _cpod "$CPOD_TEST_DIR/c.bash"
}

@test "bash completion completes commands and flags through the real script" {
    cat > "$CPOD_TEST_DIR/t.bash" <<EOS
source <("$CPOD_BIN" completion bash)
COMP_WORDS=("$CPOD_BIN" ver); COMP_CWORD=1; _cpod; echo "\${COMPREPLY[*]}"
COMP_WORDS=("$CPOD_BIN" version --fo); COMP_CWORD=2; _cpod; echo "\${COMPREPLY[*]}"
COMP_WORDS=("$CPOD_BIN" system ""); COMP_CWORD=2; _cpod; echo "\${COMPREPLY[*]}"
EOS
    run bash "$CPOD_TEST_DIR/t.bash"
    assert_success
    assert_line --index 0 "version"
    assert_line --index 1 "--format"
    assert_line --index 2 --partial "info"
}

@test "__complete speaks cobra's protocol, so podman's own completion script drives cpod linked as podman" {
    run --separate-stderr "$CPOD_BIN" __complete ver
    [ "$stderr" = "Completion ended with directive: ShellCompDirectiveNoFileComp" ]
    assert_line --index 0 "version	Display the cpod version information"
    assert_line --index 1 ":4"
    run --separate-stderr "$CPOD_BIN" __completeNoDesc ps --fo
    assert_output --partial "--format
:4"
    load_busybox
    run --separate-stderr "$CPOD_BIN" __completeNoDesc --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" run bu
    assert_output "busybox:latest
:4"
    run_cpod run -d --name comp-target busybox sleep 100
    run --separate-stderr "$CPOD_BIN" __completeNoDesc --root "$CPOD_ROOT" --runroot "$CPOD_RUNROOT" stop comp-
    assert_output "comp-target
:4"
    # podman's installed bash completion (cobra's script), with cpod as the podman it runs
    script=/usr/share/bash-completion/completions/podman
    [ -f "$script" ] && [ -f /usr/share/bash-completion/bash_completion ] || skip "podman's bash completion is not installed"
    mkdir "$CPOD_TEST_DIR/bin"
    ln -s "$CPOD_BIN" "$CPOD_TEST_DIR/bin/podman"
    cat >"$CPOD_TEST_DIR/c.bash" <<EOS
source /usr/share/bash-completion/bash_completion
source $script
PATH=$CPOD_TEST_DIR/bin:\$PATH
compopt() { :; }
COMP_WORDS=(podman ver); COMP_CWORD=1; COMP_LINE="podman ver"; COMP_POINT=\${#COMP_LINE}; __start_podman; echo "\${COMPREPLY[*]}"
COMP_WORDS=(podman --root $CPOD_ROOT --runroot $CPOD_RUNROOT stop comp-); COMP_CWORD=6; COMP_LINE="\${COMP_WORDS[*]}"; COMP_POINT=\${#COMP_LINE}; __start_podman; echo "\${COMPREPLY[*]}"
EOS
    run --separate-stderr bash "$CPOD_TEST_DIR/c.bash"
    assert_success
    assert_output "version
comp-target"
}
