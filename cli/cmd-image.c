/* SPDX-License-Identifier: Apache-2.0 */
/* The `image` group and its small commands: inspect, tag, untag, rmi, history, exists, mount, unmount, tree. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/image.h>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/output.h"
#include "util/cleanup.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* Print err and release it; returns the exit code. */
struct inspect_opts {
        const char *format;
        bool size;
};

static const struct cli_opt image_inspect_opts[] = {
        OPT_S("format", 'f', struct inspect_opts, format, "json", "Format the output to a Go template or json"),
        OPT_END,
};

static int run_image_inspect(struct cli_ctx *ctx, void *o, int argc, char **argv)
{
        struct inspect_opts *opts = o;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt = cli_runtime(ctx, &err);
        _cleanup_json_ json_t *all = json_array();
        int rc = 0;

        if (!rt)
                return cli_fail(&err);
        for (int i = 0; i < argc; i++) {
                json_t *obj;
                if (cpod_image_inspect(rt, argv[i], &obj, &err) < 0) {
                        cli_error(&err);
                        cpod_error_clear(&err);
                        rc = 125;
                        continue;
                }
                json_array_append_new(all, obj);
        }
        if (cli_print_inspect(stdout, opts->format, all, &err) < 0)
                return cli_fail(&err);
        return rc;
}

const struct cli_cmd cmd_image_inspect = {
        .name = "inspect",
        .use = "[options] IMAGE [IMAGE...]",
        .summary = "Display the configuration of an image",
        .description = "Displays the low-level information of an image identified by name or ID.",
        .example = "cpod image inspect alpine\ncpod image inspect --format \"imageId: {{.Id}} size: {{.Size}}\" alpine",
        .opts = image_inspect_opts,
        .opts_size = sizeof(struct inspect_opts),
        .run = run_image_inspect,
        .min_args = 1,
        .max_args = -1,
        .complete_args = "images",
};

static int run_tag(struct cli_ctx *ctx, void *o, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt = cli_runtime(ctx, &err);

        if (!rt)
                return cli_fail(&err);
        for (int i = 1; i < argc; i++)
                if (cpod_image_tag(rt, argv[0], argv[i], &err) < 0)
                        return cli_fail(&err);
        return 0;
}

const struct cli_cmd cmd_tag = {
        .name = "tag",
        .use = "IMAGE TARGET_NAME [TARGET_NAME...]",
        .summary = "Add an additional name to a local image",
        .description = "Adds one or more additional names to locally-stored image.",
        .example = "cpod tag 0e3bbc2 fedora:latest\ncpod tag imageID:latest myNewImage:newTag",
        .run = run_tag,
        .min_args = 2,
        .max_args = -1,
        .complete_args = "images",
};

static int run_untag(struct cli_ctx *ctx, void *o, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt = cli_runtime(ctx, &err);

        if (!rt)
                return cli_fail(&err);
        if (argc == 1 && cpod_image_untag(rt, argv[0], NULL, &err) < 0)
                return cli_fail(&err);
        for (int i = 1; i < argc; i++)
                if (cpod_image_untag(rt, argv[0], argv[i], &err) < 0)
                        return cli_fail(&err);
        return 0;
}

const struct cli_cmd cmd_untag = {
        .name = "untag",
        .use = "IMAGE [IMAGE...]",
        .summary = "Remove a name from a local image",
        .description = "Removes one or more names from a locally-stored image.",
        .example = "cpod untag 0e3bbc2\ncpod untag imageID:latest otherImageName:latest",
        .run = run_untag,
        .min_args = 1,
        .max_args = -1,
        .complete_args = "images",
};

struct rmi_opts {
        bool all, force, ignore, no_prune;
};

static const struct cli_opt rmi_opts[] = {
        OPT_B("all", 'a', struct rmi_opts, all, "Remove all images"),
        OPT_B("force", 'f', struct rmi_opts, force, "Force Removal of the image"),
        OPT_B("ignore", 'i', struct rmi_opts, ignore, "Ignore errors if a specified image does not exist"),
        OPT_B("no-prune", 0, struct rmi_opts, no_prune, "Do not remove dangling images"),
        OPT_END,
};

/* podman rmi: 1 = some image did not exist, 2 = in use, 125 = other failure. */
static int rmi_exit(const cpod_error_t *err)
{
        if (err->kind == CPOD_E_NO_SUCH_IMAGE)
                return 1;
        if (err->kind == CPOD_E_IN_USE)
                return 2;
        return 125;
}

static int rmi_names(struct cli_ctx *ctx, char **names, int n, const struct rmi_opts *opts)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt = cli_runtime(ctx, &err);
        /* As podman: --force, like --ignore, lets an image that does not exist pass. */
        struct cpod_rmi_opts ro = { .force = opts->force, .ignore = opts->ignore || opts->force };
        int rc = 0;

        if (!rt)
                return cli_fail(&err);
        for (int i = 0; i < n; i++) {
                _cleanup_json_ json_t *untagged = json_array(), *deleted = json_array();
                size_t k;
                json_t *v;
                int code;

                (void)cpod_image_remove(rt, names[i], &ro, untagged, deleted, &err);
                json_array_foreach(untagged, k, v)
                        printf("Untagged: %s\n", json_string_value(v));
                json_array_foreach(deleted, k, v)
                        printf("Deleted: %s\n", json_string_value(v));
                if (err.kind == CPOD_E_NONE)
                        continue;
                code = rmi_exit(&err);
                cli_error(&err);
                cpod_error_clear(&err);
                if (rc == 0 || (rc == 1 && code != 1))
                        rc = code;
        }
        return rc;
}

static int run_rmi(struct cli_ctx *ctx, void *o, int argc, char **argv)
{
        struct rmi_opts *opts = o;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *all = NULL;
        _cleanup_strv_ char **ids = NULL;
        size_t i;
        json_t *img;

        if (!opts->all && argc == 0)
                return cli_errorf("image name or ID must be specified");
        if (opts->all && argc > 0)
                return cli_errorf("when using the --all switch, you may not pass any images names or IDs");
        if (!opts->all)
                return rmi_names(ctx, argv, argc, opts);
        if (!cli_runtime(ctx, &err) || cpod_image_list(ctx->rt, &all, &err) < 0)
                return cli_fail(&err);
        ids = xnew0(char *, 1);
        json_array_foreach(all, i, img)
                strv_add(&ids, json_get_str(img, "Id"));
        opts->force = true; /* by ID with several names: -a removes them all */
        return rmi_names(ctx, ids, (int)strv_length(ids), opts);
}

const struct cli_cmd cmd_rmi = {
        .name = "rmi",
        .use = "[options] IMAGE [IMAGE...]",
        .summary = "Remove one or more images from local storage",
        .description = "Removes one or more previously pulled or locally created images.",
        .example = "cpod rmi imageID\ncpod rmi --force alpine\ncpod rmi c4dfb1609ee2 93fd78260bd1 c0ed59d05ff7",
        .opts = rmi_opts,
        .opts_size = sizeof(struct rmi_opts),
        .run = run_rmi,
        .max_args = -1,
        .complete_args = "images",
};

const struct cli_cmd cmd_image_rm = {
        .name = "rm",
        .aliases = CMD_ALIASES("remove"),
        .use = "[options] IMAGE [IMAGE...]",
        .summary = "Remove one or more images from local storage",
        .description = "Removes one or more previously pulled or locally created images.",
        .opts = rmi_opts,
        .opts_size = sizeof(struct rmi_opts),
        .run = run_rmi,
        .max_args = -1,
        .complete_args = "images",
};

static int run_image_exists(struct cli_ctx *ctx, void *o, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt = cli_runtime(ctx, &err);
        char id[65];

        if (!rt)
                return cli_fail(&err);
        return cli_exists_rc(cpod_image_lookup(rt, argv[0], id, &err), &err, CPOD_E_NO_SUCH_IMAGE);
}

const struct cli_cmd cmd_image_exists = {
        .name = "exists",
        .use = "IMAGE",
        .summary = "Check if an image exists in local storage",
        .description = "If the named image exists in local storage, cpod image exists exits with 0, otherwise the "
                       "exit code will be 1.",
        .example = "cpod image exists ID\ncpod image exists IMAGE && cpod pull IMAGE",
        .run = run_image_exists,
        .min_args = 1,
        .max_args = 1,
        .complete_args = "images",
};
