/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Manifest lists kept in the store: an image record without layers whose
 * "manifest" big data is the list and whose "instances.json" says where
 * each instance is.  Both files are replaced atomically (instances first,
 * so an instance in the list always has its source); the record itself is
 * created once, in one transaction.  Changes to one list by two commands at
 * the same time: the last one wins.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cpod/image.h>
#include <cpod/manifest.h>

#include "image/image-internal.h"
#include "image/manifest-list.h"
#include "image/manifest.h"
#include "image/reference.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define CS_PREFIX "containers-storage:"

void mlist_clear(struct mlist *l)
{
        json_decref(l->doc);
        json_decref(l->instances);
        memset(l, 0, sizeof(*l));
}

bool mlist_type(const char *mt)
{
        return mt && (strcmp(mt, MT_DOCKER_LIST) == 0 || strcmp(mt, MT_OCI_INDEX) == 0);
}

static int load_doc(struct store *s, const char *id, const char *key, json_t **ret, cpod_error_t *err)
{
        _cleanup_free_ char *buf = NULL;
        size_t len;

        if (store_image_bigdata(s, id, key, &buf, &len, err) < 0)
                return cpod_error_rc(err, -EIO);
        *ret = json_parse_buf(buf, len, key, err);
        if (!*ret || !json_is_object(*ret)) {
                json_decref(*ret);
                *ret = NULL;
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "image %s: %s is not a JSON object", id, key);
        }
        return 0;
}

int mlist_load(struct store *s, const char *name, struct mlist *ret, cpod_error_t *err)
{
        struct image_rec r;
        bool is_list;

        memset(ret, 0, sizeof(*ret));
        if (image_lookup_store(s, name, ret->id, err) < 0 || store_image_get(s, ret->id, &r, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        is_list = mlist_type(r.manifest_type) && !r.top_layer;
        image_rec_clear(&r);
        if (!is_list)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "%s: image is not a manifest list", name);
        if (load_doc(s, ret->id, "manifest", &ret->doc, err) < 0 ||
            load_doc(s, ret->id, "instances.json", &ret->instances, err) < 0) {
                mlist_clear(ret);
                return -EIO;
        }
        if (!json_is_array(json_object_get(ret->doc, "manifests")))
                json_object_set_new(ret->doc, "manifests", json_array());
        return 0;
}

static int save_new(struct store *s, const struct mlist *l, const char *name, cpod_error_t *err)
{
        _cleanup_free_ char *doc = json_dump_compact(l->doc), *inst = json_dump_compact(l->instances);
        char *names[] = { (char *)name, NULL };
        struct bigdata bd[2] = { { "instances.json", inst, strlen(inst) }, { "manifest", doc, strlen(doc) } };
        struct image_new n = {
                .id = l->id,
                .names = name ? names : NULL,
                .created = time(NULL),
                .manifest_type = json_get_str(l->doc, "mediaType"),
                .bigdata = bd,
                .n_bigdata = 2,
        };

        return store_image_create(s, &n, err);
}

int mlist_save(struct store *s, const struct mlist *l, cpod_error_t *err)
{
        return save_new(s, l, NULL, err);
}

json_t *mlist_entry_new(const char *media_type, int64_t size, const char *digest, const char *arch, const char *os,
                        const char *variant)
{
        json_t *p = json_pack("{s:s, s:s}", "architecture", arch ? arch : "", "os", os ? os : "");

        if (variant && *variant)
                json_object_set_new(p, "variant", json_string(variant));
        return json_pack("{s:s, s:I, s:s, s:o}", "mediaType", media_type, "size", (json_int_t)size, "digest", digest,
                         "platform", p);
}

void mlist_put(struct mlist *l, json_t *entry, const char *source)
{
        json_t *list = json_object_get(l->doc, "manifests"), *e;
        const char *digest = json_get_str(entry, "digest");
        size_t i;

        json_array_foreach(list, i, e)
                if (strcmp(json_get_str(e, "digest") ? json_get_str(e, "digest") : "", digest) == 0) {
                        json_array_set_new(list, i, entry);
                        json_object_set_new(l->instances, digest, json_string(source));
                        return;
                }
        json_array_append_new(list, entry);
        json_object_set_new(l->instances, digest, json_string(source));
}

static json_t *strv_json(char *const *v)
{
        json_t *a = json_array();

        for (; v && *v; v++)
                json_array_append_new(a, json_string(*v));
        return a;
}

int mlist_entry_apply(json_t *entry, const struct cpod_manifest_entry_opts *o, cpod_error_t *err)
{
        json_t *p = json_object_get(entry, "platform");

        if (!json_is_object(p))
                json_object_set_new(entry, "platform", p = json_object());
        if (o->arch && *o->arch)
                json_object_set_new(p, "architecture", json_string(o->arch));
        if (o->os && *o->os)
                json_object_set_new(p, "os", json_string(o->os));
        if (o->os_version && *o->os_version)
                json_object_set_new(p, "os.version", json_string(o->os_version));
        if (o->os_features && *o->os_features)
                json_object_set_new(p, "os.features", strv_json(o->os_features));
        if (o->variant && *o->variant)
                json_object_set_new(p, "variant", json_string(o->variant));
        if (o->features && *o->features)
                json_object_set_new(p, "features", strv_json(o->features));
        for (char *const *a = o->annotations; a && *a; a++) {
                const char *eq = strchr(*a, '=');
                _cleanup_free_ char *k = eq ? xstrndup(*a, (size_t)(eq - *a)) : NULL;
                json_t *ann = json_object_get(entry, "annotations");
                if (!eq || eq == *a)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "no value given for annotation \"%s\"", *a);
                if (!json_is_object(ann))
                        json_object_set_new(entry, "annotations", ann = json_object());
                json_object_set_new(ann, k, json_string(eq + 1));
        }
        return 0;
}

/* A local image as an entry: its manifest's digest, size and type, its config's platform. */
static int local_entry(struct store *s, const char *name, json_t **ret, char **ret_source, cpod_error_t *err)
{
        _cleanup_free_ char *m = NULL;
        _cleanup_json_ json_t *config = NULL, *doc = NULL;
        struct image_rec r;
        char id[65], digest[DIGEST_STR_MAX];
        const char *mt;
        size_t len;

        if (image_lookup_store(s, name, id, err) < 0 || store_image_get(s, id, &r, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (mlist_type(r.manifest_type)) {
                image_rec_clear(&r);
                return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                                      "%s is a manifest list: adding a list to a list is not supported", name);
        }
        image_rec_clear(&r);
        if (store_image_bigdata(s, id, "manifest", &m, &len, err) < 0 ||
            !(doc = json_parse_buf(m, len, "manifest", err)))
                return cpod_error_rc(err, -EIO);
        config = image_load_config(s, id, err);
        if (!config)
                return cpod_error_rc(err, -EIO);
        mt = json_get_str(doc, "mediaType") ? json_get_str(doc, "mediaType") : MT_DOCKER_MANIFEST;
        digest_buf(m, len, digest);
        *ret = mlist_entry_new(mt, (int64_t)len, digest, json_get_str(config, "architecture"),
                               json_get_str(config, "os"), json_get_str(config, "variant"));
        *ret_source = xasprintf(CS_PREFIX "%s", id);
        return 0;
}

static int add_one(struct store *s, struct mlist *l, const char *image, const struct cpod_manifest_add_opts *o,
                   cpod_error_t *err)
{
        const char *local = NULL;
        char id[65];
        json_t *entry = NULL;
        _cleanup_free_ char *source = NULL;

        if (strncmp(image, CS_PREFIX, strlen(CS_PREFIX)) == 0)
                local = image + strlen(CS_PREFIX);
        else if (strncmp(image, "docker://", 9) == 0)
                return mlist_add_remote(l, image + 9, o, err);
        else if (image_lookup_store(s, image, id, NULL) == 0)
                local = image;
        else
                return mlist_add_remote(l, image, o, err);
        if (local_entry(s, local, &entry, &source, err) < 0)
                return -ENOENT;
        if (mlist_entry_apply(entry, &o->entry, err) < 0) {
                json_decref(entry);
                return -EINVAL;
        }
        mlist_put(l, entry, source);
        return 0;
}

int cpod_manifest_add(struct cpod_runtime *rt, const char *name, const char *image,
                      const struct cpod_manifest_add_opts *o, char ret_id[65], cpod_error_t *err)
{
        struct store *s;
        struct mlist l;
        int r;

        if (rt_store(rt, &s, err) < 0 || mlist_load(s, name, &l, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        r = add_one(s, &l, image, o, err);
        if (r == 0)
                r = mlist_save(s, &l, err);
        if (r == 0)
                memcpy(ret_id, l.id, 65);
        mlist_clear(&l);
        return r;
}

int cpod_manifest_create(struct cpod_runtime *rt, const char *name, char *const *images,
                         const struct cpod_manifest_add_opts *o, bool amend, char ret_id[65], cpod_error_t *err)
{
        _cleanup_free_ char *full = image_ref_normalize_local(name, err);
        struct store *s;
        struct mlist l = { 0 };
        char other[65];
        bool existing = false;
        int r = 0;

        if (!full || rt_store(rt, &s, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if (store_image_by_name(s, full, other, NULL) == 0) {
                if (!amend)
                        return cpod_error_set(err, EEXIST, CPOD_E_EXISTS,
                                              "creating image to hold manifest list: image name \"%s\" is already "
                                              "associated with image \"%s\": that name is already in use",
                                              full, other);
                if (mlist_load(s, full, &l, err) < 0)
                        return -EINVAL;
                existing = true;
        } else {
                random_id(l.id);
                l.doc = json_pack("{s:i, s:s, s:[]}", "schemaVersion", 2, "mediaType", MT_DOCKER_LIST, "manifests");
                l.instances = json_object();
        }
        for (char *const *im = images; r == 0 && im && *im; im++)
                r = add_one(s, &l, *im, o, err);
        if (r == 0)
                r = existing ? mlist_save(s, &l, err) : save_new(s, &l, full, err);
        if (r == 0)
                memcpy(ret_id, l.id, 65);
        mlist_clear(&l);
        return r;
}

/* The entry IMAGE names: a digest in the list, or a local image whose manifest is in it. */
static json_t *find_entry(struct store *s, struct mlist *l, const char *image, size_t *ret_index)
{
        json_t *list = json_object_get(l->doc, "manifests"), *e, *local = NULL;
        _cleanup_free_ char *src = NULL;
        const char *want = image;
        size_t i;

        if (!digest_valid(image) && local_entry(s, image, &local, &src, NULL) == 0)
                want = json_get_str(local, "digest");
        json_array_foreach(list, i, e)
                if (want && json_get_str(e, "digest") && strcmp(json_get_str(e, "digest"), want) == 0) {
                        json_decref(local);
                        *ret_index = i;
                        return e;
                }
        json_decref(local);
        return NULL;
}

int cpod_manifest_annotate(struct cpod_runtime *rt, const char *name, const char *image,
                           const struct cpod_manifest_entry_opts *o, char ret_id[65], cpod_error_t *err)
{
        struct store *s;
        struct mlist l;
        json_t *e;
        size_t i;
        int r;

        if (rt_store(rt, &s, err) < 0 || mlist_load(s, name, &l, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        e = find_entry(s, &l, image, &i);
        if (!e)
                r = cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_IMAGE,
                                   "no instance matching \"%s\" found in manifest list %s", image, name);
        else
                r = mlist_entry_apply(e, o, err);
        if (r == 0)
                r = mlist_save(s, &l, err);
        if (r == 0)
                memcpy(ret_id, l.id, 65);
        mlist_clear(&l);
        return r;
}

int cpod_manifest_remove(struct cpod_runtime *rt, const char *name, const char *digest, char ret_id[65],
                         cpod_error_t *err)
{
        struct store *s;
        struct mlist l;
        json_t *e;
        size_t i;
        int r = 0;

        if (rt_store(rt, &s, err) < 0 || mlist_load(s, name, &l, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        e = digest_valid(digest) ? find_entry(s, &l, digest, &i) : NULL;
        if (!digest_valid(digest))
                r = cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid image digest \"%s\"", digest);
        else if (!e)
                r = cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_IMAGE,
                                   "removing from manifest list %s: no instance matching digest \"%s\" found in "
                                   "manifest list: file does not exist",
                                   name, digest);
        if (r == 0) {
                json_array_remove(json_object_get(l.doc, "manifests"), i);
                json_object_del(l.instances, digest);
                r = mlist_save(s, &l, err);
        }
        if (r == 0)
                memcpy(ret_id, l.id, 65);
        mlist_clear(&l);
        return r;
}

int cpod_manifest_inspect(struct cpod_runtime *rt, const char *name, const struct cpod_registry_opts *reg, json_t **ret,
                          cpod_error_t *err)
{
        struct store *s;
        struct mlist l;
        char id[65];

        if (rt_store(rt, &s, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (image_lookup_store(s, name, id, NULL) == 0 && mlist_load(s, name, &l, NULL) == 0) {
                *ret = json_incref(l.doc);
                mlist_clear(&l);
                return 0;
        }
        return mlist_inspect_remote(strncmp(name, "docker://", 9) == 0 ? name + 9 : name, reg, ret, err);
}

int cpod_manifest_exists(struct cpod_runtime *rt, const char *name, bool *ret, cpod_error_t *err)
{
        struct store *s;
        struct mlist l;

        if (rt_store(rt, &s, err) < 0)
                return cpod_error_rc(err, -EIO);
        *ret = mlist_load(s, name, &l, NULL) == 0;
        if (*ret)
                mlist_clear(&l);
        return 0;
}

int cpod_manifest_rm(struct cpod_runtime *rt, const char *name, json_t *untagged, json_t *deleted, cpod_error_t *err)
{
        static const struct cpod_rmi_opts rmi = { .force = false };
        struct store *s;
        struct mlist l;

        if (rt_store(rt, &s, err) < 0 || mlist_load(s, name, &l, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        mlist_clear(&l);
        return image_remove(rt, name, &rmi, untagged, deleted, err);
}
