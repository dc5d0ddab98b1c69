/* SPDX-License-Identifier: Apache-2.0 */
/* Pod operations over all the pod's containers, and pod reports. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/container.h>
#include <cpod/pod.h>

#include "runtime/events.h"
#include "ctr/ctr.h"
#include "ctr/lifecycle.h"
#include "pod/pod-internal.h"
#include "runtime/engine-db.h"
#include "runtime/lock.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/db.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/random-name.h"
#include "util/xalloc.h"

char *pod_generate_name(struct cpod_runtime *rt, const char *id)
{
        for (int attempt = 0; attempt < 32; attempt++) {
                char tmp[65], *n = random_name();
                if (cpod_pod_lookup(rt, n, tmp, NULL) < 0)
                        return n;
                free(n);
        }
        return xasprintf("pod_%.12s", id);
}

static int resolve(struct cpod_runtime *rt, const char *name, struct pod_rec *p, char ***ctrs, cpod_error_t *err)
{
        char id[65];

        if (cpod_pod_lookup(rt, name, id, err) < 0 || pod_rec_load(rt, id, p, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (cpod_pod_containers(rt, id, ctrs, err) < 0) {
                pod_rec_clear(p);
                return cpod_error_rc(err, -EIO);
        }
        return 0;
}

/* Apply op to each container; errors are chained, the first kept. */
#define EACH(v, reverse, expr)                                                                                         \
        do {                                                                                                           \
                size_t _n = strv_length(v);                                                                            \
                for (size_t _k = 0; _k < _n; _k++) {                                                                   \
                        const char *id = (v)[(reverse) ? _n - 1 - _k : _k];                                            \
                        cpod_error_t _e = CPOD_ERROR_INIT;                                                             \
                        if ((expr) < 0 && r == 0) {                                                                    \
                                cpod_error_move(err, &_e);                                                             \
                                r = -EIO;                                                                              \
                        }                                                                                              \
                        cpod_error_clear(&_e);                                                                         \
                }                                                                                                      \
        } while (0)

int cpod_pod_start(struct cpod_runtime *rt, const char *name, cpod_error_t *err)
{
        struct pod_rec p;
        _cleanup_strv_ char **v = NULL;
        int r = 0;

        if (resolve(rt, name, &p, &v, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        /* Infra first (it is v[0]), members join its namespaces. */
        EACH(v, false, cpod_ctr_start(rt, id, &_e));
        pod_rec_clear(&p);
        return r;
}

/*
 * Stop the members (all but the infra; only the running ones when running_only) at once: each gets
 * its stop signal, then each has its timeout from then (cpod_ctr_stop_many), as podman stops them
 * in parallel.  Failures are chained into err.
 */
static int stop_members(struct cpod_runtime *rt, char **v, const char *infra, int timeout, bool running_only,
                        cpod_error_t *err)
{
        _cleanup_strv_ char **m = xnew0(char *, 1);
        size_t n;
        int *rets, r = 0;
        cpod_error_t *errs;

        for (char **c = v; *c; c++)
                if (!(infra && strcmp(*c, infra) == 0) && (!running_only || cpod_ctr_is_running(rt, *c)))
                        strv_add(&m, *c);
        n = strv_length(m);
        rets = xnew0(int, n + 1);
        errs = xnew0(cpod_error_t, n + 1);
        (void)cpod_ctr_stop_many(rt, m, timeout, rets, errs);
        for (size_t i = 0; i < n; i++) {
                if (rets[i] < 0 && r == 0) {
                        if (err)
                                cpod_error_move(err, &errs[i]);
                        r = -EIO;
                }
                cpod_error_clear(&errs[i]);
        }
        free(rets);
        free(errs);
        return r;
}

int cpod_pod_stop(struct cpod_runtime *rt, const char *name, int timeout, cpod_error_t *err)
{
        struct pod_rec p;
        _cleanup_strv_ char **v = NULL;
        int r;

        if (resolve(rt, name, &p, &v, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        /* Members first, infra last. */
        r = stop_members(rt, v, p.infra_id, timeout, false, err);
        if (p.infra_id) {
                cpod_error_t e = CPOD_ERROR_INIT;
                if (cpod_ctr_stop(rt, p.infra_id, timeout, &e) < 0 && r == 0) {
                        cpod_error_move(err, &e);
                        r = -EIO;
                }
                cpod_error_clear(&e);
        }
        pod_rec_clear(&p);
        return r;
}

static int kill_if_running(struct cpod_runtime *rt, const char *id, int sig, cpod_error_t *err)
{
        return cpod_ctr_is_running(rt, id) ? cpod_ctr_kill(rt, id, sig, err) : 0;
}

int cpod_pod_kill(struct cpod_runtime *rt, const char *name, int sig, cpod_error_t *err)
{
        struct pod_rec p;
        _cleanup_strv_ char **v = NULL;
        int r = 0;

        if (resolve(rt, name, &p, &v, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        EACH(v, true, kill_if_running(rt, id, sig, &_e));
        pod_rec_clear(&p);
        return r;
}

static int pause_one(struct cpod_runtime *rt, const char *id, bool pause, cpod_error_t *err)
{
        struct ctr c = { 0 };
        bool act;

        if (ctr_db_get(rt, id, &c, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        ctr_reconcile_view(rt, &c);
        act = c.state == (pause ? CPOD_CTR_RUNNING : CPOD_CTR_PAUSED);
        ctr_clear(&c);
        if (!act)
                return 0;
        return pause ? cpod_ctr_pause(rt, id, err) : cpod_ctr_unpause(rt, id, err);
}

int cpod_pod_pause(struct cpod_runtime *rt, const char *name, bool pause, cpod_error_t *err)
{
        struct pod_rec p;
        _cleanup_strv_ char **v = NULL;
        int r = 0;

        if (resolve(rt, name, &p, &v, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        EACH(v, pause, pause_one(rt, id, pause, &_e));
        pod_rec_clear(&p);
        return r;
}

static int delete_pod_row(struct cpod_runtime *rt, const char *id, cpod_error_t *err)
{
        sqlite3 *db = engine_db(rt, err);
        _cleanup_stmt_ sqlite3_stmt *st = db ? db_prepare(db, "DELETE FROM pods WHERE id = ?", err) : NULL;

        if (!st)
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, id);
        return db_step_done(st, err);
}

/* A container already gone is not an error: removing the pod finishes what an interrupted removal began. */
static int remove_member(struct cpod_runtime *rt, const char *id, const struct cpod_rm_opts *o, cpod_error_t *err)
{
        if (ctr_remove(rt, id, o, true, err) == 0)
                return 0;
        if (err->kind != CPOD_E_NO_SUCH_CTR)
                return cpod_error_rc(err, -EIO);
        cpod_error_clear(err);
        return 0;
}

/*
 * A pod whose record is gone while containers still name it (a removal interrupted by an older
 * cpod, or a damaged DB): `pod rm FULL_ID` removes them, infra last.
 */
static int remove_orphans(struct cpod_runtime *rt, const char *pod_id, const struct cpod_rm_opts *o, cpod_error_t *err)
{
        _cleanup_strv_ char **v = NULL;
        int r = 0;

        if (strlen(pod_id) != 64 || strspn(pod_id, "0123456789abcdef") != 64 ||
            ctr_db_ids_in_pod(rt, pod_id, &v, NULL) < 0 || !v[0])
                return cpod_error_rc(err, -ENOENT);
        cpod_error_clear(err);
        EACH(v, true, remove_member(rt, id, o, &_e));
        if (r == 0)
                pod_cgroup_remove(rt, pod_id, NULL);
        return r;
}

int cpod_pod_remove(struct cpod_runtime *rt, const char *name, bool force, int timeout, cpod_error_t *err)
{
        struct pod_rec p;
        _cleanup_strv_ char **v = NULL;
        /* as podman, the members' anonymous volumes go with them */
        struct cpod_rm_opts o = { .force = force, .volumes = true, .timeout = timeout },
                            infra_o = { .force = true, .volumes = true, .timeout = timeout };
        int r = 0;

        if (resolve(rt, name, &p, &v, err) < 0)
                return err && err->kind == CPOD_E_NO_SUCH_POD ? remove_orphans(rt, name, &o, err)
                                                              : cpod_error_rc(err, -ENOENT);
        /* Running members need force; a running infra alone does not (as podman: it is stopped). */
        if (!force)
                for (char **c = v; *c; c++)
                        if (!(p.infra_id && strcmp(*c, p.infra_id) == 0) && cpod_ctr_is_running(rt, *c)) {
                                r = cpod_error_set(err, EBUSY, CPOD_E_CTR_STATE,
                                                   "pod %s has containers that are not ready to be removed: cannot "
                                                   "remove container %s as it is running - running or paused "
                                                   "containers cannot be removed without force: container state "
                                                   "improper",
                                                   p.id, *c);
                                pod_rec_clear(&p);
                                return r;
                        }
        /* Running members stop together first; then members (they use the infra's namespaces), infra last. */
        if (force)
                (void)stop_members(rt, v, p.infra_id, timeout, true, NULL);
        EACH(v, true, remove_member(rt, id, p.infra_id && strcmp(id, p.infra_id) == 0 ? &infra_o : &o, &_e));
        if (r == 0)
                r = delete_pod_row(rt, p.id, err);
        if (r == 0) {
                pod_cgroup_remove(rt, p.id, p.config);
                rt_event_simple(rt, "pod", "remove", p.id, p.name);
        }
        pod_rec_clear(&p);
        return r;
}

/* podman's pod status from its containers' states (infra included). */
static const char *pod_status(json_t *states)
{
        size_t n = json_array_size(states), running = 0, paused = 0, exited = 0, created = 0, other = 0, i;
        json_t *e;

        if (n == 0)
                return "Created";
        json_array_foreach(states, i, e) {
                const char *s = json_string_value(e);
                if (strcmp(s, "running") == 0)
                        running++;
                else if (strcmp(s, "paused") == 0)
                        paused++;
                else if (strcmp(s, "exited") == 0 || strcmp(s, "stopped") == 0)
                        exited++;
                else if (strcmp(s, "created") == 0)
                        created++;
                else
                        other++;
        }
        if (running > 0 && (paused || exited || other || created))
                return "Degraded";
        if (running == n)
                return "Running";
        if (paused == n)
                return "Paused";
        if (exited == n)
                return "Exited";
        if (other > 0)
                return "Error";
        return "Created";
}

static json_t *pod_containers_json(struct cpod_runtime *rt, char **ids, json_t **ret_states)
{
        json_t *a = json_array();

        *ret_states = json_array();
        for (char **c = ids; c && *c; c++) {
                struct ctr r = { 0 };
                if (ctr_db_get(rt, *c, &r, NULL) < 0)
                        continue;
                ctr_reconcile_view(rt, &r);
                json_array_append_new(*ret_states, json_string(cpod_ctr_state_name(r.state)));
                json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:i}", "Id", r.id, "Names", r.name, "Status",
                                                   cpod_ctr_state_name(r.state), "RestartCount", r.restart_count));
                ctr_clear(&r);
        }
        return a;
}

static json_t *go_time(int64_t ns)
{
        _cleanup_free_ char *s = time_rfc3339nano(ns / 1000000000LL, (long)(ns % 1000000000LL), 0);
        return json_string(s);
}

static json_t *list_entry(struct cpod_runtime *rt, const struct pod_rec *p)
{
        _cleanup_strv_ char **ids = NULL;
        _cleanup_free_ char *cg = pod_cgroup_parent(rt, p->id);
        json_t *states = NULL, *ctrs;
        json_t *labels = json_object_get(p->config, "Labels");

        (void)cpod_pod_containers(rt, p->id, &ids, NULL);
        ctrs = pod_containers_json(rt, ids, &states);
        {
                json_t *o = json_pack("{s:s, s:o, s:o, s:s, s:s, s:o, s:s, s:s, s:o, s:s}", "Cgroup", cg, "Containers",
                                      ctrs, "Created", go_time(json_get_int(p->config, "Created", 0)), "Id", p->id,
                                      "InfraId", p->infra_id ? p->infra_id : "", "Labels",
                                      json_object_size(labels) ? json_incref(labels) : json_object(), "Name", p->name,
                                      "Namespace", "", "Networks", json_array(), "Status", pod_status(states));
                json_decref(states);
                return o;
        }
}

int pod_all_ids(struct cpod_runtime *rt, char ***ret, cpod_error_t *err)
{
        sqlite3 *db = engine_db(rt, err);
        _cleanup_stmt_ sqlite3_stmt *st = db ? db_prepare(db, "SELECT id FROM pods ORDER BY created DESC", err) : NULL;

        if (!st)
                return cpod_error_rc(err, -EIO);
        *ret = xnew0(char *, 1);
        while (sqlite3_step(st) == SQLITE_ROW)
                strv_add(ret, db_col_text(st, 0));
        return 0;
}

int cpod_pod_list(struct cpod_runtime *rt, json_t **ret, cpod_error_t *err)
{
        _cleanup_strv_ char **ids = NULL;
        json_t *a;

        if (pod_all_ids(rt, &ids, err) < 0)
                return cpod_error_rc(err, -EIO);
        a = json_array();
        for (char **id = ids; *id; id++) {
                struct pod_rec p;
                if (pod_rec_load(rt, *id, &p, NULL) < 0)
                        continue;
                json_array_append_new(a, list_entry(rt, &p));
                pod_rec_clear(&p);
        }
        *ret = a;
        return 0;
}

/* A value the pod was given, or null (podman's nil) for one not given or empty. */
static json_t *or_null(json_t *v)
{
        return v && !(json_is_array(v) && json_array_size(v) == 0) ? json_incref(v) : json_null();
}

/*
 * podman's InfraConfig: what the infra container was given for the pod's network and /etc files.
 * Its namespaces are its own (private); the members join them.
 */
static json_t *infra_config_json(const struct pod_rec *p)
{
        const json_t *c = p->config;

        return json_pack("{s:{}, s:b, s:s, s:s, s:b, s:o, s:o, s:o, s:b, s:o, s:n, s:n, s:s, s:s, s:s}", "PortBindings",
                         "HostNetwork", 0, "StaticIP", "", "StaticMAC", "", "NoManageResolvConf", 0, "DNSServer",
                         or_null(json_object_get(c, "Dns")), "DNSSearch", or_null(json_object_get(c, "DnsSearch")),
                         "DNSOption", or_null(json_object_get(c, "DnsOption")), "NoManageHosts",
                         json_is_true(json_object_get(c, "NoHosts")), "HostAdd", or_null(json_object_get(c, "AddHost")),
                         "Networks", "NetworkOptions", "pid_ns", "private", "userns",
                         json_get_str(c, "UsernsMode") && *json_get_str(c, "UsernsMode") ? json_get_str(c, "UsernsMode")
                         : pod_has_userns(c)                                             ? "private"
                                                                                         : "host",
                         "uts_ns", "private");
}

/* The parent of the pod's cgroup: --cgroup-parent, else the manager's default. */
static char *cgroup_parent(const struct pod_rec *p, const char *path)
{
        const char *given = json_get_str(p->config, "CgroupParent"), *slash = path ? strrchr(path, '/') : NULL;

        if (given && *given)
                return xstrdup(given);
        return slash && slash != path ? xstrndup(path, (size_t)(slash - path)) : xstrdup(path ? path : "");
}

int cpod_pod_inspect(struct cpod_runtime *rt, const char *name, json_t **ret, cpod_error_t *err)
{
        struct pod_rec p;
        _cleanup_strv_ char **ids = NULL;
        _cleanup_json_ json_t *entry = NULL;
        json_t *o, *c, *e;
        size_t i;

        if (resolve(rt, name, &p, &ids, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        entry = list_entry(rt, &p);
        c = json_array();
        json_array_foreach(json_object_get(entry, "Containers"), i, e)
                json_array_append_new(c, json_pack("{s:O, s:O, s:O}", "Id", json_object_get(e, "Id"), "Name",
                                                   json_object_get(e, "Names"), "State", json_object_get(e, "Status")));
        o = json_pack("{s:s, s:s, s:O, s:s, s:s, s:O, s:O, s:s, s:b, s:s, s:O, s:i, s:o}", "Id", p.id, "Name", p.name,
                      "Created", json_object_get(entry, "Created"), "ExitPolicy",
                      json_get_str(p.config, "ExitPolicy") ? json_get_str(p.config, "ExitPolicy") : "continue", "State",
                      json_get_str(entry, "Status"), "Labels", json_object_get(entry, "Labels"), "SharedNamespaces",
                      json_object_get(p.config, "Share"), "Hostname",
                      json_get_str(p.config, "Hostname") ? json_get_str(p.config, "Hostname") : "", "CreateInfra",
                      p.infra_id != NULL, "InfraContainerID", p.infra_id ? p.infra_id : "", "CgroupPath",
                      json_object_get(entry, "Cgroup"), "NumContainers", (int)json_array_size(c), "Containers", c);
        {
                _cleanup_free_ char *parent = cgroup_parent(&p, json_get_str(entry, "Cgroup"));
                json_object_set_new(o, "CreateCommand", or_null(json_object_get(p.config, "CreateCommand")));
                json_object_set_new(o, "CreateCgroup", json_true());
                json_object_set_new(o, "CgroupParent", json_string(parent));
                if (p.infra_id)
                        json_object_set_new(o, "InfraConfig", infra_config_json(&p));
        }
        pod_rec_clear(&p);
        *ret = o;
        return 0;
}
