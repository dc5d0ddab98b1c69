/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpod_secret_*: create, list, inspect, remove; and the lookups lib/ctr
 * uses.  Changes take the secrets lock; reads need none, since the records
 * file is only ever replaced whole.  Checks and errors are podman 4.3.1's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cpod/secret.h>

#include "runtime/events.h"
#include "secret/secret-db.h"
#include "secret/secret.h"

#include "runtime/lock.h"
#include "util/cleanup.h"
#include "util/human.h"
#include "util/json.h"
#include "util/random.h"
#include "util/xalloc.h"

#define LOCK_NAME "secrets"

static int check_create(const char *name, size_t len, const struct cpod_secret_create_opts *o,
                        const struct secret_driver **ret, cpod_error_t *err)
{
        const char *dname = o && o->driver && *o->driver ? o->driver : "file";
        const char *k;
        json_t *v;

        if (!secret_name_ok(name))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character "
                                      "must be [a-zA-Z0-9]: %s: invalid secret name",
                                      name ? name : "");
        if (len == 0 || len >= CPOD_SECRET_MAX_SIZE)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "secret data must be larger than 0 and less than %d bytes", CPOD_SECRET_MAX_SIZE);
        if (!(*ret = secret_driver_get(dname)))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "secret driver \"%s\" is not supported by cpod (it knows file): invalid driver",
                                      dname);
        if (o && o->labels && !json_is_object(o->labels))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "secret labels must be an object of strings");
        json_object_foreach((json_t *)(o ? o->labels : NULL), k, v)
                if (!json_is_string(v))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "secret label \"%s\" is not a string", k);
        return 0;
}

/* A new ID: 25 hex digits that are neither an ID nor a name already. */
static void new_id(const json_t *db, char id[CPOD_SECRET_ID_LEN + 1])
{
        unsigned char b[13];

        do {
                random_bytes(b, sizeof(b));
                for (size_t i = 0; i < CPOD_SECRET_ID_LEN; i++)
                        id[i] = "0123456789abcdef"[(i % 2 ? b[i / 2] : b[i / 2] >> 4) & 0xf];
                id[CPOD_SECRET_ID_LEN] = '\0';
        } while (json_object_get(json_object_get(db, "secrets"), id) ||
                 json_object_get(json_object_get(db, "nameToID"), id));
}

static json_t *new_record(struct cpod_runtime *rt, const struct secret_driver *drv, const char *name, const char *id,
                          const struct cpod_secret_create_opts *o)
{
        _cleanup_free_ char *dir = secret_dir(rt);
        struct timespec ts;

        clock_gettime(CLOCK_REALTIME, &ts);
        return json_pack("{s:s, s:s, s:o, s:{}, s:o, s:s, s:o}", "name", name, "id", id, "labels",
                         o && o->labels ? json_deep_copy(o->labels) : json_object(), "metadata", "createdAt",
                         json_string_take(time_rfc3339nano(ts.tv_sec, ts.tv_nsec, 0)), "driver", drv->name,
                         "driverOptions", drv->default_opts(dir));
}

/* Under the lock: the record and the data, or neither. */
static int create_locked(struct cpod_runtime *rt, const struct secret_driver *drv, const char *name, const void *data,
                         size_t len, const struct cpod_secret_create_opts *o, char ret_id[CPOD_SECRET_ID_LEN + 1],
                         cpod_error_t *err)
{
        _cleanup_json_ json_t *db = NULL;
        json_t *rec;
        char id[CPOD_SECRET_ID_LEN + 1];
        int r;

        if ((r = secret_db_load(rt, &db, err)) < 0)
                return r;
        if (json_object_get(json_object_get(db, "nameToID"), name))
                return cpod_error_set(err, EEXIST, CPOD_E_EXISTS, "%s: secret name in use", name);
        new_id(db, id);
        rec = new_record(rt, drv, name, id, o);
        drv->gc(json_object_get(rec, "driverOptions"), json_object_get(db, "secrets"));
        if ((r = drv->store(json_object_get(rec, "driverOptions"), id, data, len, err)) < 0) {
                json_decref(rec);
                return cpod_error_wrap(err, "creating secret %s", name);
        }
        secret_db_put(db, id, rec);
        if ((r = secret_db_save(rt, db, err)) < 0) {
                (void)drv->delete (json_object_get(rec, "driverOptions"), id, NULL);
                return cpod_error_wrap(err, "creating secret %s", name);
        }
        memcpy(ret_id, id, sizeof(id));
        return 0;
}

int cpod_secret_create(struct cpod_runtime *rt, const char *name, const void *data, size_t len,
                       const struct cpod_secret_create_opts *opts, char ret_id[CPOD_SECRET_ID_LEN + 1],
                       cpod_error_t *err)
{
        const struct secret_driver *drv = NULL;
        int r, fd;

        if ((r = check_create(name, len, opts, &drv, err)) < 0)
                return r;
        if ((fd = obj_lock(rt, LOCK_NAME, err)) < 0)
                return fd;
        r = create_locked(rt, drv, name, data, len, opts, ret_id, err);
        obj_unlock(fd);
        if (r == 0)
                rt_event_simple(rt, "secret", "create", ret_id, name);
        return r;
}

static json_t *object_or_empty(json_t *v)
{
        return json_is_object(v) ? json_incref(v) : json_object();
}

/* podman's SecretInfoReport; UpdatedAt is CreatedAt (secrets are never changed). */
static json_t *report(const json_t *rec)
{
        json_t *labels = json_object_get(rec, "labels"), *opts = json_object_get(rec, "driverOptions");

        return json_pack("{s:s, s:O, s:O, s:{s:s, s:{s:s, s:o}, s:o}}", "ID", json_get_str(rec, "id"), "CreatedAt",
                         json_object_get(rec, "createdAt"), "UpdatedAt", json_object_get(rec, "createdAt"), "Spec",
                         "Name", json_get_str(rec, "name"), "Driver", "Name", json_get_str(rec, "driver"), "Options",
                         object_or_empty(opts), "Labels", object_or_empty(labels));
}

int cpod_secret_list(struct cpod_runtime *rt, json_t **ret, cpod_error_t *err)
{
        _cleanup_json_ json_t *db = NULL;
        json_t *all, *rec;
        const char *id;
        int r;

        if ((r = secret_db_load(rt, &db, err)) < 0)
                return r;
        all = json_array();
        json_object_foreach(json_object_get(db, "secrets"), id, rec)
                json_array_append_new(all, report(rec));
        *ret = all;
        return 0;
}

/* The records and the one named (name, full ID or unique ID prefix); db stays the caller's. */
static int load_rec(struct cpod_runtime *rt, const char *name_or_id, json_t **db, json_t **rec, cpod_error_t *err)
{
        int r;

        if ((r = secret_db_load(rt, db, err)) < 0)
                return r;
        if (!(*rec = secret_db_find(*db, name_or_id, err)))
                return cpod_error_rc(err, -ENOENT);
        return 0;
}

int cpod_secret_inspect(struct cpod_runtime *rt, const char *name_or_id, json_t **ret, cpod_error_t *err)
{
        _cleanup_json_ json_t *db = NULL;
        json_t *rec;
        int r = load_rec(rt, name_or_id, &db, &rec, err);

        if (r < 0)
                return r;
        *ret = report(rec);
        return 0;
}

static int remove_locked(struct cpod_runtime *rt, const char *name_or_id, char ret_id[CPOD_SECRET_ID_LEN + 1],
                         char ret_name[65], cpod_error_t *err)
{
        _cleanup_json_ json_t *db = NULL, *opts = NULL;
        const struct secret_driver *drv;
        json_t *rec;
        int r;

        if ((r = load_rec(rt, name_or_id, &db, &rec, err)) < 0)
                return r;
        if (!(drv = secret_driver_get(json_get_str(rec, "driver"))))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "secret %s: driver \"%s\" is not supported by cpod: invalid driver", name_or_id,
                                      json_get_str(rec, "driver"));
        snprintf(ret_id, CPOD_SECRET_ID_LEN + 1, "%s", json_get_str(rec, "id"));
        snprintf(ret_name, 65, "%s", json_get_str(rec, "name") ? json_get_str(rec, "name") : "");
        opts = json_incref(json_object_get(rec, "driverOptions"));
        secret_db_del(db, ret_id);
        if ((r = secret_db_save(rt, db, err)) < 0)
                return cpod_error_wrap(err, "deleting secret %s", name_or_id);
        /* the record is gone: data left by a failure here is removed by the next create */
        (void)drv->delete (opts, ret_id, NULL);
        return 0;
}

int cpod_secret_remove(struct cpod_runtime *rt, const char *name_or_id, char ret_id[CPOD_SECRET_ID_LEN + 1],
                       cpod_error_t *err)
{
        char name[65] = "";
        int r, fd;

        if (!secret_name_ok(name_or_id))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character "
                                      "must be [a-zA-Z0-9]: %s: invalid secret name",
                                      name_or_id);
        if ((fd = obj_lock(rt, LOCK_NAME, err)) < 0)
                return fd;
        r = remove_locked(rt, name_or_id, ret_id, name, err);
        obj_unlock(fd);
        if (r == 0)
                rt_event_simple(rt, "secret", "remove", ret_id, name);
        return r;
}

int secret_lookup(struct cpod_runtime *rt, const char *name_or_id, char ret_id[CPOD_SECRET_ID_LEN + 1], char **ret_name,
                  cpod_error_t *err)
{
        _cleanup_json_ json_t *db = NULL;
        json_t *rec;
        int r = load_rec(rt, name_or_id, &db, &rec, err);

        if (r < 0)
                return r;
        snprintf(ret_id, CPOD_SECRET_ID_LEN + 1, "%s", json_get_str(rec, "id"));
        if (ret_name)
                *ret_name = xstrdup(json_get_str(rec, "name"));
        return 0;
}

int secret_read_data(struct cpod_runtime *rt, const char *id, const char *name, char **ret, size_t *ret_len,
                     cpod_error_t *err)
{
        _cleanup_json_ json_t *db = NULL;
        const struct secret_driver *drv;
        json_t *rec;
        int r;

        if ((r = secret_db_load(rt, &db, err)) < 0)
                return r;
        /* by ID, else by name: podman finds a container's secret by its name */
        if (!(rec = json_object_get(json_object_get(db, "secrets"), id)) &&
            !(rec = json_object_get(json_object_get(db, "secrets"),
                                    json_get_str(json_object_get(db, "nameToID"), name ? name : ""))))
                return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_OBJECT,
                                      "no secret with name or id \"%s\": no such secret", name ? name : id);
        if (!(drv = secret_driver_get(json_get_str(rec, "driver"))))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "secret %s: driver \"%s\" is not supported by cpod",
                                      id, json_get_str(rec, "driver"));
        return drv->lookup(json_object_get(rec, "driverOptions"), json_get_str(rec, "id"), ret, ret_len, err);
}

int cpod_secret_read_data(struct cpod_runtime *rt, const char *name_or_id, char **ret, size_t *ret_len,
                          cpod_error_t *err)
{
        char id[CPOD_SECRET_ID_LEN + 1];
        int r;

        if ((r = secret_lookup(rt, name_or_id, id, NULL, err)) < 0)
                return r;
        return secret_read_data(rt, id, NULL, ret, ret_len, err);
}
