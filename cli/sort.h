/* SPDX-License-Identifier: Apache-2.0 */
/* --sort for listings: order a JSON array of objects by one field. */
#ifndef CPOD_CLI_SORT_H
#define CPOD_CLI_SORT_H

#include <jansson.h>
#include <stdbool.h>

struct cli_sort_key {
        const char *name;  /* what the user types: "names" */
        const char *field; /* dotted path in each object: "Names", "Size.rootFsSize" */
        bool count;        /* compare the array's length, not its contents */
        bool descending;   /* newest first for times */
};

/* The key named name in keys (ended by a NULL name), or NULL. */
const struct cli_sort_key *cli_sort_find(const struct cli_sort_key *keys, const char *name);
/*
 * Stable sort of arr by key: strings compare bytewise, numbers by value,
 * arrays element by element (or by length with count); missing values first.
 */
void cli_sort_array(json_t *arr, const struct cli_sort_key *key);

#endif
