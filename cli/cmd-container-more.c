/* SPDX-License-Identifier: Apache-2.0 */
/* wait, attach, logs, inspect, container mount/umount/prune, and the `container` group. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cpod/container.h>
#include <cpod/engine.h>
#include <cpod/image.h>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/output.h"
#include "util/cleanup.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct wait_opts {
        struct strv condition;
        const char *interval;
        bool ignore, latest;
};

static const struct cli_opt wait_opts[] = {
        OPT_A("condition", 0, struct wait_opts, condition, "Condition to wait on (default [stopped])"),
        OPT_B("ignore", 0, struct wait_opts, ignore, "Ignore if a container does not exist"),
        OPT_S("interval", 'i', struct wait_opts, interval, "250ms",
              "Time Interval to wait before polling for completion"),
        OPT_B("latest", 'l', struct wait_opts, latest, "Act on the latest container cpod is aware of"),
        OPT_END,
};

static int parse_condition(const char *s, enum cpod_ctr_state *ret)
{
        static const char *const names[] = { "configured", "created",  "running",  "stopped", "paused",
                                             "exited",     "removing", "stopping", "unknown" };

        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                if (strcmp(s, names[i]) == 0) {
                        *ret = (enum cpod_ctr_state)i;
                        return 0;
                }
        return cli_errorf("unknown state \"%s\" in --condition", s);
}

static long parse_interval_ms(const char *s)
{
        char *end;
        double v = strtod(s, &end);

        if (strcmp(end, "ms") == 0)
                return (long)v;
        if (strcmp(end, "s") == 0)
                return (long)(v * 1000);
        if (strcmp(end, "m") == 0)
                return (long)(v * 60000);
        return *end ? -1 : (long)v;
}

static int run_wait(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct wait_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        enum cpod_ctr_state conds[16];
        long interval = parse_interval_ms(o->interval);
        size_t n = 0;
        int rc = 0;

        if (interval < 0)
                return cli_errorf("invalid interval \"%s\"", o->interval);
        for (size_t i = 0; i < o->condition.n && n < 16; i++)
                if (parse_condition(o->condition.v[i], &conds[n++]))
                        return 125;
        if (argc == 0)
                return cli_errorf("you must provide at least one container name or id");
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        for (int i = 0; i < argc; i++) {
                int code;
                if (cpod_ctr_wait(ctx->rt, argv[i], conds, n, interval, &code, &err) == 0) {
                        printf("%d\n", code);
                        continue;
                }
                if (o->ignore && err.kind == CPOD_E_NO_SUCH_CTR) {
                        printf("-1\n");
                        cpod_error_clear(&err);
                        continue;
                }
                rc = cli_fail(&err);
        }
        return rc;
}

const struct cli_cmd cmd_wait = {
        .name = "wait",
        .latest = CLI_LATEST_REPLACES,
        .use = "[options] CONTAINER [CONTAINER...]",
        .summary = "Block on one or more containers",
        .description = "Block until one or more containers stop and then print their exit codes.",
        .example = "cpod wait --interval 5s ctrID\ncpod wait ctrID1 ctrID2",
        .opts = wait_opts,
        .opts_size = sizeof(struct wait_opts),
        .run = run_wait,
        .max_args = -1,
        .complete_args = "containers",
};

struct attach_opts {
        const char *detach_keys;
        bool no_stdin, sig_proxy, latest;
};

static const struct cli_opt attach_opts[] = {
        OPT_S("detach-keys", 0, struct attach_opts, detach_keys, "ctrl-p,ctrl-q",
              "Select the key sequence for detaching a container."),
        OPT_B("latest", 'l', struct attach_opts, latest, "Act on the latest container cpod is aware of"),
        OPT_B("no-stdin", 0, struct attach_opts, no_stdin, "Do not attach STDIN. The default is false"),
        OPT(("sig-proxy"), 0, OPT_BOOL, struct attach_opts, sig_proxy, NULL, "true",
            "Proxy received signals to the process"),
        OPT_END,
};

static int run_attach(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct attach_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *ins = NULL;
        struct cpod_attach_streams s = { .in = o->no_stdin ? -1 : STDIN_FILENO,
                                         .out = STDOUT_FILENO,
                                         .err = STDERR_FILENO,
                                         .detach_keys = o->detach_keys,
                                         .sig_proxy = o->sig_proxy };
        bool detached = false;
        int code = 0;

        if (!cli_runtime(ctx, &err) || cpod_ctr_inspect(ctx->rt, argv[0], false, &ins, &err) < 0)
                return cli_fail(&err);
        s.tty = json_is_true(json_path(ins, "Config.Tty"));
        if (!json_is_true(json_path(ins, "Config.OpenStdin")))
                s.in = -1;
        if (cpod_ctr_attach(ctx->rt, argv[0], &s, &code, &detached, &err) < 0)
                return cli_fail(&err);
        return detached ? 0 : code;
}

const struct cli_cmd cmd_attach = {
        .name = "attach",
        .latest = CLI_LATEST_REPLACES,
        .use = "[options] CONTAINER",
        .summary = "Attach to a running container",
        .description = "The cpod attach command allows you to attach to a running container using the container's "
                       "ID or name, either to view its ongoing output or to control it interactively.",
        .example = "cpod attach ctrID\ncpod attach 1234\ncpod attach --no-stdin foobar",
        .opts = attach_opts,
        .opts_size = sizeof(struct attach_opts),
        .run = run_attach,
        .min_args = 1,
        .max_args = 1,
        .complete_args = "containers",
};

struct logs_opts {
        bool follow, latest, names, timestamps;
        const char *since, *until;
        long tail;
};

static const struct cli_opt logs_opts[] = {
        OPT_B("follow", 'f', struct logs_opts, follow, "Follow log output.  The default is false"),
        OPT_B("latest", 'l', struct logs_opts, latest, "Act on the latest container cpod is aware of"),
        OPT_B("names", 'n', struct logs_opts, names, "Output the container name in the log"),
        OPT_S("since", 0, struct logs_opts, since, NULL, "Show logs since TIMESTAMP"),
        OPT_I("tail", 0, struct logs_opts, tail, "-1",
              "Output the specified number of LINES at the end of the logs.  Defaults to -1, which prints all lines"),
        OPT_B("timestamps", 't', struct logs_opts, timestamps, "Output the timestamps in the log"),
        OPT_S("until", 0, struct logs_opts, until, NULL, "Show logs until TIMESTAMP"),
        OPT_END,
};

struct log_print {
        const char *prefix;
        bool timestamps;
};

static int print_line(void *ud, const struct cpod_log_line *l)
{
        struct log_print *p = ud;
        FILE *f = l->stream == 'e' ? stderr : stdout;

        if (p->prefix)
                fprintf(f, "%s ", p->prefix);
        if (p->timestamps) {
                _cleanup_free_ char *ts = time_rfc3339nano(l->ts_ns / 1000000000LL, (long)(l->ts_ns % 1000000000LL), 0);
                fprintf(f, "%s ", ts);
        }
        fwrite(l->msg, 1, l->len, f);
        if (l->newline)
                fputc('\n', f);
        fflush(f);
        return ferror(f) ? -1 : 0;
}

/* One container's log; with several containers each line starts with its short ID, or its name (--names). */
static int logs_one(struct cli_ctx *ctx, const struct logs_opts *o, const char *name, bool multi)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_logs_opts lo = { .since = o->since, .until = o->until, .tail = o->tail, .follow = o->follow };
        _cleanup_json_ json_t *ins = NULL;
        _cleanup_free_ char *prefix = NULL;
        struct log_print p = { .timestamps = o->timestamps };

        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        if (multi) {
                if (cpod_ctr_inspect(ctx->rt, name, false, &ins, &err) < 0)
                        return cli_fail(&err);
                prefix = o->names ? xstrdup(json_get_str(ins, "Name")) : xstrndup(json_get_str(ins, "Id"), 12);
                p.prefix = prefix;
        }
        if (cpod_ctr_logs(ctx->rt, name, &lo, print_line, &p, &err) < 0)
                return cli_fail(&err);
        return 0;
}

/*
 * -f with several containers follows them all at once, as podman: one process per container (each
 * with its own handle; none is open yet when they fork), lines written whole.
 */
static int follow_all(struct cli_ctx *ctx, const struct logs_opts *o, int argc, char **argv)
{
        pid_t *pids = xnew0(pid_t, (size_t)argc);
        int rc = 0;

        fflush(NULL);
        for (int i = 0; i < argc; i++) {
                pids[i] = fork();
                if (pids[i] == 0)
                        _exit(logs_one(ctx, o, argv[i], true));
                if (pids[i] < 0)
                        rc = cli_errorf("fork: %s", strerror(errno));
        }
        for (int i = 0; i < argc; i++) {
                int st;
                if (pids[i] > 0 && waitpid(pids[i], &st, 0) == pids[i] && WIFEXITED(st) && WEXITSTATUS(st) > rc)
                        rc = WEXITSTATUS(st);
        }
        free(pids);
        return rc;
}

static int run_logs(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct logs_opts *o = opts;
        int rc = 0, r;

        if (argc == 0)
                return cli_errorf("no containers specified");
        if (o->follow && argc > 1 && !ctx->rt)
                return follow_all(ctx, o, argc, argv);
        for (int i = 0; i < argc; i++)
                if ((r = logs_one(ctx, o, argv[i], argc > 1)) != 0)
                        rc = r;
        return rc;
}

const struct cli_cmd cmd_logs = {
        .name = "logs",
        .latest = CLI_LATEST_REPLACES,
        .use = "[options] CONTAINER [CONTAINER...]",
        .summary = "Fetch the logs of one or more containers",
        .description = "Retrieves logs for one or more containers.\n\nThis does not guarantee execution order "
                       "when combined with cpod run (i.e., your run may not have generated any logs at the time you "
                       "execute cpod logs).",
        .example = "cpod logs ctrID\ncpod logs --names ctrID1 ctrID2\ncpod logs --tail 2 mywebserver\n"
                   "cpod logs --follow=true --since 10m ctrID",
        .opts = logs_opts,
        .opts_size = sizeof(struct logs_opts),
        .run = run_logs,
        .max_args = -1,
        .complete_args = "containers",
};

struct cinspect_opts {
        const char *format, *type;
        bool size, latest;
};

static const struct cli_opt inspect_opts[] = {
        OPT_S("format", 'f', struct cinspect_opts, format, "json", "Format the output to a Go template or json"),
        OPT_B("latest", 'l', struct cinspect_opts, latest, "Act on the latest container cpod is aware of"),
        OPT_B("size", 's', struct cinspect_opts, size, "Display total file size"),
        OPT_S("type", 't', struct cinspect_opts, type, "all",
              "Specify inspect-object type (\"image\", \"container\" or \"all\")"),
        OPT_END,
};

static int inspect_one(struct cli_ctx *ctx, const char *type, const char *name, bool size, json_t **ret,
                       cpod_error_t *err)
{
        bool all = strcmp(type, "all") == 0;

        if ((all || strcmp(type, "container") == 0) && cpod_ctr_inspect(ctx->rt, name, size, ret, err) == 0)
                return 0;
        if (all || strcmp(type, "image") == 0) {
                cpod_error_clear(err);
                if (cpod_image_inspect(ctx->rt, name, ret, err) == 0)
                        return 0;
        }
        if (all) {
                cpod_error_clear(err);
                return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_OBJECT, "no such object: \"%s\"", name);
        }
        return -ENOENT;
}

static int run_inspect_generic(struct cli_ctx *ctx, struct cinspect_opts *o, const char *type, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *out = json_array();
        int rc = 0;

        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        for (int i = 0; i < argc; i++) {
                json_t *obj;
                if (inspect_one(ctx, type, argv[i], o->size, &obj, &err) < 0) {
                        cpod_error_wrap(&err, "inspecting object");
                        rc = cli_fail(&err);
                        continue;
                }
                json_array_append_new(out, obj);
        }
        if (cli_print_inspect(stdout, o->format, out, &err) < 0)
                return cli_fail(&err);
        return rc;
}

static int run_inspect(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct cinspect_opts *o = opts;

        if (strcmp(o->type, "all") != 0 && strcmp(o->type, "container") != 0 && strcmp(o->type, "image") != 0)
                return cli_errorf("invalid type \"%s\": must be container, image or all", o->type);
        return run_inspect_generic(ctx, o, o->type, argc, argv);
}

static int run_container_inspect(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        return run_inspect_generic(ctx, opts, "container", argc, argv);
}

const struct cli_cmd cmd_inspect = {
        .name = "inspect",
        .latest = CLI_LATEST_REPLACES,
        .use = "[options] {CONTAINER|IMAGE} [...]",
        .summary = "Display the configuration of object denoted by ID",
        .description = "Displays the low-level information on an object identified by name or ID.\n"
                       "For more inspection options, see:\n\n      cpod container inspect\n      cpod image inspect",
        .example = "cpod inspect fedora\ncpod inspect --type image fedora\ncpod inspect CtrID ImgID\n"
                   "cpod inspect --format \"imageId: {{.Id}} size: {{.Size}}\" fedora",
        .opts = inspect_opts,
        .opts_size = sizeof(struct cinspect_opts),
        .run = run_inspect,
        .min_args = 1,
        .max_args = -1,
        .complete_args = "containers",
};

const struct cli_cmd cmd_container_inspect = {
        .name = "inspect",
        .latest = CLI_LATEST_REPLACES,
        .use = "[options] CONTAINER [CONTAINER...]",
        .summary = "Display the configuration of a container",
        .description = "Displays the low-level information on a container identified by name or ID.",
        .opts = inspect_opts,
        .opts_size = sizeof(struct cinspect_opts),
        .run = run_container_inspect,
        .min_args = 1,
        .max_args = -1,
        .complete_args = "containers",
};

struct prune_opts {
        bool force;
        struct strv filter;
};

static const struct cli_opt prune_opts[] = {
        OPT_A("filter", 0, struct prune_opts, filter, "Provide filter values (e.g. 'label=<key>=<value>')"),
        OPT_B("force", 'f', struct prune_opts, force, "Do not prompt for confirmation.  The default is false"),
        OPT_END,
};

bool cli_confirm(const char *warning)
{
        char line[16] = "";

        fprintf(stdout, "%s\nAre you sure you want to continue? [y/N] ", warning);
        fflush(stdout);
        if (!fgets(line, sizeof(line), stdin))
                return false;
        return line[0] == 'y' || line[0] == 'Y';
}

static int run_container_prune(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct prune_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_prune_report rep = { 0 };

        if (o->filter.n)
                return cli_errorf("container prune filters are not supported yet");
        if (!o->force && !cli_confirm("WARNING! This will remove all non running containers."))
                return 0;
        if (!cli_runtime(ctx, &err) || cpod_ctr_prune(ctx->rt, &rep, &err) < 0)
                return cli_fail(&err);
        return cli_print_prune(&rep);
}

const struct cli_cmd cmd_container_prune = {
        .name = "prune",
        .use = "[options]",
        .summary = "Remove all non running containers",
        .description = "cpod container prune\n\n\tRemoves all non running containers",
        .example = "cpod container prune",
        .opts = prune_opts,
        .opts_size = sizeof(struct prune_opts),
        .run = run_container_prune,
        .max_args = 0,
};

struct mount_opts {
        bool all, latest, no_trunc;
        const char *format;
};

static const struct cli_opt mount_opts[] = {
        OPT_B("all", 'a', struct mount_opts, all, "Mount all containers"),
        OPT_S("format", 0, struct mount_opts, format, NULL, "Print the mounted containers in specified format (json)"),
        OPT_B("latest", 'l', struct mount_opts, latest, "Act on the latest container cpod is aware of"),
        OPT_B("no-trunc", 0, struct mount_opts, no_trunc, "Do not truncate output"),
        OPT_END,
};

/* No names: list what is mounted, as podman does (ID and path, or JSON). */
static int list_mounted(struct cli_ctx *ctx, const struct mount_opts *o)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *all = NULL;
        size_t i;
        json_t *m;

        if (o->format && strcmp(o->format, "json") != 0)
                return cli_errorf("unknown --format argument: %s", o->format);
        if (cpod_ctr_list_mounted(ctx->rt, &all, &err) < 0)
                return cli_fail(&err);
        if (o->format) {
                _cleanup_json_ json_t *out = json_array();
                json_array_foreach(all, i, m)
                        json_array_append_new(out, json_pack("{s:O, s:O, s:O}", "id", json_object_get(m, "Id"), "names",
                                                             json_object_get(m, "Names"), "mountpoint",
                                                             json_object_get(m, "Mountpoint")));
                cli_print_json(stdout, out);
                return 0;
        }
        json_array_foreach(all, i, m)
                printf(o->no_trunc ? "%-64s %s\n" : "%-12.12s %s\n", json_get_str(m, "Id"),
                       json_get_str(m, "Mountpoint"));
        return 0;
}

static int mount_one(struct cli_ctx *ctx, const char *name)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_free_ char *p = NULL;

        if (cpod_ctr_mount(ctx->rt, name, &p, &err) < 0)
                return cli_fail(&err);
        printf("%s\n", p);
        return 0;
}

static int run_ctr_mount(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct mount_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *all = NULL;
        int r = 0;
        size_t i;
        json_t *c;

        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        if (o->all && argc > 0)
                return cli_errorf("when using the --all switch, you may not pass any containers names or IDs");
        if (argc == 0 && !o->all)
                return list_mounted(ctx, o);
        if (o->all && cpod_ctr_list(ctx->rt, true, &all, &err) < 0)
                return cli_fail(&err);
        json_array_foreach(all, i, c)
                if (!r)
                        r = mount_one(ctx, json_get_str(c, "Id"));
        for (int k = 0; !r && k < argc; k++)
                r = mount_one(ctx, argv[k]);
        return r;
}

const struct cli_cmd cmd_mount = {
        .name = "mount",
        .latest = CLI_LATEST_REPLACES,
        .use = "[options] [CONTAINER...]",
        .summary = "Mount a working container's root filesystem",
        .description = "Mounts the specified containers' root file system in a location which can be accessed "
                       "from the host, and returns its location.\n\nWithout arguments, lists the mounted "
                       "containers.",
        .opts = mount_opts,
        .opts_size = sizeof(struct mount_opts),
        .run = run_ctr_mount,
        .max_args = -1,
        .complete_args = "containers",
};

struct umount_opts {
        bool all, force, latest;
};

static const struct cli_opt umount_opts[] = {
        OPT_B("all", 'a', struct umount_opts, all, "Umount all of the currently mounted containers"),
        OPT_B("force", 'f', struct umount_opts, force, "Force the complete umount of the specified mounted containers"),
        OPT_B("latest", 'l', struct umount_opts, latest, "Act on the latest container cpod is aware of"),
        OPT_END,
};

static int umount_one(struct cli_ctx *ctx, const struct umount_opts *o, const char *name)
{
        cpod_error_t err = CPOD_ERROR_INIT;

        if (cpod_ctr_unmount(ctx->rt, name, o->force, &err) < 0)
                return cli_fail(&err);
        printf("%s\n", name);
        return 0;
}

static int run_ctr_umount(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct umount_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *mounted = NULL;
        int r = 0;
        size_t i;
        json_t *m;

        if (o->all && argc > 0)
                return cli_errorf("when using the --all switch, you may not pass any containers names or IDs");
        if (!o->all && argc == 0)
                return cli_errorf("container ID must be specified");
        if (!cli_runtime(ctx, &err) || (o->all && cpod_ctr_list_mounted(ctx->rt, &mounted, &err) < 0))
                return cli_fail(&err);
        json_array_foreach(mounted, i, m)
                if (!r)
                        r = umount_one(ctx, o, json_get_str(m, "Id"));
        for (int k = 0; !r && k < argc; k++)
                r = umount_one(ctx, o, argv[k]);
        return r;
}

const struct cli_cmd cmd_umount = {
        .name = "umount",
        .latest = CLI_LATEST_REPLACES,
        .aliases = CMD_ALIASES("unmount"),
        .use = "[options] CONTAINER [CONTAINER...]",
        .summary = "Unmount working container's root filesystem",
        .description = "Container storage increments a mount counter each time a container is mounted.\n\nWhen a "
                       "container is unmounted, the mount counter is decremented. The container's root filesystem "
                       "is physically unmounted only when the mount counter reaches zero indicating no other "
                       "processes are using the mount.",
        .opts = umount_opts,
        .opts_size = sizeof(struct umount_opts),
        .run = run_ctr_umount,
        .max_args = -1,
        .complete_args = "containers",
};

const struct cli_cmd cmd_container = {
        .name = "container",
        .use = "[command]",
        .summary = "Manage containers",
        .description = "Manage containers",
        .subcmds = CMD_LIST(&cmd_attach, &cmd_cleanup, &cmd_commit, &cmd_cp, &cmd_create, &cmd_container_diff,
                            &cmd_exec, &cmd_export, &cmd_container_exists, &cmd_init, &cmd_container_inspect, &cmd_kill,
                            &cmd_container_list, &cmd_logs, &cmd_mount, &cmd_pause, &cmd_port, &cmd_container_prune,
                            &cmd_rename, &cmd_restart, &cmd_rm, &cmd_run, &cmd_start, &cmd_stats, &cmd_stop, &cmd_top,
                            &cmd_umount, &cmd_unpause, &cmd_update, &cmd_wait),
};
