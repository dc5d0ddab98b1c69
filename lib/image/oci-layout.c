/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The OCI image layout (a directory, or a tar of one: oci-archive) as an
 * image source: index.json lists the images; each entry (an image manifest
 * or an index, resolved to this platform) is one image, named by its
 * org.opencontainers.image.ref.name annotation when that is a full
 * reference.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "image/fileset.h"
#include "image/manifest.h"
#include "image/reference.h"
#include "image/transports.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct oci_source {
        struct image_source base;
        struct fileset *fs;
        struct manifest index;
        size_t next;
        char *want_ref; /* select one entry by ref name, or NULL for all */
        bool found;     /* want_ref matched an entry */
};

static char *blob_path(const char *digest)
{
        const char *colon = strchr(digest, ':');

        return xasprintf("blobs/%.*s/%s", (int)(colon - digest), digest, colon + 1);
}

static int oci_fetch(struct image_source *src, const char *digest, size_t max, char **ret, size_t *ret_len,
                     cpod_error_t *err)
{
        struct oci_source *o = (struct oci_source *)src;
        _cleanup_free_ char *p = NULL;

        if (!digest_valid_any(digest))
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "invalid digest \"%s\"", digest);
        p = blob_path(digest);
        return fileset_read(o->fs, p, max, ret, ret_len, err);
}

static int oci_open_layer(struct image_source *src, const struct plan_layer *l, struct blob *ret, cpod_error_t *err)
{
        struct oci_source *o = (struct oci_source *)src;
        _cleanup_free_ char *p = blob_path(l->digest);

        return fileset_open(o->fs, p, ret, err);
}

/* A ref name that is a whole reference names the image; a bare tag ("latest") does not. */
static void add_name(struct image_plan *plan, const char *ref_name)
{
        struct image_ref r;

        if (!ref_name || !strchr(ref_name, '/') || image_ref_parse(ref_name, &r, NULL) < 0)
                return;
        image_ref_qualify(&r, "localhost");
        if (!image_ref_too_long(&r))
                strv_take(&plan->names, image_ref_string(&r));
        image_ref_clear(&r);
}

static int oci_next(struct image_source *src, struct image_plan *plan, cpod_error_t *err)
{
        struct oci_source *o = (struct oci_source *)src;
        _cleanup_free_ char *buf = NULL;
        size_t len;

        while (o->next < o->index.n_manifests) {
                const struct descriptor *d = &o->index.manifests[o->next++];
                if (o->want_ref && (!d->ref_name || strcmp(d->ref_name, o->want_ref) != 0))
                        continue;
                if (oci_fetch(src, d->digest, MANIFEST_MAX_SIZE, &buf, &len, err) < 0)
                        return cpod_error_rc(err, -EIO);
                if (plan_from_manifest(src, oci_fetch, buf, len, d->media_type, plan, err) < 0)
                        return cpod_error_wrap(err, "%s", src->desc);
                if (strcmp(plan->digests[strv_length(plan->digests) - 1], d->digest) != 0)
                        return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "%s: manifest digest mismatch for %s",
                                              src->desc, d->digest);
                add_name(plan, d->ref_name);
                o->found = true;
                return 1;
        }
        if (o->want_ref && o->next == o->index.n_manifests && !o->found) {
                o->next++;
                return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_IMAGE, "%s: no image with reference \"%s\"",
                                      src->desc, o->want_ref);
        }
        return 0;
}

static void oci_free(struct image_source *src)
{
        struct oci_source *o = (struct oci_source *)src;

        fileset_free(o->fs);
        manifest_clear(&o->index);
        free(o->want_ref);
        free(src->desc);
        free(o);
}

int oci_source_new(struct fileset *fs, const char *desc, const char *ref, struct image_source **ret, cpod_error_t *err)
{
        struct oci_source *o = xzalloc(sizeof(*o));
        _cleanup_free_ char *buf = NULL;
        size_t len;

        o->fs = fs;
        o->base.desc = xstrdup(desc);
        o->base.next = oci_next;
        o->base.open_layer = oci_open_layer;
        o->base.free = oci_free;
        o->want_ref = xstrdup(ref && *ref ? ref : NULL);
        if (fileset_read(fs, "index.json", MANIFEST_MAX_SIZE, &buf, &len, err) < 0 ||
            manifest_parse(buf, len, MT_OCI_INDEX, &o->index, err) < 0) {
                oci_free(&o->base);
                return cpod_error_wrap(err, "%s: invalid OCI layout", desc);
        }
        *ret = &o->base;
        return 0;
}
