/* SPDX-License-Identifier: Apache-2.0 */
/* --help text in cobra's layout, generated from the command tables. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/strbuf.h"

static void flag_column(const struct cli_opt *o, struct strbuf *sb)
{
        if (o->shorthand)
                strbuf_addf(sb, "  -%c, --%s", o->shorthand, o->name);
        else
                strbuf_addf(sb, "      --%s", o->name);
        if (o->type != OPT_BOOL && o->type != OPT_COUNT && o->argname)
                strbuf_addf(sb, " %s", o->argname);
}

static void print_default(FILE *out, const struct cli_opt *o)
{
        /* cobra shows a boolean's default only when it is true */
        if (!o->def || !*o->def || (o->type == OPT_BOOL && strcmp(o->def, "true") != 0))
                return;
        if (o->type == OPT_STRING)
                fprintf(out, " (default \"%s\")", o->def);
        else if (o->type == OPT_STRARRAY || o->type == OPT_STRSLICE)
                fprintf(out, " (default [%s])", o->def);
        else
                fprintf(out, " (default %s)", o->def);
}

static void print_flags(FILE *out, const struct cli_opt *opts)
{
        size_t width = 0;

        for (const struct cli_opt *o = opts; o && o->name; o++) {
                struct strbuf sb = STRBUF_INIT;
                if (o->flags & OPT_HIDDEN)
                        continue;
                flag_column(o, &sb);
                if (sb.len > width)
                        width = sb.len;
                strbuf_release(&sb);
        }
        for (const struct cli_opt *o = opts; o && o->name; o++) {
                struct strbuf sb = STRBUF_INIT;
                if (o->flags & OPT_HIDDEN)
                        continue;
                flag_column(o, &sb);
                fprintf(out, "%-*s   %s", (int)width, sb.buf, o->help ? o->help : "");
                print_default(out, o);
                fputc('\n', out);
                strbuf_release(&sb);
        }
}

static void print_subcommands(FILE *out, const struct cli_cmd *cmd)
{
        size_t width = 11;

        for (const struct cli_cmd *const *s = cmd->subcmds; *s; s++)
                if (!(*s)->hidden && strlen((*s)->name) > width)
                        width = strlen((*s)->name);
        fputs("\nAvailable Commands:\n", out);
        for (const struct cli_cmd *const *s = cmd->subcmds; *s; s++)
                if (!(*s)->hidden)
                        fprintf(out, "  %-*s %s\n", (int)width, (*s)->name, (*s)->summary);
}

static void print_indented(FILE *out, const char *text)
{
        while (*text) {
                size_t n = strcspn(text, "\n");
                fprintf(out, "  %.*s\n", (int)n, text);
                text += n + (text[n] ? 1 : 0);
        }
}

void cli_print_help(FILE *out, const struct cli_cmd *cmd, const char *path)
{
        const char *desc = cmd->description ? cmd->description : cmd->summary;

        fprintf(out, "%s\n", cmd->summary);
        if (cmd != &cli_root) {
                fputs("\nDescription:\n", out);
                print_indented(out, desc);
        }
        fprintf(out, "\nUsage:\n  %s %s\n", path, cmd->use ? cmd->use : cmd->subcmds ? "[command]" : "[options]");
        if (cmd->aliases) {
                fprintf(out, "\nAliases:\n  %s", cmd->name);
                for (const char *const *a = cmd->aliases; *a; a++)
                        fprintf(out, ", %s", *a);
                fputc('\n', out);
        }
        if (cmd->subcmds)
                print_subcommands(out, cmd);
        if (cmd->example) {
                fputs("\nExamples:\n", out);
                print_indented(out, cmd->example);
        }
        if (cmd == &cli_root) {
                fputs("\nOptions:\n", out);
                print_flags(out, cli_global_opts);
        } else if (cmd->opts && cmd->opts->name) {
                fputs("\nOptions:\n", out);
                print_flags(out, cmd->opts);
        }
}
