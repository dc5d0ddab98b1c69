/* SPDX-License-Identifier: Apache-2.0 */
/* version, info, help, completion and the `system` group. */
#include <stdio.h>
#include <string.h>

#include <cpod/info.h>

#include "cli/commands.h"
#include "cli/info-fields.h"
#include "cli/output.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

struct format_opts {
        const char *format;
        bool debug;
};

static const struct cli_opt version_opts[] = {
        OPT_S("format", 'f', struct format_opts, format, NULL, "Change the output format to JSON or a Go template"),
        OPT_END,
};

static int run_version(struct cli_ctx *ctx, void *o, int argc, char **argv)
{
        struct format_opts *opts = o;
        _cleanup_json_ json_t *v = cpod_version_info(), *report = NULL;
        cpod_error_t err = CPOD_ERROR_INIT;
        int r = 0;

        report = json_pack("{s:O}", "Client", v);
        if (opts->format && *opts->format) {
                /* As podman: {{.Client.X}}; and when that fails ({{.Server.X}}, {{.X}}), the template with
                 * ".Server." made "." run on the client's fields (a local engine is its own server). */
                char *buf = NULL;
                size_t len = 0;
                FILE *mem = open_memstream(&buf, &len);
                if (mem && cli_print_object(mem, opts->format, report, false, &err) == 0) {
                        fclose(mem);
                        fwrite(buf, 1, len, stdout);
                } else {
                        _cleanup_free_ char *f = xstrdup(opts->format);
                        for (char *p = strstr(f, ".Server."); p; p = strstr(p, ".Server."))
                                memmove(p + 1, p + 8, strlen(p + 8) + 1);
                        if (mem)
                                fclose(mem);
                        cpod_error_clear(&err);
                        if (cli_print_object(stdout, f, v, false, &err) < 0)
                                r = cli_error(&err);
                }
                free(buf);
                cpod_error_clear(&err);
                return r;
        }
        printf("Version:      %s\n", json_get_str(v, "Version"));
        printf("API Version:  %s\n", json_get_str(v, "APIVersion"));
        printf("C Compiler:   %s\n", json_get_str(v, "CompilerVersion"));
        printf("Git Commit:   %s\n", json_get_str(v, "GitCommit"));
        printf("Built:        %s\n", json_get_str(v, "BuiltTime"));
        printf("OS/Arch:      %s\n", json_get_str(v, "OsArch"));
        return 0;
}

const struct cli_cmd cmd_version = {
        .name = "version",
        .use = "[options]",
        .summary = "Display the cpod version information",
        .description = "Display the cpod version information",
        .example = "cpod version\ncpod version --format json\ncpod version --format '{{.Client.Version}}'",
        .opts = version_opts,
        .opts_size = sizeof(struct format_opts),
        .run = run_version,
        .max_args = 0,
};

static const struct cli_opt info_opts[] = {
        OPT_B("debug", 'D', struct format_opts, debug, "Display additional debug information"),
        OPT_S("format", 'f', struct format_opts, format, NULL, "Change the output format to JSON or a Go template"),
        OPT_END,
};

static int run_info(struct cli_ctx *ctx, void *o, int argc, char **argv)
{
        struct format_opts *opts = o;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt = cli_runtime(ctx, &err);
        _cleanup_json_ json_t *info = NULL;
        int r = 0;

        if (!rt || cpod_system_info(rt, &info, &err) < 0)
                r = cli_error(&err);
        else if (opts->format && *opts->format && strcmp(opts->format, "json") != 0) {
                /* Templates address Go field names, as podman's do. */
                _cleanup_json_ json_t *go = info_go_fields(info);
                if (cli_print_object(stdout, opts->format, go, true, &err) < 0)
                        r = cli_error(&err);
        } else if (cli_print_object(stdout, opts->format, info, true, &err) < 0)
                r = cli_error(&err);
        cpod_error_clear(&err);
        return r;
}

const struct cli_cmd cmd_info = {
        .name = "info",
        .use = "[options]",
        .summary = "Display cpod system information",
        .description = "Display information pertaining to the host, current storage stats, and build of cpod.\n"
                       "Useful for the user and when reporting issues.",
        .example = "cpod info\ncpod info --format json\ncpod info --format '{{.Host.OCIRuntime.Name}}'",
        .opts = info_opts,
        .opts_size = sizeof(struct format_opts),
        .run = run_info,
        .max_args = 0,
};

static int run_help(struct cli_ctx *ctx, void *o, int argc, char **argv)
{
        const struct cli_cmd *cmd = &cli_root;
        char path[256];

        /* the program's name as invoked: the first word of this command's path */
        snprintf(path, sizeof(path), "%.*s", (int)strcspn(ctx->path, " "), ctx->path);

        for (int i = 0; i < argc; i++) {
                const struct cli_cmd *const *s = cmd->subcmds;
                for (; s && *s; s++)
                        if (strcmp((*s)->name, argv[i]) == 0)
                                break;
                if (!s || !*s)
                        return cli_errorf("unknown help topic \"%s\"", argv[i]);
                cmd = *s;
                snprintf(path + strlen(path), sizeof(path) - strlen(path), " %s", cmd->name);
        }
        cli_print_help(stdout, cmd, path);
        return 0;
}

const struct cli_cmd cmd_help = {
        .name = "help",
        .use = "[command]",
        .summary = "Help about any command",
        .run = run_help,
        .max_args = -1,
};

struct completion_opts {
        const char *file;
        bool no_desc;
};

static const struct cli_opt completion_opts[] = {
        OPT_S("file", 'f', struct completion_opts, file, NULL, "Output the completion to file rather than stdout"),
        OPT_B("no-desc", 0, struct completion_opts, no_desc, "Don't include descriptions in the completion output"),
        OPT_END,
};

static int run_completion(struct cli_ctx *ctx, void *o, int argc, char **argv)
{
        struct completion_opts *opts = o;
        FILE *out = stdout;
        int r;

        if (opts->file && strcmp(opts->file, "-") != 0) {
                out = fopen(opts->file, "we");
                if (!out)
                        return cli_errorf("open '%s': %m", opts->file);
        }
        r = cli_completion_script(argv[0], out);
        if (out != stdout && fclose(out) != 0 && r == 0)
                r = cli_errorf("write '%s': %m", opts->file);
        return r;
}

const struct cli_cmd cmd_completion = {
        .name = "completion",
        .use = "[options] bash|zsh|fish",
        .summary = "Generate shell autocompletions",
        .description = "Generate shell autocompletions.\n"
                       "Valid arguments are bash, zsh and fish.",
        .example = "cpod completion bash > /etc/bash_completion.d/cpod\n"
                   "source <(cpod completion bash)",
        .opts = completion_opts,
        .opts_size = sizeof(struct completion_opts),
        .run = run_completion,
        .min_args = 1,
        .max_args = 1,
};

const struct cli_cmd cmd_system = {
        .name = "system",
        .use = "[command]",
        .summary = "Manage cpod",
        .description = "Manage cpod",
        .subcmds = CMD_LIST(&cmd_system_df, &cmd_info, &cmd_system_migrate, &cmd_system_prune, &cmd_system_renumber,
                            &cmd_system_reset, &cmd_system_service),
};
