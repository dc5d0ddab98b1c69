/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpod push: an image of the store to a registry (docker/push.c) or to a
 * local transport (written by save).  The layers are rebuilt from the store
 * and compressed here; nothing in the store changes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/image.h>
#include <cpod/manifest.h>
#include <cpod/registry.h>

#include "image/image-internal.h"
#include "image/manifest.h"
#include "image/push.h"
#include "runtime/events.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

void push_image_clear(struct push_image *im)
{
        free(im->config);
        strv_free(im->layers);
        strv_free(im->diff_ids);
        for (size_t i = 0; im->gzip_digests && i < im->n_layers; i++)
                free(im->gzip_digests[i]);
        free(im->gzip_digests);
        free(im->gzip_sizes);
        strv_free(im->names);
        memset(im, 0, sizeof(*im));
}

static int collect_layers(struct store *s, const char *top, struct push_image *im, cpod_error_t *err)
{
        _cleanup_strv_ char **chain = NULL;
        size_t n;

        if (top && store_layer_chain(s, top, &chain, err) < 0)
                return cpod_error_rc(err, -EIO);
        n = strv_length(chain);
        im->layers = xnew0(char *, n + 1);
        im->diff_ids = xnew0(char *, n + 1);
        im->n_layers = n;
        for (size_t i = 0; i < n; i++) {
                struct layer l;
                if (store_layer_get(s, chain[n - 1 - i], &l, err) < 0)
                        return cpod_error_rc(err, -EIO);
                im->layers[i] = xstrdup(l.id);
                im->diff_ids[i] = xstrdup(l.diff_id);
                layer_clear(&l);
        }
        return 0;
}

/* The gzip layers of the manifest stored with the image, when it lists them in the same order. */
static void collect_gzip(struct store *s, struct push_image *im)
{
        _cleanup_free_ char *buf = NULL;
        struct manifest m = { 0 };
        size_t len;

        im->gzip_digests = xnew0(char *, im->n_layers + 1);
        im->gzip_sizes = xnew0(int64_t, im->n_layers + 1);
        if (store_image_bigdata(s, im->id, "manifest", &buf, &len, NULL) < 0 ||
            manifest_parse(buf, len, NULL, &m, NULL) < 0)
                return;
        for (size_t i = 0; m.kind == MANIFEST_IMAGE && m.n_layers == im->n_layers && i < m.n_layers; i++) {
                const struct descriptor *d = &m.layers[i];
                if (d->media_type && d->digest && digest_valid(d->digest) &&
                    (strcmp(d->media_type, MT_OCI_LAYER_GZIP) == 0 || strcmp(d->media_type, MT_DOCKER_LAYER) == 0)) {
                        im->gzip_digests[i] = xstrdup(d->digest);
                        im->gzip_sizes[i] = d->size;
                }
        }
        manifest_clear(&m);
}

int push_image_collect(struct store *s, const char *name, const char *format, struct push_image *ret, cpod_error_t *err)
{
        struct image_rec rec;
        int r;

        memset(ret, 0, sizeof(*ret));
        if (image_lookup_store(s, name, ret->id, err) < 0 || image_refuse_list(s, ret->id, err) < 0 ||
            store_image_get(s, ret->id, &rec, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (format)
                ret->oci = strcmp(format, "oci") == 0;
        else
                ret->oci = !rec.manifest_type || strcmp(rec.manifest_type, MT_DOCKER_MANIFEST) != 0;
        r = collect_layers(s, rec.top_layer, ret, err);
        ret->names = strv_copy(rec.names);
        image_rec_clear(&rec);
        if (r == 0)
                collect_gzip(s, ret);
        if (r == 0 && store_image_bigdata(s, ret->id, "config", &ret->config, &ret->config_len, err) < 0)
                r = -EIO;
        if (r < 0) {
                push_image_clear(ret);
                return cpod_error_rc(err, -EIO);
        }
        digest_buf(ret->config, ret->config_len, ret->config_digest);
        return 0;
}

char *push_manifest(const struct push_image *im, const struct push_blob *blobs, enum push_compression comp)
{
        const char *lt = !im->oci ? MT_DOCKER_LAYER : comp == PUSH_ZSTD ? MT_OCI_LAYER_ZSTD : MT_OCI_LAYER_GZIP;
        json_t *layers = json_array(), *m;
        char *s;

        for (size_t i = 0; i < im->n_layers; i++)
                json_array_append_new(layers, json_pack("{s:s, s:I, s:s}", "mediaType", lt, "size",
                                                        (json_int_t)blobs[i].size, "digest", blobs[i].digest));
        m = json_pack("{s:i, s:s, s:{s:s, s:I, s:s}, s:o}", "schemaVersion", 2, "mediaType",
                      im->oci ? MT_OCI_MANIFEST : MT_DOCKER_MANIFEST, "config", "mediaType",
                      im->oci ? MT_OCI_CONFIG : MT_DOCKER_CONFIG, "size", (json_int_t)im->config_len, "digest",
                      im->config_digest, "layers", layers);
        s = json_dump_compact(m);
        json_decref(m);
        return s;
}

int push_check_opts(const struct cpod_push_opts *o, enum push_compression *comp, cpod_error_t *err)
{
        *comp = PUSH_GZIP;
        if (o->format && strcmp(o->format, "v2s1") == 0)
                return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                                      "manifest type \"v2s1\" (Docker schema 1) is not supported");
        if (o->format && strcmp(o->format, "oci") != 0 && strcmp(o->format, "v2s2") != 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "unknown format \"%s\". Choose on of the supported formats: 'oci', 'v2s1', or "
                                      "'v2s2'",
                                      o->format);
        if (o->compression && strcmp(o->compression, "zstd") == 0)
                *comp = PUSH_ZSTD;
        else if (o->compression && strcmp(o->compression, "gzip") != 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "unsupported compression format %s", o->compression);
        if (*comp == PUSH_ZSTD && o->format && strcmp(o->format, "v2s2") == 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "zstd compression is not supported with the v2s2 manifest format");
        return 0;
}

static const struct {
        const char *prefix;
        enum cpod_save_format fmt;
        bool has_ref;
} local_dests[] = {
        { "dir:", CPOD_SAVE_DOCKER_DIR, false },
        { "oci:", CPOD_SAVE_OCI_DIR, true },
        { "oci-archive:", CPOD_SAVE_OCI_ARCHIVE, true },
        { "docker-archive:", CPOD_SAVE_DOCKER_ARCHIVE, true },
};

static bool local_dest(const char *dest)
{
        for (size_t i = 0; i < ARRAY_SIZE(local_dests); i++)
                if (strncmp(dest, local_dests[i].prefix, strlen(local_dests[i].prefix)) == 0)
                        return true;
        return false;
}

/* PATH[:REF]: the first colon starts REF (as containers/image: the path cannot hold one). */
static int push_local(struct cpod_runtime *rt, const char *name, const char *spec, enum cpod_save_format fmt,
                      bool has_ref, cpod_error_t *err)
{
        const char *colon = strchr(spec, ':');
        _cleanup_free_ char *path = has_ref && colon ? xstrndup(spec, (size_t)(colon - spec)) : xstrdup(spec);
        const char *ref = has_ref && colon ? colon + 1 : NULL;

        if (!*path)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid destination: empty path");
        return image_save_as(rt, name, fmt, path, ref && *ref ? ref : NULL, err);
}

static int push_dest(struct cpod_runtime *rt, const char *name, const char *dest, const struct cpod_push_opts *o,
                     char ret_digest[72], cpod_error_t *err)
{
        static const char *const unsupported[] = { "docker-daemon:", "containers-storage:", "ostree:", "sif:",
                                                   "tarball:" };
        struct push_image im;
        struct pushed_manifest pm;
        enum push_compression comp;
        struct store *s;
        int r;

        ret_digest[0] = '\0';
        if (push_check_opts(o, &comp, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        for (size_t i = 0; i < ARRAY_SIZE(local_dests); i++)
                if (strncmp(dest, local_dests[i].prefix, strlen(local_dests[i].prefix)) == 0 && o->sign_by)
                        return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                                              "signing is only supported when pushing to a registry (docker://)");
                else if (strncmp(dest, local_dests[i].prefix, strlen(local_dests[i].prefix)) == 0)
                        return push_local(rt, name, dest + strlen(local_dests[i].prefix), local_dests[i].fmt,
                                          local_dests[i].has_ref, err);
        for (size_t i = 0; i < ARRAY_SIZE(unsupported); i++)
                if (strncmp(dest, unsupported[i], strlen(unsupported[i])) == 0)
                        return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                                              "pushing to the %.*s transport is not supported",
                                              (int)strlen(unsupported[i]) - 1, unsupported[i]);
        if (strncmp(dest, "docker://", 9) == 0)
                dest += 9;
        if (rt_store(rt, &s, err) < 0 || push_image_collect(s, name, o->format, &im, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (comp == PUSH_ZSTD)
                im.oci = true; /* Docker schema 2 has no zstd layers */
        r = docker_push(s, &im, dest, o, comp, false, &pm, err);
        if (r == 0)
                memcpy(ret_digest, pm.digest, DIGEST_STR_MAX);
        push_image_clear(&im);
        return r;
}

int cpod_image_push(struct cpod_runtime *rt, const char *name, const char *dest, const struct cpod_push_opts *o,
                    char ret_digest[72], cpod_error_t *err)
{
        static const struct cpod_push_opts defaults = { .reg = CPOD_REGISTRY_OPTS_INIT };
        struct store *s;
        char id[65];

        if (rt_store(rt, &s, err) < 0 || image_lookup_store(s, name, id, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (image_refuse_list(s, id, NULL) < 0 && !local_dest(dest ? dest : name)) {
                /* a list goes as manifest push sends it, with its images */
                struct cpod_manifest_push_opts mo = { .push = o ? *o : defaults, .all = true };
                return cpod_manifest_push(rt, name, dest ? dest : name, &mo, ret_digest, err);
        }
        if (push_dest(rt, name, dest ? dest : name, o ? o : &defaults, ret_digest, err) < 0)
                return cpod_error_wrap(err, "pushing image \"%s\"", name);
        rt_event_simple(rt, "image", "push", id, name);
        return 0;
}
