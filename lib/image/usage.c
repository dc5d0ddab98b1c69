/* SPDX-License-Identifier: Apache-2.0 */
/* Disk usage of images (system df -v): how much of each image's layers other images share. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/image.h>

#include "storage/store.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"

/* counts[layer] += 1 for each layer of the image; sizes[layer] = its size. */
static int count_layers(struct store *s, const struct image_rec *img, json_t *counts, json_t *sizes,
                        cpod_error_t *err)
{
        _cleanup_strv_ char **chain = NULL;

        if (!img->top_layer)
                return 0;
        if (store_layer_chain(s, img->top_layer, &chain, err) < 0)
                return -EIO;
        for (char **l = chain; *l; l++) {
                struct layer lr;
                json_object_set_new(counts, *l, json_integer(json_get_int(counts, *l, 0) + 1));
                if (json_object_get(sizes, *l) || store_layer_get(s, *l, &lr, NULL) < 0)
                        continue;
                json_object_set_new(sizes, *l, json_integer(lr.size));
                layer_clear(&lr);
        }
        return 0;
}

static json_int_t shared_bytes(struct store *s, const struct image_rec *img, json_t *counts, json_t *sizes)
{
        _cleanup_strv_ char **chain = NULL;
        json_int_t shared = 0;

        if (!img->top_layer || store_layer_chain(s, img->top_layer, &chain, NULL) < 0)
                return 0;
        for (char **l = chain; *l; l++)
                if (json_get_int(counts, *l, 0) > 1)
                        shared += json_get_int(sizes, *l, 0);
        return shared;
}

/* Layers of the images in in_use: they stay when every other image goes. */
static void mark_kept(struct store *s, const struct image_rec *img, json_t *kept)
{
        _cleanup_strv_ char **chain = NULL;

        if (!img->top_layer || store_layer_chain(s, img->top_layer, &chain, NULL) < 0)
                return;
        for (char **l = chain; *l; l++)
                json_object_set_new(kept, *l, json_true());
}

int cpod_image_disk_usage(struct cpod_runtime *rt, const json_t *in_use, json_t **ret, cpod_error_t *err)
{
        struct store *s;
        struct image_rec *v = NULL;
        size_t n = 0;
        _cleanup_json_ json_t *counts = json_object(), *sizes = json_object(), *kept = json_object();
        json_int_t total = 0, reclaim = 0;
        const char *k;
        json_t *shared, *sz;
        int r = 0;

        if (store_get(rt, &s, err) < 0 || store_image_list(s, &v, &n, err) < 0)
                return -EIO;
        for (size_t i = 0; i < n && r == 0; i++) {
                r = count_layers(s, &v[i], counts, sizes, err);
                if (json_object_get(in_use, v[i].id))
                        mark_kept(s, &v[i], kept);
        }
        if (r == 0) {
                shared = json_object();
                for (size_t i = 0; i < n; i++)
                        json_object_set_new(shared, v[i].id, json_integer(shared_bytes(s, &v[i], counts, sizes)));
                json_object_foreach (sizes, k, sz) {
                        total += json_integer_value(sz);
                        reclaim += json_object_get(kept, k) ? 0 : json_integer_value(sz);
                }
                *ret = json_pack("{s:o, s:I, s:I}", "Shared", shared, "Total", total, "Reclaimable", reclaim);
        }
        image_recs_free(v, n);
        return r;
}
