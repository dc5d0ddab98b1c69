/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Push to a registry: each layer compressed into a temporary file (its
 * digest known before anything is sent), skipped when the repository has
 * the blob, else uploaded; then the config, then the manifest, which is what
 * makes the image visible under its tag.  A push that fails on the way
 * leaves at most unreferenced blobs in the registry.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/registry.h>

#include "image/docker/docker.h"
#include "image/manifest.h"
#include "image/push.h"
#include "image/reference.h"
#include "image/sig.h"
#include "image/registries.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/xalloc.h"

struct dest_ref {
        char *host, *repo, *tag; /* tag: a tag, or NULL when pushed by digest */
        char *full;              /* "host/repo:tag" */
};

static void dest_ref_clear(struct dest_ref *d)
{
        free(d->host);
        free(d->repo);
        free(d->tag);
        free(d->full);
        memset(d, 0, sizeof(*d));
}

static int parse_dest(const char *s, struct dest_ref *ret, cpod_error_t *err)
{
        struct image_ref r;

        if (image_ref_parse(s, &r, err) < 0)
                return cpod_error_wrap(err, "invalid destination \"%s\"", s);
        if (r.digest) {
                image_ref_clear(&r);
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "invalid destination \"%s\": pushing to a digest reference is not supported", s);
        }
        image_ref_qualify(&r, "docker.io");
        image_ref_normalize_docker(&r);
        ret->host = xstrdup(r.domain);
        ret->repo = xstrdup(r.path);
        ret->tag = xstrdup(r.tag ? r.tag : "latest");
        ret->full = xasprintf("%s/%s:%s", ret->host, ret->repo, ret->tag);
        image_ref_clear(&r);
        return 0;
}

static void emit(const struct cpod_push_opts *o, enum cpod_pull_event_kind kind, const char *text, int index,
                 int64_t total, bool skipped)
{
        struct cpod_pull_event ev = { .kind = kind, .text = text, .index = index, .total = total, .skipped = skipped };

        if (o->event)
                o->event(o->event_ud, &ev);
}

int docker_client_open(const char *ref, const char *host, const struct cpod_registry_opts *reg, struct reg_client **ret,
                       cpod_error_t *err)
{
        struct registries_conf *conf = NULL;
        const struct reg_entry *e;
        struct reg_opts ro;
        bool insecure;
        int r;

        reg_opts_from(reg, &ro);
        if (registries_conf_load(&conf, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        e = registries_find(conf, ref);
        if (e && e->blocked) {
                r = cpod_error_set(err, EACCES, CPOD_E_DENIED, "registry %s is blocked in %s", e->prefix, e->origin);
                registries_conf_free(conf);
                return r;
        }
        insecure = e && e->insecure;
        registries_conf_free(conf);
        return reg_client_new(host, insecure, &ro, ret, err);
}

/* A repository of the destination's registry the image is named in (it came from there), or NULL. */
static char *mount_source(const struct push_image *im, const struct dest_ref *d)
{
        for (char **n = im->names; n && *n; n++) {
                _cleanup_free_ char *host = NULL, *repo = NULL, *ref = NULL;
                if (docker_ref_split(*n, &host, &repo, &ref, NULL) == 0 && strcmp(host, d->host) == 0 &&
                    strcmp(repo, d->repo) != 0)
                        return TAKE_PTR(repo);
        }
        return NULL;
}

static int push_config(struct reg_client *c, const struct dest_ref *d, const struct push_image *im,
                       const struct cpod_push_opts *o, cpod_error_t *err)
{
        int have = reg_blob_exists(c, d->repo, im->config_digest, err);

        emit(o, CPOD_PULL_EV_CONFIG, im->config_digest, -1, (int64_t)im->config_len, false);
        if (have != 0)
                return have < 0 ? have : 0;
        return reg_upload_blob(c, d->repo, im->config_digest, im->config, -1, (int64_t)im->config_len, NULL, err);
}

int docker_push(struct store *s, const struct push_image *im, const char *ref, const struct cpod_push_opts *o,
                enum push_compression comp, bool by_digest, struct pushed_manifest *ret, cpod_error_t *err)
{
        const char *mt = im->oci ? MT_OCI_MANIFEST : MT_DOCKER_MANIFEST;
        struct dest_ref d = { 0 };
        struct reg_client *c = NULL;
        struct push_blob *blobs = xnew0(struct push_blob, im->n_layers + 1);
        _cleanup_free_ char *manifest = NULL;
        int r;

        for (size_t i = 0; i <= im->n_layers; i++)
                blobs[i].fd = -1;
        r = parse_dest(ref, &d, err);
        if (r == 0)
                r = docker_client_open(d.full, d.host, &o->reg, &c, err);
        if (r == 0)
                emit(o, CPOD_PULL_EV_SIGNATURES, NULL, -1, 0, false);
        if (r == 0) {
                _cleanup_free_ char *from = mount_source(im, &d);
                r = push_layers(s, c, d.repo, from, im, comp, o, blobs, err);
        }
        if (r == 0)
                r = push_config(c, &d, im, o, err);
        if (r == 0) {
                manifest = push_manifest(im, blobs, comp);
                digest_buf(manifest, strlen(manifest), ret->digest);
                ret->size = (int64_t)strlen(manifest);
                ret->media_type = mt;
                emit(o, CPOD_PULL_EV_MANIFEST, NULL, -1, 0, false);
                r = reg_put_manifest(c, d.repo, by_digest ? ret->digest : d.tag, manifest, strlen(manifest), mt, err);
        }
        if (r == 0 && o->sign_by) { /* instances of a list too, for the reference the list goes to */
                emit(o, CPOD_PULL_EV_SIGNING, NULL, -1, 0, false);
                r = sig_sign_push(d.full, ret->digest, o->sign_by, err);
        }
        if (r == 0)
                emit(o, CPOD_PULL_EV_STORING, NULL, -1, 0, false);
        for (size_t i = 0; i < im->n_layers; i++)
                push_blob_clear(&blobs[i]);
        free(blobs);
        reg_client_free(c);
        dest_ref_clear(&d);
        return r;
}

int docker_push_list(const char *ref, const struct cpod_push_opts *o, const char *data, size_t len,
                     const char *media_type, char ret_digest[DIGEST_STR_MAX], cpod_error_t *err)
{
        struct dest_ref d = { 0 };
        struct reg_client *c = NULL;
        int r = parse_dest(ref, &d, err);

        if (r == 0)
                r = docker_client_open(d.full, d.host, &o->reg, &c, err);
        if (r == 0) {
                emit(o, CPOD_PULL_EV_LIST_MANIFEST, NULL, -1, 0, false);
                r = reg_put_manifest(c, d.repo, d.tag, data, len, media_type, err);
        }
        if (r == 0)
                digest_buf(data, len, ret_digest);
        if (r == 0 && o->sign_by) {
                emit(o, CPOD_PULL_EV_SIGNING, NULL, -1, 0, false);
                r = sig_sign_push(d.full, ret_digest, o->sign_by, err);
        }
        if (r == 0)
                emit(o, CPOD_PULL_EV_LIST_STORING, NULL, -1, 0, false);
        reg_client_free(c);
        dest_ref_clear(&d);
        return r;
}
