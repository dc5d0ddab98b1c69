/* SPDX-License-Identifier: Apache-2.0 */
#include "storage/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static uint64_t hash(const char *s)
{
        uint64_t h = 1469598103934665603ULL; /* FNV-1a */

        for (; *s; s++)
                h = (h ^ (unsigned char)*s) * 1099511628211ULL;
        return h;
}

static struct strmap_slot *find(struct strmap_slot *slots, size_t cap, const char *key)
{
        size_t i = (size_t)hash(key) & (cap - 1);

        while (slots[i].key && strcmp(slots[i].key, key) != 0)
                i = (i + 1) & (cap - 1);
        return &slots[i];
}

static void grow(struct strmap *m)
{
        size_t cap = m->cap ? m->cap * 2 : 64;
        struct strmap_slot *slots = xnew0(struct strmap_slot, cap);

        for (size_t i = 0; i < m->cap; i++)
                if (m->slots[i].key)
                        *find(slots, cap, m->slots[i].key) = m->slots[i];
        free(m->slots);
        m->slots = slots;
        m->cap = cap;
}

bool strmap_put(struct strmap *m, const char *key, const char *value)
{
        struct strmap_slot *s;

        if ((m->len + 1) * 4 > m->cap * 3)
                grow(m);
        s = find(m->slots, m->cap, key);
        if (s->key)
                return false;
        s->key = xstrdup(key);
        s->value = xstrdup(value);
        m->len++;
        return true;
}

const struct strmap_slot *strmap_get(const struct strmap *m, const char *key)
{
        const struct strmap_slot *s;

        if (!m->cap)
                return NULL;
        s = find(m->slots, m->cap, key);
        return s->key ? s : NULL;
}

void strmap_clear(struct strmap *m)
{
        for (size_t i = 0; i < m->cap; i++) {
                free(m->slots[i].key);
                free(m->slots[i].value);
        }
        free(m->slots);
        *m = (struct strmap)STRMAP_INIT;
}
