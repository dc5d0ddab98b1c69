/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --pid, --ipc, --uts and --network modes: private (the default), host, a
 * namespace file (ns:PATH) or another container's namespace
 * (container:NAME).  At create, names become IDs and the engine DB
 * records the dependency (ctr_deps, kept by triggers); at each start the
 * other container is started if it is not running, and its
 * /proc/PID/ns/... is joined (_Ns, read by spec.c).  A container others depend on is only removed
 * after them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/config.h>
#include <cpod/container.h>

#include "ctr/ns-modes.h"

#include "ctr/ctr.h"
#include "ctr/pod-link.h"
#include "ctr/spec.h"
#include "runtime/engine-db.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/db.h"
#include "util/json.h"
#include "util/log.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* Parameter key, flag, namespace name in /proc/PID/ns and in a pod's Share list. */
static const char *const modes[][3] = {
        { "PidMode", "pid", "pid" },
        { "IpcMode", "ipc", "ipc" },
        { "UtsMode", "uts", "uts" },
        { "NetworkMode", "network", "net" },
};

/* containers.conf's pidns, ipcns, utsns, netns: host, private (and none, shareable where they apply). */
static const char *conf_default(struct cpod_runtime *rt, size_t k)
{
        const char *v = k == 0   ? rt->config->pidns
                        : k == 1 ? rt->config->ipcns
                        : k == 2 ? rt->config->utsns
                                 : rt->config->netns;

        if (!v || !*v)
                return NULL;
        if (strcmp(v, "host") == 0 || strcmp(v, "private") == 0 || (k == 1 && strcmp(v, "shareable") == 0) ||
            ((k == 1 || k == 3) && strcmp(v, "none") == 0))
                return v;
        log_debug("containers.conf %sns = \"%s\" is not used by cpod", modes[k][2], v);
        return NULL;
}

static int check_one(struct cpod_runtime *rt, json_t *params, size_t k, cpod_error_t *err)
{
        const char *v = json_get_str(params, modes[k][0]), *pod = json_get_str(params, "Pod");
        bool infra = json_is_true(json_object_get(params, "IsInfra")), shared = false;
        char id[65];
        struct pod_link p;

        if (pod && *pod && !infra) {
                if (pod_link_load(rt, pod, &p, err) < 0)
                        return cpod_error_rc(err, -ENOENT);
                shared = p.infra_id && pod_link_shares(&p, modes[k][2]);
                pod_link_clear(&p);
        }
        if ((!v || !*v) && !shared && !infra && conf_default(rt, k)) {
                v = conf_default(rt, k);
                json_object_set_new(params, modes[k][0], json_string(v));
        }
        if (!v || !*v || strcmp(v, "private") == 0 || (k == 3 && strcmp(v, "none") == 0) ||
            (k == 1 && (strcmp(v, "shareable") == 0 || strcmp(v, "none") == 0)))
                return 0;
        if (shared)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "invalid config provided: cannot set --%s: the pod shares its %s namespace",
                                      modes[k][1], modes[k][2]);
        if (strcmp(v, "host") == 0)
                return 0;
        if (strncmp(v, "ns:", 3) == 0 && v[3] == '/')
                return access(v + 3, F_OK) == 0 ? 0 : cpod_error_sys(err, errno, "--%s %s", modes[k][1], v);
        if (strncmp(v, "container:", 10) != 0 || !v[10])
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid --%s mode \"%s\"", modes[k][1], v);
        if (cpod_ctr_lookup(rt, v + 10, id, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        json_object_set_new(params, modes[k][0], json_sprintf("container:%s", id));
        return 0;
}

int ns_modes_check(struct cpod_runtime *rt, json_t *params, cpod_error_t *err)
{
        for (size_t k = 0; k < sizeof(modes) / sizeof(modes[0]); k++)
                if (check_one(rt, params, k, err) < 0)
                        return cpod_error_rc(err, -EINVAL);
        return 0;
}

/* The PID of the container a mode names, started first when it is not running (as podman does). */
static int dep_pid(struct cpod_runtime *rt, const char *id, const char *flag, int *ret, cpod_error_t *err)
{
        if (ctr_ensure_running(rt, id, ret, err) < 0)
                return cpod_error_wrap(err, "--%s container:%.12s", flag, id);
        return 0;
}

int ns_modes_prepare(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err)
{
        json_t *paths = json_object();

        for (size_t k = 0; k < sizeof(modes) / sizeof(modes[0]); k++) {
                const char *v = json_get_str(c->config, modes[k][0]);
                int pid = 0;
                if (v && strncmp(v, "ns:", 3) == 0) {
                        json_object_set_new(paths, modes[k][2], json_string(v + 3));
                } else if (v && strncmp(v, "container:", 10) == 0) {
                        if (dep_pid(rt, v + 10, modes[k][1], &pid, err) < 0) {
                                json_decref(paths);
                                return cpod_error_rc(err, -EBUSY);
                        }
                        json_object_set_new(paths, modes[k][2], json_sprintf("/proc/%d/ns/%s", pid, modes[k][2]));
                }
        }
        json_object_set_new(c->config, "_Ns", paths);
        return 0;
}

int ns_dependents(struct cpod_runtime *rt, const char *id, char ***ret, cpod_error_t *err)
{
        sqlite3 *db = engine_db(rt, err);
        _cleanup_stmt_ sqlite3_stmt *st =
                db ? db_prepare(db, "SELECT ctr_id FROM ctr_deps WHERE dep_id = ? ORDER BY rowid", err) : NULL;
        char **v = xnew0(char *, 1);
        int rc;

        if (!st) {
                free(v);
                return cpod_error_rc(err, -EIO);
        }
        db_bind_text(st, 1, id);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
                strv_add(&v, db_col_text(st, 0));
        if (rc != SQLITE_DONE) {
                strv_free(v);
                return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "list the containers that depend on %s: %s", id,
                                      sqlite3_errmsg(db));
        }
        *ret = v;
        return 0;
}

int cpod_ctr_dependents(struct cpod_runtime *rt, const char *name, char ***ret, cpod_error_t *err)
{
        char id[65];

        if (cpod_ctr_lookup(rt, name, id, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        return ns_dependents(rt, id, ret, err);
}

char *ns_modes_hostname(struct cpod_runtime *rt, const struct ctr *c)
{
        const char *uts = json_get_str(c->config, "UtsMode");
        char host[256];
        struct ctr d = { 0 };
        char *r = NULL;

        if (uts && strcmp(uts, "host") == 0)
                return gethostname(host, sizeof(host) - 1) == 0 ? xstrndup(host, sizeof(host) - 1) : NULL;
        if (!uts || strncmp(uts, "container:", 10) != 0 || ctr_db_get(rt, uts + 10, &d, NULL) < 0)
                return NULL;
        if (json_get_str(d.config, "UtsMode") && strcmp(json_get_str(d.config, "UtsMode"), "host") == 0)
                r = gethostname(host, sizeof(host) - 1) == 0 ? xstrndup(host, sizeof(host) - 1) : NULL;
        else if (json_get_str(d.config, "Hostname"))
                r = xstrdup(json_get_str(d.config, "Hostname"));
        else if (json_get_str(json_object_get(d.config, "_Join"), "Hostname"))
                r = xstrdup(json_get_str(json_object_get(d.config, "_Join"), "Hostname"));
        else
                r = xstrndup(d.id, 12);
        ctr_clear(&d);
        return r;
}
