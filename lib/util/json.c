/* SPDX-License-Identifier: Apache-2.0 */
#include "util/json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/fileutil.h"
#include "util/xalloc.h"

const char *json_get_str(const json_t *obj, const char *key)
{
        json_t *v = json_object_get(obj, key);
        return json_is_string(v) ? json_string_value(v) : NULL;
}

json_int_t json_get_int(const json_t *obj, const char *key, json_int_t def)
{
        json_t *v = json_object_get(obj, key);
        return json_is_integer(v) ? json_integer_value(v) : def;
}

bool json_get_bool(const json_t *obj, const char *key, bool def)
{
        json_t *v = json_object_get(obj, key);
        return json_is_boolean(v) ? json_is_true(v) : def;
}

json_t *json_path(json_t *obj, const char *dotted)
{
        const char *p = dotted;

        while (obj && *p) {
                const char *dot = strchr(p, '.');
                size_t n = dot ? (size_t)(dot - p) : strlen(p);
                obj = json_object_getn(obj, p, n);
                p += n + (dot ? 1 : 0);
        }
        return obj;
}

json_t *json_parse_buf(const char *buf, size_t len, const char *what, cpod_error_t *err)
{
        json_error_t je;
        json_t *j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);

        if (!j)
                cpod_error_set(err, EINVAL, CPOD_E_INVALID, "parse %s: line %d column %d: %s", what, je.line, je.column,
                               je.text);
        return j;
}

json_t *json_parse_file(const char *path, cpod_error_t *err)
{
        _cleanup_free_ char *buf = NULL;
        size_t len;

        if (read_file(path, &buf, &len, 64 << 20, err) < 0)
                return NULL;
        return json_parse_buf(buf, len, path, err);
}

char *json_dump_pretty(const json_t *j)
{
        return json_dumps(j, JSON_INDENT(4) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
}

char *json_dump_compact(const json_t *j)
{
        return json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
}

json_t *json_string_take(char *s)
{
        json_t *j = json_string(s ? s : "");

        free(s);
        return j;
}

json_t *json_strv(char *const *v, int n)
{
        json_t *a = json_array();

        for (int i = 0; v && (n < 0 ? v[i] != NULL : i < n); i++)
                json_array_append_new(a, json_string(v[i]));
        return a;
}

char **json_to_strv(const json_t *arr)
{
        size_t n = json_array_size(arr), k = 0, i;
        char **v = xnew0(char *, n + 1);
        json_t *e;

        json_array_foreach(arr, i, e)
                if (json_is_string(e))
                        v[k++] = xstrdup(json_string_value(e));
        return v;
}

int json_write_file_atomic(const char *path, const json_t *j, int flags, cpod_error_t *err)
{
        _cleanup_free_ char *s = json_dumps(j, flags ? (size_t)flags : JSON_COMPACT | JSON_PRESERVE_ORDER);

        if (!s)
                return cpod_error_set(err, ENOMEM, CPOD_E_INTERNAL, "serialise json for '%s'", path);
        return write_file_atomic(path, s, strlen(s), 0644, err);
}

int json_write_file_replace(const char *path, const json_t *j, int flags, cpod_error_t *err)
{
        _cleanup_free_ char *s = json_dumps(j, flags ? (size_t)flags : JSON_COMPACT | JSON_PRESERVE_ORDER);

        if (!s)
                return cpod_error_set(err, ENOMEM, CPOD_E_INTERNAL, "serialise json for '%s'", path);
        return write_file_replace(path, s, strlen(s), 0644, err);
}

json_t *json_string_cut(const char *s, size_t max)
{
        return json_stringn(s ? s : "", s ? strnlen(s, max) : 0);
}
