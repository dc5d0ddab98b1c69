/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shell completion.  The scripts are thin: they call `cpod __completeNoDesc
 * WORDS...` which walks the same command tables the parser uses and prints
 * one candidate per line, so completion never drifts from the real flags.
 * The output is cobra's protocol (candidates, "\tdescription" with
 * __complete, then ":DIRECTIVE"), so podman's own completion scripts work
 * with cpod installed as podman.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/complete-names.h"

static const char bash_script[] =
        "# bash completion for cpod                                  -*- shell-script -*-\n"
        "_cpod() {\n"
        "    local cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
        "    local IFS=$'\\n'\n"
        "    COMPREPLY=( $(compgen -W \"$(\"${COMP_WORDS[0]}\" __completeNoDesc \"${COMP_WORDS[@]:1:COMP_CWORD}\" "
        "2>/dev/null | grep -v '^:')\" -- \"$cur\") )\n"
        "}\n"
        "complete -o default -F _cpod cpod\n";

static const char zsh_script[] =
        "#compdef cpod\n"
        "# zsh completion for cpod\n"
        "_cpod() {\n"
        "    local -a cands\n"
        "    cands=(\"${(@f)$(${words[1]} __completeNoDesc ${words[2,CURRENT]} 2>/dev/null | grep -v '^:')}\")\n"
        "    compadd -a cands\n"
        "}\n"
        "if [ \"$funcstack[1]\" = \"_cpod\" ]; then\n"
        "    _cpod \"$@\"\n"
        "else\n"
        "    compdef _cpod cpod\n"
        "fi\n";

static const char fish_script[] = "# fish completion for cpod\n"
                                  "function __cpod_complete\n"
                                  "    set -l args (commandline -opc) (commandline -ct)\n"
                                  "    $args[1] __completeNoDesc $args[2..-1] 2>/dev/null | string match -v -r '^:'\n"
                                  "end\n"
                                  "complete -c cpod -f -a '(__cpod_complete)'\n";

int cli_completion_script(const char *shell, FILE *out)
{
        const char *s = strcmp(shell, "bash") == 0   ? bash_script
                        : strcmp(shell, "zsh") == 0  ? zsh_script
                        : strcmp(shell, "fish") == 0 ? fish_script
                                                     : NULL;

        if (!s)
                return cli_errorf("unsupported shell \"%s\": choose from bash, zsh, fish", shell);
        fputs(s, out);
        return 0;
}

static const struct cli_opt *lookup(const struct cli_cmd *cmd, const char *word)
{
        const struct cli_opt *tables[2] = { cmd->subcmds ? NULL : cmd->opts, cli_global_opts };

        for (int t = 0; t < 2; t++)
                for (const struct cli_opt *o = tables[t]; o && o->name; o++) {
                        if (word[1] == '-' && strcmp(word + 2, o->name) == 0)
                                return o;
                        if (word[1] != '-' && word[1] && !word[2] && word[1] == o->shorthand)
                                return o;
                }
        return NULL;
}

static const struct cli_cmd *sub_named(const struct cli_cmd *cmd, const char *name)
{
        for (const struct cli_cmd *const *s = cmd->subcmds; s && *s; s++)
                if (strcmp((*s)->name, name) == 0)
                        return *s;
        return NULL;
}

static void put(FILE *out, const char *word, const char *desc, bool with_desc)
{
        if (with_desc && desc && *desc)
                fprintf(out, "%s\t%.*s\n", word, (int)strcspn(desc, "\n"), desc);
        else
                fprintf(out, "%s\n", word);
}

static void list_flags(const struct cli_cmd *cmd, const char *prefix, bool desc, FILE *out)
{
        const struct cli_opt *tables[2] = { cmd->subcmds ? NULL : cmd->opts, cli_global_opts };

        for (int t = 0; t < 2; t++)
                for (const struct cli_opt *o = tables[t]; o && o->name; o++) {
                        char buf[128];
                        if (o->flags & OPT_HIDDEN)
                                continue;
                        snprintf(buf, sizeof(buf), "--%s", o->name);
                        if (strncmp(buf, prefix, strlen(prefix)) == 0)
                                put(out, buf, o->help, desc);
                }
}

/* The store the words name (--root, --runroot, --storage-driver), for completing object names. */
static void global_flag(struct cli_ctx *ctx, const char *w, const char *next)
{
        static const struct {
                const char *name;
                size_t off;
        } g[] = {
                { "--root", offsetof(struct global_opts, root) },
                { "--runroot", offsetof(struct global_opts, runroot) },
                { "--storage-driver", offsetof(struct global_opts, storage_driver) },
        };

        for (size_t k = 0; k < sizeof(g) / sizeof(g[0]); k++) {
                size_t n = strlen(g[k].name);
                if (strncmp(w, g[k].name, n) == 0 && (w[n] == '=' || w[n] == '\0'))
                        *(const char **)((char *)&ctx->g + g[k].off) = w[n] == '=' ? w + n + 1 : next;
        }
}

/* cobra's directives: what the shell does besides the candidates. */
enum { DIRECTIVE_DEFAULT = 0, DIRECTIVE_NO_FILE = 4 };

static int finish(int directive, FILE *out)
{
        fprintf(out, ":%d\n", directive);
        fprintf(stderr, "Completion ended with directive: %s\n",
                directive == DIRECTIVE_NO_FILE ? "ShellCompDirectiveNoFileComp" : "ShellCompDirectiveDefault");
        return 0;
}

int cli_complete(struct cli_ctx *ctx, int argc, char **argv, bool desc, FILE *out)
{
        const struct cli_cmd *cmd = &cli_root;
        const char *cur = argc > 0 ? argv[argc - 1] : "";
        const struct cli_opt *pending = NULL;
        int npos = 0;

        for (int i = 0; i < argc - 1; i++) {
                const char *w = argv[i];
                pending = NULL;
                if (w[0] == '-' && w[1]) {
                        const struct cli_opt *o = lookup(cmd, w);
                        global_flag(ctx, w, i + 1 < argc - 1 ? argv[i + 1] : NULL);
                        if (o && o->type != OPT_BOOL && o->type != OPT_COUNT && !strchr(w, '=')) {
                                if (i + 1 == argc - 1)
                                        pending = o; /* the word being completed is this flag's value */
                                i++;
                        }
                        continue;
                }
                if (cmd->subcmds && sub_named(cmd, w)) {
                        cmd = sub_named(cmd, w);
                        continue;
                }
                npos++;
        }
        if (pending) /* a flag's value: podman offers files unless it knows better */
                return finish(DIRECTIVE_DEFAULT, out);
        if (cur[0] == '-') {
                list_flags(cmd, cur, desc, out);
                return finish(DIRECTIVE_NO_FILE, out);
        }
        if (cmd->subcmds) {
                for (const struct cli_cmd *const *s = cmd->subcmds; *s; s++)
                        if (!(*s)->hidden && strncmp((*s)->name, cur, strlen(cur)) == 0)
                                put(out, (*s)->name, (*s)->summary, desc);
                return finish(DIRECTIVE_NO_FILE, out);
        }
        if (cmd->complete_args && (cmd->max_args < 0 || npos < cmd->max_args)) {
                cli_complete_names(ctx, cmd->complete_args, cur, out);
                return finish(DIRECTIVE_NO_FILE, out);
        }
        return finish(cmd->max_args == 0 ? DIRECTIVE_NO_FILE : DIRECTIVE_DEFAULT, out);
}
