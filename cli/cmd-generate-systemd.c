/* SPDX-License-Identifier: Apache-2.0 */
/* cpod generate systemd: units for a container or a pod (include/cpod/systemd.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/systemd.h>

#include "cli/commands.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct gensd_opts {
        bool name, files, template_unit, new_ctr, no_header;
        unsigned long start_timeout, stop_timeout, time, restart_sec;
        const char *ctr_prefix, *pod_prefix, *separator, *restart_policy, *format;
        struct strv wants, after, requires, env;
};

#define G(name, sh, type, field, argname, def, help) OPT(name, sh, type, struct gensd_opts, field, argname, def, help)

static const struct cli_opt gensd_opts[] = {
        G("after", 0, OPT_STRARRAY, after, "stringArray", NULL, "Add dependencies order to the generated unit file"),
        G("container-prefix", 0, OPT_STRING, ctr_prefix, "string", "container",
          "Systemd unit name prefix for containers"),
        G("env", 'e', OPT_STRARRAY, env, "stringArray", NULL, "Set environment variables to the systemd unit files"),
        G("files", 'f', OPT_BOOL, files, NULL, NULL, "Generate .service files instead of printing to stdout"),
        G("format", 0, OPT_STRING, format, "string", NULL, "Print the created units in specified format (json)"),
        G("name", 'n', OPT_BOOL, name, NULL, NULL, "Use container/pod names instead of IDs"),
        G("new", 0, OPT_BOOL, new_ctr, NULL, NULL, "Create a new container or pod instead of starting an existing one"),
        G("no-header", 0, OPT_BOOL, no_header, NULL, NULL, "Skip header generation"),
        G("pod-prefix", 0, OPT_STRING, pod_prefix, "string", "pod", "Systemd unit name prefix for pods"),
        G("requires", 0, OPT_STRARRAY, requires, "stringArray", NULL,
          "Similar to wants, but declares stronger requirement dependencies"),
        G("restart-policy", 0, OPT_STRING, restart_policy, "string", "on-failure", "Systemd restart-policy"),
        G("restart-sec", 0, OPT_UINT, restart_sec, "uint", NULL, "Systemd restart-sec"),
        G("separator", 0, OPT_STRING, separator, "string", "-",
          "Systemd unit name separator between name/id and prefix"),
        G("start-timeout", 0, OPT_UINT, start_timeout, "uint", NULL, "Start timeout override"),
        G("stop-timeout", 0, OPT_UINT, stop_timeout, "uint", "10", "Stop timeout override"),
        G("template", 0, OPT_BOOL, template_unit, NULL, NULL,
          "Make it a template file and use %i and %I specifiers. Working only for containers"),
        { "time", 't', OPT_UINT, offsetof(struct gensd_opts, time), "uint", "Backwards alias for --stop-timeout", "10",
          OPT_HIDDEN },
        G("wants", 0, OPT_STRARRAY, wants, "stringArray", NULL,
          "Add (weak) requirement dependencies to the generated unit file"),
        OPT_END,
};

static int table_takes_value(const struct cli_opt *table, const char *name)
{
        for (const struct cli_opt *o = table; o && o->name; o++) {
                bool hit = name[1] ? strcmp(o->name, name) == 0 : o->shorthand == name[0];
                if (!hit)
                        continue;
                if (o->type == OPT_BOOL || o->type == OPT_COUNT || (o->flags & OPT_OPTIONAL_ARG))
                        return 0;
                return 1;
        }
        return -1;
}

/* Which flags take a value: the stored create command is parsed with run's own table and the global one
 * (global flags are accepted after the command too). */
static int run_flag_takes_value(const char *name, void *data)
{
        int r = table_takes_value(cmd_run.opts, name);

        (void)data;
        return r >= 0 ? r : table_takes_value(cli_global_opts, name);
}

/* --env KEY=VALUE, or KEY for the value in cpod's own environment (dropped when unset, as podman). */
static char **unit_env(const struct strv *in)
{
        char **v = NULL;

        for (size_t i = 0; i < in->n; i++) {
                const char *e = in->v[i], *val;
                if (strchr(e, '='))
                        strv_add(&v, e);
                else if ((val = getenv(e)))
                        strv_take(&v, xasprintf("%s=%s", e, val));
        }
        return v;
}

/* --files: each unit to NAME.service in the working directory; the object then maps names to paths. */
static int write_units(json_t *units, bool template_unit)
{
        char cwd[PATH_MAX];
        const char *k;
        json_t *v;

        if (!getcwd(cwd, sizeof(cwd)))
                return cli_errorf("getting current working directory: %m");
        json_object_foreach(units, k, v) {
                cpod_error_t err = CPOD_ERROR_INIT;
                /* a template's file name has the "@" systemd instantiates it by (podman 4.3.1 leaves it out) */
                _cleanup_free_ char *path = xasprintf("%s/%s%s.service", cwd, k, template_unit ? "@" : "");
                const char *text = json_string_value(v);
                if (write_file(path, text, strlen(text), 0644, &err) < 0)
                        return cli_fail(&err);
                json_object_set_new(units, k, json_string(path));
        }
        return 0;
}

static int print_units(json_t *units, const char *format, bool files)
{
        const char *k;
        json_t *v;

        if (format && strcmp(format, "json") == 0) {
                _cleanup_free_ char *s = json_dumps(units, JSON_INDENT(1) | JSON_SORT_KEYS);
                printf("%s\n", s);
                return 0;
        }
        json_object_foreach(units, k, v)
                printf("%s%s", json_string_value(v), files ? "\n" : "");
        return 0;
}

static int check_flags(struct cli_ctx *ctx, struct gensd_opts *o)
{
        if (o->format && *o->format && strcmp(o->format, "json") != 0)
                return cli_errorf("unknown --format argument: %s", o->format);
        if (cli_changed(ctx, "new") && !o->new_ctr && o->template_unit)
                return cli_errorf("--template cannot be set with --new=false");
        if (cli_changed(ctx, "stop-timeout") && cli_changed(ctx, "time"))
                return cli_errorf("stop-timeout and time are redundant and cannot be used together");
        return 0;
}

static int run_gensd(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct gensd_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *units = NULL;
        _cleanup_strv_ char **env = unit_env(&o->env), **global = NULL;
        _cleanup_free_ char *exe = realpath("/proc/self/exe", NULL);
        struct cpod_systemd_opts so = {
                .executable = exe ? exe : "/usr/bin/cpod",
                .use_name = o->name,
                .new_ctr = o->new_ctr || o->template_unit,
                .no_header = o->no_header,
                .template_unit = o->template_unit,
                .restart_policy = cli_changed(ctx, "restart-policy") ? o->restart_policy : NULL,
                .restart_sec = cli_changed(ctx, "restart-sec") ? (int64_t)o->restart_sec : -1,
                .start_timeout = cli_changed(ctx, "start-timeout") ? (int64_t)o->start_timeout : -1,
                .stop_timeout = cli_changed(ctx, "stop-timeout") ? (int64_t)o->stop_timeout
                                : cli_changed(ctx, "time")       ? (int64_t)o->time
                                                                 : -1,
                .ctr_prefix = o->ctr_prefix,
                .pod_prefix = o->pod_prefix,
                .separator = o->separator,
                .wants = (char *const *)o->wants.v,
                .after = (char *const *)o->after.v,
                .requires = (char *const *)o->requires.v,
                .env = env,
                .takes_value = run_flag_takes_value,
        };
        int r;

        (void)argc;
        if ((r = check_flags(ctx, o)))
                return r;
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        /* Units that start an existing container must reach it in this store. */
        if (ctx->g.root || ctx->g.runroot) {
                strv_add(&global, "--root");
                strv_add(&global, cpod_runtime_root(ctx->rt));
                strv_add(&global, "--runroot");
                strv_add(&global, cpod_runtime_runroot(ctx->rt));
                so.global_flags = global;
        }
        if (cpod_generate_systemd(ctx->rt, argv[0], &so, &units, &err) < 0)
                return cli_fail(&err);
        if (o->files && (r = write_units(units, o->template_unit)))
                return r;
        return print_units(units, o->format, o->files && !(o->format && *o->format));
}

const struct cli_cmd cmd_generate_systemd = {
        .name = "systemd",
        .use = "[options] {CONTAINER|POD}",
        .summary = "Generate systemd units.",
        .description = "Generate systemd units for a pod or container.\nThe generated units can later be controlled "
                       "via systemctl(1).",
        .example = "cpod generate systemd CTR\ncpod generate systemd --new --time 10 CTR\ncpod generate systemd "
                   "--files --name POD",
        .opts = gensd_opts,
        .opts_size = sizeof(struct gensd_opts),
        .run = run_gensd,
        .min_args = 1,
        .max_args = 1,
        .complete_args = "containers",
};
