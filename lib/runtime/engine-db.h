/* SPDX-License-Identifier: Apache-2.0 */
/* The engine database <root>/cpod.db: containers, pods, exec sessions. */
#ifndef CPOD_RUNTIME_ENGINE_DB_H
#define CPOD_RUNTIME_ENGINE_DB_H

#include <sqlite3.h>

#include <cpod/error.h>

struct cpod_runtime;

/* The runtime's engine DB, opened (and migrated) on first use. */
sqlite3 *engine_db(struct cpod_runtime *rt, cpod_error_t *err);

#endif
