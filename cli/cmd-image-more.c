/* SPDX-License-Identifier: Apache-2.0 */
/* history, image mount/unmount, image tree, image prune. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/image.h>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/output.h"
#include "util/cleanup.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct history_opts {
        bool human, no_trunc, quiet;
        const char *format;
};

static const struct cli_opt history_opts[] = {
        OPT_S("format", 0, struct history_opts, format, NULL, "Change the output to JSON or a Go template"),
        OPT(("human"), 'H', OPT_BOOL, struct history_opts, human, NULL, "true",
            "Display sizes and dates in human readable format"),
        OPT_B("no-trunc", 0, struct history_opts, no_trunc, "Do not truncate the output"),
        OPT_B("quiet", 'q', struct history_opts, quiet, "Display the numeric IDs only"),
        OPT_END,
};

static const struct fmt_header history_headers[] = {
        { "ID", "ID" },     { "Created", "CREATED" }, { "CreatedBy", "CREATED BY" },
        { "Size", "SIZE" }, { "Comment", "COMMENT" }, { NULL, NULL },
};

static json_t *history_template_row(json_t *h, const struct history_opts *o)
{
        json_t *row = json_deep_copy(h);
        const char *id = json_get_str(h, "id"), *by = json_get_str(h, "CreatedBy");
        int64_t created = json_get_int(h, "created", 0), size = json_get_int(h, "size", 0);
        _cleanup_free_ char *c = o->human ? human_since(created) : time_rfc3339nano(created, 0, 0);
        _cleanup_free_ char *sz = o->human ? human_size((double)size) : xasprintf("%lld", (long long)size);
        bool trunc_by = !o->no_trunc && strlen(by) > 45;

        json_object_set_new(row, "ID",
                            json_string_cut(id, o->no_trunc || strcmp(id, "<missing>") == 0 ? SIZE_MAX : 12));
        json_object_set_new(row, "Created", json_string(c));
        json_object_set_new(row, "CreatedBy", trunc_by ? json_sprintf("%.42s...", by) : json_string(by));
        json_object_set_new(row, "Size", json_string(sz));
        json_object_set_new(row, "Comment", json_string(json_get_str(h, "comment")));
        json_object_set_new(row, "CreatedSince", json_string(c));
        {
                _cleanup_free_ char *at = time_go_string(created, 0);
                json_object_set_new(row, "CreatedAt", json_string(at));
        }
        return row;
}

static int run_history(struct cli_ctx *ctx, void *o, int argc, char **argv)
{
        struct history_opts *opts = o;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt = cli_runtime(ctx, &err);
        _cleanup_json_ json_t *hist = NULL, *rows = json_array(), *out = json_array();
        size_t i;
        json_t *h;

        if (!rt || cpod_image_history(rt, argv[0], &hist, &err) < 0)
                return cli_fail(&err);
        json_array_foreach(hist, i, h) {
                _cleanup_free_ char *c = time_rfc3339nano(json_get_int(h, "created", 0), 0, 1);
                json_t *j = json_deep_copy(h);
                if (opts->quiet) {
                        const char *id = json_get_str(h, "id");
                        printf("%.*s\n", opts->no_trunc ? (int)strlen(id) : 12, id);
                }
                json_object_set_new(j, "created", json_string(c));
                /* podman's JSON: "Created" too, and no empty comment or tags (omitempty) */
                json_object_set_new(j, "Created", json_string(c));
                if (!*json_get_str(j, "comment"))
                        json_object_del(j, "comment");
                if (json_array_size(json_object_get(j, "tags")) == 0)
                        json_object_del(j, "tags");
                json_array_append_new(out, j);
                json_array_append_new(rows, history_template_row(h, opts));
        }
        if (opts->quiet)
                return 0;
        if (cli_print_list(stdout, opts->format, "table {{.ID}}\t{{.Created}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}",
                           history_headers, rows, out, &err) < 0)
                return cli_fail(&err);
        return 0;
}

const struct cli_cmd cmd_history = {
        .name = "history",
        .use = "[options] IMAGE",
        .summary = "Show history of a specified image",
        .description = "Displays the history of an image.\n\nThe information can be printed out in an easy to read, "
                       "or user specified format, and can be truncated.",
        .example = "cpod history quay.io/fedora/fedora",
        .opts = history_opts,
        .opts_size = sizeof(struct history_opts),
        .run = run_history,
        .min_args = 1,
        .max_args = 1,
        .complete_args = "images",
};

struct mount_opts {
        bool all;
        const char *format;
};

static const struct cli_opt image_mount_opts[] = {
        OPT_B("all", 'a', struct mount_opts, all, "Mount all images"),
        OPT_S("format", 0, struct mount_opts, format, NULL, "Print the mounted images in specified format (json)"),
        OPT_END,
};

static int list_mounted(struct cli_ctx *ctx, const char *format)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *m = NULL;
        size_t i;
        json_t *e;

        if (!cli_runtime(ctx, &err) || cpod_image_mounted(ctx->rt, &m, &err) < 0)
                return cli_fail(&err);
        if (format && strcmp(format, "json") == 0) {
                cli_print_json(stdout, m);
                return 0;
        }
        json_array_foreach(m, i, e) {
                json_t *repos = json_object_get(e, "Repositories");
                printf("%s %s\n",
                       json_array_size(repos) ? json_string_value(json_array_get(repos, 0)) : json_get_str(e, "id"),
                       json_get_str(e, "path"));
        }
        return 0;
}

static int run_image_mount(struct cli_ctx *ctx, void *o, int argc, char **argv)
{
        struct mount_opts *opts = o;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *all = NULL;
        size_t i;
        json_t *img;

        if (argc == 0 && !opts->all)
                return list_mounted(ctx, opts->format);
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        if (opts->all) {
                if (cpod_image_list(ctx->rt, &all, &err) < 0)
                        return cli_fail(&err);
                json_array_foreach(all, i, img) {
                        _cleanup_free_ char *p = NULL;
                        if (cpod_image_mount(ctx->rt, json_get_str(img, "Id"), &p, &err) < 0)
                                return cli_fail(&err);
                        printf("%s %s\n", json_get_str(img, "Id"), p);
                }
                return 0;
        }
        for (int k = 0; k < argc; k++) {
                _cleanup_free_ char *p = NULL;
                if (cpod_image_mount(ctx->rt, argv[k], &p, &err) < 0)
                        return cli_fail(&err);
                printf("%s\n", p);
        }
        return 0;
}

const struct cli_cmd cmd_image_mount = {
        .name = "mount",
        .use = "[options] [IMAGE...]",
        .summary = "Mount an image's root filesystem",
        .description = "Mounts the specified images' root file system in a location which can be accessed from the "
                       "host, and returns its location.",
        .example = "cpod image mount imgID\ncpod image mount --all",
        .opts = image_mount_opts,
        .opts_size = sizeof(struct mount_opts),
        .run = run_image_mount,
        .max_args = -1,
        .complete_args = "images",
};

struct umount_opts {
        bool all, force;
};

static const struct cli_opt image_umount_opts[] = {
        OPT_B("all", 'a', struct umount_opts, all, "Unmount all of the currently mounted images"),
        OPT_B("force", 'f', struct umount_opts, force, "Force the complete unmount of the specified mounted images"),
        OPT_END,
};

static int run_image_umount(struct cli_ctx *ctx, void *o, int argc, char **argv)
{
        struct umount_opts *opts = o;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *m = NULL;
        size_t i;
        json_t *e;

        if (argc == 0 && !opts->all)
                return cli_errorf("when using the --all switch, you may not pass any image names or IDs");
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        if (opts->all) {
                if (cpod_image_mounted(ctx->rt, &m, &err) < 0)
                        return cli_fail(&err);
                json_array_foreach(m, i, e) {
                        if (cpod_image_unmount(ctx->rt, json_get_str(e, "id"), true, &err) < 0)
                                return cli_fail(&err);
                        printf("%s\n", json_get_str(e, "id"));
                }
                return 0;
        }
        for (int k = 0; k < argc; k++) {
                char id[65];
                if (cpod_image_lookup(ctx->rt, argv[k], id, &err) < 0 ||
                    cpod_image_unmount(ctx->rt, argv[k], opts->force, &err) < 0)
                        return cli_fail(&err);
                printf("%s\n", id);
        }
        return 0;
}

const struct cli_cmd cmd_image_umount = {
        .name = "unmount",
        .aliases = CMD_ALIASES("umount"),
        .use = "[options] IMAGE [IMAGE...]",
        .summary = "Unmount an image's root filesystem",
        .description = "Image storage increments a mount counter each time an image is mounted. When an image is "
                       "unmounted, the mount counter is decremented, and the image's root filesystem is physically "
                       "unmounted only when the mount counter reaches zero indicating no other processes are using "
                       "the mount.",
        .example = "cpod image unmount imgID\ncpod image unmount --all",
        .opts = image_umount_opts,
        .opts_size = sizeof(struct umount_opts),
        .run = run_image_umount,
        .max_args = -1,
        .complete_args = "images",
};

static int run_image_tree(struct cli_ctx *ctx, void *o, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *ins = NULL, *hist = NULL;
        _cleanup_free_ char *size = NULL, *tags = NULL;
        _cleanup_strv_ char **tagv = NULL;
        json_t *layers;
        size_t n;

        if (!cli_runtime(ctx, &err) || cpod_image_inspect(ctx->rt, argv[0], &ins, &err) < 0 ||
            cpod_image_history(ctx->rt, argv[0], &hist, &err) < 0)
                return cli_fail(&err);
        size = human_size_prec((double)json_get_int(ins, "Size", 0), 4);
        tagv = json_to_strv(json_object_get(ins, "RepoTags"));
        tags = strv_join(tagv, " ");
        printf("Image ID: %.12s\n", json_get_str(ins, "Id"));
        printf("Tags:     [%s]\n", tags);
        printf("Size:     %s\n", size);
        printf("Image Layers\n");
        layers = json_path(ins, "RootFS.Layers");
        n = json_array_size(layers);
        for (size_t i = 0; i < n; i++) {
                const char *d = json_string_value(json_array_get(layers, i));
                printf("%s ID: %.12s", i + 1 == n ? "└──" : "├──", d && strlen(d) > 7 ? d + 7 : "");
                if (i + 1 == n)
                        printf(" Top Layer of: [%s]", tags);
                putchar('\n');
        }
        return 0;
}

const struct cli_cmd cmd_image_tree = {
        .name = "tree",
        .use = "[options] IMAGE",
        .summary = "Prints layer hierarchy of an image in a tree format",
        .example = "cpod image tree alpine:latest",
        .run = run_image_tree,
        .min_args = 1,
        .max_args = 1,
        .complete_args = "images",
};

static const struct cli_cmd cmd_image_history = {
        .name = "history",
        .use = "[options] IMAGE",
        .summary = "Show history of a specified image",
        .opts = history_opts,
        .opts_size = sizeof(struct history_opts),
        .run = run_history,
        .min_args = 1,
        .max_args = 1,
        .complete_args = "images",
};

const struct cli_cmd cmd_image = {
        .name = "image",
        .use = "[command]",
        .summary = "Manage images",
        .description = "Manage images",
        .subcmds = CMD_LIST(&cmd_build, &cmd_image_diff, &cmd_image_exists, &cmd_image_history, &cmd_image_import,
                            &cmd_image_inspect, &cmd_image_list, &cmd_load, &cmd_image_mount, &cmd_image_prune,
                            &cmd_pull, &cmd_push, &cmd_image_rm, &cmd_save, &cmd_search, &cmd_tag, &cmd_image_tree,
                            &cmd_image_trust, &cmd_image_umount, &cmd_untag),
};
