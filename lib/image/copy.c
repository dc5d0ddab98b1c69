/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Copying a planned image into storage: each missing layer in one
 * streaming pass (blob digest, decompression, diff ID, safe extraction),
 * verified before it becomes visible; then one transaction records the
 * image with its names, manifest and config.
 */
#include "image/copy.h"

#include <errno.h>
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

struct applied {
        char compressed_digest[DIGEST_STR_MAX];
        int64_t compressed_size;
};

static int apply_one(struct store *s, struct image_source *src, const struct plan_layer *pl, const char *chain,
                     const char *parent, const char *diff_id, struct layer *ret, cpod_error_t *err)
{
        struct layer_apply_opts o = { 0 };
        struct blob b;
        int r;

        if (store_layer_exists(s, chain))
                return store_layer_get(s, chain, ret, err);
        if (src->open_layer(src, pl, &b, err) < 0)
                return -EIO;
        o.read = b.read;
        o.userdata = b.ud;
        o.expect_compressed_digest = pl->digest;
        o.expect_diff_id = diff_id;
        r = store_layer_apply(s, chain, parent, &o, ret, err);
        blob_close(&b);
        if (r < 0)
                return cpod_error_wrap(err, "layer %s", pl->digest ? pl->digest : diff_id);
        return 0;
}

static json_t *synth_manifest(const struct image_plan *p, const struct applied *a)
{
        json_t *layers = json_array();

        for (size_t i = 0; i < p->n_layers; i++)
                json_array_append_new(layers, json_pack("{s:s, s:I, s:s}", "mediaType", MT_DOCKER_LAYER, "size",
                                                        (json_int_t)a[i].compressed_size, "digest",
                                                        a[i].compressed_digest));
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
        n.digest = p->digests && p->digests[0] ? p->digests[0] : mdigest;
        n.digests = p->digests;
        n.created = t;
        n.size = size;
        n.manifest_type = p->manifest_type;
        n.arch = json_get_str(config, "architecture");
        n.os = json_get_str(config, "os");
        n.bigdata = bd;
        n.n_bigdata = 2;
        if (store_image_create(s, &n, err) < 0)
                return -EIO;
        snprintf(ret_id, 65, "%s", n.id);
        return 0;
}

int copy_to_store(struct store *s, struct image_source *src, struct image_plan *p, char ret_id[65],
                  cpod_error_t *err)
{
        _cleanup_json_ json_t *config = json_parse_buf(p->config, p->config_len, "image config", err);
        json_t *ids = json_path(config, "rootfs.diff_ids");
        _cleanup_free_ struct applied *a = xnew0(struct applied, p->n_layers + 1);
        char parent[65] = "", chain[65];
        int64_t size = 0;

        if (!config)
                return -EINVAL;
        if (json_array_size(ids) != p->n_layers)
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "config and manifest disagree on layer count");
        for (size_t i = 0; i < p->n_layers; i++) {
                const char *diff_id = json_string_value(json_array_get(ids, i));
                struct layer l;
                if (!diff_id || !digest_valid(diff_id))
                        return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "invalid diff ID in image config");
                layer_chain_id(i ? parent : NULL, diff_id, chain);
                log_debug("layer %zu/%zu: %s", i + 1, p->n_layers, diff_id);
                if (apply_one(s, src, &p->layers[i], chain, i ? parent : NULL, diff_id, &l, err) < 0)
                        return -EIO;
                snprintf(a[i].compressed_digest, sizeof(a[i].compressed_digest), "%s",
                         l.compressed_digest[0] ? l.compressed_digest : diff_id);
                a[i].compressed_size = l.compressed_size ? l.compressed_size : l.size;
                size += l.size;
                layer_clear(&l);
                memcpy(parent, chain, sizeof(parent));
        }
        return record(s, p, config, p->n_layers ? parent : NULL, size, a, ret_id, err);
}
