/* SPDX-License-Identifier: Apache-2.0 */
/* load, save, import. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/image.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct load_opts {
        const char *input, *signature_policy;
        bool quiet;
};

static const struct cli_opt load_opts[] = {
        OPT_S("input", 'i', struct load_opts, input, NULL, "Read from specified archive file (default: stdin)"),
        OPT_S("signature-policy", 0, struct load_opts, signature_policy, NULL,
              "Path to a signature-policy file (instead of the default policy.json)"),
        OPT_B("quiet", 'q', struct load_opts, quiet, "Suppress the progress output"),
        OPT_END,
};

static int run_load(struct cli_ctx *ctx, void *o, int argc, char **argv)
{
        struct load_opts *opts = o;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *loaded = NULL;
        const char *in = opts->input;
        size_t i;
        json_t *n;

        if (!in || strcmp(in, "-") == 0) {
                if (isatty(STDIN_FILENO))
                        return cli_errorf("cannot read from terminal, use command-line redirection or the --input "
                                          "flag");
                in = "/dev/stdin";
        }
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        if (opts->signature_policy)
                cpod_runtime_set_signature_policy(ctx->rt, opts->signature_policy);
        if (cpod_image_load(ctx->rt, in, &loaded, &err) < 0)
                return cli_fail(&err);
        /* as podman: --quiet silences progress only; the names loaded are always printed */
        json_array_foreach(loaded, i, n)
                printf("Loaded image: %s\n", json_string_value(n));
        return 0;
}

const struct cli_cmd cmd_load = {
        .name = "load",
        .use = "[options]",
        .summary = "Load image(s) from a tar archive",
        .description = "Loads an image from a locally stored archive (tar file) into container storage.",
        .example = "cpod load < busybox.tar\ncpod load -i busybox.tar",
        .opts = load_opts,
        .opts_size = sizeof(struct load_opts),
        .run = run_load,
        .max_args = 0,
};

struct save_opts {
        const char *output, *format;
        bool compress, multi, quiet, uncompressed;
};

static const struct cli_opt save_opts[] = {
        OPT_B("compress", 0, struct save_opts, compress,
              "Compress tarball image layers when saving to a directory "
              "using the 'dir' transport. (default is same compression "
              "type as source)"),
        OPT_S("format", 0, struct save_opts, format, "docker-archive",
              "Save image to oci-archive, oci-dir (directory with oci manifest type), docker-archive, docker-dir "
              "(directory with v2s2 manifest type)"),
        OPT_B("multi-image-archive", 'm', struct save_opts, multi,
              "Interpret additional arguments as images not "
              "tags and create a multi-image-archive (only "
              "for docker-archive)"),
        OPT_S("output", 'o', struct save_opts, output, NULL,
              "Write to a specified file (default: stdout, which must "
              "be redirected)"),
        OPT_B("quiet", 'q', struct save_opts, quiet, "Suppress the output"),
        OPT_B("uncompressed", 0, struct save_opts, uncompressed, "Accept uncompressed layers when copying OCI images"),
        OPT_END,
};

static int save_format(const char *f, enum cpod_save_format *ret)
{
        static const struct {
                const char *name;
                enum cpod_save_format fmt;
        } map[] = { { "docker-archive", CPOD_SAVE_DOCKER_ARCHIVE },
                    { "oci-archive", CPOD_SAVE_OCI_ARCHIVE },
                    { "oci-dir", CPOD_SAVE_OCI_DIR },
                    { "docker-dir", CPOD_SAVE_DOCKER_DIR } };

        for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
                if (strcmp(f, map[i].name) == 0) {
                        *ret = map[i].fmt;
                        return 0;
                }
        return cli_errorf("unknown format option \"%s\"", f);
}

static int run_save(struct cli_ctx *ctx, void *o, int argc, char **argv)
{
        struct save_opts *opts = o;
        cpod_error_t err = CPOD_ERROR_INIT;
        enum cpod_save_format fmt = CPOD_SAVE_DOCKER_ARCHIVE;
        const char *out = opts->output;
        _cleanup_strv_ char **names = NULL;

        if (save_format(opts->format, &fmt))
                return 125;
        if (argc > 1 && fmt != CPOD_SAVE_DOCKER_ARCHIVE)
                return cli_errorf("multi-image archives are only supported in the docker-archive format");
        if (!out || strcmp(out, "-") == 0) {
                if (fmt == CPOD_SAVE_OCI_DIR || fmt == CPOD_SAVE_DOCKER_DIR)
                        return cli_errorf("the --output flag is required for the %s format", opts->format);
                if (isatty(STDOUT_FILENO))
                        return cli_errorf("refusing to save to terminal. Use -o flag or redirect");
                out = "-";
        }
        names = xnew0(char *, 1);
        /* Without -m, podman reads further arguments as extra tags of the first image. */
        for (int i = 0; i < (opts->multi ? argc : 1); i++)
                strv_add(&names, argv[i]);
        if (!cli_runtime(ctx, &err) || cpod_image_save(ctx->rt, names, fmt, out, &err) < 0)
                return cli_fail(&err);
        return 0;
}

const struct cli_cmd cmd_save = {
        .name = "save",
        .use = "[options] IMAGE [IMAGE...]",
        .summary = "Save image(s) to an archive",
        .description = "Save an image to docker-archive or oci-archive on the local machine. Default is "
                       "docker-archive.",
        .example = "cpod save --quiet -o myimage.tar imageID\ncpod save --format docker-dir -o ubuntu-dir ubuntu\n"
                   "cpod save > alpine-all.tar alpine:latest",
        .opts = save_opts,
        .opts_size = sizeof(struct save_opts),
        .run = run_save,
        .min_args = 1,
        .max_args = -1,
        .complete_args = "images",
};
