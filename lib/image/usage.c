/* SPDX-License-Identifier: Apache-2.0 */
/* Disk usage of images (system df -v): how much of each image's layers other images share. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/image.h>

#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* counts[layer] += 1 for each layer of the chain; sizes[layer] = its size. */
static void count_layers(struct store *s, char **chain, json_t *counts, json_t *sizes)
{
        for (char **l = chain; *l; l++) {
                struct layer lr;
                json_object_set_new(counts, *l, json_integer(json_get_int(counts, *l, 0) + 1));
                if (json_object_get(sizes, *l) || store_layer_get(s, *l, &lr, NULL) < 0)
                        continue;
                json_object_set_new(sizes, *l, json_integer(lr.size));
                layer_clear(&lr);
        }
}

static json_int_t shared_bytes(char **chain, json_t *counts, json_t *sizes)
{
        json_int_t shared = 0;

        for (char **l = chain; *l; l++)
                if (json_get_int(counts, *l, 0) > 1)
                        shared += json_get_int(sizes, *l, 0);
        return shared;
}

/* Each image's layer chain, read once (an image without layers has an empty one). */
static int read_chains(struct store *s, const struct image_rec *v, size_t n, char ***chains, cpod_error_t *err)
{
        for (size_t i = 0; i < n; i++) {
                if (!v[i].top_layer)
                        chains[i] = xnew0(char *, 1);
                else if (store_layer_chain(s, v[i].top_layer, &chains[i], err) < 0)
                        return cpod_error_rc(err, -EIO);
        }
        return 0;
}

int cpod_image_disk_usage(struct cpod_runtime *rt, const json_t *in_use, json_t **ret, cpod_error_t *err)
{
        struct store *s;
        struct image_rec *v = NULL;
        size_t n = 0;
        _cleanup_json_ json_t *counts = json_object(), *sizes = json_object(), *kept = json_object();
        json_int_t total = 0, reclaim = 0;
        char ***chains;
        const char *k;
        json_t *shared, *sz;
        int r;

        if (rt_store(rt, &s, err) < 0 || store_image_list(s, &v, &n, err) < 0)
                return cpod_error_rc(err, -EIO);
        chains = xnew0(char **, n + 1);
        r = read_chains(s, v, n, chains, err);
        if (r == 0) {
                shared = json_object();
                for (size_t i = 0; i < n; i++) {
                        count_layers(s, chains[i], counts, sizes);
                        /* Layers of the images in in_use stay when every other image goes. */
                        if (json_object_get(in_use, v[i].id))
                                for (char **l = chains[i]; *l; l++)
                                        json_object_set_new(kept, *l, json_true());
                }
                for (size_t i = 0; i < n; i++)
                        json_object_set_new(shared, v[i].id, json_integer(shared_bytes(chains[i], counts, sizes)));
                json_object_foreach(sizes, k, sz) {
                        total += json_integer_value(sz);
                        reclaim += json_object_get(kept, k) ? 0 : json_integer_value(sz);
                }
                *ret = json_pack("{s:o, s:I, s:I}", "Shared", shared, "Total", total, "Reclaimable", reclaim);
        }
        for (size_t i = 0; i < n; i++)
                strv_free(chains[i]);
        free(chains);
        image_recs_free(v, n);
        return r;
}
