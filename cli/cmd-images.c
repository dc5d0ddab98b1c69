/* SPDX-License-Identifier: Apache-2.0 */
/* cpod images / image ls: one row per name (REPOSITORY TAG), filters and sorting as podman's. */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/container.h>
#include <cpod/image.h>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/output.h"
#include "cli/sort.h"
#include "util/cleanup.h"
#include "util/heap.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct images_opts {
        bool all, digests, history, no_trunc, noheading, quiet;
        struct strv filter;
        const char *format;
        const char *sort;
};

static const struct cli_opt images_opts[] = {
        OPT_B("all", 'a', struct images_opts, all, "Show all images (default hides intermediate images)"),
        OPT_B("digests", 0, struct images_opts, digests, "Show digests"),
        OPT_A("filter", 'f', struct images_opts, filter, "Filter output based on conditions provided (default [])"),
        OPT_S("format", 0, struct images_opts, format, NULL, "Change the output format to JSON or a Go template"),
        OPT_B("history", 0, struct images_opts, history, "Display the image name history"),
        OPT_B("no-trunc", 0, struct images_opts, no_trunc, "Do not truncate output"),
        OPT_B("noheading", 'n', struct images_opts, noheading, "Do not print column headings"),
        OPT_B("quiet", 'q', struct images_opts, quiet, "Display only image IDs"),
        OPT_S("sort", 0, struct images_opts, sort, "created", "Sort by created, id, repository, size, tag"),
        OPT_END,
};

static const struct fmt_header image_headers[] = {
        { "ID", "IMAGE ID" },
        { "Repository", "REPOSITORY" },
        { "Tag", "TAG" },
        { "Digest", "DIGEST" },
        { "Created", "CREATED" },
        { "CreatedSince", "CREATED" },
        { "CreatedAt", "CREATED AT" },
        { "Size", "SIZE" },
        { "ReadOnly", "R/O" },
        { "History", "HISTORY" },
        { NULL, NULL },
};

/* Split "reg/repo:tag" into repository and tag ("reg/repo@digest", a name pulled by digest, has none). */
static void split_name(const char *name, char **repo, char **tag)
{
        const char *at = strchr(name, '@'), *slash = strrchr(name, '/'), *colon = strrchr(slash ? slash : name, ':');

        if (at) {
                *repo = xstrndup(name, (size_t)(at - name));
                *tag = xstrdup("<none>");
                return;
        }
        *repo = colon ? xstrndup(name, (size_t)(colon - name)) : xstrdup(name);
        *tag = xstrdup(colon ? colon + 1 : "<none>");
}

static json_t *make_row(json_t *img, const char *name, bool no_trunc)
{
        /* Shallow: rows share the image's values (a deep copy per tag was quadratic in the tags). */
        json_t *row = json_copy(img);
        const char *id = json_get_str(img, "Id");
        _cleanup_free_ char *repo = NULL, *tag = NULL, *since = NULL, *size = NULL, *cat = NULL;
        int64_t created = json_get_int(img, "Created", 0);

        if (name)
                split_name(name, &repo, &tag);
        since = human_since(created);
        size = human_size((double)json_get_int(img, "Size", 0));
        cat = time_go_string(created, 0);
        json_object_set_new(row, "ID", json_string_cut(id, no_trunc ? SIZE_MAX : 12));
        if (no_trunc)
                json_object_set_new(row, "ID", json_sprintf("sha256:%s", id));
        json_object_set_new(row, "Repository", json_string(repo ? repo : "<none>"));
        json_object_set_new(row, "Tag", json_string(tag ? tag : "<none>"));
        json_object_set_new(row, "Created", json_string(since));
        json_object_set_new(row, "CreatedSince", json_string(since));
        json_object_set_new(row, "CreatedAt", json_string(cat));
        json_object_set_new(row, "CreatedTime", json_string(cat));
        json_object_set_new(row, "Size", json_string(size));
        json_object_set_new(row, "ReadOnly", json_false());
        {
                /* podman's History(): the names the image has had, joined */
                _cleanup_strv_ char **hist = json_to_strv(json_object_get(img, "History"));
                _cleanup_free_ char *h = strv_join(hist, ", ");
                json_object_set_new(row, "History", json_string(h ? h : ""));
        }
        return row;
}

static bool match_reference(json_t *img, const char *pattern)
{
        json_t *names = json_object_get(img, "Names"), *n;
        _cleanup_free_ char *pat = strchr(strrchr(pattern, '/') ? strrchr(pattern, '/') : pattern, ':')
                                           ? xstrdup(pattern)
                                           : xasprintf("%s:*", pattern);
        size_t i;

        json_array_foreach(names, i, n) {
                const char *s = json_string_value(n);
                const char *p = s;
                /* Match the full name, or any suffix starting after a '/'. */
                while (p) {
                        if (fnmatch(pat, p, 0) == 0)
                                return true;
                        p = strchr(p, '/');
                        if (p)
                                p++;
                }
        }
        return false;
}

static bool match_label(json_t *img, const char *kv)
{
        json_t *labels = json_object_get(img, "Labels");
        const char *eq = strchr(kv, '=');
        _cleanup_free_ char *key = eq ? xstrndup(kv, (size_t)(eq - kv)) : xstrdup(kv);
        const char *v = json_get_str(labels, key);

        if (!json_object_get(labels, key))
                return false;
        return !eq || (v && strcmp(v, eq + 1) == 0);
}

/* Created time of the image NAME, for before=/since=; -1 when unknown. */
static int64_t created_of(struct cli_ctx *ctx, const char *name)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *o = NULL;
        const char *c;
        int64_t t = -1;

        if (cpod_image_inspect(cli_runtime(ctx, &err), name, &o, &err) == 0 && (c = json_get_str(o, "Created")))
                (void)time_parse_rfc3339(c, &t, NULL);
        cpod_error_clear(&err);
        return t;
}

static int filter_ok(struct cli_ctx *ctx, json_t *img, const char *f, bool *ok)
{
        const char *eq = strchr(f, '=');
        const char *v = eq ? eq + 1 : "";
        size_t kl = eq ? (size_t)(eq - f) : strlen(f);

        if (kl == 9 && strncmp(f, "reference", 9) == 0)
                *ok = match_reference(img, v);
        else if (kl == 5 && strncmp(f, "label", 5) == 0)
                *ok = match_label(img, v);
        else if (kl == 8 && strncmp(f, "dangling", 8) == 0)
                *ok = json_is_true(json_object_get(img, "Dangling")) == (strcmp(v, "true") == 0);
        else if (kl == 2 && strncmp(f, "id", 2) == 0)
                *ok = strncmp(json_get_str(img, "Id"), v, strlen(v)) == 0;
        else if (kl == 6 && strncmp(f, "before", 6) == 0)
                *ok = json_get_int(img, "Created", 0) < created_of(ctx, v);
        else if (kl == 5 && strncmp(f, "since", 5) == 0)
                *ok = json_get_int(img, "Created", 0) > created_of(ctx, v);
        else if (kl == 8 && strncmp(f, "readonly", 8) == 0)
                *ok = strcmp(v, "false") == 0;
        else if (kl == 12 && strncmp(f, "intermediate", 12) == 0)
                *ok = strcmp(v, "false") == 0;
        else
                return cli_errorf("invalid image filter \"%.*s\"", (int)kl, f);
        return 0;
}

/* Filters of the same key are ORed, different keys ANDed (podman's rule). */
static int apply_filters(struct cli_ctx *ctx, json_t *img, const struct strv *filters, bool *ok)
{
        for (size_t i = 0; i < filters->n; i++) {
                size_t kl = strcspn(filters->v[i], "=");
                bool any = false;
                for (size_t j = 0; j < filters->n; j++) {
                        bool m = false;
                        if (strncmp(filters->v[j], filters->v[i], kl) != 0 || filters->v[j][kl] != filters->v[i][kl])
                                continue;
                        if (filter_ok(ctx, img, filters->v[j], &m))
                                return 125;
                        any = any || m;
                }
                if (!any) {
                        *ok = false;
                        return 0;
                }
        }
        *ok = true;
        return 0;
}

static const struct cli_sort_key image_sort_keys[] = {
        { "created", "Created", false, true },
        { "id", "Id", false, false },
        { "repository", "Repository", false, false },
        { "size", "VirtualSize", false, false },
        { "tag", "Tag", false, false },
        { NULL, NULL, false, false },
};

static int print_quiet(json_t *imgs, bool no_trunc)
{
        size_t i;
        json_t *img;

        json_array_foreach(imgs, i, img) {
                const char *id = json_get_str(img, "Id");
                if (no_trunc)
                        printf("sha256:%s\n", id);
                else
                        printf("%.12s\n", id);
        }
        return 0;
}

static int run_images(struct cli_ctx *ctx, void *o, int argc, char **argv)
{
        struct images_opts *opts = o;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt;
        _cleanup_json_ json_t *all = NULL, *imgs = json_array(), *rows = json_array(), *used = NULL;
        const struct cli_sort_key *sort =
                cli_sort_find(image_sort_keys, opts->sort && *opts->sort ? opts->sort : "created");
        size_t i;
        json_t *img;
        int r;

        if (!sort)
                return cli_errorf("\"%s\" is not a valid field for sorting: choose from created, id, repository, "
                                  "size, tag",
                                  opts->sort);
        heap_prepare_large(32 << 20); /* thousands of images' JSON: see heap.h */
        rt = cli_runtime(ctx, &err);
        if (!rt || cpod_image_list(rt, &all, &err) < 0) {
                r = cli_error(&err);
                cpod_error_clear(&err);
                return r;
        }
        if (argc > 0)
                cli_strv_push_owned(&opts->filter, xasprintf("reference=%s", argv[0]));
        if (cpod_ctr_count_by_image(rt, &used, &err) < 0)
                return cli_fail(&err);
        json_array_foreach(all, i, img) {
                bool ok;
                json_object_set_new(img, "Containers", json_integer(json_get_int(used, json_get_str(img, "Id"), 0)));
                if ((r = apply_filters(ctx, img, &opts->filter, &ok)))
                        return r;
                if (ok)
                        json_array_append(imgs, img);
        }
        if (opts->quiet)
                return print_quiet(imgs, opts->no_trunc);
        json_array_foreach(imgs, i, img) {
                json_t *names = json_object_get(img, "Names");
                size_t k;
                json_t *nm;
                if (json_array_size(names) == 0)
                        json_array_append_new(rows, make_row(img, NULL, opts->no_trunc));
                json_array_foreach(names, k, nm)
                        json_array_append_new(rows, make_row(img, json_string_value(nm), opts->no_trunc));
        }
        cli_sort_array(rows, sort);
        if (strcmp(sort->name, "created") == 0 || strcmp(sort->name, "size") == 0 || strcmp(sort->name, "id") == 0)
                cli_sort_array(imgs, sort);
        r = cli_print_list_opts(
                stdout, opts->format,
                opts->digests ? "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.Created}}\t{{.Size}}"
                              : "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.Created}}\t{{.Size}}",
                image_headers, rows, imgs, opts->noheading, &err);
        if (r < 0)
                r = cli_error(&err);
        cpod_error_clear(&err);
        return r;
}

const struct cli_cmd cmd_images = {
        .name = "images",
        .use = "[options] [IMAGE]",
        .summary = "List images in local storage",
        .description = "Lists images previously pulled to the system or created on the system.",
        .example = "cpod images --format json\ncpod images --sort repository --format \"table {{.ID}} {{.Repository}} "
                   "{{.Tag}}\"\n"
                   "cpod images --filter dangling=true",
        .opts = images_opts,
        .opts_size = sizeof(struct images_opts),
        .run = run_images,
        .max_args = 1,
        .complete_args = "images",
};

const struct cli_cmd cmd_image_list = {
        .name = "list",
        .aliases = CMD_ALIASES("ls"),
        .use = "[options] [IMAGE]",
        .summary = "List images in local storage",
        .description = "Lists images previously pulled to the system or created on the system.",
        .opts = images_opts,
        .opts_size = sizeof(struct images_opts),
        .run = run_images,
        .max_args = 1,
        .complete_args = "images",
};
