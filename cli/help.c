/* SPDX-License-Identifier: Apache-2.0 */
/* --help text in cobra's layout, generated from the command tables. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/strbuf.h"

/*
 * Help text with the word "cpod" replaced by the name cpod was invoked as (podman, through a link);
 * with indent, every line is indented by two.
 */
static void put_text(FILE *out, const char *text, const char *prog, bool indent)
{
        int plen = (int)strcspn(prog, " ");
        bool bol = true;

        for (const char *t = text; *t; t++) {
                bool word_start = t == text || !(isalnum((unsigned char)t[-1]) || t[-1] == '-' || t[-1] == '/');
                if (bol && indent && *t != '\n')
                        fputs("  ", out);
                bol = false;
                if (word_start && strncmp(t, "cpod", 4) == 0 && !isalnum((unsigned char)t[4]) && t[4] != '-' &&
                    t[4] != '_' && t[4] != '(') {
                        fprintf(out, "%.*s", plen, prog);
                        t += 3;
                        continue;
                }
                fputc(*t, out);
                bol = *t == '\n';
        }
        if (indent && !bol)
                fputc('\n', out);
}

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

static void print_flags(FILE *out, const struct cli_opt *opts, const char *prog)
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
                fprintf(out, "%-*s   ", (int)width, sb.buf);
                put_text(out, o->help ? o->help : "", prog, false);
                print_default(out, o);
                fputc('\n', out);
                strbuf_release(&sb);
        }
}

static void print_subcommands(FILE *out, const struct cli_cmd *cmd, const char *prog)
{
        size_t width = 11;

        for (const struct cli_cmd *const *s = cmd->subcmds; *s; s++)
                if (!(*s)->hidden && strlen((*s)->name) > width)
                        width = strlen((*s)->name);
        fputs("\nAvailable Commands:\n", out);
        for (const struct cli_cmd *const *s = cmd->subcmds; *s; s++)
                if (!(*s)->hidden) {
                        fprintf(out, "  %-*s ", (int)width, (*s)->name);
                        put_text(out, (*s)->summary, prog, false);
                        fputc('\n', out);
                }
}

void cli_print_help(FILE *out, const struct cli_cmd *cmd, const char *path)
{
        const char *desc = cmd->description ? cmd->description : cmd->summary;

        put_text(out, cmd->summary, path, false);
        fputc('\n', out);
        if (cmd != &cli_root) {
                fputs("\nDescription:\n", out);
                put_text(out, desc, path, true);
        }
        fprintf(out, "\nUsage:\n  %s %s\n", path, cmd->use ? cmd->use : cmd->subcmds ? "[command]" : "[options]");
        if (cmd->aliases) {
                fprintf(out, "\nAliases:\n  %s", cmd->name);
                for (const char *const *a = cmd->aliases; *a; a++)
                        fprintf(out, ", %s", *a);
                fputc('\n', out);
        }
        if (cmd->subcmds)
                print_subcommands(out, cmd, path);
        if (cmd->example) {
                fputs("\nExamples:\n", out);
                put_text(out, cmd->example, path, true);
        }
        if (cmd == &cli_root) {
                fputs("\nOptions:\n", out);
                print_flags(out, cli_global_opts, path);
        } else if (cmd->opts && cmd->opts->name) {
                fputs("\nOptions:\n", out);
                print_flags(out, cmd->opts, path);
        }
}
