/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "api/filters.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* One key's values, either shape; false when malformed. */
static bool add_values(char ***v, const char *key, json_t *vals)
{
        const char *k;
        json_t *x;
        size_t i;

        if (json_is_array(vals)) {
                json_array_foreach(vals, i, x) {
                        if (!json_is_string(x))
                                return false;
                        strv_take(v, xasprintf("%s=%s", key, json_string_value(x)));
                }
                return true;
        }
        if (!json_is_object(vals))
                return false;
        json_object_foreach(vals, k, x) {
                if (!json_is_boolean(x))
                        return false;
                if (json_is_true(x))
                        strv_take(v, xasprintf("%s=%s", key, k));
        }
        return true;
}

char **api_filters(struct api_req *r, enum MHD_Result *ret)
{
        const char *text = api_query(r, "filters");
        _cleanup_json_ json_t *j = NULL;
        char **v = xnew0(char *, 1);
        json_error_t jerr;
        const char *key;
        json_t *vals;

        if (!text || !*text)
                return v;
        if (!(j = json_loads(text, JSON_REJECT_DUPLICATES, &jerr)) || !json_is_object(j)) {
                strv_free(v);
                *ret = api_reply_error(r, 400, "invalid filters: want a JSON object of lists of strings");
                return NULL;
        }
        json_object_foreach(j, key, vals) {
                if (!add_values(&v, key, vals)) {
                        strv_free(v);
                        *ret = api_reply_error(r, 400,
                                               "invalid filters: the values of \"%s\" are not a list of strings", key);
                        return NULL;
                }
        }
        return v;
}

json_t *api_filters_json(struct api_req *r, enum MHD_Result *ret)
{
        _cleanup_strv_ char **kv = api_filters(r, ret);
        json_t *o;

        if (!kv)
                return NULL;
        o = json_object();
        for (char **p = kv; *p; p++) {
                char *eq = strchr(*p, '=');
                json_t *vals;
                *eq = '\0'; /* every entry is KEY=VALUE */
                if (!(vals = json_object_get(o, *p))) {
                        vals = json_array();
                        json_object_set_new(o, *p, vals);
                }
                json_array_append_new(vals, json_string(eq + 1));
        }
        return o;
}
