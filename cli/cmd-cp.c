/* SPDX-License-Identifier: Apache-2.0 */
/* cp, export, diff (container or image) and image diff. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/container.h>
#include <cpod/image.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

struct cp_opts {
        bool archive, overwrite, extract, pause;
};

static const struct cli_opt cp_opts[] = {
        OPT("archive", 'a', OPT_BOOL, struct cp_opts, archive, NULL, "true",
            "Chown copied files to the primary uid/gid of the destination container."),
        OPT_B("overwrite", 0, struct cp_opts, overwrite,
              "Allow to overwrite directories with non-directories and vice versa"),
        { "extract", 0, OPT_BOOL, offsetof(struct cp_opts, extract), NULL, "Deprecated...", NULL, OPT_HIDDEN },
        { "pause", 0, OPT_BOOL, offsetof(struct cp_opts, pause), NULL, "Deprecated", "true", OPT_HIDDEN },
        OPT_END,
};

/*
 * "[CONTAINER:]PATH" as podman reads it: a path starting with '/' or '.'
 * is on the host even if it holds a ':' ("./file:name.txt").
 */
static void split_arg(char *arg, const char **ret_ctr, const char **ret_path)
{
        char *colon = strchr(arg, ':');

        *ret_ctr = NULL;
        *ret_path = arg;
        if (arg[0] == '/' || arg[0] == '.' || !colon)
                return;
        *colon = '\0';
        *ret_ctr = arg;
        *ret_path = colon + 1;
}

static int run_cp(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct cp_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_free_ char *src = NULL, *dst = NULL;
        struct cpod_cp_opts co = {
                .archive = o->archive, .overwrite = o->overwrite, .in_fd = STDIN_FILENO, .out_fd = STDOUT_FILENO
        };

        if (argc != 2)
                return cli_errorf("accepts 2 arg(s), received %d", argc);
        src = xstrdup(argv[0]);
        dst = xstrdup(argv[1]);
        split_arg(src, &co.src_ctr, &co.src_path);
        split_arg(dst, &co.dst_ctr, &co.dst_path);
        if (!*co.src_path || !*co.dst_path)
                return cli_errorf("invalid arguments \"%s\", \"%s\": you must specify paths", argv[0], argv[1]);
        /* The host's /dev/stdin and /dev/stdout are the tar streams "-" stands for (not files to copy). */
        if (!co.src_ctr && strcmp(co.src_path, "/dev/stdin") == 0)
                co.src_path = "-";
        if (!co.dst_ctr && strcmp(co.dst_path, "/dev/stdout") == 0)
                co.dst_path = "-";
        if (!cli_runtime(ctx, &err) || cpod_ctr_copy(ctx->rt, &co, &err) < 0)
                return cli_fail(&err);
        return 0;
}

const struct cli_cmd cmd_cp = {
        .name = "cp",
        .use = "[options] [CONTAINER:]SRC_PATH [CONTAINER:]DEST_PATH",
        .summary = "Copy files/folders between a container and the local filesystem",
        .description = "Copy the contents of SRC_PATH to the DEST_PATH.\n\n  You can copy from the container's file "
                       "system to the local machine or the reverse, from the local filesystem to the container. If "
                       "\"-\" is specified for either the SRC_PATH or DEST_PATH, you can also stream a tar archive "
                       "from STDIN or to STDOUT. The CONTAINER can be a running or stopped container. The SRC_PATH or "
                       "DEST_PATH can be a file or a directory.",
        .example = "cpod cp [options] [CONTAINER:]SRC_PATH [CONTAINER:]DEST_PATH",
        .opts = cp_opts,
        .opts_size = sizeof(struct cp_opts),
        .run = run_cp,
        .max_args = -1,
        .complete_args = "containers",
};

struct export_opts {
        const char *output;
};

static const struct cli_opt export_opts[] = {
        OPT_S("output", 'o', struct export_opts, output, NULL,
              "Write to a specified file (default: stdout, which must be redirected)"),
        OPT_END,
};

static int run_export(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct export_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_free_ char *tmp = NULL;
        _cleanup_close_ int fd = -1;
        int r;

        if (!o->output || !*o->output) {
                if (isatty(STDOUT_FILENO))
                        return cli_errorf("refusing to export to terminal. Use -o flag or redirect");
                if (!cli_runtime(ctx, &err) || cpod_ctr_export(ctx->rt, argv[0], STDOUT_FILENO, &err) < 0)
                        return cli_fail(&err);
                return 0;
        }
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        /* A complete archive or none: written beside the target, renamed into place. */
        tmp = xasprintf("%s.cpod-tmp-%d", o->output, (int)getpid());
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0)
                return cli_errorf("creating \"%s\": %s", o->output, strerror(errno));
        r = cpod_ctr_export(ctx->rt, argv[0], fd, &err);
        if (r == 0 && (fsync(fd) < 0 || rename(tmp, o->output) < 0))
                r = cpod_error_sys(&err, errno, "writing \"%s\"", o->output);
        if (r < 0) {
                (void)unlink(tmp);
                return cli_fail(&err);
        }
        return 0;
}

const struct cli_cmd cmd_export = {
        .name = "export",
        .use = "[options] CONTAINER",
        .summary = "Export container's filesystem contents as a tar archive",
        .description = "Exports container's filesystem contents as a tar archive and saves it on the local machine.",
        .example = "cpod export ctrID > myCtr.tar\ncpod export --output=\"myCtr.tar\" ctrID",
        .opts = export_opts,
        .opts_size = sizeof(struct export_opts),
        .run = run_export,
        .min_args = 1,
        .max_args = 1,
        .complete_args = "containers",
};

struct diff_opts {
        const char *format;
        bool latest;
};

static const struct cli_opt diff_opts[] = {
        OPT_S("format", 0, struct diff_opts, format, NULL, "Change the output format (json)"),
        OPT_B("latest", 'l', struct diff_opts, latest, "Act on the latest container cpod is aware of"),
        OPT_END,
};

static const struct cli_opt image_diff_opts[] = {
        OPT_S("format", 0, struct diff_opts, format, NULL, "Change the output format (json)"),
        OPT_END,
};

/* podman prints its diff JSON with json.MarshalIndent(v, "", "     "): five spaces, empty groups left out. */
static void print_json(const json_t *changes)
{
        static const char *const keys[] = { "changed", "added", "deleted" };
        _cleanup_json_ json_t *out = json_object();
        _cleanup_free_ char *s = NULL;
        json_t *groups[3] = { json_array(), json_array(), json_array() }, *c;
        size_t i;

        json_array_foreach(changes, i, c) {
                json_int_t k = json_get_int(c, "Kind", 0);
                if (k >= 0 && k < 3)
                        json_array_append_new(groups[k], json_string(json_get_str(c, "Path")));
        }
        for (int k = 0; k < 3; k++) {
                if (json_array_size(groups[k]))
                        json_object_set(out, keys[k], groups[k]);
                json_decref(groups[k]);
        }
        s = json_dumps(out, JSON_INDENT(5) | JSON_PRESERVE_ORDER);
        printf("%s\n", s ? s : "{}");
}

static int print_diff(const char *format, json_t *changes)
{
        json_t *c;
        size_t i;

        if (format && *format) {
                if (strcmp(format, "json") != 0)
                        return cli_errorf("only json format is supported for diff");
                print_json(changes);
                return 0;
        }
        json_array_foreach(changes, i, c) {
                json_int_t k = json_get_int(c, "Kind", 0);
                printf("%c %s\n", k == 0 ? 'C' : k == 1 ? 'A' : 'D', json_get_str(c, "Path"));
        }
        return 0;
}

static int run_diff(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct diff_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *changes = NULL;

        if (argc == 0)
                return cli_errorf("diff requires at least one argument");
        if (argc > 1)
                return cli_errorf("comparing two objects is not supported yet, name one container or image");
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        if (cpod_ctr_diff(ctx->rt, argv[0], &changes, &err) < 0) {
                if (err.kind != CPOD_E_NO_SUCH_CTR)
                        return cli_fail(&err);
                cpod_error_clear(&err);
                if (cpod_image_diff(ctx->rt, argv[0], &changes, &err) < 0) {
                        if (err.kind != CPOD_E_NO_SUCH_IMAGE)
                                return cli_fail(&err);
                        cpod_error_clear(&err);
                        return cli_errorf("%s not found: layer not known", argv[0]);
                }
        }
        return print_diff(o->format, changes);
}

static int run_container_diff(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct diff_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *changes = NULL;

        if (argc != 1)
                return cli_errorf("%s", argc ? "comparing two containers is not supported yet, name one container"
                                             : "container diff requires exactly one container");
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        if (cpod_ctr_diff(ctx->rt, argv[0], &changes, &err) < 0) {
                if (err.kind != CPOD_E_NO_SUCH_CTR)
                        return cli_fail(&err);
                cpod_error_clear(&err);
                return cli_errorf("%s not found: container not known", argv[0]);
        }
        return print_diff(o->format, changes);
}

static int run_image_diff(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct diff_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *changes = NULL;

        if (argc > 1)
                return cli_errorf("comparing two images is not supported yet, name one image");
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        if (cpod_image_diff(ctx->rt, argv[0], &changes, &err) < 0) {
                if (err.kind == CPOD_E_NO_SUCH_IMAGE)
                        cpod_error_wrap(&err, "%s not found", argv[0]);
                return cli_fail(&err);
        }
        return print_diff(o->format, changes);
}

const struct cli_cmd cmd_diff = {
        .name = "diff",
        .latest = CLI_LATEST_REPLACES,
        .use = "[options] {CONTAINER|IMAGE} [{CONTAINER|IMAGE}]",
        .summary = "Display the changes to the object's file system",
        .description = "Displays changes on a container or image's filesystem.  The container or image will be "
                       "compared to its parent layer.",
        .example = "cpod diff imageID\ncpod diff ctrID\ncpod diff --format json redis:alpine",
        .opts = diff_opts,
        .opts_size = sizeof(struct diff_opts),
        .run = run_diff,
        .max_args = 2,
        .complete_args = "containers",
};

const struct cli_cmd cmd_container_diff = {
        .name = "diff",
        .latest = CLI_LATEST_REPLACES,
        .use = "[options] CONTAINER [CONTAINER]",
        .summary = "Inspect changes to the container's file systems",
        .description = "Displays changes to the container filesystem's'.  The container will be compared to its "
                       "parent layer.",
        .example = "cpod container diff myCtr\ncpod container diff -l --format json myCtr",
        .opts = diff_opts,
        .opts_size = sizeof(struct diff_opts),
        .run = run_container_diff,
        .max_args = 2,
        .complete_args = "containers",
};

const struct cli_cmd cmd_image_diff = {
        .name = "diff",
        .use = "[options] IMAGE [IMAGE]",
        .summary = "Inspect changes to the image's file systems",
        .description = "Displays changes to the image's filesystem.  The image will be compared to its parent "
                       "layer.",
        .example = "cpod image diff myImage\ncpod image diff --format json redis:alpine",
        .opts = image_diff_opts,
        .opts_size = sizeof(struct diff_opts),
        .run = run_image_diff,
        .min_args = 1,
        .max_args = 2,
        .complete_args = "images",
};
