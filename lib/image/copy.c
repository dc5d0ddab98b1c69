/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Copying a planned image into storage: each missing layer in one
 * streaming pass (blob digest, decompression, diff ID, safe extraction),
 * verified before it becomes visible; then one transaction records the
 * image with its names, manifest and config.
 *
 * Parallel layers.  When the source can stream several layers at once
 * (src->max_parallel > 1, registries) and the driver is overlay (a layer's
 * directory does not need its parent's content while it is extracted;
 * vfs copies the parent first, so it stays sequential), missing layers are
 * applied by up to max_parallel threads, each running one
 * store_layer_apply() from download to publication.
 *
 *  - SQLite: the store's connection is opened NOMUTEX and is not shared.
 *    Each worker opens its own connection (store_worker_open) and the
 *    threads coordinate exactly like separate processes do: WAL plus
 *    busy timeout for the DB, the storage flock (a separate open file
 *    description per store_lock call, so threads exclude each other) for
 *    publication, a flocked workspace each.  The main thread does not
 *    touch the DB while workers run.
 *  - Order: a layer row references its parent (foreign key), so layer i
 *    may only be published after layer i-1.  Workers extract freely; the
 *    blob reader given to layer_apply holds back its end-of-file until the
 *    previous layer is published, and layer_apply verifies and publishes
 *    only after end-of-file.  Jobs are taken in index order, so every
 *    layer a worker waits for is held by another running worker or done:
 *    no deadlock with fewer workers than layers.
 *  - Failure: the first failing layer (lowest index) is reported; the
 *    others stop at their next read.  The image record is not written, and
 *    the layers this copy added are removed again (discard_new_layers): a
 *    failed pull leaves the store as it found it, rather than layers no
 *    image uses that prune would not see.
 *
 * Size bound: a layer may expand to at most
 * max(LAYER_BOUND_FLOOR, LAYER_BOUND_RATIO x its compressed size) bytes
 * (CPOD_LAYER_MAX_SIZE overrides it).  gzip cannot exceed about 1032:1, so
 * the ratio only rejects zstd bombs; any other bomb is bounded by the ratio
 * of its format.
 */
#include "image/copy.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "image/manifest.h"
#include "storage/layer-apply.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/human.h"
#include "util/json.h"
#include "util/log.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define LAYER_BOUND_FLOOR (256ULL << 20)
#define LAYER_BOUND_RATIO 1100ULL

struct applied {
        char compressed_digest[DIGEST_STR_MAX];
        int64_t compressed_size;
};

static uint64_t layer_bound(int64_t compressed)
{
        const char *env = getenv("CPOD_LAYER_MAX_SIZE");
        uint64_t b;

        if (env && *env && strtoull(env, NULL, 10) > 0)
                return strtoull(env, NULL, 10);
        if (compressed <= 0)
                return 0; /* unknown: layer_apply's own bound */
        b = (uint64_t)compressed * LAYER_BOUND_RATIO;
        if (b < LAYER_BOUND_FLOOR)
                b = LAYER_BOUND_FLOOR;
        return b < LAYER_DEFAULT_MAX_SIZE ? b : LAYER_DEFAULT_MAX_SIZE;
}

/* Apply one layer reading through (read, ud), which wraps the source's blob. */
static int apply_with(struct store *s, const struct plan_layer *pl, const char *chain, const char *parent,
                      const char *diff_id, ssize_t (*rd)(void *, void *, size_t), void *ud, const struct blob *b,
                      struct layer *ret, cpod_error_t *err)
{
        struct layer_apply_opts o = { 0 };

        o.read = rd;
        o.userdata = ud;
        o.expect_compressed_digest = pl->digest;
        o.expect_diff_id = diff_id;
        o.max_size = layer_bound(pl->size);
        if (store_layer_apply(s, chain, parent, &o, ret, err) < 0) {
                /* A read failure: the source knows better than "read layer blob: I/O error". */
                _cleanup_free_ char *why = b->error ? b->error(b->ud) : NULL;
                if (why && *why)
                        cpod_error_set(err, err->code ? err->code : EIO, CPOD_E_INTERNAL, "%s", why);
                return cpod_error_wrap(err, "layer %s", pl->digest ? pl->digest : diff_id);
        }
        return 0;
}

static int apply_one(struct store *s, struct image_source *src, const struct plan_layer *pl, const char *chain,
                     const char *parent, const char *diff_id, struct layer *ret, cpod_error_t *err)
{
        struct blob b;
        int r;
        if (store_layer_exists(s, chain))
                return store_layer_get(s, chain, ret, err);
        if (src->open_layer(src, pl, &b, err) < 0)
                return cpod_error_rc(err, -EIO);
        r = apply_with(s, pl, chain, parent, diff_id, b.read, b.ud, &b, ret, err);
        blob_close(&b);
        return r;
}

/* ---- parallel application ---- */

struct job {
        struct pcopy *pc;
        size_t i;
        const char *diff_id;
        char chain[65], parent[65];
        bool missing;
        struct blob blob;
        struct layer l;
        cpod_error_t err;
        int r;
};

struct pcopy {
        struct store *s;
        struct image_source *src;
        struct image_plan *p;
        struct job *jobs;
        size_t n, next;   /* next job to take */
        size_t published; /* layers 0..published-1 are in the store */
        bool *done;       /* per layer: finished (published, or failed) */
        bool failed;
        pthread_mutex_t m;
        pthread_cond_t cv;
};

/* The blob reader handed to layer_apply: stops on failure elsewhere, holds EOF for ordering. */
static ssize_t gated_read(void *ud, void *buf, size_t len)
{
        struct job *j = ud;
        struct pcopy *pc = j->pc;
        ssize_t n;
        bool failed;

        pthread_mutex_lock(&pc->m);
        failed = pc->failed;
        pthread_mutex_unlock(&pc->m);
        if (failed)
                return -ECANCELED;
        n = j->blob.read(j->blob.ud, buf, len);
        if (n != 0)
                return n;
        pthread_mutex_lock(&pc->m);
        while (!pc->failed && pc->published < j->i)
                pthread_cond_wait(&pc->cv, &pc->m);
        failed = pc->failed;
        pthread_mutex_unlock(&pc->m);
        return failed ? -ECANCELED : 0;
}

static void finish_job(struct pcopy *pc, struct job *j)
{
        pthread_mutex_lock(&pc->m);
        pc->done[j->i] = true;
        if (j->r < 0)
                pc->failed = true;
        while (pc->published < pc->n && pc->done[pc->published] && pc->jobs[pc->published].r == 0)
                pc->published++;
        pthread_cond_broadcast(&pc->cv);
        pthread_mutex_unlock(&pc->m);
}

static void run_job(struct pcopy *pc, struct store *ws, struct job *j)
{
        if (!j->missing) {
                j->r = store_layer_get(ws, j->chain, &j->l, &j->err);
                return;
        }
        if (pc->src->open_layer(pc->src, &pc->p->layers[j->i], &j->blob, &j->err) < 0) {
                j->r = -EIO;
                return;
        }
        j->r = apply_with(ws, &pc->p->layers[j->i], j->chain, j->i ? j->parent : NULL, j->diff_id, gated_read, j,
                          &j->blob, &j->l, &j->err);
        blob_close(&j->blob);
}

static void *worker(void *arg)
{
        struct pcopy *pc = arg;
        struct store *ws = NULL;
        cpod_error_t oerr = CPOD_ERROR_INIT;
        int orc = store_worker_open(pc->s, &ws, &oerr);

        for (;;) {
                struct job *j;
                pthread_mutex_lock(&pc->m);
                if (pc->next >= pc->n) {
                        pthread_mutex_unlock(&pc->m);
                        break;
                }
                j = &pc->jobs[pc->next++];
                pthread_mutex_unlock(&pc->m);
                if (orc < 0) {
                        j->r = -EIO;
                        cpod_error_set(&j->err, oerr.code, oerr.kind, "%s", cpod_error_msg(&oerr));
                } else {
                        run_job(pc, ws, j);
                }
                finish_job(pc, j);
        }
        cpod_error_clear(&oerr);
        store_worker_free(ws);
        return NULL;
}

/* The error of the lowest failing layer that did not just stop because another one failed. */
static int first_error(struct pcopy *pc, cpod_error_t *err)
{
        struct job *pick = NULL;

        for (size_t i = 0; i < pc->n; i++) {
                struct job *j = &pc->jobs[i];
                if (j->r >= 0)
                        continue;
                if (!pick || (pick->err.code == ECANCELED && j->err.code != ECANCELED))
                        pick = j;
        }
        if (!pick)
                return 0;
        cpod_error_move(err, &pick->err);
        return pick->r;
}

static int apply_parallel(struct store *s, struct image_source *src, struct image_plan *p, json_t *ids,
                          struct applied *a, int64_t *ret_size, cpod_error_t *err)
{
        struct pcopy pc = { .s = s, .src = src, .p = p, .n = p->n_layers };
        size_t nthreads = 0, missing = 0, started;
        pthread_t *th;
        int r;
        pc.jobs = xnew0(struct job, pc.n);
        pc.done = xnew0(bool, pc.n);
        pthread_mutex_init(&pc.m, NULL);
        pthread_cond_init(&pc.cv, NULL);
        for (size_t i = 0; i < pc.n; i++) {
                struct job *j = &pc.jobs[i];
                j->pc = &pc;
                j->i = i;
                j->diff_id = json_string_value(json_array_get(ids, i));
                if (i)
                        memcpy(j->parent, pc.jobs[i - 1].chain, sizeof(j->parent));
                layer_chain_id(i ? j->parent : NULL, j->diff_id, j->chain);
                j->missing = !store_layer_exists(s, j->chain);
                missing += j->missing;
        }
        nthreads = missing < (size_t)src->max_parallel ? missing : (size_t)src->max_parallel;
        if (nthreads == 0)
                nthreads = 1;
        th = xnew0(pthread_t, nthreads);
        /* Workers take jobs from one queue: when the system refuses a thread, fewer do the work, and
         * with none this thread does it all. */
        for (started = 0; started < nthreads; started++)
                if (pthread_create(&th[started], NULL, worker, &pc) != 0)
                        break;
        if (started == 0)
                (void)worker(&pc);
        for (size_t t = 0; t < started; t++)
                pthread_join(th[t], NULL);
        free(th);
        r = first_error(&pc, err);
        for (size_t i = 0; i < pc.n; i++) {
                struct job *j = &pc.jobs[i];
                if (r == 0) {
                        snprintf(a[i].compressed_digest, sizeof(a[i].compressed_digest), "%s",
                                 j->l.compressed_digest[0] ? j->l.compressed_digest : j->diff_id);
                        a[i].compressed_size = j->l.compressed_size ? j->l.compressed_size : j->l.size;
                        *ret_size += j->l.size;
                }
                layer_clear(&j->l);
                cpod_error_clear(&j->err);
        }
        pthread_cond_destroy(&pc.cv);
        pthread_mutex_destroy(&pc.m);
        free(pc.done);
        free(pc.jobs);
        return r;
}

/* ---- recording ---- */

static json_t *synth_manifest(const struct image_plan *p, const struct applied *a)
{
        json_t *layers = json_array();

        for (size_t i = 0; i < p->n_layers; i++)
                json_array_append_new(layers,
                                      json_pack("{s:s, s:I, s:s}", "mediaType", MT_DOCKER_LAYER, "size",
                                                (json_int_t)a[i].compressed_size, "digest", a[i].compressed_digest));
        return json_pack("{s:i, s:s, s:{s:s, s:I, s:s}, s:o}", "schemaVersion", 2, "mediaType", MT_DOCKER_MANIFEST,
                         "config", "mediaType", MT_DOCKER_CONFIG, "size", (json_int_t)p->config_len, "digest",
                         p->config_digest, "layers", layers);
}

static int record(struct store *s, struct image_plan *p, json_t *config, const char *top, int64_t size,
                  const struct applied *a, char ret_id[65], cpod_error_t *err)
{
        _cleanup_free_ char *synth = NULL;
        const char *manifest = p->manifest, *created = json_get_str(config, "created");
        size_t mlen = p->manifest_len;
        char mdigest[DIGEST_STR_MAX];
        int64_t t = 0;
        struct bigdata bd[2];
        struct image_new n = { 0 };

        if (!manifest) {
                _cleanup_json_ json_t *m = synth_manifest(p, a);
                synth = json_dump_compact(m);
                manifest = synth;
                mlen = strlen(synth);
                p->manifest_type = xstrdup(MT_DOCKER_MANIFEST);
        }
        digest_buf(manifest, mlen, mdigest);
        if (created)
                (void)time_parse_rfc3339(created, &t, NULL);
        bd[0] = (struct bigdata){ "manifest", manifest, mlen };
        bd[1] = (struct bigdata){ "config", p->config, p->config_len };
        n.id = digest_hex(p->config_digest);
        n.top_layer = top;
        n.names = p->names;
        /* The digest the image was asked for: a manifest list's when it came through one (as podman). */
        n.digest = p->digests && p->digests[0] ? p->digests[strv_length(p->digests) - 1] : mdigest;
        n.digests = p->digests;
        n.created = t;
        n.size = size;
        n.manifest_type = p->manifest_type;
        n.arch = json_get_str(config, "architecture");
        n.os = json_get_str(config, "os");
        n.bigdata = bd;
        n.n_bigdata = 2;
        if (store_image_create(s, &n, err) < 0)
                return cpod_error_rc(err, -EIO);
        snprintf(ret_id, 65, "%s", n.id);
        return 0;
}

/*
 * After a failed copy: remove the layers it added (those not there before it began), top first,
 * each only while nothing uses it -- an image, a child layer, or a container -- which
 * store_layer_delete checks under the storage lock, so a concurrent pull's layers stay.
 */
static void discard_new_layers(struct store *s, char (*chains)[65], const bool *existed, size_t n)
{
        for (size_t i = n; i-- > 0;) {
                cpod_error_t ignore = CPOD_ERROR_INIT;
                if (existed[i] || !store_layer_exists(s, chains[i]))
                        continue;
                if (store_layer_delete(s, chains[i], &ignore) == 0)
                        log_debug("removed layer %s of the failed copy", chains[i]);
                cpod_error_clear(&ignore);
        }
}

static bool can_parallel(const struct store *s, const struct image_source *src, size_t n_layers)
{
        return src->max_parallel > 1 && n_layers > 1 && store_layers_are_diffs(s) && !getenv("CPOD_SEQUENTIAL_LAYERS");
}

static int copy_layers(struct store *s, struct image_source *src, struct image_plan *p, json_t *ids, struct applied *a,
                       int64_t *ret_size, cpod_error_t *err)
{
        char parent[65] = "", chain[65];
        int64_t size = 0;

        if (can_parallel(s, src, p->n_layers)) {
                if (apply_parallel(s, src, p, ids, a, ret_size, err) < 0)
                        return cpod_error_rc(err, -EIO);
        } else {
                for (size_t i = 0; i < p->n_layers; i++) {
                        const char *diff_id = json_string_value(json_array_get(ids, i));
                        struct layer l;
                        layer_chain_id(i ? parent : NULL, diff_id, chain);
                        log_debug("layer %zu/%zu: %s", i + 1, p->n_layers, diff_id);
                        if (apply_one(s, src, &p->layers[i], chain, i ? parent : NULL, diff_id, &l, err) < 0)
                                return cpod_error_rc(err, -EIO);
                        snprintf(a[i].compressed_digest, sizeof(a[i].compressed_digest), "%s",
                                 l.compressed_digest[0] ? l.compressed_digest : diff_id);
                        a[i].compressed_size = l.compressed_size ? l.compressed_size : l.size;
                        size += l.size;
                        layer_clear(&l);
                        memcpy(parent, chain, sizeof(parent));
                }
                *ret_size = size;
        }
        return 0;
}

int copy_to_store(struct store *s, struct image_source *src, struct image_plan *p, char ret_id[65], cpod_error_t *err)
{
        _cleanup_json_ json_t *config = json_parse_buf(p->config, p->config_len, "image config", err);
        json_t *ids = json_path(config, "rootfs.diff_ids");
        _cleanup_free_ struct applied *a = xnew0(struct applied, p->n_layers + 1);
        _cleanup_free_ char(*chains)[65] = xcalloc(p->n_layers + 1, 65);
        _cleanup_free_ bool *existed = xnew0(bool, p->n_layers + 1);
        char chain[65], top[65] = "";
        int64_t size = 0;
        int r;

        if (!config)
                return cpod_error_rc(err, -EINVAL);
        if (json_array_size(ids) != p->n_layers)
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "config and manifest disagree on layer count");
        for (size_t i = 0; i < p->n_layers; i++) {
                const char *diff_id = json_string_value(json_array_get(ids, i));
                if (!diff_id || !digest_valid(diff_id))
                        return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "invalid diff ID in image config");
                layer_chain_id(i ? top : NULL, diff_id, chain);
                memcpy(top, chain, sizeof(top));
                memcpy(chains[i], chain, 65);
                existed[i] = store_layer_exists(s, chain);
        }
        r = copy_layers(s, src, p, ids, a, &size, err);
        if (r == 0)
                r = record(s, p, config, p->n_layers ? top : NULL, size, a, ret_id, err);
        if (r < 0)
                discard_new_layers(s, chains, existed, p->n_layers);
        return r;
}
