/* SPDX-License-Identifier: Apache-2.0 */
#include "cli/sort.h"

#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/xalloc.h"

struct item {
        json_t *v;
        size_t idx;
};

const struct cli_sort_key *cli_sort_find(const struct cli_sort_key *keys, const char *name)
{
        for (; keys->name; keys++)
                if (strcmp(keys->name, name) == 0)
                        return keys;
        return NULL;
}

static int cmp_values(json_t *a, json_t *b, bool count)
{
        if (!a || !b)
                return (a != NULL) - (b != NULL);
        if (json_is_array(a) && json_is_array(b) && count)
                return (json_array_size(a) > json_array_size(b)) - (json_array_size(a) < json_array_size(b));
        if (json_is_array(a) && json_is_array(b)) {
                for (size_t i = 0; i < json_array_size(a) && i < json_array_size(b); i++) {
                        int c = cmp_values(json_array_get(a, i), json_array_get(b, i), false);
                        if (c)
                                return c;
                }
                return (json_array_size(a) > json_array_size(b)) - (json_array_size(a) < json_array_size(b));
        }
        if (json_is_number(a) && json_is_number(b))
                return (json_number_value(a) > json_number_value(b)) - (json_number_value(a) < json_number_value(b));
        if (json_is_string(a) && json_is_string(b))
                return strcmp(json_string_value(a), json_string_value(b));
        return (int)json_typeof(a) - (int)json_typeof(b);
}

static int cmp_items(const void *x, const void *y, void *arg)
{
        const struct item *a = x, *b = y;
        const struct cli_sort_key *k = arg;
        int c = cmp_values(json_path(a->v, k->field), json_path(b->v, k->field), k->count);

        if (k->descending)
                c = -c;
        return c ? c : (a->idx > b->idx) - (a->idx < b->idx);
}

void cli_sort_array(json_t *arr, const struct cli_sort_key *key)
{
        size_t n = json_array_size(arr);
        struct item *v = xnew0(struct item, n + 1);

        for (size_t i = 0; i < n; i++)
                v[i] = (struct item){ json_incref(json_array_get(arr, i)), i };
        qsort_r(v, n, sizeof(*v), cmp_items, (void *)key);
        json_array_clear(arr);
        for (size_t i = 0; i < n; i++)
                json_array_append_new(arr, v[i].v);
        free(v);
}
