/* SPDX-License-Identifier: Apache-2.0 */
/* system prune, image prune. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/container.h>
#include <cpod/engine.h>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/output.h"
#include "util/cleanup.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct prune_img_opts {
        bool all, force;
        struct strv filter;
};

static const struct cli_opt image_prune_opts[] = {
        OPT_B("all", 'a', struct prune_img_opts, all,
              "Remove all images not in use by containers, not just dangling ones"),
        OPT_A("filter", 0, struct prune_img_opts, filter, "Provide filter values (e.g. 'label=<key>=<value>')"),
        OPT_B("force", 'f', struct prune_img_opts, force, "Do not prompt for confirmation"),
        OPT_END,
};

int cli_print_prune(struct cpod_prune_report *r)
{
        int rc = 0;

        for (size_t i = 0; i < r->n; i++) {
                if (r->v[i].err.kind != CPOD_E_NONE)
                        rc = cli_fail(&r->v[i].err);
                else
                        printf("%s\n", r->v[i].id);
        }
        cpod_prune_report_clear(r);
        return rc;
}

static int run_image_prune(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct prune_img_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_prune_report rep = { 0 };

        if (o->filter.n)
                return cli_errorf("image prune filters are not supported yet");
        if (!o->force && !cli_confirm(o->all ? "WARNING! This command removes all images without at least one "
                                               "container associated with them."
                                             : "WARNING! This command removes all dangling images."))
                return 0;
        if (!cli_runtime(ctx, &err) || cpod_image_prune(ctx->rt, o->all, &rep, &err) < 0)
                return cli_fail(&err);
        return cli_print_prune(&rep);
}

const struct cli_cmd cmd_image_prune = {
        .name = "prune",
        .use = "[options]",
        .summary = "Remove unused images",
        .description = "Removes dangling or unused images from local storage.",
        .example = "cpod image prune\ncpod image prune -a -f",
        .opts = image_prune_opts,
        .opts_size = sizeof(struct prune_img_opts),
        .run = run_image_prune,
        .max_args = 0,
};

struct sys_prune_opts {
        bool all, force, volumes;
};

static const struct cli_opt sys_prune_opts[] = {
        OPT_B("all", 'a', struct sys_prune_opts, all, "Remove all unused data"),
        OPT_B("force", 'f', struct sys_prune_opts, force, "Do not prompt for confirmation.  The default is false"),
        OPT_B("volumes", 0, struct sys_prune_opts, volumes, "Prune volumes"),
        OPT_END,
};

static int run_system_prune(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct sys_prune_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_system_prune_report rep = { 0 };
        int rc, r;

        if (!o->force && !cli_confirm(o->volumes ? "WARNING! This command removes:\n\t- all stopped containers\n\t- "
                                                   "all networks not used by at least one container\n\t- all "
                                                   "volumes not used by at least one container\n\t- all stopped "
                                                   "pods\n\t- all dangling images"
                                                 : "WARNING! This command removes:\n\t- all stopped containers\n\t- "
                                                   "all networks not used by at least one container\n\t- all "
                                                   "stopped pods\n\t- all dangling images"))
                return 0;
        if (!cli_runtime(ctx, &err) || cpod_system_prune(ctx->rt, o->all, o->volumes, &rep, &err) < 0)
                return cli_fail(&err);
        rc = cli_print_prune(&rep.pods);
        if ((r = cli_print_prune(&rep.containers)))
                rc = r;
        if ((r = cli_print_prune(&rep.networks)))
                rc = r;
        if ((r = cli_print_prune(&rep.volumes)))
                rc = r;
        if ((r = cli_print_prune(&rep.images)))
                rc = r;
        return rc;
}

const struct cli_cmd cmd_system_prune = {
        .name = "prune",
        .use = "[options]",
        .summary = "Remove unused data",
        .description = "Remove unused data: stopped containers and pods, networks no container uses, volumes no "
                       "container uses (with --volumes), and dangling images (all unused images with --all).",
        .opts = sys_prune_opts,
        .opts_size = sizeof(struct sys_prune_opts),
        .run = run_system_prune,
        .max_args = 0,
};

static int run_system_reset(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        bool force = *(bool *)opts;
        cpod_error_t err = CPOD_ERROR_INIT;

        (void)argc;
        (void)argv;
        if (!force && !cli_confirm("WARNING! This will remove:\n\t- all containers\n\t- all pods\n\t- all "
                                   "images\n\t- all networks\n\t- all volumes\n\t- all secrets"))
                return 0;
        if (!cli_runtime(ctx, &err) || cpod_system_reset(ctx->rt, &err) < 0)
                return cli_fail(&err);
        return 0;
}

static const struct cli_opt sys_reset_opts[] = {
        { "force", 'f', OPT_BOOL, 0, NULL, "Do not prompt for confirmation", NULL, 0 },
        OPT_END,
};

const struct cli_cmd cmd_system_reset = {
        .name = "reset",
        .use = "[options]",
        .summary = "Reset cpod storage",
        .description = "Reset cpod storage back to default state: remove all pods, containers, images, networks, "
                       "volumes and secrets, and the root and runroot directories.",
        .opts = sys_reset_opts,
        .opts_size = sizeof(bool),
        .run = run_system_reset,
        .max_args = 0,
};

struct migrate_opts {
        const char *new_runtime;
};

static int run_system_migrate(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct migrate_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *all = NULL;

        (void)argc;
        (void)argv;
        if (o->new_runtime)
                return cli_errorf("--new-runtime: changing the OCI runtime of existing containers is not supported "
                                  "by cpod yet");
        /* Opening the engine DB brings its schema up to date: that is the whole migration. */
        if (!cli_runtime(ctx, &err) || cpod_ctr_list(ctx->rt, true, &all, &err) < 0)
                return cli_fail(&err);
        return 0;
}

static const struct cli_opt migrate_opts[] = {
        OPT_S("new-runtime", 0, struct migrate_opts, new_runtime, NULL, "Specify a new runtime for all containers"),
        OPT_END,
};

const struct cli_cmd cmd_system_migrate = {
        .name = "migrate",
        .use = "[options]",
        .summary = "Migrate containers",
        .description = "Bring the engine database up to the schema of this cpod.  cpod migrates its database "
                       "whenever a command opens it, so this only does it now.",
        .opts = migrate_opts,
        .opts_size = sizeof(struct migrate_opts),
        .run = run_system_migrate,
        .max_args = 0,
};

static int run_system_renumber(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        (void)ctx;
        (void)opts;
        (void)argc;
        (void)argv;
        fprintf(stderr, "nothing to renumber: cpod's locks are one lock file per object, not a numbered table\n");
        return 0;
}

const struct cli_cmd cmd_system_renumber = {
        .name = "renumber",
        .use = "",
        .summary = "Migrate lock numbers",
        .description = "podman renumbers the locks in its shared-memory lock table; cpod locks each object with a "
                       "lock file of its own, so there is nothing to do.",
        .run = run_system_renumber,
        .max_args = 0,
};
