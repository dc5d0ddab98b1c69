/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The registry side of manifest lists: adding a registry image to a list
 * (its manifest and, for its platform, its config are read), inspecting a
 * registry's manifest, and copying a registry instance into the repository
 * a list is pushed to.  Everything read is bounded and parsed defensively;
 * blobs copied are verified against their digests on the way.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/docker/docker.h"
#include "image/manifest-list.h"
#include "image/manifest.h"
#include "image/push.h"
#include "image/reference.h"
#include "image/sig.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/xalloc.h"

int docker_ref_split(const char *s, char **host, char **repo, char **ref, cpod_error_t *err)
{
        struct image_ref r;

        if (image_ref_parse(s, &r, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        image_ref_qualify(&r, "docker.io");
        image_ref_normalize_docker(&r);
        *host = xstrdup(r.domain);
        *repo = xstrdup(r.path);
        *ref = xstrdup(r.digest ? r.digest : r.tag ? r.tag : "latest");
        image_ref_clear(&r);
        return 0;
}

struct remote {
        char *host, *repo, *ref, *full;
        struct reg_client *c;
};

static void remote_clear(struct remote *rm)
{
        free(rm->host);
        free(rm->repo);
        free(rm->ref);
        free(rm->full);
        reg_client_free(rm->c);
        memset(rm, 0, sizeof(*rm));
}

static int remote_open(const char *s, const struct cpod_registry_opts *reg, struct remote *rm, cpod_error_t *err)
{
        memset(rm, 0, sizeof(*rm));
        if (docker_ref_split(s, &rm->host, &rm->repo, &rm->ref, err) < 0)
                return -EINVAL;
        rm->full = xasprintf("%s/%s%s%s", rm->host, rm->repo, strchr(rm->ref, ':') ? "@" : ":", rm->ref);
        return docker_client_open(rm->full, rm->host, reg, &rm->c, err);
}

int mlist_inspect_remote(const char *ref, const struct cpod_registry_opts *reg, json_t **ret, cpod_error_t *err)
{
        struct remote rm;
        _cleanup_free_ char *buf = NULL, *mt = NULL;
        char digest[DIGEST_STR_MAX];
        size_t len;
        int r = remote_open(ref, reg, &rm, err);

        if (r == 0)
                r = reg_get_manifest(rm.c, rm.repo, rm.ref, &buf, &len, &mt, digest, err);
        if (r == 0 && !(*ret = json_parse_buf(buf, len, "manifest", err)))
                r = -EINVAL;
        remote_clear(&rm);
        if (r < 0)
                return cpod_error_wrap(err, "reading image \"docker://%s\"", ref);
        return 0;
}

/* One image manifest of the registry as an entry; its platform from its config. */
static int image_entry(struct remote *rm, const char *digest, const char *buf, size_t len, const char *mt, json_t **ret,
                       cpod_error_t *err)
{
        struct manifest m;
        _cleanup_free_ char *cfg = NULL;
        _cleanup_json_ json_t *config = NULL;
        char got[DIGEST_STR_MAX];
        size_t clen;
        int r;

        if (manifest_parse(buf, len, mt, &m, err) < 0)
                return -EINVAL;
        r = reg_get_blob(rm->c, rm->repo, m.config.digest, CONFIG_MAX_SIZE, &cfg, &clen, err);
        if (r == 0) {
                digest_buf(cfg, clen, got);
                if (strcmp(got, m.config.digest) != 0)
                        r = cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "config digest mismatch: got %s", got);
        }
        if (r == 0 && !(config = json_parse_buf(cfg, clen, "config", err)))
                r = -EINVAL;
        if (r == 0)
                *ret = mlist_entry_new(m.media_type, (int64_t)len, digest, json_get_str(config, "architecture"),
                                       json_get_str(config, "os"), json_get_str(config, "variant"));
        manifest_clear(&m);
        return r;
}

static json_t *index_entry(const struct descriptor *d)
{
        return mlist_entry_new(d->media_type, d->size, d->digest, d->arch, d->os, d->variant);
}

static int put_entry(struct mlist *l, struct remote *rm, json_t *e, const struct cpod_manifest_add_opts *o,
                     cpod_error_t *err)
{
        _cleanup_free_ char *src = xasprintf("docker://%s/%s@%s", rm->host, rm->repo, json_get_str(e, "digest"));

        if (mlist_entry_apply(e, &o->entry, err) < 0) {
                json_decref(e);
                return -EINVAL;
        }
        mlist_put(l, e, src);
        return 0;
}

static int add_index(struct mlist *l, struct remote *rm, const struct manifest *m,
                     const struct cpod_manifest_add_opts *o, cpod_error_t *err)
{
        int i;

        if (o->all) {
                for (size_t k = 0; k < m->n_manifests; k++)
                        if (put_entry(l, rm, index_entry(&m->manifests[k]), o, err) < 0)
                                return -EINVAL;
                return 0;
        }
        i = manifest_choose(m, NULL, NULL, NULL, err);
        if (i < 0)
                return i;
        return put_entry(l, rm, index_entry(&m->manifests[i]), o, err);
}

int mlist_add_remote(struct mlist *l, const char *ref, const struct cpod_manifest_add_opts *o, cpod_error_t *err)
{
        struct remote rm;
        _cleanup_free_ char *buf = NULL, *mt = NULL;
        char digest[DIGEST_STR_MAX];
        struct manifest m = { 0 };
        json_t *e = NULL;
        size_t len;
        int r = remote_open(ref, &o->reg, &rm, err);

        if (r == 0)
                r = reg_get_manifest(rm.c, rm.repo, rm.ref, &buf, &len, &mt, digest, err);
        if (r == 0)
                r = manifest_parse(buf, len, mt, &m, err);
        if (r == 0 && m.kind == MANIFEST_INDEX)
                r = add_index(l, &rm, &m, o, err);
        else if (r == 0 && (r = image_entry(&rm, digest, buf, len, m.media_type, &e, err)) == 0)
                r = put_entry(l, &rm, e, o, err);
        manifest_clear(&m);
        remote_clear(&rm);
        if (r < 0)
                return cpod_error_wrap(err, "reading image \"docker://%s\"", ref);
        return 0;
}

/* One blob into the destination: there already, mounted from the source repository, or streamed. */
static int copy_blob(struct store *s, struct remote *src, struct remote *dst, const struct descriptor *d,
                     cpod_error_t *err)
{
        struct blob b;
        _cleanup_close_ int fd = -1;
        struct digester *dg;
        char buf[64 * 1024], got[DIGEST_STR_MAX];
        int64_t total = 0;
        ssize_t n;
        int r = reg_blob_exists(dst->c, dst->repo, d->digest, err);

        if (r != 0)
                return r < 0 ? r : 0;
        if (strcmp(src->host, dst->host) == 0 &&
            reg_upload_blob(dst->c, dst->repo, d->digest, NULL, -1, 0, src->repo, NULL) == 0 &&
            reg_blob_exists(dst->c, dst->repo, d->digest, NULL) == 1)
                return 0;
        if ((fd = store_tmpfile(s, err)) < 0 ||
            reg_open_blob(src->c, src->repo, d->digest, d->size, NULL, NULL, &b, err) < 0)
                return cpod_error_rc(err, -EIO);
        dg = digester_new();
        while ((n = b.read(b.ud, buf, sizeof(buf))) > 0 && write_all(fd, buf, (size_t)n) == 0) {
                digester_update(dg, buf, (size_t)n);
                total += n;
        }
        digester_final(dg, got);
        digester_free(dg);
        r = n < 0   ? cpod_error_set(err, (int)-n, CPOD_E_INTERNAL, "reading blob %s: %s", d->digest,
                                   b.error && b.error(b.ud) ? b.error(b.ud) : strerror((int)-n))
              : n > 0 ? cpod_error_sys(err, EIO, "writing blob %s", d->digest)
            : strcmp(got, d->digest) != 0
                    ? cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "blob %s: digest mismatch: got %s", d->digest, got)
                    : 0;
        blob_close(&b);
        if (r == 0)
                r = reg_upload_blob(dst->c, dst->repo, d->digest, NULL, fd, total, NULL, err);
        return r;
}

int docker_copy_remote(struct store *s, const char *src_ref, const char *dest, const struct cpod_push_opts *o,
                       cpod_error_t *err)
{
        struct remote src, dst;
        _cleanup_free_ char *buf = NULL, *mt = NULL;
        char digest[DIGEST_STR_MAX];
        struct manifest m = { 0 };
        size_t len;
        int r = remote_open(src_ref, &o->reg, &src, err);

        if (r == 0)
                r = remote_open(dest, &o->reg, &dst, err);
        else
                memset(&dst, 0, sizeof(dst));
        if (r == 0)
                r = reg_get_manifest(src.c, src.repo, src.ref, &buf, &len, &mt, digest, err);
        if (r == 0)
                r = manifest_parse(buf, len, mt, &m, err);
        if (r == 0 && m.kind == MANIFEST_INDEX)
                r = cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED, "nested manifest lists are not supported");
        for (size_t i = 0; r == 0 && i < m.n_layers; i++)
                r = copy_blob(s, &src, &dst, &m.layers[i], err);
        if (r == 0)
                r = copy_blob(s, &src, &dst, &m.config, err);
        if (r == 0)
                r = reg_put_manifest(dst.c, dst.repo, digest, buf, len, m.media_type, err);
        if (r == 0 && o->sign_by)
                r = sig_sign_push(dst.full, digest, o->sign_by, err);
        manifest_clear(&m);
        remote_clear(&src);
        remote_clear(&dst);
        if (r < 0)
                return cpod_error_wrap(err, "copying docker://%s", src_ref);
        return 0;
}
