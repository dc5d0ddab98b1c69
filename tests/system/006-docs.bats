#!/usr/bin/env bats
# Man pages: every command path has docs/cpod-<path>.1.md, every page has the
# sections a man page needs, and pages with options document every flag.
#
# Process starts are the cost here (cpod's start alone is tens of
# milliseconds), so the walk runs a whole level of --help at once, each check
# is plain bash or one awk over all files, and helpers.bash (with
# bats-support and bats-assert, loaded again for every test) is not used:
# nothing here needs a store.

CPOD_BUILD_DIR=${CPOD_BUILD_DIR:-$BATS_TEST_DIRNAME/../../build}
CPOD_BIN=${CPOD_BIN:-$CPOD_BUILD_DIR/cpod}
DOCS=$BATS_TEST_DIRNAME/../../docs

# Print the problems found (one per line) and fail, or succeed quietly.
report() {
    if [ -n "$1" ]; then
        printf '%s\n' "$1"
        return 1
    fi
}

# Long flags under "Options:" in a --help file (first flag of each line): $REPLY_FLAGS.
flags_of() {
    local line lines on=0
    REPLY_FLAGS=()
    mapfile -t lines < "$1"
    for line in "${lines[@]}"; do
        if [[ $line == "Options:" ]]; then
            on=1
        elif [[ -z $line ]]; then
            on=0
        elif ((on)) && [[ $line =~ ^\ *(-[a-zA-Z],\ )?--([a-z0-9-]+) ]]; then
            REPLY_FLAGS+=("${BASH_REMATCH[2]}")
        fi
    done
}

# A page's text, lines joined with newlines, in $REPLY (no subshell).
read_page() {
    local lines IFS=$'\n'
    mapfile -t lines < "$1"
    REPLY="${lines[*]}"$'\n'
}

# Walk the command tree one level at a time, running a whole level's --help
# in parallel.  Writes "page<TAB>path" lines to $BATS_FILE_TMPDIR/commands
# ("cpod-pod-create<TAB>pod create"; the root is "cpod<TAB>") and each
# command's --help to help/<page>.  It runs as a separate bash: bats traces
# every command of its own shell, which would make this loop slow.
setup_file() {
    mkdir -p "$BATS_FILE_TMPDIR/help"
    bash -s "$CPOD_BIN" "$BATS_FILE_TMPDIR" <<'EOF'
set -u
cpod=$1 dir=$2
: > "$dir/commands"
level=("")
while [ ${#level[@]} -gt 0 ]; do
    pages=()
    for path in "${level[@]}"; do
        page=cpod${path:+-${path// /-}}
        pages+=("$page")
        # shellcheck disable=SC2086 # the path is words
        "$cpod" $path --help > "$dir/help/$page" 2>&1 &
    done
    wait
    next=()
    for i in "${!level[@]}"; do
        path=${level[$i]} page=${pages[$i]}
        printf '%s\t%s\n' "$page" "$path" >> "$dir/commands"
        on=0
        while IFS= read -r line; do
            if [[ $line == "Available Commands:" ]]; then
                on=1
            elif [[ -z $line ]]; then
                on=0
            elif ((on)); then
                line=${line#"${line%%[! ]*}"}
                next+=("${path:+$path }${line%% *}")
            fi
        done < "$dir/help/$page"
    done
    level=("${next[@]}")
done
EOF
}

@test "the command walk found the command tree" {
    local lines all want bad= IFS=$'\n'
    mapfile -t lines < "$BATS_FILE_TMPDIR/commands"
    all=$'\n'"${lines[*]}"$'\n'
    for want in $'cpod\t' $'cpod-run\trun' $'cpod-pod-create\tpod create' $'cpod-container-list\tcontainer list'; do
        [[ $all == *$'\n'"$want"$'\n'* ]] || bad+="the walk did not find '${want#*$'\t'}'"$'\n'
    done
    [ "${#lines[@]}" -ge 50 ] || bad+="the walk found only ${#lines[@]} commands"
    report "$bad"
}

@test "every command has a man page" {
    local path page missing=()
    while IFS=$'\t' read -r page path; do
        [ -f "$DOCS/$page.1.md" ] || missing+=("cpod${path:+ $path} (docs/$page.1.md)")
    done < "$BATS_FILE_TMPDIR/commands"
    if [ ${#missing[@]} -gt 0 ]; then
        printf 'no man page for %s\n' "${missing[@]}"
        return 1
    fi
}

@test "every man page has a title line and NAME, SYNOPSIS, DESCRIPTION sections" {
    # One awk over every page; it prints one line per problem.
    local out
    out=$(awk '
        function check() {
            if (name == "") return
            if (first != "% " name " 1") print name ": the first line is not \"% " name " 1\""
            if (!("NAME" in seen)) print name ": no \"## NAME\" section"
            if (!("SYNOPSIS" in seen)) print name ": no \"## SYNOPSIS\" section"
            if (!("DESCRIPTION" in seen)) print name ": no \"## DESCRIPTION\" section"
            if (!nameok) print name ": the NAME line does not start with \"" name " - \""
        }
        FNR == 1 {
            check()
            name = FILENAME; sub(/.*\//, "", name); sub(/\.1\.md$/, "", name)
            first = $0; nameok = 0; prev = ""; split("", seen)
        }
        /^## (NAME|SYNOPSIS|DESCRIPTION)$/ { seen[substr($0, 4)] = 1 }
        # The NAME line is "cpod-x - summary"; dashes may be escaped (cpod\-x).
        prev == "## NAME" { line = $0; gsub(/\\/, "", line); if (index(line, name " - ") == 1) nameok = 1 }
        { prev = $0 }
        END { check() }
    ' "$DOCS"/cpod*.1.md)
    report "$out"
}

@test "a page with an OPTIONS section documents every flag of its command" {
    local page path args=()
    while IFS=$'\t' read -r page path; do
        [ -n "$path" ] && [ -f "$DOCS/$page.1.md" ] || continue # the root is checked below
        args+=("$BATS_FILE_TMPDIR/help/$page" "$DOCS/$page.1.md")
    done < "$BATS_FILE_TMPDIR/commands"
    # Pairs of files: a command's --help, then its page.
    local out
    out=$(awk '
        function check(   i) {
            if (!hasopts) return
            for (i = 1; i <= n; i++)
                if (index(text, "**--" flags[i] "**") == 0) print page ": --" flags[i] " is not documented"
        }
        FNR == 1 {
            pair++
            ishelp = pair % 2
            if (ishelp && pair > 1) check() # the previous page is complete
            if (ishelp) { split("", flags); n = 0; opts = 0 } else { text = ""; hasopts = 0 }
        }
        ishelp && /^Options:$/ { opts = 1; next }
        ishelp && /^$/ { opts = 0 }
        ishelp && opts && match($0, /^ *(-[a-zA-Z], )?--[a-z0-9-]+/) {
            f = substr($0, RSTART, RLENGTH); sub(/.*--/, "", f)
            if (f != "help") flags[++n] = f
        }
        !ishelp { text = text "\n" $0; if ($0 == "## OPTIONS") hasopts = 1 }
        !ishelp && (FNR == 1) { page = FILENAME; sub(/.*\//, "", page); sub(/\.1\.md$/, "", page) }
        END { if (pair > 1) check() }
    ' "${args[@]}")
    report "$out"
}

@test "cpod(1) lists every top-level command and documents every global option" {
    local page sub flag text bad=()
    read_page "$DOCS/cpod.1.md"
    text=$REPLY
    while IFS=$'\t' read -r page sub; do
        [[ -n $sub && $sub != *" "* ]] || continue # top-level commands only
        [[ $text == *"cpod-$sub(1)"* ]] || bad+=("cpod.1.md does not list $sub")
    done < "$BATS_FILE_TMPDIR/commands"
    flags_of "$BATS_FILE_TMPDIR/help/cpod"
    for flag in "${REPLY_FLAGS[@]}"; do
        [[ $text == *"**--$flag**"* ]] || bad+=("cpod.1.md does not document --$flag")
    done
    if [ ${#bad[@]} -gt 0 ]; then
        printf '%s\n' "${bad[@]}"
        return 1
    fi
}
