/* SPDX-License-Identifier: Apache-2.0 */
/* Image reports with podman's field names: `images` rows, `image inspect`, `history`. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/image.h>

#include "image/image-internal.h"
#include "image/manifest.h"
#include "image/reference.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

int image_refuse_list(struct store *s, const char *id, cpod_error_t *err)
{
        struct image_rec r;
        bool list;

        if (store_image_get(s, id, &r, NULL) < 0)
                return 0;
        list = !r.top_layer && r.manifest_type &&
               (strcmp(r.manifest_type, MT_DOCKER_LIST) == 0 || strcmp(r.manifest_type, MT_OCI_INDEX) == 0);
        image_rec_clear(&r);
        if (list)
                return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                                      "image %.12s is a manifest list: use one of its images (cpod manifest inspect "
                                      "lists them), or cpod manifest push",
                                      id);
        return 0;
}

json_t *image_load_config(struct store *s, const char *id, cpod_error_t *err)
{
        _cleanup_free_ char *buf = NULL;
        size_t len;

        if (image_refuse_list(s, id, err) < 0 || store_image_bigdata(s, id, "config", &buf, &len, err) < 0)
                return NULL;
        return json_parse_buf(buf, len, "image config", err);
}

int cpod_image_config(struct cpod_runtime *rt, const char *id, json_t **ret, cpod_error_t *err)
{
        struct store *s;

        if (rt_store(rt, &s, err) < 0 || !(*ret = image_load_config(s, id, err)))
                return cpod_error_rc(err, -EIO);
        return 0;
}

/* "repo:tag" names split into RepoTags, and RepoDigests "repo@digest" for every digest. */
static json_t *repo_digests(const struct image_rec *r)
{
        json_t *a = json_array();
        _cleanup_strv_ char **seen = xnew0(char *, 1);

        for (char **nm = r->names; nm && *nm; nm++) {
                struct image_ref ref;
                _cleanup_free_ char *repo = NULL;

                if (image_ref_parse(*nm, &ref, NULL) < 0)
                        continue;
                repo = image_ref_repo(&ref);
                image_ref_clear(&ref);
                if (strv_contains(seen, repo))
                        continue;
                strv_add(&seen, repo);
                for (char **d = r->digests; d && *d; d++)
                        json_array_append_new(a, json_sprintf("%s@%s", repo, *d));
        }
        return a;
}

static json_t *created_at(int64_t t)
{
        _cleanup_free_ char *s = time_rfc3339nano(t, 0, 1);

        return json_string(s);
}

/* The "repo:tag" names: a name pulled by digest ("repo@sha256:...") is no tag. */
static json_t *repo_tags(const struct image_rec *r)
{
        json_t *a = json_array();

        for (char **nm = r->names; nm && *nm; nm++)
                if (!strchr(*nm, '@'))
                        json_array_append_new(a, json_string(*nm));
        return a;
}

static json_t *list_row(const struct image_rec *r, json_t *config)
{
        json_t *labels = json_path(config, "config.Labels");
        json_t *names = json_strv(r->names, -1), *hist = json_strv(r->names_history, -1);

        return json_pack("{s:s, s:s, s:o, s:o, s:I, s:i, s:I, s:O, s:i, s:o, s:s, s:o, s:I, s:o, s:b}", "Id", r->id,
                         "ParentId", "", "RepoTags", repo_tags(r), "RepoDigests", repo_digests(r), "Size",
                         (json_int_t)r->size, "SharedSize", 0, "VirtualSize", (json_int_t)r->size, "Labels",
                         json_is_object(labels) && json_object_size(labels) ? labels : json_null(), "Containers", 0,
                         "Names", names, "Digest", r->digest ? r->digest : "", "History", hist, "Created",
                         (json_int_t)r->created, "CreatedAt", created_at(r->created), "Dangling",
                         r->names == NULL || r->names[0] == NULL);
}

int cpod_image_list(struct cpod_runtime *rt, json_t **ret, cpod_error_t *err)
{
        struct store *s;
        struct image_rec *v;
        size_t n;
        json_t *a;

        if (rt_store(rt, &s, err) < 0 || store_image_list(s, &v, &n, err) < 0)
                return cpod_error_rc(err, -EIO);
        a = json_array();
        for (size_t i = 0; i < n; i++) {
                _cleanup_json_ json_t *cfg = image_load_config(s, v[i].id, NULL);
                json_array_append_new(a, list_row(&v[i], cfg));
        }
        image_recs_free(v, n);
        *ret = a;
        return 0;
}

static json_t *graph_driver(struct store *s, const struct image_rec *r)
{
        _cleanup_strv_ char **chain = NULL;
        struct strbuf lower = STRBUF_INIT;
        json_t *data = json_object();

        if (store_layers_are_diffs(s) && r->top_layer && store_layer_chain(s, r->top_layer, &chain, NULL) == 0) {
                _cleanup_free_ char *upper = store_layer_diff_dir(s, chain[0]);
                for (size_t i = 1; chain[i]; i++) {
                        _cleanup_free_ char *d = store_layer_diff_dir(s, chain[i]);
                        strbuf_addf(&lower, "%s%s", i > 1 ? ":" : "", d);
                }
                if (lower.len)
                        json_object_set_new(data, "LowerDir", json_string(lower.buf));
                json_object_set_new(data, "UpperDir", json_string(upper));
                json_object_set_new(data, "WorkDir", json_sprintf("%s/%s/work", s->driver_dir, chain[0]));
        }
        strbuf_release(&lower);
        return json_pack("{s:s, s:o}", "Name", store_driver_name(s), "Data", data);
}

static json_t *or_null(json_t *j)
{
        return j ? json_incref(j) : json_null();
}

static json_t *inspect_config(json_t *config)
{
        json_t *c = json_object_get(config, "config");

        return json_is_object(c) ? json_deep_copy(c) : json_object();
}

static void inspect_body(json_t *o, struct store *s, const struct image_rec *r, json_t *config)
{
        json_t *labels = json_path(config, "config.Labels");

        json_object_set_new(o, "Parent", json_string(""));
        json_object_set_new(o, "Comment",
                            json_string(json_get_str(config, "comment") ? json_get_str(config, "comment") : ""));
        json_object_set_new(o, "Created",
                            json_is_string(json_object_get(config, "created"))
                                    ? json_incref(json_object_get(config, "created"))
                                    : created_at(r->created));
        json_object_set_new(o, "Config", inspect_config(config));
        json_object_set_new(
                o, "Version",
                json_string(json_get_str(config, "docker_version") ? json_get_str(config, "docker_version") : ""));
        json_object_set_new(o, "Author",
                            json_string(json_get_str(config, "author") ? json_get_str(config, "author") : ""));
        json_object_set_new(
                o, "Architecture",
                json_string(json_get_str(config, "architecture") ? json_get_str(config, "architecture") : ""));
        json_object_set_new(o, "Os", json_string(json_get_str(config, "os") ? json_get_str(config, "os") : ""));
        if (json_get_str(config, "variant"))
                json_object_set_new(o, "Variant", json_string(json_get_str(config, "variant")));
        json_object_set_new(o, "Size", json_integer(r->size));
        json_object_set_new(o, "VirtualSize", json_integer(r->size));
        json_object_set_new(o, "GraphDriver", graph_driver(s, r));
        json_object_set_new(
                o, "RootFS",
                json_pack("{s:s, s:o}", "Type", "layers", "Layers", or_null(json_path(config, "rootfs.diff_ids"))));
        json_object_set_new(o, "Labels",
                            json_is_object(labels) && json_object_size(labels) ? json_incref(labels) : json_null());
        json_object_set_new(o, "Annotations", json_object());
        json_object_set_new(o, "ManifestType", json_string(r->manifest_type ? r->manifest_type : ""));
        json_object_set_new(o, "User",
                            json_string(json_get_str(json_object_get(config, "config"), "User")
                                                ? json_get_str(json_object_get(config, "config"), "User")
                                                : ""));
        json_object_set_new(o, "History", or_null(json_object_get(config, "history")));
        json_object_set_new(o, "NamesHistory", json_strv(r->names_history, -1));
}

int cpod_image_inspect(struct cpod_runtime *rt, const char *name, json_t **ret, cpod_error_t *err)
{
        struct store *s;
        struct image_rec r;
        char id[65];
        _cleanup_json_ json_t *config = NULL;
        json_t *o;

        if (rt_store(rt, &s, err) < 0 || image_lookup_store(s, name, id, err) < 0 ||
            store_image_get(s, id, &r, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        config = image_load_config(s, id, NULL);
        if (!config)
                config = json_object();
        o = json_object();
        json_object_set_new(o, "Id", json_string(r.id));
        json_object_set_new(o, "Digest", json_string(r.digest ? r.digest : ""));
        json_object_set_new(o, "RepoTags", repo_tags(&r));
        json_object_set_new(o, "RepoDigests", repo_digests(&r));
        inspect_body(o, s, &r, config);
        image_rec_clear(&r);
        *ret = o;
        return 0;
}
