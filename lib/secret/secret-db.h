/* SPDX-License-Identifier: Apache-2.0 */
/* The records file (secret-db.c), for the files of lib/secret. */
#ifndef CPOD_SECRET_SECRET_DB_H
#define CPOD_SECRET_SECRET_DB_H

#include <jansson.h>

#include "secret/secret.h"

/* The whole database; an empty one when there is no file yet.  Caller frees *ret. */
int secret_db_load(struct cpod_runtime *rt, json_t **ret, cpod_error_t *err);
/* Replace the file (caller holds the secrets lock). */
int secret_db_save(struct cpod_runtime *rt, const json_t *db, cpod_error_t *err);
/* The record of a name, full ID or unique ID prefix (borrowed), or NULL with podman's error. */
json_t *secret_db_find(const json_t *db, const char *name_or_id, cpod_error_t *err);
/* Add rec (stolen) under id, with its name; remove the record of id. */
void secret_db_put(json_t *db, const char *id, json_t *rec);
void secret_db_del(json_t *db, const char *id);

#endif
