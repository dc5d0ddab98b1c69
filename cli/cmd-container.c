/* SPDX-License-Identifier: Apache-2.0 */
/* Container commands acting on existing containers: start, stop, kill, rm, wait, restart, init, ... */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/container.h>
#include <cpod/pod.h>

#include "cli/commands.h"
#include "cli/ctr-filter.h"
#include "cli/parallel.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/signals.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct multi_opts {
        bool all, ignore, force, latest, volumes, attach, interactive, sig_proxy, depend, external, running;
        long time;
        const char *signal, *detach_keys, *condition_s;
        struct strv cidfile, condition, filter;
        const char *interval;
};

/* Does a listed container pass --all's state selection (NULL: every state)? */
static bool in_state(json_t *c, const char *state)
{
        return !state || strcmp(json_get_str(c, "State"), state) == 0;
}

/* --filter: the matching containers (in `state`), and of the names given only those. */
static int filtered_names(struct cli_ctx *ctx, struct multi_opts *o, int argc, char **argv, const char *state,
                          char ***v)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *all = NULL;
        struct cpod_ctr_filter *f = NULL;
        size_t i;
        json_t *c;
        int r;

        if ((r = ctr_filter_parse(ctx, &o->filter, &f)))
                return r;
        if (cpod_ctr_list(ctx->rt, true, &all, &err) < 0) {
                ctr_filter_free(f);
                return cli_fail(&err);
        }
        json_array_foreach(all, i, c) {
                const char *id = json_get_str(c, "Id");
                const char *name = json_string_value(json_array_get(json_object_get(c, "Names"), 0));
                bool named = argc == 0;
                for (int k = 0; k < argc && !named; k++)
                        named = strcmp(argv[k], id) == 0 || (name && strcmp(argv[k], name) == 0);
                if (named && in_state(c, state) && ctr_filter_match(f, c))
                        strv_add(v, id);
        }
        ctr_filter_free(f);
        return 0;
}

/* Names from args, --cidfile, --all or --latest (containers in `state`, NULL for all), or --filter. */
static int collect_names(struct cli_ctx *ctx, struct multi_opts *o, int argc, char **argv, const char *state,
                         char ***ret)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        char **v = xnew0(char *, 1);
        int r;

        if (o->filter.n) {
                if ((r = filtered_names(ctx, o, argc, argv, state, &v))) {
                        strv_free(v);
                        return r;
                }
                *ret = v;
                return 0;
        }
        for (int i = 0; i < argc; i++)
                strv_add(&v, argv[i]);
        for (size_t i = 0; i < o->cidfile.n; i++) {
                char *id = read_line_file(o->cidfile.v[i]);
                if (!id) {
                        if (o->ignore)
                                continue;
                        strv_free(v);
                        return cli_errorf("reading CIDFile: open %s: no such file or directory", o->cidfile.v[i]);
                }
                strv_take(&v, id);
        }
        if (o->all || o->latest) {
                _cleanup_json_ json_t *all = NULL;
                size_t i;
                json_t *c;
                if (cpod_ctr_list(ctx->rt, !state || strcmp(state, "running") != 0, &all, &err) < 0) {
                        strv_free(v);
                        return cli_fail(&err);
                }
                json_array_foreach(all, i, c) {
                        if (o->all && !in_state(c, state))
                                continue;
                        strv_add(&v, json_get_str(c, "Id"));
                        if (o->latest)
                                break;
                }
        }
        *ret = v;
        return 0;
}

typedef int (*multi_op)(struct cli_ctx *, struct multi_opts *, const char *, cpod_error_t *);

struct multi_job {
        struct multi_opts *o;
        char **names;
        multi_op op;
};

static int multi_job_one(struct cli_ctx *wctx, size_t i, void *ud, cpod_error_t *err)
{
        struct multi_job *j = ud;

        return j->op(wctx, j->o, j->names[i], err);
}

/*
 * Run op on each name (on a pool of workers when par: the containers are independent of each
 * other); print what podman prints, in the order given; keep going after errors; return the worst
 * exit code.
 */
static int for_each(struct cli_ctx *ctx, char **names, bool print, bool par, multi_op op, struct multi_opts *o)
{
        struct multi_job j = { .o = o, .names = names, .op = op };
        size_t n = strv_length(names);
        _cleanup_free_ int *rets = xnew0(int, n + 1);
        cpod_error_t *errs = xnew0(cpod_error_t, n + 1);
        int rc = 0;

        if (par)
                cli_parallel(ctx, n, multi_job_one, &j, rets, errs);
        for (size_t i = 0; i < n; i++) {
                cpod_error_t *err = &errs[i];
                int r = par ? rets[i] : op(ctx, o, names[i], err);
                if (r > 0) /* nothing to do (start of a running container): podman prints nothing */
                        continue;
                if (r == 0) {
                        if (print)
                                printf("%s\n", names[i]);
                        continue;
                }
                if (o->ignore && err->kind == CPOD_E_NO_SUCH_CTR) {
                        cpod_error_clear(err);
                        continue;
                }
                rc = cli_fail(err);
        }
        free(errs);
        return rc;
}

static int need_names(struct multi_opts *o, int argc)
{
        if (argc == 0 && !o->all && !o->latest && o->cidfile.n == 0 && o->filter.n == 0)
                return cli_errorf("you must provide at least one container name or id");
        if (argc > 0 && (o->all || o->latest))
                return cli_errorf("--all, --latest and containers cannot be used together");
        return 0;
}

#define MULTI_CMD(cmdvar, cname, summary_, desc, opts_, state, print, par, opfn)                                       \
        static int run_##opfn(struct cli_ctx *ctx, void *opts, int argc, char **argv)                                  \
        {                                                                                                              \
                struct multi_opts *o = opts;                                                                           \
                cpod_error_t err = CPOD_ERROR_INIT;                                                                    \
                _cleanup_strv_ char **names = NULL;                                                                    \
                int r;                                                                                                 \
                if ((r = need_names(o, argc)))                                                                         \
                        return r;                                                                                      \
                if (!cli_runtime(ctx, &err))                                                                           \
                        return cli_fail(&err);                                                                         \
                if ((r = collect_names(ctx, o, argc, argv, state, &names)))                                            \
                        return r;                                                                                      \
                return for_each(ctx, names, print, par, opfn, o);                                                      \
        }                                                                                                              \
        const struct cli_cmd cmdvar = {                                                                                \
                .name = cname,                                                                                         \
                .use = "[options] CONTAINER [CONTAINER...]",                                                           \
                .summary = summary_,                                                                                   \
                .description = desc,                                                                                   \
                .opts = opts_,                                                                                         \
                .opts_size = sizeof(struct multi_opts),                                                                \
                .run = run_##opfn,                                                                                     \
                .max_args = -1,                                                                                        \
                .complete_args = "containers",                                                                         \
        }

#define M(name, sh, type, field, argname, def, help) OPT(name, sh, type, struct multi_opts, field, argname, def, help)
#define MH(name, sh, type, field, argname, def, help)                                                                  \
        {                                                                                                              \
                name, sh, type, offsetof(struct multi_opts, field), argname, help, def, OPT_HIDDEN                     \
        }

static const struct cli_opt stop_opts[] = {
        M("all", 'a', OPT_BOOL, all, NULL, NULL, "Stop all running containers"),
        M("cidfile", 0, OPT_STRARRAY, cidfile, "stringArray", NULL, "Read the container ID from the file"),
        M("filter", 'f', OPT_STRSLICE, filter, "strings", NULL, "Filter output based on conditions given"),
        M("ignore", 'i', OPT_BOOL, ignore, NULL, NULL, "Ignore errors when a specified container is missing"),
        M("latest", 'l', OPT_BOOL, latest, NULL, NULL, "Act on the latest container cpod is aware of"),
        M("time", 't', OPT_INT, time, "int", "-1", "Seconds to wait for stop before killing the container"),
        OPT_END,
};

static int op_stop(struct cli_ctx *ctx, struct multi_opts *o, const char *name, cpod_error_t *err)
{
        return cpod_ctr_stop(ctx->rt, name, (int)o->time, err);
}
MULTI_CMD(cmd_stop, "stop", "Stop one or more containers",
          "Stops one or more running containers.  The container name or ID can be used.\n\n"
          "A timeout to forcibly stop the container can also be set but defaults to 10 seconds otherwise.",
          stop_opts, "running", true, true, op_stop);

static const struct cli_opt kill_opts[] = {
        M("all", 'a', OPT_BOOL, all, NULL, NULL, "Signal all running containers"),
        M("cidfile", 0, OPT_STRARRAY, cidfile, "stringArray", NULL, "Read the container ID from the file"),
        M("latest", 'l', OPT_BOOL, latest, NULL, NULL, "Act on the latest container cpod is aware of"),
        M("signal", 's', OPT_STRING, signal, "string", "KILL", "Signal to send to the container"),
        OPT_END,
};

static int op_kill(struct cli_ctx *ctx, struct multi_opts *o, const char *name, cpod_error_t *err)
{
        int sig = signal_number(o->signal);

        if (sig < 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid signal: %s", o->signal);
        return cpod_ctr_kill(ctx->rt, name, sig, err);
}
MULTI_CMD(cmd_kill, "kill", "Kill one or more running containers with a specific signal",
          "The main process inside each container specified will be sent SIGKILL, or any signal specified with "
          "option --signal.",
          kill_opts, "running", true, true, op_kill);

static const struct cli_opt rm_opts[] = {
        M("all", 'a', OPT_BOOL, all, NULL, NULL, "Remove all containers"),
        M("cidfile", 0, OPT_STRARRAY, cidfile, "stringArray", NULL, "Read the container ID from the file"),
        M("depend", 0, OPT_BOOL, depend, NULL, NULL,
          "Remove container and all containers that depend on the selected container"),
        MH("external", 0, OPT_BOOL, external, NULL, NULL,
           "Remove container from storage library (cpod's storage holds only cpod's containers)"),
        M("filter", 0, OPT_STRSLICE, filter, "strings", NULL, "Filter output based on conditions given"),
        M("force", 'f', OPT_BOOL, force, NULL, NULL, "Force removal of a running or unusable container"),
        M("ignore", 'i', OPT_BOOL, ignore, NULL, NULL, "Ignore errors when a specified container is missing"),
        M("latest", 'l', OPT_BOOL, latest, NULL, NULL, "Act on the latest container cpod is aware of"),
        M("time", 't', OPT_INT, time, "int", "-1", "Seconds to wait for stop before killing the container"),
        M("volumes", 'v', OPT_BOOL, volumes, NULL, NULL, "Remove anonymous volumes associated with the container"),
        OPT_END,
};

static int op_rm(struct cli_ctx *ctx, struct multi_opts *o, const char *name, cpod_error_t *err)
{
        struct cpod_rm_opts ro = { .force = o->force, .volumes = o->volumes, .timeout = (int)o->time };

        return cpod_ctr_remove(ctx->rt, name, &ro, err);
}

/*
 * --depend, and --all, on a pod's infra container: the members depend on
 * it, so the whole pod goes (members first); *removed gets what was removed.
 * Returns 1 when name is not an infra container (nothing done).
 */
static int rm_with_pod(struct cli_ctx *ctx, struct multi_opts *o, const char *name, char ***removed, cpod_error_t *err)
{
        _cleanup_json_ json_t *ins = NULL, *pod = NULL;
        const char *pod_id;
        size_t i;
        json_t *c;

        if (cpod_ctr_inspect(ctx->rt, name, false, &ins, err) < 0)
                return -ENOENT;
        pod_id = json_get_str(ins, "Pod");
        if (!json_is_true(json_object_get(ins, "IsInfra")) || !pod_id || !*pod_id ||
            cpod_pod_inspect(ctx->rt, pod_id, &pod, NULL) < 0)
                return 1;
        if (cpod_pod_remove(ctx->rt, pod_id, o->force, (int)o->time, err) < 0)
                return -EIO;
        json_array_foreach(json_object_get(pod, "Containers"), i, c)
                if (strcmp(json_get_str(c, "Id"), json_get_str(ins, "Id")) != 0)
                        strv_add(removed, json_get_str(c, "Id"));
        strv_add(removed, json_get_str(ins, "Id"));
        return 0;
}

/* --depend: the containers that join this one's namespaces go first, and theirs before them. */
static int rm_dependents(struct cli_ctx *ctx, struct multi_opts *o, const char *name, char ***removed, int depth,
                         cpod_error_t *err)
{
        _cleanup_strv_ char **deps = NULL;

        if (depth > 64)
                return cpod_error_set(err, ELOOP, CPOD_E_INVALID, "container dependencies nest too deeply");
        if (cpod_ctr_dependents(ctx->rt, name, &deps, err) < 0)
                return -ENOENT;
        for (char **d = deps; *d; d++) {
                /* Two paths to one dependent (it joins two namespaces here and there): once is enough. */
                if (strv_contains(*removed, *d))
                        continue;
                if (rm_dependents(ctx, o, *d, removed, depth + 1, err) < 0 || op_rm(ctx, o, *d, err) < 0)
                        return -EIO;
                strv_add(removed, *d);
        }
        return 0;
}

static int rm_one(struct cli_ctx *ctx, struct multi_opts *o, const char *name, char ***removed, cpod_error_t *err)
{
        size_t before = strv_length(*removed);
        int r = o->depend || o->all ? rm_with_pod(ctx, o, name, removed, err) : 1;

        if (r == 1 && o->depend)
                r = rm_dependents(ctx, o, name, removed, 0, err) < 0 ? -EIO : 1;
        if (r == 1 && (r = op_rm(ctx, o, name, err)) == 0)
                strv_add(removed, name);
        for (size_t i = before; (*removed)[i]; i++)
                printf("%s\n", (*removed)[i]);
        return r;
}

/* podman rm exit codes: 1 no such container, 2 running without --force, 125 other.  Folds into *rc. */
static void rm_failed(struct multi_opts *o, cpod_error_t *err, int *rc)
{
        int code;

        /* As podman: --force, like --ignore, lets a container that does not exist pass. */
        if (err->kind == CPOD_E_NO_SUCH_CTR && (o->ignore || o->force)) {
                cpod_error_clear(err);
                return;
        }
        code = err->kind == CPOD_E_NO_SUCH_CTR ? 1 : err->kind == CPOD_E_CTR_STATE ? 2 : 125;
        cli_fail(err);
        if (*rc == 0 || code > *rc)
                *rc = code;
}

/* The IDs of the infra containers among all (their pods go whole, before the others). */
static char **infra_ids(struct cli_ctx *ctx)
{
        _cleanup_json_ json_t *all = NULL;
        char **v = xnew0(char *, 1);
        size_t i;
        json_t *c;

        if (cpod_ctr_list(ctx->rt, true, &all, NULL) == 0)
                json_array_foreach(all, i, c)
                        if (json_is_true(json_object_get(c, "IsInfra")))
                                strv_add(&v, json_get_str(c, "Id"));
        return v;
}

static int rm_job_one(struct cli_ctx *wctx, size_t i, void *ud, cpod_error_t *err)
{
        struct multi_job *j = ud;

        return op_rm(wctx, j->o, j->names[i], err);
}

/*
 * Without --depend the containers are independent: pods (with --all, through their infra) go
 * first, one by one, then the other containers on a pool of workers, as podman does.
 */
static int rm_parallel(struct cli_ctx *ctx, struct multi_opts *o, char **names, char **ids, char ***removed)
{
        _cleanup_strv_ char **infra = o->all ? infra_ids(ctx) : xnew0(char *, 1), **rest = xnew0(char *, 1);
        struct multi_job j = { .o = o };
        cpod_error_t err = CPOD_ERROR_INIT, *errs;
        _cleanup_free_ int *rets = NULL;
        size_t n;
        int rc = 0;

        for (size_t i = 0; names[i]; i++)
                if (*ids[i] && strv_contains(infra, ids[i]) && !strv_contains(*removed, ids[i]) &&
                    rm_one(ctx, o, names[i], removed, &err) < 0)
                        rm_failed(o, &err, &rc);
        for (size_t i = 0; names[i]; i++)
                if (!(*ids[i] && (strv_contains(*removed, ids[i]) || strv_contains(infra, ids[i]))))
                        strv_add(&rest, names[i]);
        n = strv_length(rest);
        j.names = rest;
        rets = xnew0(int, n + 1);
        errs = xnew0(cpod_error_t, n + 1);
        cli_parallel(ctx, n, rm_job_one, &j, rets, errs);
        for (size_t i = 0; i < n; i++) {
                if (rets[i] == 0)
                        printf("%s\n", rest[i]);
                else
                        rm_failed(o, &errs[i], &rc);
        }
        free(errs);
        return rc;
}

static int run_rm(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct multi_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_strv_ char **names = NULL, **removed = xnew0(char *, 1), **ids = xnew0(char *, 1);
        int r, rc = 0;

        if ((r = need_names(o, argc)))
                return r;
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        if ((r = collect_names(ctx, o, argc, argv, NULL, &names)))
                return r;
        /* The IDs now: a name may go with its pod or as a dependent of an earlier one, which is no error. */
        for (char **n = names; *n; n++) {
                char id[65];
                strv_add(&ids, cpod_ctr_lookup(ctx->rt, *n, id, NULL) == 0 ? id : "");
        }
        if (!o->depend)
                return rm_parallel(ctx, o, names, ids, &removed);
        for (size_t i = 0; names[i]; i++) {
                if (*ids[i] && strv_contains(removed, ids[i]))
                        continue;
                if (rm_one(ctx, o, names[i], &removed, &err) < 0)
                        rm_failed(o, &err, &rc);
        }
        return rc;
}

const struct cli_cmd cmd_rm = {
        .name = "rm",
        .use = "[options] CONTAINER [CONTAINER...]",
        .summary = "Remove one or more containers",
        .description = "Removes one or more containers from the host. The container name or ID can be used.\n\n"
                       "Command does not remove images. Running or unusable containers will not be removed "
                       "without the -f option.",
        .example = "cpod rm imageID\ncpod rm mywebserver myflaskserver 860a4b23\ncpod rm --force --all",
        .opts = rm_opts,
        .opts_size = sizeof(struct multi_opts),
        .run = run_rm,
        .max_args = -1,
        .complete_args = "containers",
};

static const struct cli_opt restart_opts[] = {
        M("all", 'a', OPT_BOOL, all, NULL, NULL, "Restart all non-running containers"),
        M("filter", 'f', OPT_STRSLICE, filter, "strings", NULL, "Filter output based on conditions given"),
        M("latest", 'l', OPT_BOOL, latest, NULL, NULL, "Act on the latest container cpod is aware of"),
        M("running", 0, OPT_BOOL, running, NULL, NULL, "Restart only running containers"),
        M("time", 't', OPT_INT, time, "int", "-1", "Seconds to wait for stop before killing the container"),
        OPT_END,
};

static int op_restart(struct cli_ctx *ctx, struct multi_opts *o, const char *name, cpod_error_t *err)
{
        return cpod_ctr_restart(ctx->rt, name, (int)o->time, err);
}
MULTI_CMD(cmd_restart, "restart", "Restart one or more containers",
          "Restarts one or more running containers. The container ID or name can be used.\n\nA timeout before "
          "forcibly stopping can be set, but defaults to 10 seconds.",
          restart_opts, o->running ? "running" : NULL, true, false, op_restart);

static const struct cli_opt init_opts[] = {
        M("all", 'a', OPT_BOOL, all, NULL, NULL, "Initialize all containers"),
        M("latest", 'l', OPT_BOOL, latest, NULL, NULL, "Act on the latest container cpod is aware of"),
        OPT_END,
};

static int op_init(struct cli_ctx *ctx, struct multi_opts *o, const char *name, cpod_error_t *err)
{
        (void)o;
        return cpod_ctr_init(ctx->rt, name, err);
}
MULTI_CMD(cmd_init, "init", "Initialize one or more containers",
          "Initialize one or more containers, creating the OCI spec and mounts for inspection. Container names or "
          "IDs can be used.",
          init_opts, NULL, true, false, op_init);

static const struct cli_opt pause_opts[] = {
        M("all", 'a', OPT_BOOL, all, NULL, NULL, "Pause all running containers"),
        M("filter", 'f', OPT_STRSLICE, filter, "strings", NULL, "Filter output based on conditions given"),
        OPT_END,
};

static int op_pause(struct cli_ctx *ctx, struct multi_opts *o, const char *name, cpod_error_t *err)
{
        (void)o;
        return cpod_ctr_pause(ctx->rt, name, err);
}
MULTI_CMD(cmd_pause, "pause", "Pause all the processes in one or more containers",
          "Pauses one or more running containers.  The container name or ID can be used.", pause_opts, "running", true,
          true, op_pause);

static const struct cli_opt unpause_opts[] = {
        M("all", 'a', OPT_BOOL, all, NULL, NULL, "Unpause all paused containers"),
        M("filter", 'f', OPT_STRSLICE, filter, "strings", NULL, "Filter output based on conditions given"),
        OPT_END,
};

static int op_unpause(struct cli_ctx *ctx, struct multi_opts *o, const char *name, cpod_error_t *err)
{
        (void)o;
        return cpod_ctr_unpause(ctx->rt, name, err);
}
MULTI_CMD(cmd_unpause, "unpause", "Unpause the processes in one or more containers",
          "Unpauses one or more previously paused containers.  The container name or ID can be used.", unpause_opts,
          "paused", true, true, op_unpause);

static const struct cli_opt cleanup_opts[] = {
        M("all", 'a', OPT_BOOL, all, NULL, NULL, "Cleans up all containers"),
        OPT_END,
};

static int op_cleanup(struct cli_ctx *ctx, struct multi_opts *o, const char *name, cpod_error_t *err)
{
        /* conmon's exit command passes exactly one ID; a user running it by hand can pass several. */
        (void)o;
        return cpod_ctr_cleanup(ctx->rt, name, true, err);
}
MULTI_CMD(cmd_cleanup, "cleanup", "Clean up network and mountpoints of one or more containers",
          "Cleans up mount points and network stacks on one or more containers from the host. This command is run "
          "by conmon when a container exits.",
          cleanup_opts, NULL, false, false, op_cleanup);

/* --external adds nothing: cpod's store is its own, every container in it has a record. */
static int run_exists(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        char id[65];

        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        return cli_exists_rc(cpod_ctr_lookup(ctx->rt, argv[0], id, &err), &err, CPOD_E_NO_SUCH_CTR);
}

static const struct cli_opt exists_opts[] = {
        M("external", 0, OPT_BOOL, external, NULL, NULL,
          "Check external storage containers as well as Podman containers (cpod's storage holds only cpod's "
          "containers)"),
        OPT_END,
};

const struct cli_cmd cmd_container_exists = {
        .name = "exists",
        .opts = exists_opts,
        .opts_size = sizeof(struct multi_opts),
        .use = "[options] CONTAINER",
        .summary = "Check if a container exists in local storage",
        .description = "If the named container exists in local storage, cpod container exists exits with 0, "
                       "otherwise the exit code will be 1.",
        .run = run_exists,
        .min_args = 1,
        .max_args = 1,
        .complete_args = "containers",
};

static const struct cli_opt start_opts[] = {
        M("all", 0, OPT_BOOL, all, NULL, NULL, "Start all containers regardless of their state or configuration"),
        M("attach", 'a', OPT_BOOL, attach, NULL, NULL, "Attach container's STDOUT and STDERR"),
        M("detach-keys", 0, OPT_STRING, detach_keys, "string", "ctrl-p,ctrl-q",
          "Select the key sequence for detaching a container."),
        M("filter", 'f', OPT_STRSLICE, filter, "strings", NULL, "Filter output based on conditions given"),
        M("interactive", 'i', OPT_BOOL, interactive, NULL, NULL, "Keep STDIN open even if not attached"),
        M("latest", 'l', OPT_BOOL, latest, NULL, NULL, "Act on the latest container cpod is aware of"),
        M("sig-proxy", 0, OPT_BOOL, sig_proxy, NULL, NULL,
          "Proxy received signals to the process (default true if attaching, false otherwise)"),
        OPT_END,
};

/* 1 (nothing printed) for a container that already runs, as podman. */
static int op_start(struct cli_ctx *ctx, struct multi_opts *o, const char *name, cpod_error_t *err)
{
        (void)o;
        return cpod_ctr_start(ctx->rt, name, err);
}

static int run_start(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct multi_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_strv_ char **names = NULL;
        int r;

        if ((r = need_names(o, argc)))
                return r;
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        if ((r = collect_names(ctx, o, argc, argv, NULL, &names)))
                return r;
        if (o->attach || o->interactive) {
                struct cpod_attach_streams s = { .in = o->interactive ? STDIN_FILENO : -1,
                                                 .out = STDOUT_FILENO,
                                                 .err = STDERR_FILENO,
                                                 .detach_keys = o->detach_keys,
                                                 .sig_proxy = !cli_changed(ctx, "sig-proxy") || o->sig_proxy };
                bool detached = false;
                int code = 0;
                _cleanup_json_ json_t *ins = NULL;
                if (strv_length(names) != 1)
                        return cli_errorf("you cannot start and attach multiple containers at once");
                if (cpod_ctr_inspect(ctx->rt, names[0], false, &ins, &err) < 0)
                        return cli_fail(&err);
                s.tty = json_is_true(json_path(ins, "Config.Tty"));
                if (cpod_ctr_start_attached(ctx->rt, names[0], &s, &code, &detached, &err) < 0)
                        return cli_fail(&err);
                return detached ? 0 : code;
        }
        return for_each(ctx, names, true, false, op_start, o);
}

const struct cli_cmd cmd_start = {
        .name = "start",
        .use = "[options] CONTAINER [CONTAINER...]",
        .summary = "Start one or more containers",
        .description = "Starts one or more containers.  The container name or ID can be used.",
        .example = "cpod start 860a4b231279 5421ab43b45\ncpod start --interactive --attach imageID",
        .opts = start_opts,
        .opts_size = sizeof(struct multi_opts),
        .run = run_start,
        .max_args = -1,
        .complete_args = "containers",
};
