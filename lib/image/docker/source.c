/* SPDX-License-Identifier: Apache-2.0 */
/*
 * docker:// as an image source: one image (a tag or a digest) of one
 * repository on one registry endpoint.  The manifest is fetched when the
 * source is opened (so that mirror fallback can tell a registry that lacks
 * the image from one that has it); planning resolves an index to the
 * platform's manifest and fetches the config, all verified by digest;
 * layers stream in parallel.
 */
#include "image/docker/docker.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "image/manifest.h"
#include "image/sig.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define REGISTRY_PARALLEL 6

struct layer_prog {
        struct docker_source *s;
        int index;
};

struct docker_source {
        struct image_source base;
        struct reg_client *c; /* borrowed */
        char *repo, *ref;
        char **names;
        char *manifest, *manifest_type;
        size_t manifest_len;
        char manifest_digest[DIGEST_STR_MAX];
        char **index_digests; /* children of the top-level index: fetched as manifests */
        const struct image_plan *plan;
        struct layer_prog *progs;
        cpod_pull_event_fn event;
        void *event_ud;
        bool done;
};

static const char *const layer_types[] = {
        MT_OCI_LAYER,
        MT_OCI_LAYER_GZIP,
        MT_OCI_LAYER_ZSTD,
        MT_DOCKER_LAYER,
        MT_DOCKER_LAYER_FOREIGN,
        "application/vnd.oci.image.layer.nondistributable.v1.tar",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
};

static int fetch(struct image_source *src, const char *digest, size_t max, char **ret, size_t *ret_len,
                 cpod_error_t *err)
{
        struct docker_source *s = (struct docker_source *)src;
        char got[DIGEST_STR_MAX];

        if (!digest_valid(digest))
                return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED, "unsupported digest \"%s\"", digest);
        if (strv_contains(s->index_digests, digest)) {
                _cleanup_free_ char *mt = NULL;
                return reg_get_manifest(s->c, s->repo, digest, ret, ret_len, &mt, got, err);
        }
        return reg_get_blob(s->c, s->repo, digest, max, ret, ret_len, err);
}

static int check_types(struct docker_source *s, const struct image_plan *plan, cpod_error_t *err)
{
        struct manifest m = { 0 };
        int r = 0;

        for (size_t i = 0; i < plan->n_layers; i++) {
                const char *mt = plan->layers[i].media_type;
                bool ok = false;
                for (size_t k = 0; k < ARRAY_SIZE(layer_types) && !ok; k++)
                        ok = mt && strcmp(mt, layer_types[k]) == 0;
                if (!ok)
                        return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                                              "unsupported layer media type \"%s\" (layer %s)", mt ? mt : "",
                                              plan->layers[i].digest);
        }
        if (manifest_parse(plan->manifest, plan->manifest_len, plan->manifest_type, &m, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if (m.config.media_type && strcmp(m.config.media_type, MT_OCI_CONFIG) != 0 &&
            strcmp(m.config.media_type, MT_DOCKER_CONFIG) != 0)
                r = cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                                   "unsupported image config media type \"%s\": not a container image",
                                   m.config.media_type);
        manifest_clear(&m);
        (void)s;
        return r;
}

static void note_index(struct docker_source *s)
{
        struct manifest m = { 0 };

        if (manifest_parse(s->manifest, s->manifest_len, s->manifest_type, &m, NULL) < 0)
                return;
        for (size_t i = 0; m.kind == MANIFEST_INDEX && i < m.n_manifests; i++)
                strv_add(&s->index_digests, m.manifests[i].digest);
        manifest_clear(&m);
}

static int dsrc_next(struct image_source *src, struct image_plan *plan, cpod_error_t *err)
{
        struct docker_source *s = (struct docker_source *)src;

        if (s->done)
                return 0;
        s->done = true;
        note_index(s);
        if (plan_from_manifest(src, fetch, s->manifest, s->manifest_len, s->manifest_type, plan, err) < 0 ||
            check_types(s, plan, err) < 0)
                return cpod_error_rc(err, -EIO);
        strv_free(plan->names);
        plan->names = strv_copy(s->names);
        s->plan = plan;
        free(s->progs);
        s->progs = xnew0(struct layer_prog, plan->n_layers + 1);
        return 1;
}

static void layer_progress(void *ud, int64_t received, int64_t total)
{
        struct layer_prog *lp = ud;
        struct cpod_pull_event ev = {
                .kind = CPOD_PULL_EV_BLOB_PROGRESS, .index = lp->index, .current = received, .total = total
        };

        ev.text = lp->s->plan->layers[lp->index].digest;
        lp->s->event(lp->s->event_ud, &ev);
}

static int dsrc_open_layer(struct image_source *src, const struct plan_layer *l, struct blob *ret, cpod_error_t *err)
{
        struct docker_source *s = (struct docker_source *)src;
        struct layer_prog *lp = NULL;

        if (s->plan && l >= s->plan->layers && l < s->plan->layers + s->plan->n_layers && s->event) {
                lp = &s->progs[l - s->plan->layers];
                lp->s = s;
                lp->index = (int)(l - s->plan->layers);
        }
        return reg_open_blob(s->c, s->repo, l->digest, l->size, lp ? layer_progress : NULL, lp, ret, err);
}

static void dsrc_free(struct image_source *src)
{
        struct docker_source *s = (struct docker_source *)src;

        free(s->repo);
        free(s->ref);
        strv_free(s->names);
        free(s->manifest);
        free(s->manifest_type);
        strv_free(s->index_digests);
        free(s->progs);
        free(src->desc);
        free(s);
}

int docker_source_open(struct reg_client *c, const char *repo, const char *ref, char *const *names,
                       const struct docker_source_opts *o, struct image_source **ret, cpod_error_t *err)
{
        struct docker_source *s = xzalloc(sizeof(*s));

        s->c = c;
        s->repo = xstrdup(repo);
        s->ref = xstrdup(ref);
        s->names = strv_copy(names);
        s->event = o->event;
        s->event_ud = o->event_ud;
        s->base.desc = xasprintf("docker://%s/%s%s%s", reg_client_host(c), repo, strchr(ref, ':') ? "@" : ":", ref);
        s->base.next = dsrc_next;
        s->base.open_layer = dsrc_open_layer;
        s->base.free = dsrc_free;
        s->base.os = o->os;
        s->base.arch = o->arch;
        s->base.variant = o->variant;
        s->base.max_parallel = REGISTRY_PARALLEL;
        if (reg_ping(c, err) < 0 || reg_get_manifest(c, repo, ref, &s->manifest, &s->manifest_len, &s->manifest_type,
                                                     s->manifest_digest, err) < 0) {
                dsrc_free(&s->base);
                return cpod_error_rc(err, -EIO);
        }
        *ret = &s->base;
        return 0;
}

const char *docker_source_manifest_digest(const struct image_source *src)
{
        return ((const struct docker_source *)src)->manifest_digest;
}

/* The registry the source reads, for the policy's sigstore attachments. */
static int sig_get_manifest(void *ud, const char *tag, char **ret, size_t *ret_len, cpod_error_t *err)
{
        struct docker_source *d = ud;
        char digest[DIGEST_STR_MAX];
        char *type = NULL;
        int r = reg_get_manifest(d->c, d->repo, tag, ret, ret_len, &type, digest, err);

        free(type);
        return r;
}

static int sig_get_blob(void *ud, const char *digest, char **ret, size_t *ret_len, cpod_error_t *err)
{
        struct docker_source *d = ud;
        return reg_get_blob(d->c, d->repo, digest, 1 << 20, ret, ret_len, err);
}

void docker_source_sig_context(struct image_source *src, struct sig_context *ret)
{
        memset(ret, 0, sizeof(*ret));
        ret->get_manifest = sig_get_manifest;
        ret->get_blob = sig_get_blob;
        ret->ud = (struct docker_source *)src;
}
