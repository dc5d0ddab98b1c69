/* SPDX-License-Identifier: Apache-2.0 */
/* system df: the space images and containers take; -v lists each one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cpod/container.h>
#include <cpod/image.h>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/output.h"
#include "util/cleanup.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct df_opts {
        const char *format;
        bool verbose;
};

static const struct cli_opt df_opts[] = {
        OPT_S("format", 0, struct df_opts, format, NULL, "Pretty-print images using a Go template"),
        OPT_B("verbose", 'v', struct df_opts, verbose, "Show detailed information on disk usage"),
        OPT_END,
};

static const struct fmt_header df_headers[] = {
        { "Type", "TYPE" },
        { "Total", "TOTAL" },
        { "Active", "ACTIVE" },
        { "Size", "SIZE" },
        { "Reclaimable", "RECLAIMABLE" },
        { "Repository", "REPOSITORY" },
        { "Tag", "TAG" },
        { "ImageID", "IMAGE ID" },
        { "Created", "CREATED" },
        { "SharedSize", "SHARED SIZE" },
        { "UniqueSize", "UNIQUE SIZE" },
        { "Containers", "CONTAINERS" },
        { "ContainerID", "CONTAINER ID" },
        { "Image", "IMAGE" },
        { "Command", "COMMAND" },
        { "LocalVolumes", "LOCAL VOLUMES" },
        { "Status", "STATUS" },
        { "Names", "NAMES" },
        { "VolumeName", "VOLUME NAME" },
        { "Links", "LINKS" },
        { NULL, NULL },
};

/* What df shows: the images, their users and shared bytes; the containers and their writable layers' sizes. */
struct usage {
        json_t *imgs, *used, *disk, *ctrs;
};

static void usage_clear(struct usage *u)
{
        json_decref(u->imgs);
        json_decref(u->used);
        json_decref(u->disk);
        json_decref(u->ctrs);
}

static int usage_load(struct cli_ctx *ctx, struct usage *u, cpod_error_t *err)
{
        size_t i;
        json_t *c;

        if (!cli_runtime(ctx, err) || cpod_image_list(ctx->rt, &u->imgs, err) < 0 ||
            cpod_ctr_count_by_image(ctx->rt, &u->used, err) < 0 || cpod_ctr_list(ctx->rt, true, &u->ctrs, err) < 0 ||
            cpod_image_disk_usage(ctx->rt, u->used, &u->disk, err) < 0)
                return -1;
        json_array_foreach(u->ctrs, i, c) {
                int64_t rw = 0, rootfs = 0;
                cpod_error_t ignore = CPOD_ERROR_INIT;
                (void)cpod_ctr_size(ctx->rt, json_get_str(c, "Id"), &rw, &rootfs, &ignore);
                cpod_error_clear(&ignore);
                json_object_set_new(c, "RWSize", json_integer(rw));
        }
        return 0;
}

static json_t *df_row(const char *type, long total, long active, int64_t size, int64_t reclaim)
{
        _cleanup_free_ char *s = human_size_prec((double)size, 4), *r = human_size_prec((double)reclaim, 4);
        int pct = size > 0 ? (int)(100 * reclaim / size) : 0;

        return json_pack("{s:s, s:i, s:i, s:I, s:I, s:s, s:o}", "Type", type, "Total", (int)total, "Active",
                         (int)active, "RawSize", (json_int_t)size, "RawReclaimable", (json_int_t)reclaim, "Size", s,
                         "Reclaimable", json_sprintf("%s (%d%%)", r, pct));
}

static json_t *summary_rows(const struct usage *u)
{
        json_t *rows = json_array(), *e;
        int64_t isize = 0, ireclaim = 0, csize = 0, creclaim = 0;
        long iactive = 0, cactive = 0;
        size_t i;

        json_array_foreach(u->imgs, i, e)
                iactive += json_object_get(u->used, json_get_str(e, "Id")) != NULL;
        isize = json_get_int(u->disk, "Total", 0);
        ireclaim = json_get_int(u->disk, "Reclaimable", 0);
        json_array_foreach(u->ctrs, i, e) {
                bool running = strcmp(json_get_str(e, "State"), "running") == 0;
                csize += json_get_int(e, "RWSize", 0);
                cactive += running;
                creclaim += running ? 0 : json_get_int(e, "RWSize", 0);
        }
        json_array_append_new(rows, df_row("Images", (long)json_array_size(u->imgs), iactive, isize, ireclaim));
        json_array_append_new(rows, df_row("Containers", (long)json_array_size(u->ctrs), cactive, csize, creclaim));
        json_array_append_new(rows, df_row("Local Volumes", 0, 0, 0, 0));
        return rows;
}

static char *ago(int64_t unix_s)
{
        return human_duration((int64_t)time(NULL) - unix_s);
}

/* One row per name of each image (<none> <none> for an untagged one), as podman. */
static void image_rows(const struct usage *u, json_t *rows)
{
        size_t i, k;
        json_t *img, *nm;

        json_array_foreach(u->imgs, i, img) {
                json_t *names = json_object_get(img, "Names");
                int64_t size = json_get_int(img, "Size", 0),
                        shared = json_get_int(json_object_get(u->disk, "Shared"), json_get_str(img, "Id"), 0);
                _cleanup_free_ char *created = ago(json_get_int(img, "Created", 0));
                for (k = 0; k < (json_array_size(names) ? json_array_size(names) : 1); k++) {
                        const char *n = (nm = json_array_get(names, k)) ? json_string_value(nm) : NULL;
                        const char *colon = n ? strrchr(n, ':') : NULL;
                        bool tagged = colon && !strchr(colon, '/');
                        json_array_append_new(
                                rows,
                                json_pack("{s:s%, s:s, s:s%, s:s, s:I, s:I, s:I, s:I}", "Repository", n ? n : "<none>",
                                          tagged ? (size_t)(colon - n)
                                          : n    ? strlen(n)
                                                 : 6,
                                          "Tag", tagged ? colon + 1 : "<none>", "ImageID", json_get_str(img, "Id"),
                                          (size_t)12, "Created", created, "Size", (json_int_t)size, "SharedSize",
                                          (json_int_t)shared, "UniqueSize", (json_int_t)(size - shared), "Containers",
                                          (json_int_t)json_get_int(u->used, json_get_str(img, "Id"), 0)));
                }
        }
}

static void ctr_rows(const struct usage *u, json_t *rows)
{
        size_t i;
        json_t *c;

        json_array_foreach(u->ctrs, i, c) {
                _cleanup_strv_ char **cmdv = json_to_strv(json_object_get(c, "Command"));
                _cleanup_strv_ char **names = json_to_strv(json_object_get(c, "Names"));
                _cleanup_free_ char *cmd = strv_join(cmdv, " "), *nm = strv_join(names, ","), *created = NULL;
                int64_t t = 0;
                (void)time_parse_rfc3339(json_get_str(c, "Created"), &t, NULL);
                created = ago(t);
                json_array_append_new(
                        rows,
                        json_pack("{s:s%, s:s%, s:s, s:i, s:I, s:I, s:s, s:s, s:s}", "ContainerID",
                                  json_get_str(c, "Id"), (size_t)12, "Image",
                                  json_get_str(c, "ImageID") ? json_get_str(c, "ImageID") : "",
                                  strnlen(json_get_str(c, "ImageID") ? json_get_str(c, "ImageID") : "", 12), "Command",
                                  cmd, "LocalVolumes", 0, "Size", (json_int_t)json_get_int(c, "RWSize", 0), "RWSize",
                                  (json_int_t)json_get_int(c, "RWSize", 0), "Created", created, "Status",
                                  json_get_str(c, "State"), "Names", nm));
        }
}

/* Sizes as text for the tables; the JSON keeps bytes. */
static json_t *sized(json_t *rows, const char *const *keys)
{
        json_t *out = json_array(), *r;
        size_t i;

        json_array_foreach(rows, i, r) {
                json_t *c = json_copy(r);
                for (const char *const *k = keys; *k; k++)
                        json_object_set_new(c, *k, json_string_take(human_size((double)json_get_int(r, *k, 0))));
                json_array_append_new(out, c);
        }
        return out;
}

static int print_verbose(const struct usage *u, const char *format, cpod_error_t *err)
{
        _cleanup_json_ json_t *imgs = json_array(), *ctrs = json_array(), *vols = json_array(), *ti = NULL, *tc = NULL;

        image_rows(u, imgs);
        ctr_rows(u, ctrs);
        if (format && strcmp(format, "json") == 0) {
                _cleanup_json_ json_t *all =
                        json_pack("{s:O, s:O, s:O}", "Images", imgs, "Containers", ctrs, "Volumes", vols);
                cli_print_json(stdout, all);
                return 0;
        }
        ti = sized(imgs, (const char *const[]){ "Size", "SharedSize", "UniqueSize", NULL });
        tc = sized(ctrs, (const char *const[]){ "Size", NULL });
        printf("Images space usage:\n\n");
        if (cli_print_list(stdout, NULL,
                           "table {{.Repository}}\t{{.Tag}}\t{{.ImageID}}\t{{.Created}}\t{{.Size}}\t{{.SharedSize}}\t"
                           "{{.UniqueSize}}\t{{.Containers}}",
                           df_headers, ti, ti, err) < 0)
                return -1;
        printf("\nContainers space usage:\n\n");
        if (cli_print_list(
                    stdout, NULL,
                    "table {{.ContainerID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.Created}}\t"
                    "{{.Status}}\t{{.Names}}",
                    df_headers, tc, tc, err) < 0)
                return -1;
        printf("\nLocal Volumes space usage:\n\n");
        return cli_print_list(stdout, NULL, "table {{.VolumeName}}\t{{.Links}}\t{{.Size}}", df_headers, vols, vols,
                              err);
}

static int run_df(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct df_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct usage u = { 0 };
        _cleanup_json_ json_t *rows = NULL;
        int r;

        if (o->verbose && o->format && *o->format && strcmp(o->format, "json") != 0)
                return cli_errorf("cannot combine --format and --verbose flags");
        if (usage_load(ctx, &u, &err) < 0) {
                usage_clear(&u);
                return cli_fail(&err);
        }
        if (o->verbose) {
                r = print_verbose(&u, o->format, &err);
        } else {
                rows = summary_rows(&u);
                r = cli_print_list(stdout, o->format,
                                   "table {{.Type}}\t{{.Total}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}", df_headers,
                                   rows, rows, &err);
        }
        usage_clear(&u);
        return r < 0 ? cli_fail(&err) : 0;
}

const struct cli_cmd cmd_system_df = {
        .name = "df",
        .use = "[options]",
        .summary = "Show cpod disk usage",
        .description = "Show cpod disk usage",
        .opts = df_opts,
        .opts_size = sizeof(struct df_opts),
        .run = run_df,
        .max_args = 0,
};
