/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shell completion.  The scripts are thin: they call `cpod __complete
 * WORDS...` which walks the same command tables the parser uses and prints
 * one candidate per line, so completion never drifts from the real flags.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/complete-names.h"

static const char bash_script[] =
        "# bash completion for cpod                                  -*- shell-script -*-\n"
        "_cpod() {\n"
        "    local cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
        "    local IFS=$'\\n'\n"
        "    COMPREPLY=( $(compgen -W \"$(\"${COMP_WORDS[0]}\" __complete \"${COMP_WORDS[@]:1:COMP_CWORD}\" "
        "2>/dev/null)\" -- \"$cur\") )\n"
        "}\n"
        "complete -o default -F _cpod cpod\n";

static const char zsh_script[] = "#compdef cpod\n"
                                 "# zsh completion for cpod\n"
                                 "_cpod() {\n"
                                 "    local -a cands\n"
                                 "    cands=(\"${(@f)$(${words[1]} __complete ${words[2,CURRENT]} 2>/dev/null)}\")\n"
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
                                  "    $args[1] __complete $args[2..-1] 2>/dev/null\n"
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

static void list_flags(const struct cli_cmd *cmd, const char *prefix, FILE *out)
{
        const struct cli_opt *tables[2] = { cmd->subcmds ? NULL : cmd->opts, cli_global_opts };

        for (int t = 0; t < 2; t++)
                for (const struct cli_opt *o = tables[t]; o && o->name; o++) {
                        char buf[128];
                        if (o->flags & OPT_HIDDEN)
                                continue;
                        snprintf(buf, sizeof(buf), "--%s", o->name);
                        if (strncmp(buf, prefix, strlen(prefix)) == 0)
                                fprintf(out, "%s\n", buf);
                }
}

int cli_complete(struct cli_ctx *ctx, int argc, char **argv, FILE *out)
{
        const struct cli_cmd *cmd = &cli_root;
        const char *cur = argc > 0 ? argv[argc - 1] : "";
        int npos = 0;

        for (int i = 0; i < argc - 1; i++) {
                const char *w = argv[i];
                if (w[0] == '-' && w[1]) {
                        const struct cli_opt *o = lookup(cmd, w);
                        if (o && o->type != OPT_BOOL && o->type != OPT_COUNT && !strchr(w, '='))
                                i++;
                        continue;
                }
                if (cmd->subcmds && sub_named(cmd, w)) {
                        cmd = sub_named(cmd, w);
                        continue;
                }
                npos++;
        }
        if (cur[0] == '-') {
                list_flags(cmd, cur, out);
                return 0;
        }
        if (cmd->subcmds) {
                for (const struct cli_cmd *const *s = cmd->subcmds; *s; s++)
                        if (!(*s)->hidden && strncmp((*s)->name, cur, strlen(cur)) == 0)
                                fprintf(out, "%s\n", (*s)->name);
                return 0;
        }
        if (cmd->complete_args && (cmd->max_args < 0 || npos < cmd->max_args))
                cli_complete_names(ctx, cmd->complete_args, cur, out);
        return 0;
}
