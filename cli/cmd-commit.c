/* SPDX-License-Identifier: Apache-2.0 */
/* commit, import (and image import). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cpod/container.h>
#include <cpod/image.h>

#include "cli/commands.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/log.h"
#include "util/xalloc.h"

#define CHANGE_HELP                                                                                                    \
        "Apply the following possible instructions to the created image (default []): CMD | ENTRYPOINT | ENV | "       \
        "EXPOSE | LABEL | ONBUILD | STOPSIGNAL | USER | VOLUME | WORKDIR"

struct commit_opts {
        const char *author, *format, *iidfile, *message;
        struct strv change;
        bool include_volumes, pause, quiet, squash;
};

static const struct cli_opt commit_opts[] = {
        OPT_S("author", 'a', struct commit_opts, author, NULL, "Set the author for the image committed"),
        OPT_A("change", 'c', struct commit_opts, change, CHANGE_HELP),
        OPT("format", 'f', OPT_STRING, struct commit_opts, format, "Format", "oci",
            "Format of the image manifest and metadata"),
        OPT("iidfile", 0, OPT_STRING, struct commit_opts, iidfile, "file", NULL, "file to write the image ID to"),
        OPT_B("include-volumes", 0, struct commit_opts, include_volumes, "Include container volumes as image volumes"),
        OPT_S("message", 'm', struct commit_opts, message, NULL, "Set commit message for imported image"),
        OPT_B("pause", 'p', struct commit_opts, pause, "Pause container during commit"),
        OPT_B("quiet", 'q', struct commit_opts, quiet, "Suppress output"),
        OPT_B("squash", 's', struct commit_opts, squash, "squash newly built layers into a single new layer"),
        OPT_END,
};

/* podman warns about instructions the OCI format can't carry, and drops them. */
static void warn_oci(const struct strv *changes)
{
        for (size_t i = 0; i < changes->n; i++) {
                const char *c = changes->v[i] + strspn(changes->v[i], " \t");
                if (strncasecmp(c, "ONBUILD", 7) == 0 && (c[7] == ' ' || c[7] == '\t'))
                        log_warn("ONBUILD is not supported for OCI image format, %s will be ignored. Must use "
                                 "`docker` format",
                                 c + 8 + strspn(c + 8, " \t"));
        }
}

static int write_iidfile(const char *path, const char *id, cpod_error_t *err)
{
        /* podman writes the bare ID here (build's --iidfile has the "sha256:" form) */
        return write_file(path, id, strlen(id), 0644, err);
}

static int run_commit(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct commit_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_commit_opts co = { .image = argc > 1 ? argv[1] : NULL,
                                       .message = o->message,
                                       .author = o->author,
                                       .changes = (char *const *)o->change.v,
                                       .pause = o->pause,
                                       .squash = o->squash };
        char id[65];

        if (strcmp(o->format, "docker") == 0)
                co.docker = true;
        else if (strcmp(o->format, "oci") != 0)
                return cli_errorf("unrecognized image type \"%s\"", o->format);
        if (!co.docker)
                warn_oci(&o->change);
        if (!cli_runtime(ctx, &err) || cpod_ctr_commit(ctx->rt, argv[0], &co, id, &err) < 0)
                return cli_fail(&err);
        if (o->iidfile && *o->iidfile && write_iidfile(o->iidfile, id, &err) < 0)
                return cli_fail(&err);
        printf("%s\n", id);
        return 0;
}

const struct cli_cmd cmd_commit = {
        .name = "commit",
        .use = "[options] CONTAINER [IMAGE]",
        .summary = "Create new image based on the changed container",
        .description = "Create an image from a container's changes. Optionally tag the image created, set the "
                       "author with the --author flag, set the commit message with the --message flag, and make "
                       "changes to the instructions with the --change flag.",
        .example = "cpod commit -q --message \"committing container to image\" reverent_golick image-committed\n"
                   "cpod commit -q --author \"firstName lastName\" reverent_golick image-committed\n"
                   "cpod commit -q --pause=false containerID image-committed\ncpod commit containerID",
        .opts = commit_opts,
        .opts_size = sizeof(struct commit_opts),
        .run = run_commit,
        .min_args = 1,
        .max_args = 2,
        .complete_args = "containers",
};

struct import_opts {
        const char *arch, *message, *os, *variant;
        struct strv change;
        bool quiet;
};

static const struct cli_opt import_opts[] = {
        OPT_S("arch", 0, struct import_opts, arch, NULL, "Set the architecture of the imported image"),
        OPT_A("change", 'c', struct import_opts, change, CHANGE_HELP),
        OPT_S("message", 'm', struct import_opts, message, NULL, "Set commit message for imported image"),
        OPT_S("os", 0, struct import_opts, os, NULL, "Set the OS of the imported image"),
        OPT_B("quiet", 'q', struct import_opts, quiet, "Suppress output"),
        OPT_S("variant", 0, struct import_opts, variant, NULL, "Set the variant of the imported image"),
        OPT_END,
};

static int run_import(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct import_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_import_opts io = { .source = argv[0],
                                       .reference = argc > 1 ? argv[1] : NULL,
                                       .message = o->message,
                                       .changes = (char *const *)o->change.v,
                                       .arch = o->arch,
                                       .os = o->os,
                                       .variant = o->variant };
        char id[65];

        warn_oci(&o->change);
        if (strcmp(argv[0], "-") != 0 && strncmp(argv[0], "http://", 7) != 0 && strncmp(argv[0], "https://", 8) != 0 &&
            !path_exists(argv[0]))
                return cli_errorf("invalid source: stat %s: no such file or directory", argv[0]);
        if (!cli_runtime(ctx, &err) || cpod_image_import(ctx->rt, &io, id, &err) < 0)
                return cli_fail(&err);
        printf("sha256:%s\n", id);
        return 0;
}

#define IMPORT_CMD(var, description_)                                                                                  \
        const struct cli_cmd var = {                                                                                   \
                .name = "import",                                                                                      \
                .use = "[options] PATH [REFERENCE]",                                                                   \
                .summary = "Import a tarball to create a filesystem image",                                            \
                .description = description_,                                                                           \
                .example = "cpod import https://example.com/ctr.tar url-image\n"                                       \
                           "cat ctr.tar | cpod -q import --message \"importing the ctr.tar tarball\" - "               \
                           "image-imported\ncat ctr.tar | cpod import -",                                              \
                .opts = import_opts,                                                                                   \
                .opts_size = sizeof(struct import_opts),                                                               \
                .run = run_import,                                                                                     \
                .min_args = 1,                                                                                         \
                .max_args = 2,                                                                                         \
        }

IMPORT_CMD(cmd_import, "Create a container image from the contents of the specified tarball (.tar, .tar.gz, .tgz, "
                       ".bzip, .tar.xz, .txz).\n\n  Note remote tar balls can be specified, via web address.\n  "
                       "Optionally tag the image. You can specify the instructions using the --change option.");
IMPORT_CMD(cmd_image_import, "Create a container image from the contents of the specified tarball (.tar, .tar.gz, "
                             ".tgz, .bzip, .tar.xz, .txz).\n\n  Note remote tar balls can be specified, via web "
                             "address.\n  Optionally tag the image. You can specify the instructions using the "
                             "--change option.");
