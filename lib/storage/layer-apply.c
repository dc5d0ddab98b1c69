/* SPDX-License-Identifier: Apache-2.0 */
/* layer_apply: the streaming pass and the per-entry dispatch.  Threat model in layer-apply.h. */
#include "storage/layer-apply.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "storage/layer-apply-private.h"
#include "storage/safe-path.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/xalloc.h"

#define WHITEOUT_PREFIX ".wh."

void la_mark_written(struct applier *a, const char *path)
{
        _cleanup_free_ char *p = NULL;
        char *slash;

        if (a->o->whiteouts != LAYER_WHITEOUT_APPLY || !strmap_put(&a->written, path, NULL))
                return;
        p = xstrdup(path);
        /* Parents too: an opaque marker must not remove the directories that lead to our files. */
        while ((slash = strrchr(p, '/'))) {
                *slash = '\0';
                if (!strmap_put(&a->written, p, NULL))
                        break;
        }
}

static bool known_type(char t)
{
        return t == TAR_REG || t == TAR_LINK || t == TAR_SYMLINK || t == TAR_CHAR || t == TAR_BLOCK_DEV ||
               t == TAR_DIR || t == TAR_FIFO;
}

static int apply_entry(struct applier *a, const struct tar_entry *e, cpod_error_t *err)
{
        _cleanup_free_ char *path = safe_path_clean(e->path);
        _cleanup_free_ char *split = NULL;
        _cleanup_close_ int dirfd = -1;
        const char *dir, *base;

        if (!path)
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "layer entry \"%s\" escapes the layer", e->path);
        if (!known_type(e->type))
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "layer entry \"%s\" has unsupported type 0x%02x",
                                      e->path, (unsigned char)e->type);
        if (!*path)
                return la_root(a, e, err);
        split = xstrdup(path);
        base = safe_path_split(split, &dir);
        if (strncmp(base, WHITEOUT_PREFIX, strlen(WHITEOUT_PREFIX)) == 0)
                return la_whiteout(a, e, dir, base, err);
        dirfd = safe_open_dir(a->rootfd, dir, true);
        if (dirfd < 0)
                return la_error(err, -dirfd, "layer entry \"%s\": cannot open its parent directory", e->path);
        return la_create(a, e, path, dirfd, base, err);
}

static ssize_t stream_read(void *userdata, void *buf, size_t len, cpod_error_t *err)
{
        return layer_stream_read(userdata, buf, len, err);
}

static int check_digest(const char *what, const char *want, const char *got, cpod_error_t *err)
{
        if (want && strcmp(want, got) != 0)
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "layer %s mismatch: expected %s, got %s", what, want,
                                      got);
        return 0;
}

static int check_opts(const struct layer_apply_opts *o, cpod_error_t *err)
{
        if (!o->read || o->target_dirfd < 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "layer apply: no source or target");
        if (o->whiteouts != LAYER_WHITEOUT_OVERLAY && o->whiteouts != LAYER_WHITEOUT_APPLY)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "layer apply: bad whiteout mode");
        if (o->expect_compressed_digest && !digest_valid(o->expect_compressed_digest))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "unsupported layer digest \"%s\"",
                                      o->expect_compressed_digest);
        if (o->expect_diff_id && !digest_valid(o->expect_diff_id))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "unsupported layer diff ID \"%s\"",
                                      o->expect_diff_id);
        return 0;
}

/* Entries, then the bytes after the end of the archive: the digests cover the whole blob. */
static int extract(struct applier *a, cpod_error_t *err)
{
        const struct tar_entry *e;
        int r;

        while ((r = tar_reader_next(a->reader, &e, err)) > 0) {
                r = apply_entry(a, e, err);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        if (tar_reader_drain(a->reader, err) < 0)
                return cpod_error_rc(err, -EIO);
        return la_dir_times(a, err);
}

static int finish(struct applier *a, struct layer_stream *s, struct layer_apply_result *res, cpod_error_t *err)
{
        const struct layer_apply_opts *o = a->o;
        enum layer_compression comp;

        layer_stream_result(s, res->compressed_digest, res->diff_id, &res->compressed_size, &res->size, &comp);
        res->compression = comp;
        if (check_digest("digest", o->expect_compressed_digest, res->compressed_digest, err) < 0 ||
            check_digest("diff ID", o->expect_diff_id, res->diff_id, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if (a->tarsplit)
                return tarsplit_writer_finish(a->tarsplit, res->size, res->diff_id, err);
        return 0;
}

static void applier_release(struct applier *a)
{
        for (size_t i = 0; i < a->n_dirs; i++)
                free(a->dirs[i].path);
        free(a->dirs);
        strmap_clear(&a->written);
        tar_reader_free(a->reader);
        tarsplit_writer_free(a->tarsplit);
        free(a->buf);
}

int layer_apply(const struct layer_apply_opts *o, struct layer_apply_result *res, cpod_error_t *err)
{
        struct applier a = { .o = o, .rootfd = o->target_dirfd, .written = STRMAP_INIT };
        struct layer_stream *s;
        struct layer_apply_result out = { 0 };
        int r = check_opts(o, err);

        if (r < 0)
                return r;
        s = layer_stream_new(o->read, o->userdata, o->max_size ? o->max_size : LAYER_DEFAULT_MAX_SIZE);
        a.reader = tar_reader_new(stream_read, s);
        a.buf = xmalloc(LA_BUF);
        if (o->tarsplit_fd >= 0) {
                a.tarsplit = tarsplit_writer_new(o->tarsplit_fd);
                tar_reader_set_observer(a.reader, tarsplit_writer_observe, a.tarsplit);
        }
        r = extract(&a, err);
        if (r == 0)
                r = finish(&a, s, &out, err);
        applier_release(&a);
        layer_stream_free(s);
        if (r < 0)
                return r;
        log_debug("applied layer %s (%s, %llu bytes)", out.diff_id, out.compressed_digest,
                  (unsigned long long)out.size);
        *res = out;
        return 0;
}
