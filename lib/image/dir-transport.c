/* SPDX-License-Identifier: Apache-2.0 */
/*
 * skopeo's `dir:` layout: manifest.json, a "version" file, and blobs named
 * by their hex digest (instance manifests of a list as <hex>.manifest.json).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "image/fileset.h"
#include "image/manifest.h"
#include "image/transports.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/xalloc.h"

struct dir_source {
        struct image_source base;
        struct fileset *fs;
        bool done;
};

static int dir_fetch(struct image_source *src, const char *digest, size_t max, char **ret, size_t *ret_len,
                     cpod_error_t *err)
{
        struct dir_source *d = (struct dir_source *)src;
        _cleanup_free_ char *inst = NULL;

        if (!digest_valid_any(digest))
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "invalid digest \"%s\"", digest);
        inst = xasprintf("%s.manifest.json", digest_hex(digest));
        if (fileset_has(d->fs, inst))
                return fileset_read(d->fs, inst, max, ret, ret_len, err);
        return fileset_read(d->fs, digest_hex(digest), max, ret, ret_len, err);
}

static int dir_open_layer(struct image_source *src, const struct plan_layer *l, struct blob *ret, cpod_error_t *err)
{
        struct dir_source *d = (struct dir_source *)src;

        return fileset_open(d->fs, digest_hex(l->digest), ret, err);
}

static int dir_next(struct image_source *src, struct image_plan *plan, cpod_error_t *err)
{
        struct dir_source *d = (struct dir_source *)src;
        _cleanup_free_ char *buf = NULL;
        size_t len;

        if (d->done)
                return 0;
        d->done = true;
        if (fileset_read(d->fs, "manifest.json", MANIFEST_MAX_SIZE, &buf, &len, err) < 0 ||
            plan_from_manifest(src, dir_fetch, buf, len, NULL, plan, err) < 0)
                return cpod_error_wrap(err, "%s", src->desc);
        return 1;
}

static void dir_free(struct image_source *src)
{
        struct dir_source *d = (struct dir_source *)src;

        fileset_free(d->fs);
        free(src->desc);
        free(d);
}

int dir_source_new(struct fileset *fs, const char *desc, struct image_source **ret, cpod_error_t *err)
{
        struct dir_source *d = xzalloc(sizeof(*d));

        (void)err;
        d->fs = fs;
        d->base.desc = xstrdup(desc);
        d->base.next = dir_next;
        d->base.open_layer = dir_open_layer;
        d->base.free = dir_free;
        *ret = &d->base;
        return 0;
}
