/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Secrets (cpod-secret(1)): named blobs of at most 512000 bytes kept out of
 * images and container configs.  A secret is a record (name, 25-hex-digit
 * ID, labels, driver and its options, creation time) plus data the driver
 * stores (the "file" driver: one 0600 file per secret).  Containers name
 * secrets with --secret; only the name and ID are kept with the container,
 * the data is read each time it starts.
 *
 * Reports are podman's SecretInfoReport as `secret inspect` prints it:
 * {ID, CreatedAt, UpdatedAt, Spec: {Name, Driver: {Name, Options}, Labels}}.
 */
#ifndef CPOD_SECRET_H
#define CPOD_SECRET_H

#include <jansson.h>
#include <stddef.h>

#include <cpod/error.h>
#include <cpod/runtime.h>

/* podman's limit: the data must be 1 to 511999 bytes. */
#define CPOD_SECRET_MAX_SIZE 512000
#define CPOD_SECRET_ID_LEN 25

struct cpod_secret_create_opts {
        const char *driver;   /* NULL or "": "file" */
        const json_t *labels; /* object of strings, or NULL */
};

/*
 * Create a secret from len bytes of data.  Errors (kind CPOD_E_INVALID unless said): a bad name,
 * empty or too large data, an unknown driver; CPOD_E_EXISTS when the name is taken.  Nothing is
 * left behind by a failure.  ret_id gets the new ID.
 */
CPOD_PUBLIC int cpod_secret_create(struct cpod_runtime *rt, const char *name, const void *data, size_t len,
                                   const struct cpod_secret_create_opts *opts, char ret_id[CPOD_SECRET_ID_LEN + 1],
                                   cpod_error_t *err);
/* Every secret's report, sorted by creation time (oldest first).  Caller frees *ret. */
CPOD_PUBLIC int cpod_secret_list(struct cpod_runtime *rt, json_t **ret, cpod_error_t *err);
/*
 * One secret by name, full ID or unique ID prefix.  Kind CPOD_E_NO_SUCH_OBJECT:
 * `no secret with name or id "X": no such secret`.  Caller frees *ret.
 */
CPOD_PUBLIC int cpod_secret_inspect(struct cpod_runtime *rt, const char *name_or_id, json_t **ret, cpod_error_t *err);
/*
 * Remove a secret (record and data).  Containers that name it keep their record: as with podman,
 * a secret in use may be removed, and those containers then fail to start.  ret_id gets its ID.
 */
CPOD_PUBLIC int cpod_secret_remove(struct cpod_runtime *rt, const char *name_or_id, char ret_id[CPOD_SECRET_ID_LEN + 1],
                                   cpod_error_t *err);
/*
 * The data of a secret (by name, full ID or unique ID prefix), for a caller that hands it on (kube
 * play's secretKeyRef and secret volumes).  *ret is NUL-terminated (the data itself may hold NULs:
 * use *ret_len); the caller frees it and should clear it first (explicit_bzero).  The data stays
 * where the driver keeps it (0600 files in a 0700 directory: only the store's owner reads them)
 * and is never logged.  Kind CPOD_E_NO_SUCH_OBJECT as cpod_secret_inspect.
 */
CPOD_PUBLIC int cpod_secret_read_data(struct cpod_runtime *rt, const char *name_or_id, char **ret, size_t *ret_len,
                                      cpod_error_t *err);

#endif
