/* SPDX-License-Identifier: Apache-2.0 */
/* volume create, ls, inspect, rm, prune, exists, export, import, mount, unmount, reload. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/engine.h>
#include <cpod/volume.h>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/output.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* KEY=VALUE flags into an object; a missing "=VALUE" is an empty value when allowed. */
static int kv_into(const struct strv *v, const char *what, bool bare_ok, json_t *obj)
{
        for (size_t i = 0; i < v->n; i++) {
                const char *eq = strchr(v->v[i], '=');
                if ((!eq && !bare_ok) || eq == v->v[i] || !*v->v[i])
                        return cli_errorf("invalid %s \"%s\": must be KEY=VALUE", what, v->v[i]);
                _cleanup_free_ char *k = eq ? xstrndup(v->v[i], (size_t)(eq - v->v[i])) : xstrdup(v->v[i]);
                json_object_set_new(obj, k, json_string(eq ? eq + 1 : ""));
        }
        return 0;
}

/* --filter KEY=VALUE... into {"KEY": ["VALUE", ...]}. */
static int filters_of(const struct strv *v, json_t **ret)
{
        json_t *f = json_object();

        for (size_t i = 0; i < v->n; i++) {
                const char *eq = strchr(v->v[i], '=');
                if (!eq || eq == v->v[i]) {
                        json_decref(f);
                        return cli_errorf("invalid filter \"%s\": must be KEY=VALUE", v->v[i]);
                }
                _cleanup_free_ char *k = xstrndup(v->v[i], (size_t)(eq - v->v[i]));
                if (!json_object_get(f, k))
                        json_object_set_new(f, k, json_array());
                json_array_append_new(json_object_get(f, k), json_string(eq + 1));
        }
        *ret = f;
        return 0;
}

/* For templates, the fields podman's JSON leaves out when empty (its Go struct always has them). */
static json_t *template_rows(const json_t *vols)
{
        json_t *rows = json_array(), *v;
        size_t i;

        json_array_foreach(vols, i, v) {
                json_t *r = json_deep_copy(v);
                const char *const ints[] = { "UID", "GID" }, *const bools[] = { "Anonymous", "NeedsCopyUp",
                                                                                "NeedsChown" };
                for (size_t k = 0; k < 2; k++)
                        if (!json_object_get(r, ints[k]))
                                json_object_set_new(r, ints[k], json_integer(0));
                for (size_t k = 0; k < 3; k++)
                        if (!json_object_get(r, bools[k]))
                                json_object_set_new(r, bools[k], json_false());
                json_array_append_new(rows, r);
        }
        return rows;
}

/* ---- create ---- */

struct vol_create_opts {
        const char *driver;
        struct strv label, opt;
        bool ignore;
};

static const struct cli_opt vol_create_opts[] = {
        OPT_S("driver", 'd', struct vol_create_opts, driver, "local", "Specify volume driver name"),
        OPT_B("ignore", 0, struct vol_create_opts, ignore, "Don't fail if volume already exists"),
        OPT_A("label", 'l', struct vol_create_opts, label, "Set metadata for a volume (default [])"),
        OPT_A("opt", 'o', struct vol_create_opts, opt, "Set driver specific options (default [])"),
        OPT_END,
};

static int run_vol_create(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct vol_create_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *req = json_object(), *labels = json_object(), *op = json_object(), *v = NULL;
        int r;

        if ((r = kv_into(&o->label, "label", true, labels)) || (r = kv_into(&o->opt, "option", false, op)))
                return r;
        if (argc)
                json_object_set_new(req, "Name", json_string(argv[0]));
        json_object_set_new(req, "Driver", json_string(o->driver));
        json_object_set(req, "Labels", labels);
        json_object_set(req, "Options", op);
        json_object_set_new(req, "IgnoreIfExists", json_boolean(o->ignore));
        if (!cli_runtime(ctx, &err) || cpod_volume_create(ctx->rt, req, &v, &err) < 0)
                return cli_fail(&err);
        printf("%s\n", json_get_str(v, "Name"));
        return 0;
}

static const struct cli_cmd cmd_volume_create = {
        .name = "create",
        .use = "[options] [NAME]",
        .summary = "Create a new volume",
        .description = "If using the default driver, \"local\", the volume will be created in the volume path "
                       "(<root>/volumes or containers.conf's volume_path).",
        .opts = vol_create_opts,
        .opts_size = sizeof(struct vol_create_opts),
        .run = run_vol_create,
        .max_args = 1,
};

/* ---- ls ---- */

struct vol_ls_opts {
        struct strv filter;
        const char *format;
        bool noheading, quiet;
};

static const struct cli_opt vol_ls_opts[] = {
        OPT_A("filter", 'f', struct vol_ls_opts, filter, "Filter volume output"),
        OPT_S("format", 0, struct vol_ls_opts, format, NULL, "Format volume output using Go template"),
        OPT_B("noheading", 'n', struct vol_ls_opts, noheading, "Do not print headers"),
        OPT_B("quiet", 'q', struct vol_ls_opts, quiet, "Print volume output in quiet mode"),
        OPT_END,
};

static const struct fmt_header vol_headers[] = {
        { "Name", "VOLUME NAME" },     { "Driver", "DRIVER" },          { "Mountpoint", "MOUNT POINT" },
        { "CreatedAt", "CREATED AT" }, { "MountCount", "MOUNT COUNT" }, { NULL, NULL },
};

static int run_vol_ls(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct vol_ls_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *filters = NULL, *all = NULL, *rows = NULL;
        json_t *v;
        size_t i;
        int r;

        (void)argc;
        (void)argv;
        if ((r = filters_of(&o->filter, &filters)))
                return r;
        if (!cli_runtime(ctx, &err) || cpod_volume_list(ctx->rt, filters, &all, &err) < 0)
                return cli_fail(&err);
        if (o->quiet) {
                json_array_foreach(all, i, v)
                        printf("%s\n", json_get_str(v, "Name"));
                return 0;
        }
        rows = template_rows(all);
        if (cli_print_list_opts(stdout, o->format, "table {{.Driver}}\t{{.Name}}", vol_headers, rows, all, o->noheading,
                                &err) < 0)
                return cli_fail(&err);
        return 0;
}

static const struct cli_cmd cmd_volume_ls = {
        .name = "ls",
        .aliases = (const char *const[]){ "list", NULL },
        .use = "[options]",
        .summary = "List volumes",
        .description = "List all available volumes. The output of the volumes can be filtered and the output "
                       "format can be changed to JSON or a user specified Go template.",
        .opts = vol_ls_opts,
        .opts_size = sizeof(struct vol_ls_opts),
        .run = run_vol_ls,
        .max_args = 0,
};

/* ---- inspect, exists ---- */

struct vol_inspect_opts {
        const char *format;
        bool all;
};

static const struct cli_opt vol_inspect_opts[] = {
        OPT_B("all", 'a', struct vol_inspect_opts, all, "Inspect all volumes"),
        OPT_S("format", 'f', struct vol_inspect_opts, format, "json", "Format volume output using Go template"),
        OPT_END,
};

static int run_vol_inspect(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct vol_inspect_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *all = NULL, *rows = NULL;
        int rc = 0;

        if (o->all == (argc > 0))
                return cli_errorf(o->all ? "when using the --all switch, you may not pass any volume names"
                                         : "provide one or more volume names or use --all");
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        if (o->all && cpod_volume_list(ctx->rt, NULL, &all, &err) < 0)
                return cli_fail(&err);
        if (!o->all)
                all = json_array();
        for (int i = 0; i < argc; i++) {
                json_t *v;
                if (cpod_volume_inspect(ctx->rt, argv[i], &v, &err) < 0) {
                        rc = cli_fail(&err);
                        continue;
                }
                json_array_append_new(all, v);
        }
        if (!o->format || !*o->format || strcmp(o->format, "json") == 0)
                cli_print_json(stdout, all);
        else if (cli_print_inspect(stdout, o->format, rows = template_rows(all), &err) < 0)
                return cli_fail(&err);
        return rc;
}

static const struct cli_cmd cmd_volume_inspect = {
        .name = "inspect",
        .use = "[options] VOLUME [VOLUME...]",
        .summary = "Display detailed information on one or more volumes",
        .description = "Display detailed information on one or more volumes.  Use a Go template to change the "
                       "format from JSON.",
        .opts = vol_inspect_opts,
        .opts_size = sizeof(struct vol_inspect_opts),
        .run = run_vol_inspect,
        .max_args = -1,
        .complete_args = "volumes",
};

static int run_vol_exists(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *v = NULL;

        (void)opts;
        (void)argc;
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        return cli_exists_rc(cpod_volume_inspect(ctx->rt, argv[0], &v, &err), &err, CPOD_E_NO_SUCH_VOLUME);
}

static const struct cli_cmd cmd_volume_exists = {
        .name = "exists",
        .use = "VOLUME",
        .summary = "volume exists",
        .description = "If the given volume exists, cpod volume exists exits with 0, otherwise with 1.",
        .run = run_vol_exists,
        .min_args = 1,
        .max_args = 1,
        .complete_args = "volumes",
};

/* ---- rm, prune ---- */

struct vol_rm_opts {
        bool all, force;
        long time;
};

static const struct cli_opt vol_rm_opts[] = {
        OPT_B("all", 'a', struct vol_rm_opts, all, "Remove all volumes"),
        OPT_B("force", 'f', struct vol_rm_opts, force,
              "Remove a volume by force, even if it is being used by a container"),
        OPT_I("time", 't', struct vol_rm_opts, time, "-1",
              "Seconds to wait for running containers to stop before killing the container"),
        OPT_END,
};

static int remove_one(struct cli_ctx *ctx, const struct vol_rm_opts *o, const char *name)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        enum cpod_error_kind kind;
        int rc;

        if (cpod_volume_remove(ctx->rt, name, o->force, (int)o->time, &err) == 0) {
                printf("%s\n", name);
                return 0;
        }
        /* podman's codes: 1 for a volume that does not exist, 2 for one in use */
        kind = err.kind;
        rc = cli_fail(&err);
        return kind == CPOD_E_NO_SUCH_VOLUME ? 1 : kind == CPOD_E_IN_USE ? 2 : rc;
}

static int run_vol_rm(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct vol_rm_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *all = NULL;
        json_t *v;
        size_t i;
        int rc = 0, r;

        if (o->all == (argc > 0))
                return cli_errorf(o->all ? "when using the --all switch, you may not pass any volume names"
                                         : "choose either one or more volumes or all");
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        if (o->all && cpod_volume_list(ctx->rt, NULL, &all, &err) < 0)
                return cli_fail(&err);
        json_array_foreach(all, i, v)
                if ((r = remove_one(ctx, o, json_get_str(v, "Name"))))
                        rc = r;
        for (int k = 0; k < argc; k++)
                if ((r = remove_one(ctx, o, argv[k])))
                        rc = r;
        return rc;
}

static const struct cli_cmd cmd_volume_rm = {
        .name = "rm",
        .aliases = (const char *const[]){ "remove", NULL },
        .use = "[options] VOLUME [VOLUME...]",
        .summary = "Remove one or more volumes",
        .description = "Remove one or more existing volumes.  By default only volumes that are not being used by "
                       "any containers will be removed.  To remove the volumes anyways, use the --force flag.",
        .opts = vol_rm_opts,
        .opts_size = sizeof(struct vol_rm_opts),
        .run = run_vol_rm,
        .max_args = -1,
        .complete_args = "volumes",
};

struct vol_prune_opts {
        struct strv filter;
        bool force;
};

static const struct cli_opt vol_prune_opts[] = {
        OPT_A("filter", 0, struct vol_prune_opts, filter, "Provide filter values (e.g. 'label=<key>=<value>')"),
        OPT_B("force", 'f', struct vol_prune_opts, force, "Do not prompt for confirmation"),
        OPT_END,
};

static int run_vol_prune(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct vol_prune_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_prune_report rep = { 0 };
        _cleanup_json_ json_t *filters = NULL;
        int r;

        (void)argc;
        (void)argv;
        if ((r = filters_of(&o->filter, &filters)))
                return r;
        if (!o->force && !cli_confirm("WARNING! This will remove all volumes not used by at least one container. The "
                                      "following volumes will be removed:"))
                return 0;
        if (!cli_runtime(ctx, &err) || cpod_volume_prune(ctx->rt, filters, &rep, &err) < 0)
                return cli_fail(&err);
        return cli_print_prune(&rep);
}

static const struct cli_cmd cmd_volume_prune = {
        .name = "prune",
        .use = "[options]",
        .summary = "Remove all unused volumes",
        .description = "Remove all unused volumes. You will be prompted to confirm the removal of all the unused "
                       "volumes. To bypass the confirmation, use the --force flag.",
        .opts = vol_prune_opts,
        .opts_size = sizeof(struct vol_prune_opts),
        .run = run_vol_prune,
        .max_args = 0,
};

/* ---- export, import ---- */

static int run_vol_export(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        const char *out = *(const char **)opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_close_ int fd = -1;

        (void)argc;
        if (!out || !*out) {
                if (isatty(STDOUT_FILENO))
                        return cli_errorf("expected a file via --output or stdout redirected to a file or pipe");
                fd = dup(STDOUT_FILENO);
        } else {
                fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        }
        if (fd < 0)
                return cli_errorf("open %s: %s", out ? out : "stdout", strerror(errno));
        if (!cli_runtime(ctx, &err) || cpod_volume_export(ctx->rt, argv[0], fd, &err) < 0)
                return cli_fail(&err);
        return 0;
}

static const struct cli_opt vol_export_opts[] = {
        { "output", 'o', OPT_STRING, 0, "string",
          "Write to a specified file (default: stdout, which must be redirected)", NULL, 0 },
        OPT_END,
};

static const struct cli_cmd cmd_volume_export = {
        .name = "export",
        .use = "[options] VOLUME",
        .summary = "Export volumes",
        .description = "Exports the contents of a volume as a tar archive to stdout or a file (--output).",
        .opts = vol_export_opts,
        .opts_size = sizeof(const char *),
        .run = run_vol_export,
        .min_args = 1,
        .max_args = 1,
        .complete_args = "volumes",
};

static int run_vol_import(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_close_ int fd = -1;

        (void)opts;
        (void)argc;
        fd = strcmp(argv[1], "-") == 0 ? dup(STDIN_FILENO) : open(argv[1], O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return cli_errorf("open %s: %s", argv[1], strerror(errno));
        if (!cli_runtime(ctx, &err) || cpod_volume_import(ctx->rt, argv[0], fd, &err) < 0)
                return cli_fail(&err);
        return 0;
}

static const struct cli_cmd cmd_volume_import = {
        .name = "import",
        .use = "VOLUME [SOURCE]",
        .summary = "Import a tarball contents into a volume",
        .description = "Imports the contents of a tarball (a file, or - for stdin) into the volume's mount point.",
        .run = run_vol_import,
        .min_args = 2,
        .max_args = 2,
        .complete_args = "volumes",
};

/* ---- mount, unmount, reload ---- */

/* mount prints each volume's path, unmount its name; each failure is reported, the rest go on. */
static int mount_each(struct cli_ctx *ctx, int argc, char **argv, bool mount)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        int rc = 0;

        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        for (int i = 0; i < argc; i++) {
                char *path = NULL;
                if ((mount ? cpod_volume_mount(ctx->rt, argv[i], &path, &err)
                           : cpod_volume_unmount(ctx->rt, argv[i], &err)) < 0) {
                        rc = cli_fail(&err);
                        continue;
                }
                printf("%s\n", mount ? path : argv[i]);
                free(path);
        }
        return rc;
}

static int run_vol_mount(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        (void)opts;
        return mount_each(ctx, argc, argv, true);
}

static const struct cli_cmd cmd_volume_mount = {
        .name = "mount",
        .use = "VOLUME [VOLUME...]",
        .summary = "Mount volume",
        .description = "Mount a volume (one created with -o type= or device= gets its filesystem mounted) and "
                       "print its mount point.",
        .run = run_vol_mount,
        .min_args = 1,
        .max_args = -1,
        .complete_args = "volumes",
};

static int run_vol_unmount(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        (void)opts;
        return mount_each(ctx, argc, argv, false);
}

static const struct cli_cmd cmd_volume_unmount = {
        .name = "unmount",
        .aliases = (const char *const[]){ "umount", NULL },
        .use = "VOLUME [VOLUME...]",
        .summary = "Unmount volume",
        .description = "Unmount the filesystem of a volume created with -o type= or device=.",
        .run = run_vol_unmount,
        .min_args = 1,
        .max_args = -1,
        .complete_args = "volumes",
};

static int run_vol_reload(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        (void)ctx;
        (void)opts;
        (void)argc;
        (void)argv;
        /* podman syncs its database with volume plugins; cpod has no plugins to sync with. */
        fprintf(stderr, "nothing to reload: cpod has only the local volume driver, whose volumes are all in its "
                        "database\n");
        return 0;
}

static const struct cli_cmd cmd_volume_reload = {
        .name = "reload",
        .use = "",
        .summary = "Reload all volumes from volume plugins",
        .description = "Check all configured volume plugins and update the database; cpod has no volume plugins, "
                       "so there is nothing to do.",
        .run = run_vol_reload,
        .max_args = 0,
};

const struct cli_cmd cmd_volume = {
        .name = "volume",
        .use = "[command]",
        .summary = "Manage volumes",
        .description = "Volumes are created in and can be shared between containers",
        .subcmds = CMD_LIST(&cmd_volume_create, &cmd_volume_exists, &cmd_volume_export, &cmd_volume_import,
                            &cmd_volume_inspect, &cmd_volume_ls, &cmd_volume_mount, &cmd_volume_prune,
                            &cmd_volume_reload, &cmd_volume_rm, &cmd_volume_unmount),
};
