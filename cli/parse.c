/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Command-line parsing in pflag's dialect: --flag value, --flag=value,
 * -f value, -fvalue, clustered short booleans (-dit), --bool=false, "--"
 * to end flags.  Flags may follow positionals unless the command says
 * otherwise (run and exec stop at the image/container argument).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <cpod/log.h>

#include "cli/cli.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct parse_state {
        struct cli_ctx *ctx;
        const struct cli_cmd *cmd;
        void *opts; /* the leaf command's options struct */
        char **pos;
        int npos;
        bool flags_done;
};

void cli_strv_push(struct strv *sv, const char *s)
{
        sv->v = xreallocarray(sv->v, sv->n + 2, sizeof(*sv->v));
        sv->v[sv->n++] = s;
        sv->v[sv->n] = NULL;
}

void cli_strv_push_owned(struct strv *sv, char *s)
{
        strv_take(&sv->owned, s);
        cli_strv_push(sv, s);
}

void cli_strv_release(struct strv *sv)
{
        free(sv->v);
        strv_free(sv->owned);
        memset(sv, 0, sizeof(*sv));
}

/* Free what parsing allocated for an options struct: its flag lists. */
static void release_opts(const struct cli_opt *opts, void *base)
{
        for (const struct cli_opt *o = opts; base && o && o->name; o++)
                if (o->type == OPT_STRARRAY || o->type == OPT_STRSLICE)
                        cli_strv_release((struct strv *)((char *)base + o->offset));
}

int cli_platform_split(const char *platform, const char **os, const char **arch, const char **variant, char *store[3])
{
        char *p, *a, *v;

        if (!platform || !*platform)
                return 0;
        if (*arch || *os)
                return cli_errorf("--platform option can not be specified with --arch or --os");
        p = xstrdup(platform);
        a = strchr(p, '/');
        if (!a || !a[1] || a == p) {
                free(p);
                return cli_errorf("invalid platform syntax for --platform=%s: use OS/ARCH[/VARIANT]", platform);
        }
        *a++ = '\0';
        v = strchr(a, '/');
        if (v)
                *v++ = '\0';
        store[0] = p;
        store[1] = xstrdup(a);
        store[2] = v && *v ? xstrdup(v) : NULL;
        *os = store[0];
        *arch = store[1];
        if (store[2])
                *variant = store[2];
        return 0;
}

json_t *cli_strv_json(const struct strv *sv)
{
        return json_strv((char *const *)sv->v, (int)sv->n);
}

static int parse_bool(const char *s, bool *ret)
{
        static const char *const t[] = { "1", "t", "T", "true", "TRUE", "True" };
        static const char *const f[] = { "0", "f", "F", "false", "FALSE", "False" };

        for (size_t i = 0; i < 6; i++) {
                if (strcmp(s, t[i]) == 0) {
                        *ret = true;
                        return 0;
                }
                if (strcmp(s, f[i]) == 0) {
                        *ret = false;
                        return 0;
                }
        }
        return -1;
}

static void flag_label(const struct cli_opt *o, struct strbuf *sb)
{
        if (o->shorthand)
                strbuf_addf(sb, "-%c, ", o->shorthand);
        strbuf_addf(sb, "--%s", o->name);
}

static int bad_value(const struct cli_opt *o, const char *val, const char *why)
{
        struct strbuf sb = STRBUF_INIT;
        int r;

        flag_label(o, &sb);
        r = cli_errorf("invalid argument \"%s\" for \"%s\" flag: %s", val, sb.buf, why);
        strbuf_release(&sb);
        return r;
}

/* Store one value; returns 0 or an exit code after printing the error. */
static int set_value(const struct cli_opt *o, void *base, const char *val)
{
        void *field = (char *)base + o->offset;
        char *end;

        switch (o->type) {
        case OPT_BOOL:
                if (parse_bool(val, (bool *)field) < 0)
                        return bad_value(o, val, "invalid boolean");
                return 0;
        case OPT_STRING:
                *(const char **)field = val;
                return 0;
        case OPT_INT: {
                long v;
                errno = 0;
                v = strtol(val, &end, 0);
                if (errno || end == val || *end)
                        return bad_value(o, val, "invalid syntax");
                *(long *)field = v;
                return 0;
        }
        case OPT_UINT: {
                unsigned long v;
                errno = 0;
                v = strtoul(val, &end, 0);
                if (errno || end == val || *end || val[0] == '-')
                        return bad_value(o, val, "invalid syntax");
                *(unsigned long *)field = v;
                return 0;
        }
        case OPT_STRARRAY:
                cli_strv_push((struct strv *)field, val);
                return 0;
        case OPT_STRSLICE: {
                char *copy = xstrdup(val), *save = NULL; /* the list owns it: its entries point into it */
                strv_take(&((struct strv *)field)->owned, copy);
                if (!*copy) {
                        cli_strv_push((struct strv *)field, copy);
                        return 0;
                }
                for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
                        cli_strv_push((struct strv *)field, t);
                return 0;
        }
        case OPT_COUNT:
                (*(int *)field)++;
                return 0;
        }
        return 0;
}

static void apply_defaults(const struct cli_opt *opts, void *base)
{
        for (const struct cli_opt *o = opts; o && o->name; o++) {
                if (!o->def)
                        continue;
                if (o->type == OPT_STRARRAY || o->type == OPT_STRSLICE)
                        continue; /* list defaults are applied by the command when unchanged */
                (void)set_value(o, base, o->def);
        }
}

static const struct cli_opt *find_in(const struct cli_opt *opts, const char *name, size_t n, char sh)
{
        for (const struct cli_opt *o = opts; o && o->name; o++) {
                if (sh ? o->shorthand == sh : strlen(o->name) == n && strncmp(o->name, name, n) == 0)
                        return o;
        }
        return NULL;
}

/* podman's old flag names (its AliasFlags and TimeoutAliasFlags), tried when a command lacks the name given. */
static const char *flag_alias(const char *name, size_t n)
{
        static const char *const aliases[][2] = {
                { "dns-opt", "dns-option" },
                { "healthcheck-command", "health-cmd" },
                { "healthcheck-interval", "health-interval" },
                { "healthcheck-retries", "health-retries" },
                { "healthcheck-start-period", "health-start-period" },
                { "healthcheck-timeout", "health-timeout" },
                { "net", "network" },
                { "namespace", "ns" },
                { "storage", "external" },
                { "purge", "rm" },
                { "notruncate", "no-trunc" },
                { "override-arch", "arch" },
                { "override-os", "os" },
                { "override-variant", "variant" },
                { "timeout", "time" },
        };

        for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
                if (strlen(aliases[i][0]) == n && strncmp(aliases[i][0], name, n) == 0)
                        return aliases[i][1];
        return NULL;
}

/* Look a flag up in the leaf command, then in the global table. *ret_base says where to store it. */
static const struct cli_opt *find_flag(struct parse_state *ps, const char *name, size_t n, char sh, void **ret_base)
{
        const struct cli_opt *o = NULL;
        const char *alias;

        if (ps->opts && (o = find_in(ps->cmd->opts, name, n, sh))) {
                *ret_base = ps->opts;
                return o;
        }
        if (ps->opts && !sh && (alias = flag_alias(name, n)) && (o = find_in(ps->cmd->opts, alias, strlen(alias), 0))) {
                *ret_base = ps->opts;
                return o;
        }
        if (ps->cmd == &cli_root && sh == 'v' && (o = find_in(cli_global_opts, "version", 7, 0))) {
                *ret_base = &ps->ctx->g;
                return o;
        }
        o = find_in(cli_global_opts, name, n, sh);
        *ret_base = &ps->ctx->g;
        if (!o && sh == 'h')
                o = find_in(cli_global_opts, "help", 4, 0);
        return o;
}

static void mark_changed(struct cli_ctx *ctx, const struct cli_opt *o)
{
        if (ctx->n_changed < sizeof(ctx->changed) / sizeof(ctx->changed[0]))
                ctx->changed[ctx->n_changed++] = o;
}

bool cli_changed(const struct cli_ctx *ctx, const char *name)
{
        for (size_t i = 0; i < ctx->n_changed; i++)
                if (strcmp(ctx->changed[i]->name, name) == 0)
                        return true;
        return false;
}

/* The one place that prints "Error: ...": stdout is flushed first so the two streams keep their order. */
static void error_line(const char *msg)
{
        fflush(stdout);
        fprintf(stderr, "Error: %s\n", msg);
}

static struct timespec log_start;
static bool log_syslog; /* --syslog: each log line goes to syslog(3) too */

/* podman's logrus text lines: "WARN[0000] message", seconds since the command started. */
static void log_line(const char *tag, int prio, const char *msg)
{
        struct timespec now;

        clock_gettime(CLOCK_MONOTONIC, &now);
        fflush(stdout);
        fprintf(stderr, "%s[%04ld] %s\n", tag, (long)(now.tv_sec - log_start.tv_sec), msg);
        if (log_syslog)
                syslog(prio, "%s", msg);
}

static void log_handler(enum cpod_log_level level, const char *msg, void *userdata)
{
        static const char *const tags[] = { "TRAC", "DEBU", "INFO", "WARN", "ERRO", "FATA", "PANI" };
        static const int prio[] = { LOG_DEBUG, LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR, LOG_CRIT, LOG_ALERT };

        log_line(tags[level], prio[level], msg);
}

void cli_warn(const char *msg, void *userdata)
{
        if (cpod_log_enabled(CPOD_LOG_WARN))
                log_line("WARN", LOG_WARNING, msg);
}

static int unknown_flag(struct parse_state *ps, const char *what)
{
        error_line(what);
        fprintf(stderr, "See '%s --help'\n", ps->ctx->path);
        return 125;
}

static int parse_long(struct parse_state *ps, int argc, char **argv, int *i)
{
        const char *arg = argv[*i] + 2, *eq = strchr(arg, '=');
        size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
        void *base;
        const struct cli_opt *o = find_flag(ps, arg, n, 0, &base);
        struct strbuf sb = STRBUF_INIT;
        int r;

        if (!o) {
                strbuf_addf(&sb, "unknown flag: --%.*s", (int)n, arg);
                r = unknown_flag(ps, sb.buf);
                strbuf_release(&sb);
                return r;
        }
        mark_changed(ps->ctx, o);
        if (eq)
                return set_value(o, base, eq + 1);
        if (o->type == OPT_BOOL)
                return set_value(o, base, "true");
        if (o->type == OPT_COUNT)
                return set_value(o, base, "");
        if (o->flags & OPT_OPTIONAL_ARG)
                return set_value(o, base, o->def ? o->def : "");
        if (*i + 1 >= argc) {
                _cleanup_free_ char *m = xasprintf("flag needs an argument: --%s", o->name);
                return unknown_flag(ps, m);
        }
        return set_value(o, base, argv[++*i]);
}

static int parse_short(struct parse_state *ps, int argc, char **argv, int *i)
{
        const char *arg = argv[*i];

        for (const char *p = arg + 1; *p; p++) {
                void *base;
                const struct cli_opt *o = find_flag(ps, NULL, 0, *p, &base);
                struct strbuf sb = STRBUF_INIT;
                int r;

                if (!o) {
                        strbuf_addf(&sb, "unknown shorthand flag: '%c' in %s", *p, arg);
                        r = unknown_flag(ps, sb.buf);
                        strbuf_release(&sb);
                        return r;
                }
                mark_changed(ps->ctx, o);
                if (o->type == OPT_BOOL || o->type == OPT_COUNT) {
                        if (p[1] == '=') /* -d=false */
                                return set_value(o, base, p + 2);
                        if ((r = set_value(o, base, o->type == OPT_BOOL ? "true" : "")))
                                return r;
                        continue;
                }
                if (p[1])
                        return set_value(o, base, p[1] == '=' ? p + 2 : p + 1);
                if (*i + 1 >= argc) {
                        _cleanup_free_ char *m = xasprintf("flag needs an argument: '%c' in %s", *p, arg);
                        return unknown_flag(ps, m);
                }
                return set_value(o, base, argv[++*i]);
        }
        return 0;
}

static const struct cli_cmd *find_sub(const struct cli_cmd *cmd, const char *name)
{
        for (const struct cli_cmd *const *s = cmd->subcmds; s && *s; s++) {
                if (strcmp((*s)->name, name) == 0)
                        return *s;
                for (const char *const *a = (*s)->aliases; a && *a; a++)
                        if (strcmp(*a, name) == 0)
                                return *s;
        }
        return NULL;
}

static void enter_cmd(struct parse_state *ps, const struct cli_cmd *cmd)
{
        size_t len = strlen(ps->ctx->path);

        ps->cmd = cmd;
        ps->ctx->cmd = cmd;
        snprintf(ps->ctx->path + len, sizeof(ps->ctx->path) - len, " %s", cmd->name);
        if (!cmd->subcmds) {
                ps->opts = xzalloc(cmd->opts_size ? cmd->opts_size : 1);
                apply_defaults(cmd->opts, ps->opts);
        }
}

static int parse_args(struct parse_state *ps, int argc, char **argv)
{
        ps->pos = xnew0(char *, (size_t)argc + 1);
        for (int i = 1; i < argc; i++) {
                const char *a = argv[i];
                int r = 0;

                if (!ps->flags_done && a[0] == '-' && a[1]) {
                        if (strcmp(a, "--") == 0) {
                                ps->flags_done = true;
                                continue;
                        }
                        r = a[1] == '-' ? parse_long(ps, argc, argv, &i) : parse_short(ps, argc, argv, &i);
                        if (r)
                                return r;
                        continue;
                }
                if (ps->cmd->subcmds && ps->npos == 0) {
                        const struct cli_cmd *sub = find_sub(ps->cmd, a);
                        if (!sub) {
                                if (ps->ctx->g.help)
                                        continue;
                                _cleanup_free_ char *m = xasprintf("unrecognized command `%s %s`", ps->ctx->path, a);
                                error_line(m);
                                fprintf(stderr, "Try '%s --help' for more information\n", ps->ctx->path);
                                return 125;
                        }
                        enter_cmd(ps, sub);
                        continue;
                }
                ps->pos[ps->npos++] = argv[i];
                if (ps->cmd->no_interspersed)
                        ps->flags_done = true;
        }
        return 0;
}

static int check_nargs(const struct cli_cmd *cmd, const char *path, int n)
{
        if (cmd->max_args == 0 && n > 0)
                return cli_errorf("`%s` takes no arguments", path);
        if (cmd->min_args == cmd->max_args && n != cmd->min_args)
                return cli_errorf("accepts %d arg(s), received %d", cmd->min_args, n);
        if (n < cmd->min_args)
                return cli_errorf("requires at least %d arg(s), only received %d", cmd->min_args, n);
        if (cmd->max_args >= 0 && n > cmd->max_args)
                return cli_errorf("accepts at most %d arg(s), received %d", cmd->max_args, n);
        return 0;
}

static int setup_logging(struct cli_ctx *ctx)
{
        enum cpod_log_level lvl;

        if (cpod_log_level_parse(ctx->g.log_level, &lvl) < 0) {
                /* podman's words, its exit code 1, and no "Error:" */
                fprintf(stderr,
                        "Log Level \"%s\" is not supported, choose from: trace, debug, info, warn, warning, error, "
                        "fatal, panic\n",
                        ctx->g.log_level);
                return 1;
        }
        clock_gettime(CLOCK_MONOTONIC, &log_start);
        if (ctx->g.syslog) {
                openlog(ctx->path, LOG_PID, LOG_USER);
                log_syslog = true;
        }
        cpod_log_set_handler(log_handler, NULL);
        cpod_log_set_level(lvl);
        return 0;
}

/* The remote client needs the API service, which cpod does not have yet: say so rather than run locally. */
static int check_remote(struct cli_ctx *ctx)
{
        const char *flag = ctx->g.remote       ? "--remote"
                           : ctx->g.url        ? "--url"
                           : ctx->g.connection ? "--connection"
                           : ctx->g.identity   ? "--identity"
                                               : NULL;

        if (!flag)
                return 0;
        return cli_errorf("%s: cpod has no remote client: there is no API service to connect to", flag);
}

/* Parse, then run the command; returns the exit code.  cli_main frees what this leaves. */
static int parse_and_run(struct cli_ctx *ctx, struct parse_state *ps, int argc, char **argv)
{
        int r;

        if (argc > 1 && (strcmp(argv[1], "__complete") == 0 || strcmp(argv[1], "__completeNoDesc") == 0))
                return cli_complete(ctx, argc - 2, argv + 2, strcmp(argv[1], "__complete") == 0, stdout);
        if ((r = parse_args(ps, argc, argv)))
                return r;
        if (ctx->g.help) {
                cli_print_help(stdout, ps->cmd, ctx->path);
                return 0;
        }
        if (ctx->g.version && ps->cmd == &cli_root) {
                printf("cpod version %s\n", cpod_version());
                return 0;
        }
        if ((r = setup_logging(ctx)) || (r = check_remote(ctx)))
                return r;
        /* --noout: podman sends stdout to /dev/null; errors and logs still reach stderr. */
        if (ctx->g.noout && !freopen("/dev/null", "w", stdout))
                return cli_errorf("--noout: opening /dev/null: %s", strerror(errno));
        if (ps->cmd->subcmds && !ps->cmd->run) {
                cli_print_help(stderr, ps->cmd, ctx->path);
                return cli_errorf("missing command '%s COMMAND'", ctx->path);
        }
        if ((r = cli_apply_latest(ctx, ps->cmd, ps->opts, ps->pos, &ps->npos)) ||
            (r = check_nargs(ps->cmd, ctx->path, ps->npos)))
                return r;
        return ps->cmd->run(ctx, ps->opts, ps->npos, ps->pos);
}

int cli_main(int argc, char **argv)
{
        struct cli_ctx ctx = { 0 };
        struct parse_state ps = { .ctx = &ctx, .cmd = &cli_root };
        int r;

        /* Usage and help name the program as it was invoked: cpod, or podman through a link. */
        snprintf(ctx.path, sizeof(ctx.path), "%s",
                 argc > 0 && argv[0] && *argv[0] ? (strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0])
                                                 : "cpod");
        ctx.cmd = &cli_root;
        ctx.argc = argc;
        ctx.argv = argv;
        apply_defaults(cli_global_opts, &ctx.g);
        r = parse_and_run(&ctx, &ps, argc, argv);
        /* Every way out comes here: the runtime handle, the options, their lists. */
        cpod_runtime_unref(ctx.rt);
        release_opts(cli_global_opts, &ctx.g);
        if (ps.opts)
                release_opts(ps.cmd->opts, ps.opts);
        free(ps.opts);
        free(ps.pos);
        free(ctx.latest_id);
        return r;
}

int cli_exit_code(const cpod_error_t *err)
{
        switch (err->kind) {
        case CPOD_E_CMD_NOT_FOUND:
                return 127;
        case CPOD_E_CMD_PERM:
        case CPOD_E_OCI:
                return 126;
        default:
                return 125;
        }
}

int cli_error(const cpod_error_t *err)
{
        error_line(*cpod_error_msg(err) ? cpod_error_msg(err) : "unknown error");
        return cli_exit_code(err);
}

int cli_fail(cpod_error_t *err)
{
        int r = cli_error(err);

        cpod_error_clear(err);
        return r;
}

int cli_exists_rc(int r, cpod_error_t *err, enum cpod_error_kind missing)
{
        if (r == 0)
                return 0;
        if (err->kind == missing) {
                cpod_error_clear(err);
                return 1;
        }
        return cli_fail(err);
}

int cli_errorf(const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;

        va_start(ap, fmt);
        msg = xvasprintf(fmt, ap);
        va_end(ap);
        error_line(msg);
        return 125;
}

json_t *cli_create_command(const struct cli_ctx *ctx)
{
        return json_strv(ctx->argv, ctx->argc);
}

void cli_runtime_opts(const struct cli_ctx *ctx, struct cpod_runtime_opts *ret)
{
        struct cpod_runtime_opts o = {
                .root = ctx->g.root,
                .runroot = ctx->g.runroot,
                .storage_driver = ctx->g.storage_driver,
                .storage_opts = ctx->g.storage_opts.v,
                .runtime = ctx->g.runtime,
                .cgroup_manager = ctx->g.cgroup_manager,
                .conmon = ctx->g.conmon,
                .config_path = ctx->g.config,
                .tmpdir = ctx->g.tmpdir,
                .network_backend = ctx->g.network_backend,
                .network_config_dir = ctx->g.network_config_dir,
                .events_backend = ctx->g.events_backend,
                .runtime_flags = (const char *const *)ctx->g.runtime_flags.v,
                .hooks_dirs = ctx->g.hooks_dirs.n ? (const char *const *)ctx->g.hooks_dirs.v : NULL,
                .volume_path = ctx->g.volumepath,
        };

        *ret = o;
}

struct cpod_runtime *cli_runtime(struct cli_ctx *ctx, cpod_error_t *err)
{
        struct cpod_runtime_opts o;

        cli_runtime_opts(ctx, &o);

        if (ctx->rt)
                return ctx->rt;
        if (cpod_runtime_open(&o, &ctx->rt, err) < 0)
                return NULL;
        cpod_runtime_set_warning_handler(ctx->rt, cli_warn, NULL);
        return ctx->rt;
}
