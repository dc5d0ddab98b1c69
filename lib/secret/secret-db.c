/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The records file, <root>/secrets/secrets.json: read defensively (it may
 * have been edited), written whole with temp + fsync + rename under the
 * secrets lock.  Lookups follow podman: an exact ID, then an exact name,
 * then a unique ID prefix.
 */
#include "secret/secret-db.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/xalloc.h"

char *secret_dir(struct cpod_runtime *rt)
{
        return path_join(rt->root, "secrets");
}

bool secret_name_ok(const char *name)
{
        size_t n = name ? strlen(name) : 0;

        if (n == 0 || n > 64 || !isalnum((unsigned char)name[0]) || !isalnum((unsigned char)name[n - 1]))
                return false;
        for (const char *p = name; *p; p++)
                if (!isalnum((unsigned char)*p) && !strchr("_.-", *p))
                        return false;
        return true;
}

const struct secret_driver *secret_driver_get(const char *name)
{
        static const struct secret_driver *const drivers[] = { &secret_driver_file };

        for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
                if (name && strcmp(drivers[i]->name, name) == 0)
                        return drivers[i];
        return NULL;
}

static bool db_shape_ok(const json_t *db)
{
        const char *id;
        json_t *rec;

        if (!json_is_object(json_object_get(db, "secrets")) || !json_is_object(json_object_get(db, "nameToID")) ||
            !json_is_object(json_object_get(db, "idToName")))
                return false;
        json_object_foreach(json_object_get(db, "secrets"), id, rec)
                if (!json_is_object(rec) || !json_get_str(rec, "name") || !json_get_str(rec, "driver"))
                        return false;
        return true;
}

int secret_db_load(struct cpod_runtime *rt, json_t **ret, cpod_error_t *err)
{
        _cleanup_free_ char *dir = secret_dir(rt), *path = path_join(dir, "secrets.json");
        json_t *db;

        if (!path_exists(path)) {
                *ret = json_pack("{s:{}, s:{}, s:{}}", "secrets", "nameToID", "idToName");
                return 0;
        }
        if (!(db = json_parse_file(path, err)))
                return cpod_error_rc(err, -EIO);
        if (!db_shape_ok(db)) {
                json_decref(db);
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "secrets file %s is not a secrets database", path);
        }
        *ret = db;
        return 0;
}

int secret_db_save(struct cpod_runtime *rt, const json_t *db, cpod_error_t *err)
{
        _cleanup_free_ char *dir = secret_dir(rt), *path = path_join(dir, "secrets.json");
        _cleanup_free_ char *s = json_dumps(db, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        int r;

        if (!s)
                return cpod_error_set(err, ENOMEM, CPOD_E_INTERNAL, "serialise the secrets of %s", path);
        if ((r = mkdir_p(dir, 0700, err)) < 0)
                return r;
        return write_file_atomic(path, s, strlen(s), 0600, err);
}

static int no_such(const char *name_or_id, cpod_error_t *err)
{
        return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_OBJECT, "no secret with name or id \"%s\": no such secret",
                              name_or_id);
}

json_t *secret_db_find(const json_t *db, const char *name_or_id, cpod_error_t *err)
{
        json_t *secrets = json_object_get(db, "secrets"), *found = NULL, *rec;
        const char *id = json_get_str(json_object_get(db, "nameToID"), name_or_id);
        size_t n = strlen(name_or_id);

        if ((rec = json_object_get(secrets, name_or_id)) || (id && (rec = json_object_get(secrets, id))))
                return rec;
        if (n == 0 || n > CPOD_SECRET_ID_LEN) {
                no_such(name_or_id, err);
                return NULL;
        }
        json_object_foreach(secrets, id, rec) {
                if (strncmp(id, name_or_id, n) != 0)
                        continue;
                if (found) {
                        cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                       "more than one result secret with prefix %s: secret is ambiguous", name_or_id);
                        return NULL;
                }
                found = rec;
        }
        if (!found)
                no_such(name_or_id, err);
        return found;
}

void secret_db_put(json_t *db, const char *id, json_t *rec)
{
        const char *name = json_get_str(rec, "name");

        json_object_set_new(json_object_get(db, "nameToID"), name, json_string(id));
        json_object_set_new(json_object_get(db, "idToName"), id, json_string(name));
        json_object_set_new(json_object_get(db, "secrets"), id, rec);
}

void secret_db_del(json_t *db, const char *id)
{
        json_t *rec = json_object_get(json_object_get(db, "secrets"), id);
        const char *name = json_get_str(rec, "name");

        if (name)
                json_object_del(json_object_get(db, "nameToID"), name);
        json_object_del(json_object_get(db, "idToName"), id);
        json_object_del(json_object_get(db, "secrets"), id);
}
