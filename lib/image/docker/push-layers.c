/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The layers of a push, up to PUSH_PARALLEL at a time: each worker takes the
 * next layer, rebuilds and compresses it (through its own store handle:
 * store_worker_open), asks the registry whether it has the blob, and uploads
 * it if not.  The first failure stops the workers from taking more layers;
 * its error is the push's.  CPOD_SEQUENTIAL_LAYERS=1 does one layer at a
 * time in the calling thread, as a single-layer image always does.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/docker/client.h"
#include "image/push.h"
#include "util/xalloc.h"

#define PUSH_PARALLEL 6

struct layers_job {
        struct store *s;
        struct reg_client *c;
        const char *repo;
        const struct push_image *im;
        enum push_compression comp;
        const struct cpod_push_opts *o;
        struct push_blob *blobs;
        const char *mount_from; /* a repository of the same registry holding the image, or NULL */

        pthread_mutex_t lock; /* the fields below */
        size_t next;
        bool failed;
        cpod_error_t err; /* the first failure */
};

static void emit_blob(const struct cpod_push_opts *o, const char *diff_id, size_t i, int64_t size, bool skipped)
{
        struct cpod_pull_event ev = {
                .kind = CPOD_PULL_EV_BLOB, .text = diff_id, .index = (int)i, .total = size, .skipped = skipped
        };

        if (o->event)
                o->event(o->event_ud, &ev);
}

/*
 * The gzip blob the layer was pulled as, when the repository has it or the registry mounts it from
 * the repository the image came from: nothing to compress or send.  1 when reused.
 */
static int reuse(struct layers_job *j, size_t i)
{
        const char *digest = j->im->gzip_digests ? j->im->gzip_digests[i] : NULL;
        struct push_blob *b = &j->blobs[i];
        int have;

        /* a manifest synthesized for an archive's uncompressed layer names its diff ID: not gzip */
        if (!digest || j->comp != PUSH_GZIP || strcmp(digest, j->im->diff_ids[i]) == 0)
                return 0;
        have = reg_blob_exists(j->c, j->repo, digest, NULL);
        if (have != 1 && j->mount_from && reg_upload_blob(j->c, j->repo, digest, NULL, -1, 0, j->mount_from, NULL) == 0)
                have = reg_blob_exists(j->c, j->repo, digest, NULL) == 1 ? 2 : 0;
        if (have != 1 && have != 2)
                return 0;
        snprintf(b->digest, sizeof(b->digest), "%s", digest);
        b->size = j->im->gzip_sizes[i];
        emit_blob(j->o, j->im->diff_ids[i], i, b->size, have == 1);
        return 1;
}

/* One layer: compress, skip when the registry has it, else upload.  The blob's file is closed after. */
static int push_layer(struct layers_job *j, struct store *s, size_t i, cpod_error_t *err)
{
        struct push_blob *b = &j->blobs[i];
        int have, r = 0;

        if (reuse(j, i))
                return 0;
        if (push_blob_compress(s, j->im->layers[i], j->comp, b, err) < 0)
                return cpod_error_rc(err, -EIO);
        have = reg_blob_exists(j->c, j->repo, b->digest, err);
        if (have >= 0)
                emit_blob(j->o, j->im->diff_ids[i], i, b->size, have > 0);
        if (have < 0)
                r = have;
        else if (have == 0)
                r = reg_upload_blob(j->c, j->repo, b->digest, NULL, b->fd, b->size, NULL, err);
        push_blob_clear(b);
        return r;
}

static bool take(struct layers_job *j, size_t *ret)
{
        bool ok;

        pthread_mutex_lock(&j->lock);
        ok = !j->failed && j->next < j->im->n_layers;
        if (ok)
                *ret = j->next++;
        pthread_mutex_unlock(&j->lock);
        return ok;
}

static void fail(struct layers_job *j, cpod_error_t *e)
{
        pthread_mutex_lock(&j->lock);
        if (!j->failed) {
                j->failed = true;
                cpod_error_move(&j->err, e);
        }
        pthread_mutex_unlock(&j->lock);
        cpod_error_clear(e);
}

static void *worker(void *ud)
{
        struct layers_job *j = ud;
        struct store *ws = NULL;
        cpod_error_t e = CPOD_ERROR_INIT;
        size_t i;

        if (store_worker_open(j->s, &ws, &e) < 0) {
                fail(j, &e);
                return NULL;
        }
        while (take(j, &i))
                if (push_layer(j, ws, i, &e) < 0)
                        fail(j, &e);
        store_worker_free(ws);
        return NULL;
}

static int sequential(struct layers_job *j, cpod_error_t *err)
{
        for (size_t i = 0; i < j->im->n_layers; i++)
                if (push_layer(j, j->s, i, err) < 0)
                        return cpod_error_rc(err, -EIO);
        return 0;
}

int push_layers(struct store *s, struct reg_client *c, const char *repo, const char *mount_from,
                const struct push_image *im, enum push_compression comp, const struct cpod_push_opts *o,
                struct push_blob *blobs, cpod_error_t *err)
{
        struct layers_job j = {
                .s = s, .c = c, .repo = repo, .im = im, .comp = comp, .o = o, .blobs = blobs, .mount_from = mount_from
        };
        size_t n = im->n_layers < PUSH_PARALLEL ? im->n_layers : PUSH_PARALLEL, started = 0;
        pthread_t th[PUSH_PARALLEL];
        const char *seq = getenv("CPOD_SEQUENTIAL_LAYERS");

        if (n <= 1 || (seq && *seq && strcmp(seq, "0") != 0))
                return sequential(&j, err);
        pthread_mutex_init(&j.lock, NULL);
        for (; started < n; started++)
                if (pthread_create(&th[started], NULL, worker, &j) != 0)
                        break;
        if (started == 0) /* no thread at all: do the work here */
                j.failed = sequential(&j, &j.err) < 0;
        for (size_t k = 0; k < started; k++)
                pthread_join(th[k], NULL);
        pthread_mutex_destroy(&j.lock);
        if (j.failed) {
                cpod_error_move(err, &j.err);
                return cpod_error_rc(err, -EIO);
        }
        return 0;
}
