/* SPDX-License-Identifier: Apache-2.0 */
/* system df: the space images and containers take; -v lists each one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cpod/engine.h>

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

static json_t *df_row(const char *type, long total, long active, int64_t size, int64_t reclaim)
{
        _cleanup_free_ char *s = human_size_prec((double)size, 4), *r = human_size_prec((double)reclaim, 4);
        int pct = size > 0 ? (int)(100 * reclaim / size) : 0;

        return json_pack("{s:s, s:i, s:i, s:I, s:I, s:s, s:o}", "Type", type, "Total", (int)total, "Active",
                         (int)active, "RawSize", (json_int_t)size, "RawReclaimable", (json_int_t)reclaim, "Size", s,
                         "Reclaimable", json_sprintf("%s (%d%%)", r, pct));
}

static json_t *summary_rows(const struct cpod_df_report *u)
{
        json_t *rows = json_array();

        json_array_append_new(
                rows, df_row("Images", u->images.total, u->images.active, u->images.size, u->images.reclaimable));
        json_array_append_new(rows, df_row("Containers", u->containers.total, u->containers.active, u->containers.size,
                                           u->containers.reclaimable));
        json_array_append_new(rows, df_row("Local Volumes", u->volumes.total, u->volumes.active, u->volumes.size,
                                           u->volumes.reclaimable));
        return rows;
}

static char *ago(int64_t unix_s)
{
        return human_duration((int64_t)time(NULL) - unix_s);
}

/* One row per name of each image (<none> <none> for an untagged one), as podman. */
static void image_rows(const struct cpod_df_report *u, json_t *rows)
{
        for (size_t i = 0; i < u->n_imgs; i++) {
                const struct cpod_df_image *img = &u->imgs[i];
                size_t names = strv_length(img->names);
                _cleanup_free_ char *created = ago(img->created);
                for (size_t k = 0; k < (names ? names : 1); k++) {
                        const char *n = names ? img->names[k] : NULL;
                        const char *colon = n ? strrchr(n, ':') : NULL;
                        bool tagged = colon && !strchr(colon, '/');
                        json_array_append_new(
                                rows,
                                json_pack("{s:s%, s:s, s:s%, s:s, s:I, s:I, s:I, s:I}", "Repository", n ? n : "<none>",
                                          tagged ? (size_t)(colon - n)
                                          : n    ? strlen(n)
                                                 : 6,
                                          "Tag", tagged ? colon + 1 : "<none>", "ImageID", img->id, (size_t)12,
                                          "Created", created, "Size", (json_int_t)img->size, "SharedSize",
                                          (json_int_t)img->shared, "UniqueSize", (json_int_t)img->unique, "Containers",
                                          (json_int_t)img->containers));
                }
        }
}

static void ctr_rows(const struct cpod_df_report *u, json_t *rows)
{
        for (size_t i = 0; i < u->n_ctrs; i++) {
                const struct cpod_df_container *c = &u->ctrs[i];
                _cleanup_free_ char *created = ago(c->created);
                json_array_append_new(rows, json_pack("{s:s%, s:s%, s:s, s:i, s:I, s:I, s:s, s:s, s:s}", "ContainerID",
                                                      c->id, (size_t)12, "Image", c->image_id, strnlen(c->image_id, 12),
                                                      "Command", c->command, "LocalVolumes", (json_int_t)c->volumes,
                                                      "Size", (json_int_t)c->rw_size, "RWSize", (json_int_t)c->rw_size,
                                                      "Created", created, "Status", c->status, "Names", c->names));
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

static int print_verbose(const struct cpod_df_report *u, const char *format, cpod_error_t *err)
{
        _cleanup_json_ json_t *imgs = json_array(), *ctrs = json_array(), *vols = json_array(), *ti = NULL, *tc = NULL,
                              *tv = NULL;

        image_rows(u, imgs);
        ctr_rows(u, ctrs);
        for (size_t i = 0; i < u->n_vols; i++)
                json_array_append_new(vols,
                                      json_pack("{s:s, s:I, s:I}", "VolumeName", u->vols[i].name, "Links",
                                                (json_int_t)u->vols[i].links, "Size", (json_int_t)u->vols[i].size));
        if (format && strcmp(format, "json") == 0) {
                _cleanup_json_ json_t *all =
                        json_pack("{s:O, s:O, s:O}", "Images", imgs, "Containers", ctrs, "Volumes", vols);
                cli_print_json(stdout, all);
                return 0;
        }
        ti = sized(imgs, (const char *const[]){ "Size", "SharedSize", "UniqueSize", NULL });
        tv = sized(vols, (const char *const[]){ "Size", NULL });
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
        return cli_print_list(stdout, NULL, "table {{.VolumeName}}\t{{.Links}}\t{{.Size}}", df_headers, tv, tv, err);
}

static int run_df(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct df_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_df_report u = { 0 };
        _cleanup_json_ json_t *rows = NULL;
        int r;

        if (o->verbose && o->format && *o->format && strcmp(o->format, "json") != 0)
                return cli_errorf("cannot combine --format and --verbose flags");
        if (!cli_runtime(ctx, &err) || cpod_system_df(ctx->rt, &u, &err) < 0)
                return cli_fail(&err);
        if (o->verbose) {
                r = print_verbose(&u, o->format, &err);
        } else {
                rows = summary_rows(&u);
                r = cli_print_list(stdout, o->format,
                                   "table {{.Type}}\t{{.Total}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}", df_headers,
                                   rows, rows, &err);
        }
        cpod_df_report_clear(&u);
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
