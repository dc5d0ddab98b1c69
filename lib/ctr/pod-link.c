/* SPDX-License-Identifier: Apache-2.0 */
#include "ctr/pod-link.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/container.h>

#include "ctr/ctr.h"
#include "ctr/lifecycle.h"
#include "ctr/spec.h"
#include "runtime/engine-db.h"
#include "runtime/lock.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/db.h"
#include "util/json.h"
#include "util/log.h"
#include "util/xalloc.h"

int pod_link_load(struct cpod_runtime *rt, const char *pod_id, struct pod_link *ret, cpod_error_t *err)
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

void pod_link_clear(struct pod_link *p)
{
        free(p->name);
        free(p->infra_id);
        json_decref(p->config);
        memset(p, 0, sizeof(*p));
}

bool pod_link_shares(const struct pod_link *p, const char *ns)
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
        if (strcmp(rt->cgroup_manager, "systemd") == 0)
                return xasprintf("machine-cpod_pod_%.12s.slice", pod_id);
        return xasprintf("/cpod_parent/pod-%s", pod_id);
}

/* Make sure the container id runs (a pod's infra, or one whose namespaces c joins); returns its PID. */
int ctr_ensure_running(struct cpod_runtime *rt, const char *id, int *ret_pid, cpod_error_t *err)
{
        struct ctr d = { 0 };
        int fd = ctr_lock_load(rt, id, &d, err), r = 0;

        if (fd < 0)
                return fd;
        if (d.state != CPOD_CTR_RUNNING) {
                if (d.state == CPOD_CTR_PAUSED)
                        r = cpod_error_set(err, EBUSY, CPOD_E_CTR_STATE, "container %s is paused", d.id);
                else if (d.state != CPOD_CTR_CREATED)
                        r = ctr_runtime_create(rt, &d, false, err);
                if (r == 0 && d.state == CPOD_CTR_CREATED)
                        r = ctr_runtime_start(rt, &d, err);
        }
        *ret_pid = d.pid;
        ctr_clear(&d);
        obj_unlock(fd);
        return r;
}

int pod_link_prepare(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err)
{
        struct pod_link p;
        json_t *join;
        int pid = 0;

        json_object_del(c->config, "_Join");
        if (!c->pod_id)
                return 0;
        if (pod_link_load(rt, c->pod_id, &p, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        join = json_object();
        /* --share-parent=false: members (not the infra) keep the default cgroup parent, outside the pod's. */
        if (json_is_false(json_object_get(p.config, "ShareParent")) &&
            !json_is_true(json_object_get(c->config, "IsInfra")))
                ;
        else if (json_get_str(p.config, "CgroupParent"))
                json_object_set_new(join, "CgroupParent", json_string(json_get_str(p.config, "CgroupParent")));
        else
                json_object_set_new(join, "CgroupParent", json_string_take(pod_cgroup_parent(rt, p.id)));
        if (!json_is_true(json_object_get(c->config, "IsInfra")) && p.infra_id) {
                if (ctr_ensure_running(rt, p.infra_id, &pid, err) < 0) {
                        cpod_error_wrap(err, "pod infra container %.12s", p.infra_id);
                        json_decref(join);
                        pod_link_clear(&p);
                        return cpod_error_rc(err, -EIO);
                }
                json_object_set_new(join, "Pid", json_integer(pid));
                json_object_set(join, "Share", json_object_get(p.config, "Share"));
                if (pod_link_shares(&p, "net"))
                        json_object_set_new(join, "Net", spec_etc_net(p.config));
                if (pod_link_shares(&p, "ipc"))
                        json_object_set_new(join, "InfraId", json_string(p.infra_id));
        }
        if (json_get_str(p.config, "Hostname"))
                json_object_set_new(join, "Hostname", json_string(json_get_str(p.config, "Hostname")));
        json_object_set_new(c->config, "_Join", join);
        pod_link_clear(&p);
        return 0;
}

void pod_link_member_exited(struct cpod_runtime *rt, const struct ctr *c)
{
        struct pod_link p;
        struct ctr *v = NULL;
        size_t n = 0;
        bool others = false;

        if (!c->pod_id || json_is_true(json_object_get(c->config, "IsInfra")) ||
            pod_link_load(rt, c->pod_id, &p, NULL) < 0)
                return;
        if (p.infra_id &&
            strcmp(json_get_str(p.config, "ExitPolicy") ? json_get_str(p.config, "ExitPolicy") : "", "stop") == 0 &&
            ctr_db_list(rt, &v, &n, NULL) == 0) {
                for (size_t i = 0; i < n; i++) {
                        if (!v[i].pod_id || strcmp(v[i].pod_id, p.id) != 0 || strcmp(v[i].id, c->id) == 0 ||
                            strcmp(v[i].id, p.infra_id) == 0)
                                continue;
                        ctr_reconcile_view(rt, &v[i]);
                        others |= v[i].state == CPOD_CTR_RUNNING || v[i].state == CPOD_CTR_PAUSED;
                }
                ctrs_free(v, n);
                if (!others) {
                        log_debug("last member of pod %s exited, stopping the pod (exit policy stop)", p.id);
                        (void)cpod_ctr_stop(rt, p.infra_id, -1, NULL);
                }
        }
        pod_link_clear(&p);
}
