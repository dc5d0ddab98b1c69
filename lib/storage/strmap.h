/* SPDX-License-Identifier: Apache-2.0 */
/* A small string-keyed hash map (open addressing); a set when values are NULL. */
#ifndef CPOD_STORAGE_STRMAP_H
#define CPOD_STORAGE_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

struct strmap_slot {
        char *key;   /* owned */
        char *value; /* owned, may be NULL */
};

struct strmap {
        struct strmap_slot *slots;
        size_t cap, len;
};

/* clang-format off */
#define STRMAP_INIT { NULL, 0, 0 }
/* clang-format on */

/* Insert a copy of key (and of value, may be NULL) unless key is there; true when inserted. */
bool strmap_put(struct strmap *m, const char *key, const char *value);
/* The slot for key, or NULL.  The slot's value is borrowed. */
const struct strmap_slot *strmap_get(const struct strmap *m, const char *key);
static inline bool strmap_contains(const struct strmap *m, const char *key)
{
        return strmap_get(m, key) != NULL;
}
void strmap_clear(struct strmap *m);

#endif
