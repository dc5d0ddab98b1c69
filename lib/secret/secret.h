/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Secrets (lib/secret): the records and the drivers that keep the data.
 * Beside lib/net, below lib/ctr: nothing here knows a container; lib/ctr
 * resolves a container's --secret through secret_lookup and reads the data
 * at start through secret_read_data.
 *
 * Layout under <root>/secrets (dirs 0700, files 0600):
 *   secrets.json        the records: {"secrets": {ID: record}, "nameToID": {}, "idToName": {}}
 *                       (podman's shape), a record being {name, id, labels, metadata, createdAt,
 *                       driver, driverOptions}; replaced atomically under the lock
 *   filedriver/<ID>     the file driver's data
 * The lock is <runroot>/locks/secrets.lock (runtime/lock.h).  Data is written before its record
 * and removed after it, so a crash leaves at most data without a record, which the next change
 * removes.
 */
#ifndef CPOD_SECRET_SECRET_H
#define CPOD_SECRET_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include <cpod/error.h>
#include <cpod/secret.h>

struct cpod_runtime;

/* A driver keeps the data of secrets; dir is <root>/secrets, opts the record's driverOptions. */
struct secret_driver {
        const char *name;
        /* The driverOptions a new secret records (the file driver: {"path": where the data goes}). */
        json_t *(*default_opts)(const char *dir);
        int (*store)(const json_t *opts, const char *id, const void *data, size_t len, cpod_error_t *err);
        int (*lookup)(const json_t *opts, const char *id, char **ret, size_t *ret_len, cpod_error_t *err);
        /* Removing data that is not there is not an error. */
        int (*delete)(const json_t *opts, const char *id, cpod_error_t *err);
        /* Drop data of IDs not in records (an object keyed by ID): what a crash between the two steps left. */
        void (*gc)(const json_t *opts, const json_t *records);
};
extern const struct secret_driver secret_driver_file;
/* By name; NULL when cpod has no such driver. */
const struct secret_driver *secret_driver_get(const char *name);

/* <root>/secrets (caller frees). */
char *secret_dir(struct cpod_runtime *rt);

/* podman 4.3.1's rule: 1-64 of [a-zA-Z0-9_.-], starting and ending with [a-zA-Z0-9]. */
bool secret_name_ok(const char *name);

/*
 * For lib/ctr: resolve a name, full ID or unique ID prefix to the full ID and the name (podman's
 * "no such secret" error otherwise).  ret_name: caller frees; may be NULL.
 */
int secret_lookup(struct cpod_runtime *rt, const char *name_or_id, char ret_id[CPOD_SECRET_ID_LEN + 1], char **ret_name,
                  cpod_error_t *err);
/*
 * The data of the secret with this ID, else of the one named name (podman finds a container's
 * secrets by name at start).  NUL-terminated for convenience; caller frees.
 */
int secret_read_data(struct cpod_runtime *rt, const char *id, const char *name, char **ret, size_t *ret_len,
                     cpod_error_t *err);

#endif
