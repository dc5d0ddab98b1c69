/* SPDX-License-Identifier: Apache-2.0 */
/* Pod records in the engine DB (the pods table, which only lib/pod reads). */
#include "pod/pod-internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/engine-db.h"
#include "runtime/lock.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/db.h"
#include "util/json.h"
#include "util/log.h"
#include "util/xalloc.h"

int pod_rec_load(struct cpod_runtime *rt, const char *pod_id, struct pod_rec *ret, cpod_error_t *err)
{
        sqlite3 *db = engine_db(rt, err);
        _cleanup_stmt_ sqlite3_stmt *st =
                db ? db_prepare(db, "SELECT id, name, infra_id, config FROM pods WHERE id = ?", err) : NULL;

        memset(ret, 0, sizeof(*ret));
        if (!st)
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, pod_id);
        if (sqlite3_step(st) != SQLITE_ROW)
                return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_POD, "no pod with name or ID %s found: no such pod",
                                      pod_id);
        snprintf(ret->id, sizeof(ret->id), "%s", db_col_text(st, 0));
        ret->name = xstrdup(db_col_text(st, 1));
        ret->infra_id = xstrdup(db_col_text(st, 2));
        ret->config = json_loads(db_col_text(st, 3) ? db_col_text(st, 3) : "{}", 0, NULL);
        if (!ret->config)
                ret->config = json_object();
        return 0;
}

void pod_rec_clear(struct pod_rec *p)
{
        free(p->name);
        free(p->infra_id);
        json_decref(p->config);
        memset(p, 0, sizeof(*p));
}

bool pod_rec_shares(const struct pod_rec *p, const char *ns)
{
        size_t i;
        json_t *e;

        json_array_foreach(json_object_get(p->config, "Share"), i, e)
                if (json_is_string(e) && strcmp(json_string_value(e), ns) == 0)
                        return true;
        return false;
}

char *pod_cgroup_parent(struct cpod_runtime *rt, const char *pod_id)
{
        return rt_pod_cgroup_parent(rt, pod_id);
}
