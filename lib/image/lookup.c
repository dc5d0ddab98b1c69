/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Resolving what a user typed to a local image, in podman's order:
 * full ID; exact name (short names tried as localhost/NAME and then each
 * search registry); name@digest; a short name matching the last path
 * components of any stored name; finally a unique ID prefix.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/image.h>

#include "image/image-internal.h"
#include "image/reference.h"
#include "image/registries.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/strv.h"
#include "util/xalloc.h"

static int not_known(const char *name, cpod_error_t *err)
{
        return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_IMAGE, "%s: image not known", name);
}

static int by_id_prefix(struct store *s, const char *name, char ret_id[65], cpod_error_t *err)
{
        const char *hex = strncmp(name, "sha256:", 7) == 0 ? name + 7 : name;
        _cleanup_strv_ char **ids = NULL;

        if (strlen(hex) < 1 || store_image_ids_by_prefix(s, hex, &ids, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (strv_length(ids) == 1) {
                memcpy(ret_id, ids[0], 65);
                return 0;
        }
        if (strv_length(ids) > 1)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "%s: image ID prefix is ambiguous", name);
        return cpod_error_rc(err, -ENOENT);
}

/* Does stored name `have` ("reg/ns/name:tag") end with "/<path>:<tag>"? */
static bool short_match(const char *have, const char *path_tag)
{
        size_t hl = strlen(have), pl = strlen(path_tag);

        return hl > pl && strcmp(have + hl - pl, path_tag) == 0 && have[hl - pl - 1] == '/';
}

static int by_short_name(struct store *s, const struct image_ref *r, char ret_id[65], char **ret_name,
                         cpod_error_t *err)
{
        struct image_rec *v = NULL;
        size_t n = 0;
        _cleanup_free_ char *want = xasprintf("%s:%s", r->path, r->tag ? r->tag : "latest");
        int found = -ENOENT;

        if (store_image_list(s, &v, &n, err) < 0)
                return cpod_error_rc(err, -EIO);
        for (size_t i = 0; i < n && found < 0; i++) /* newest first */
                for (char **nm = v[i].names; nm && *nm; nm++)
                        if (short_match(*nm, want)) {
                                memcpy(ret_id, v[i].id, 65);
                                *ret_name = xstrdup(*nm);
                                found = 0;
                                break;
                        }
        image_recs_free(v, n);
        return found;
}

/* A name as stored matched: *ret_name gets it (NULL for a match by digest). */
static int by_name(struct store *s, const char *name, struct image_ref *r, char ret_id[65], char **ret_name,
                   cpod_error_t *err)
{
        _cleanup_strv_ char **search = NULL;
        _cleanup_free_ char *full = NULL;

        if (r->digest)
                return store_image_by_digest(s, r->digest, ret_id, NULL) == 0 ? 0 : -ENOENT;
        if (r->domain) {
                image_ref_normalize_docker(r);
                image_ref_default_tag(r);
                full = image_ref_string(r);
                if (store_image_by_name(s, full, ret_id, NULL) < 0)
                        return -ENOENT;
                *ret_name = TAKE_PTR(full);
                return 0;
        }
        image_ref_default_tag(r);
        full = xasprintf("localhost/%s:%s", r->path, r->tag);
        if (store_image_by_name(s, full, ret_id, NULL) == 0) {
                *ret_name = TAKE_PTR(full);
                return 0;
        }
        if (registries_search(&search, NULL) == 0)
                for (char **reg = search; reg && *reg; reg++) {
                        struct image_ref q = { .domain = *reg, .path = r->path, .tag = r->tag };
                        _cleanup_free_ char *qs = NULL;
                        if (strcmp(*reg, "docker.io") == 0 && !strchr(r->path, '/'))
                                qs = xasprintf("docker.io/library/%s:%s", r->path, r->tag);
                        else
                                qs = image_ref_string(&q);
                        if (store_image_by_name(s, qs, ret_id, NULL) == 0) {
                                *ret_name = TAKE_PTR(qs);
                                return 0;
                        }
                }
        return by_short_name(s, r, ret_id, ret_name, err) == 0 ? 0 : -ENOENT;
}

int image_lookup_store_name(struct store *s, const char *name, char ret_id[65], char **ret_name, cpod_error_t *err)
{
        const char *hex = strncmp(name, "sha256:", 7) == 0 ? name + 7 : name;
        struct image_ref r;
        int rr;

        *ret_name = NULL;
        if (is_hex_id(hex) && store_image_exists(s, hex)) {
                memcpy(ret_id, hex, 65);
                return 0;
        }
        if (image_ref_parse(name, &r, NULL) == 0) {
                rr = by_name(s, name, &r, ret_id, ret_name, err);
                image_ref_clear(&r);
                if (rr == 0)
                        return 0;
        }
        rr = by_id_prefix(s, name, ret_id, err);
        if (rr == 0 || rr == -EINVAL)
                return rr;
        return not_known(name, err);
}

int image_lookup_store(struct store *s, const char *name, char ret_id[65], cpod_error_t *err)
{
        _cleanup_free_ char *matched = NULL;

        return image_lookup_store_name(s, name, ret_id, &matched, err);
}

int cpod_image_lookup(struct cpod_runtime *rt, const char *name, char ret_id[65], cpod_error_t *err)
{
        struct store *s;

        if (rt_store(rt, &s, err) < 0)
                return cpod_error_rc(err, -EIO);
        return image_lookup_store(s, name, ret_id, err);
}
