/* SPDX-License-Identifier: Apache-2.0 */
/* tag, untag, rmi, history, and read-only image mounts. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/image.h>

#include "runtime/events.h"
#include "image/image-internal.h"
#include "image/reference.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

static int open_image(struct cpod_runtime *rt, const char *name, struct store **s, char id[65], cpod_error_t *err)
{
        if (rt_store(rt, s, err) < 0)
                return cpod_error_rc(err, -EIO);
        return image_lookup_store(*s, name, id, err);
}

int cpod_image_tag(struct cpod_runtime *rt, const char *name, const char *newname, cpod_error_t *err)
{
        struct store *s;
        char id[65];
        _cleanup_free_ char *full = NULL;

        if (open_image(rt, name, &s, id, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (!(full = image_ref_normalize_local(newname, err)))
                return cpod_error_rc(err, -EINVAL);
        if (strchr(full, '@'))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "%s: tag by digest not supported", newname);
        if (store_image_add_name(s, id, full, err) < 0)
                return cpod_error_rc(err, -EIO);
        rt_event_simple(rt, "image", "tag", id, full);
        return 0;
}

/* Normalise a name the way lookups store it: qualified names as given, short names under localhost/. */
static char *stored_form(struct store *s, const char *id, const char *tag, cpod_error_t *err)
{
        struct image_rec r;
        struct image_ref ref;
        char *found = NULL;

        if (image_ref_parse(tag, &ref, err) < 0)
                return NULL;
        image_ref_default_tag(&ref);
        if (ref.domain) {
                image_ref_normalize_docker(&ref);
                found = image_ref_string(&ref);
        } else if (store_image_get(s, id, &r, err) == 0) {
                _cleanup_free_ char *want = xasprintf("%s:%s", ref.path, ref.tag);
                for (char **nm = r.names; nm && *nm && !found; nm++) {
                        size_t hl = strlen(*nm), wl = strlen(want);
                        if (hl > wl && strcmp(*nm + hl - wl, want) == 0 && (*nm)[hl - wl - 1] == '/')
                                found = xstrdup(*nm);
                }
                image_rec_clear(&r);
                if (!found)
                        found = xasprintf("localhost/%s", want);
        }
        image_ref_clear(&ref);
        return found;
}

int cpod_image_untag(struct cpod_runtime *rt, const char *name, const char *tag, cpod_error_t *err)
{
        struct store *s;
        struct image_rec r;
        char id[65];
        int ret = 0;

        if (open_image(rt, name, &s, id, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (tag) {
                _cleanup_free_ char *full = stored_form(s, id, tag, err);
                if (!full || store_image_remove_name(s, id, full, err) < 0)
                        return full ? cpod_error_rc(err, -EIO) : -EINVAL;
                rt_event_simple(rt, "image", "untag", id, full);
                return 0;
        }
        if (store_image_get(s, id, &r, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        for (char **nm = r.names; nm && *nm && ret == 0; nm++)
                if ((ret = store_image_remove_name(s, id, *nm, err)) == 0)
                        rt_event_simple(rt, "image", "untag", id, *nm);
        image_rec_clear(&r);
        return ret;
}

/* Was the image named by its ID (full, prefix or sha256:) rather than by one of its names? */
static bool named_by_id(const char *name, const char *id)
{
        const char *hex = strncmp(name, "sha256:", 7) == 0 ? name + 7 : name;

        return strncmp(hex, id, strlen(hex)) == 0;
}

int image_remove(struct cpod_runtime *rt, const char *name, const struct cpod_rmi_opts *o, json_t *untagged,
                 json_t *deleted, cpod_error_t *err)
{
        struct store *s;
        struct image_rec r;
        char id[65];
        int ret;

        if (open_image(rt, name, &s, id, err) < 0) {
                if (o && o->ignore && err->kind == CPOD_E_NO_SUCH_IMAGE) {
                        cpod_error_clear(err);
                        return 0;
                }
                return cpod_error_rc(err, -ENOENT);
        }
        if (store_image_get(s, id, &r, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        /* Several names and addressed by one of them: only that name goes. */
        if (strv_length(r.names) > 1 && !named_by_id(name, id)) {
                _cleanup_free_ char *full = stored_form(s, id, name, err);
                ret = full ? store_image_remove_name(s, id, full, err) : -EINVAL;
                if (ret == 0) {
                        json_array_append_new(untagged, json_string(full));
                        rt_event_simple(rt, "image", "untag", id, full);
                }
                image_rec_clear(&r);
                return ret;
        }
        if (strv_length(r.names) > 1 && !(o && o->force)) {
                _cleanup_free_ char *names = strv_join(r.names, " ");
                image_rec_clear(&r);
                return cpod_error_set(err, EBUSY, CPOD_E_IN_USE,
                                      "unable to delete image \"%s\" by ID with more than one tag ([%s]): please force "
                                      "removal",
                                      id, names);
        }
        ret = store_image_delete(s, id, err);
        for (char **nm = r.names; ret == 0 && nm && *nm; nm++) {
                json_array_append_new(untagged, json_string(*nm));
                rt_event_simple(rt, "image", "untag", id, *nm);
        }
        if (ret == 0) {
                json_array_append_new(deleted, json_string(id));
                rt_event_simple(rt, "image", "remove", id, r.names && r.names[0] ? r.names[0] : id);
        }
        image_rec_clear(&r);
        return ret;
}

static json_t *history_row(json_t *h, const char *id, int64_t size, json_t *tags)
{
        int64_t t = 0;
        const char *created = json_get_str(h, "created");

        if (created)
                (void)time_parse_rfc3339(created, &t, NULL);
        return json_pack("{s:s, s:I, s:s, s:I, s:s, s:O}", "id", id, "created", (json_int_t)t, "CreatedBy",
                         json_get_str(h, "created_by") ? json_get_str(h, "created_by") : "", "size", (json_int_t)size,
                         "comment", json_get_str(h, "comment") ? json_get_str(h, "comment") : "", "tags", tags);
}

/* One row per history entry, newest first; non-empty entries take the sizes of layers top down. */
int cpod_image_history(struct cpod_runtime *rt, const char *name, json_t **ret, cpod_error_t *err)
{
        struct store *s;
        struct image_rec r;
        char id[65];
        _cleanup_json_ json_t *config = NULL, *tags = NULL;
        _cleanup_strv_ char **chain = NULL;
        json_t *hist, *rows = json_array(), *h;
        size_t layer = 0, n;

        if (open_image(rt, name, &s, id, err) < 0 || store_image_get(s, id, &r, err) < 0) {
                json_decref(rows);
                return cpod_error_rc(err, -ENOENT);
        }
        config = image_load_config(s, id, NULL);
        tags = json_strv(r.names, -1);
        if (r.top_layer)
                (void)store_layer_chain(s, r.top_layer, &chain, NULL);
        hist = json_object_get(config, "history");
        n = json_array_size(hist);
        for (size_t i = n; i-- > 0;) {
                int64_t size = 0;
                h = json_array_get(hist, i);
                if (!json_is_true(json_object_get(h, "empty_layer")) && chain && chain[layer]) {
                        struct layer l;
                        if (store_layer_get(s, chain[layer++], &l, NULL) == 0) {
                                size = l.size;
                                layer_clear(&l);
                        }
                }
                json_array_append_new(
                        rows, history_row(h, i == n - 1 ? id : "<missing>", size, i == n - 1 ? tags : json_null()));
        }
        if (n == 0)
                json_array_append_new(rows, history_row(json_object(), id, r.size, tags));
        image_rec_clear(&r);
        *ret = rows;
        return 0;
}

int cpod_image_mount(struct cpod_runtime *rt, const char *name, char **ret_path, cpod_error_t *err)
{
        struct store *s;
        struct image_rec r;
        char id[65];
        int ret;

        if (open_image(rt, name, &s, id, err) < 0 || store_image_get(s, id, &r, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (!r.top_layer)
                ret = cpod_error_set(err, EINVAL, CPOD_E_INVALID, "image %s has no layers to mount", id);
        else
                ret = store_layer_mount(s, r.top_layer, NULL, ret_path, err);
        image_rec_clear(&r);
        return ret;
}

int cpod_image_unmount(struct cpod_runtime *rt, const char *name, bool force, cpod_error_t *err)
{
        struct store *s;
        struct image_rec r;
        char id[65];
        int ret = 0;

        if (open_image(rt, name, &s, id, err) < 0 || store_image_get(s, id, &r, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (r.top_layer && store_layer_mount_count(s, r.top_layer) > 0)
                ret = store_layer_unmount(s, r.top_layer, force, err);
        image_rec_clear(&r);
        return ret;
}

int cpod_image_mounted(struct cpod_runtime *rt, json_t **ret, cpod_error_t *err)
{
        struct store *s;
        struct image_rec *v;
        size_t n;
        json_t *a;

        if (rt_store(rt, &s, err) < 0 || store_image_list(s, &v, &n, err) < 0)
                return cpod_error_rc(err, -EIO);
        a = json_array();
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *mp = NULL;
                if (!v[i].top_layer || store_layer_mount_count(s, v[i].top_layer) == 0)
                        continue;
                mp = store_layer_mountpoint(s, v[i].top_layer);
                json_array_append_new(a, json_pack("{s:s, s:o, s:s}", "id", v[i].id, "Repositories",
                                                   json_strv(v[i].names, -1), "path", mp));
        }
        image_recs_free(v, n);
        *ret = a;
        return 0;
}
