/* SPDX-License-Identifier: Apache-2.0 */
/* The engine database <root>/cpod.db: containers, pods, exec sessions. */
#ifndef CPOD_RUNTIME_ENGINE_DB_H
#define CPOD_RUNTIME_ENGINE_DB_H

#include <sqlite3.h>

#include <cpod/error.h>

struct cpod_runtime;

/* The schema's migrations, oldest first, NULL-terminated (the unit tests build old versions). */
const char *const *engine_db_schema(void);

/* The runtime's engine DB, opened (and migrated) on first use. */
sqlite3 *engine_db(struct cpod_runtime *rt, cpod_error_t *err);

/*
 * Resolve a name, full ID or unique ID prefix in table "containers" or
 * "pods": an exact name or ID wins, else a unique ID prefix.  Returns the
 * number of matches (0, 1, or 2 for "more than one"), ret_id set when 1;
 * < 0 on a database error.  Callers word the not-found errors.
 */
int engine_lookup(struct cpod_runtime *rt, const char *table, const char *name_or_id, char ret_id[65],
                  cpod_error_t *err);

#endif
