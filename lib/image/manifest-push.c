/* SPDX-License-Identifier: Apache-2.0 */
/*
 * manifest push: with --all, each instance first (a store image pushed under
 * its new digest, a registry image copied), the list's entries rewritten
 * with what was pushed (digest, size, media type), then the list under the
 * tag.  The stored list does not change.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/image.h>
#include <cpod/manifest.h>

#include "image/image-internal.h"
#include "image/manifest-list.h"
#include "image/manifest.h"
#include "image/push.h"
#include "runtime/events.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

#define CS_PREFIX "containers-storage:"

static void emit(const struct cpod_push_opts *o, enum cpod_pull_event_kind kind, const char *text, int index,
                 int64_t total)
{
        struct cpod_pull_event ev = { .kind = kind, .text = text, .index = index, .total = total };

        if (o->event)
                o->event(o->event_ud, &ev);
}

/* A store image: pushed (in the format asked for, else its own) and its entry updated. */
static int push_local(struct store *s, const char *id, const char *dest, const struct cpod_push_opts *o,
                      enum push_compression comp, json_t *entry, cpod_error_t *err)
{
        struct push_image im;
        struct pushed_manifest pm;
        int r;

        if (push_image_collect(s, id, o->format, &im, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (comp == PUSH_ZSTD)
                im.oci = true;
        r = docker_push(s, &im, dest, o, comp, true, &pm, err);
        push_image_clear(&im);
        if (r < 0)
                return r;
        json_object_set_new(entry, "digest", json_string(pm.digest));
        json_object_set_new(entry, "size", json_integer(pm.size));
        json_object_set_new(entry, "mediaType", json_string(pm.media_type));
        return 0;
}

static int push_instance(struct store *s, const struct mlist *l, json_t *entry, const char *dest,
                         const struct cpod_push_opts *o, enum push_compression comp, cpod_error_t *err)
{
        const char *digest = json_get_str(entry, "digest");
        const char *src = digest ? json_get_str(l->instances, digest) : NULL;

        if (src && strncmp(src, CS_PREFIX, strlen(CS_PREFIX)) == 0)
                return push_local(s, src + strlen(CS_PREFIX), dest, o, comp, entry, err);
        if (src && strncmp(src, "docker://", 9) == 0) {
                if (o->format || o->compression)
                        return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                                              "instance %s is a registry image: it is copied as it is, without "
                                              "--format or --compression-format",
                                              digest);
                return docker_copy_remote(s, src + 9, dest, o, err);
        }
        return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_IMAGE, "instance %s of the list: no known source",
                              digest ? digest : "?");
}

static const char *list_type(const struct mlist *l, const char *format)
{
        if (format && strcmp(format, "oci") == 0)
                return MT_OCI_INDEX;
        if (format && strcmp(format, "v2s2") == 0)
                return MT_DOCKER_LIST;
        return json_get_str(l->doc, "mediaType") ? json_get_str(l->doc, "mediaType") : MT_DOCKER_LIST;
}

static int push_list(struct store *s, struct mlist *l, const char *dest, const struct cpod_manifest_push_opts *o,
                     char ret_digest[72], cpod_error_t *err)
{
        _cleanup_json_ json_t *doc = json_deep_copy(l->doc);
        json_t *list = json_object_get(doc, "manifests"), *e;
        _cleanup_free_ char *bytes = NULL;
        enum push_compression comp;
        const char *mt = list_type(l, o->push.format);
        size_t i;

        if (push_check_opts(&o->push, &comp, err) < 0)
                return -EINVAL;
        if (o->all)
                emit(&o->push, CPOD_PULL_EV_LIST_COPYING, NULL, (int)json_array_size(list),
                     (int64_t)json_array_size(list));
        json_array_foreach(list, i, e) {
                if (!o->all)
                        break;
                emit(&o->push, CPOD_PULL_EV_LIST_IMAGE, json_get_str(e, "digest"), (int)i + 1,
                     (int64_t)json_array_size(list));
                if (push_instance(s, l, e, dest, &o->push, comp, err) < 0)
                        return -EIO;
        }
        json_object_set_new(doc, "mediaType", json_string(mt));
        bytes = json_dump_compact(doc);
        return docker_push_list(dest, &o->push, bytes, strlen(bytes), mt, ret_digest, err);
}

static bool other_transport(const char *dest)
{
        static const char *const others[] = { "dir:",           "oci:",    "oci-archive:", "docker-archive:",
                                              "docker-daemon:", CS_PREFIX, "ostree:",      "sif:" };

        for (size_t i = 0; i < ARRAY_SIZE(others); i++)
                if (strncmp(dest, others[i], strlen(others[i])) == 0)
                        return true;
        return false;
}

int cpod_manifest_push(struct cpod_runtime *rt, const char *name, const char *dest,
                       const struct cpod_manifest_push_opts *o, char ret_digest[72], cpod_error_t *err)
{
        struct store *s;
        struct mlist l;
        int r;

        if (o->push.format && strcmp(o->push.format, "oci") != 0 && strcmp(o->push.format, "v2s2") != 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "unknown format \"%s\": a list is pushed as \"oci\" or \"v2s2\"", o->push.format);
        if (strncmp(dest, "docker://", 9) == 0)
                dest += 9;
        else if (other_transport(dest))
                return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                                      "manifest lists can only be pushed to a registry (docker://)");
        if (rt_store(rt, &s, err) < 0 || mlist_load(s, name, &l, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        r = push_list(s, &l, dest, o, ret_digest, err);
        if (r == 0)
                rt_event_simple(rt, "image", "push", l.id, name);
        if (r == 0 && o->rm) {
                _cleanup_json_ json_t *untagged = json_array(), *deleted = json_array();
                r = cpod_manifest_rm(rt, name, untagged, deleted, err);
        }
        mlist_clear(&l);
        if (r < 0)
                return cpod_error_wrap(err, "pushing manifest list \"%s\"", name);
        return 0;
}
