/* SPDX-License-Identifier: Apache-2.0 */
/* system prune, image prune. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/container.h>
#include <cpod/image.h>
#include <cpod/pod.h>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/output.h"
#include "util/cleanup.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* Images used by at least one container: {"<id>": count}. */
static int usage_counts(struct cli_ctx *ctx, json_t **ret, cpod_error_t *err)
{
        return cpod_ctr_count_by_image(ctx->rt, ret, err);
}

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

/* Remove unused images (dangling ones, or all with --all); prints their IDs. */
static int prune_images(struct cli_ctx *ctx, bool all, int *rc)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *imgs = NULL, *used = NULL;
        size_t i;
        json_t *img;

        if (cpod_image_list(ctx->rt, &imgs, &err) < 0 || usage_counts(ctx, &used, &err) < 0)
                return cli_fail(&err);
        json_array_foreach(imgs, i, img) {
                const char *id = json_get_str(img, "Id");
                _cleanup_json_ json_t *untagged = json_array(), *deleted = json_array();
                if (json_object_get(used, id) || (!all && !json_is_true(json_object_get(img, "Dangling"))))
                        continue;
                if (cpod_image_remove(ctx->rt, id, &(struct cpod_rmi_opts){ .force = true }, untagged, deleted, &err) <
                    0) {
                        *rc = cli_fail(&err);
                        continue;
                }
                printf("%s\n", id);
        }
        return 0;
}

static int run_image_prune(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct prune_img_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        int rc = 0;

        if (o->filter.n)
                return cli_errorf("image prune filters are not supported yet");
        if (!o->force && !cli_confirm(o->all ? "WARNING! This command removes all images without at least one "
                                               "container associated with them."
                                             : "WARNING! This command removes all dangling images."))
                return 0;
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        prune_images(ctx, o->all, &rc);
        return rc;
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

static void prune_stopped(struct cli_ctx *ctx, int *rc)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *pods = NULL, *ctrs = NULL;
        size_t i;
        json_t *e;

        if (cpod_pod_list(ctx->rt, &pods, &err) == 0)
                json_array_foreach(pods, i, e)
                        if (!strcmp(json_get_str(e, "Status"), "Exited") ||
                            !strcmp(json_get_str(e, "Status"), "Created"))
                                if (cpod_pod_remove(ctx->rt, json_get_str(e, "Id"), true, 0, &err) < 0)
                                        *rc = cli_fail(&err);
        cpod_error_clear(&err);
        if (cpod_ctr_list(ctx->rt, true, &ctrs, &err) == 0)
                json_array_foreach(ctrs, i, e) {
                        const char *st = json_get_str(e, "State"), *pod = json_get_str(e, "Pod");
                        /* A pod's containers go with the pod, as in container prune. */
                        if ((strcmp(st, "exited") && strcmp(st, "stopped") && strcmp(st, "created")) || (pod && *pod))
                                continue;
                        if (cpod_ctr_remove(ctx->rt, json_get_str(e, "Id"), NULL, &err) < 0)
                                *rc = cli_fail(&err);
                }
        cpod_error_clear(&err);
}

static int run_system_prune(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct sys_prune_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        int rc = 0;

        if (!o->force && !cli_confirm("WARNING! This command removes:\n\t- all stopped containers\n\t- all stopped "
                                      "pods\n\t- all dangling images"))
                return 0;
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        prune_stopped(ctx, &rc);
        prune_images(ctx, o->all, &rc);
        return rc;
}

const struct cli_cmd cmd_system_prune = {
        .name = "prune",
        .use = "[options]",
        .summary = "Remove unused data",
        .description = "Remove unused data: stopped containers and pods, and dangling images (all unused images "
                       "with --all).",
        .opts = sys_prune_opts,
        .opts_size = sizeof(struct sys_prune_opts),
        .run = run_system_prune,
        .max_args = 0,
};
