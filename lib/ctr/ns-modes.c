/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --pid, --ipc, --uts, --network and --cgroupns modes: private (the default), host, a
 * namespace file (ns:PATH) or another container's namespace
 * (container:NAME).  At create, names become IDs and the engine DB
 * records the dependency (ctr_deps, kept by triggers); at each start the
 * other container is started if it is not running, and its
 * /proc/PID/ns/... is joined (struct spec_joins, read by spec.c).  A
 * container others depend on is only removed after them.  A pod member
 * joins its pod's infra container the same way (lib/pod sets the modes to
 * container:INFRA at create).
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
#include "ctr/lifecycle.h"
#include "runtime/lock.h"
#include "ctr/spec.h"
#include "runtime/engine-db.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/db.h"
#include "util/json.h"
#include "util/log.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* Flag and namespace name in /proc/PID/ns, in the order of the modes in struct ctr_config. */
static const char *const modes[][2] = {
        { "pid", "pid" }, { "ipc", "ipc" }, { "uts", "uts" }, { "network", "net" }, { "cgroupns", "cgroup" },
};

static char **mode_of(struct ctr_config *cfg, size_t k)
{
        char **const v[] = { &cfg->pid_mode, &cfg->ipc_mode, &cfg->uts_mode, &cfg->network_mode, &cfg->cgroupns_mode };
        return v[k];
}

/* containers.conf's pidns, ipcns, utsns, netns: host, private (and none, shareable where they apply). */
static const char *conf_default(struct cpod_runtime *rt, size_t k)
{
        /* containers.conf's cgroupns is not read yet: the host's on v1, private on v2 */
        const char *v = k == 0   ? rt->config->pidns
                        : k == 1 ? rt->config->ipcns
                        : k == 2 ? rt->config->utsns
                        : k == 3 ? rt->config->netns
                                 : NULL;

        if (!v || !*v)
                return NULL;
        if (strcmp(v, "host") == 0 || strcmp(v, "private") == 0 || (k == 1 && strcmp(v, "shareable") == 0) ||
            ((k == 1 || k == 3) && strcmp(v, "none") == 0) || (k == 3 && strcmp(v, "bridge") == 0))
                return v;
        log_debug("containers.conf %sns = \"%s\" is not used by cpod", modes[k][1], v);
        return NULL;
}

/* As podman: --ipc private (or none) keeps a container's IPC namespace to itself. */
static int ipc_shareable(struct cpod_runtime *rt, const char *id, cpod_error_t *err)
{
        struct ctr d = { 0 };
        int r = 0;

        if (ctr_db_get(rt, id, &d, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (d.cfg.ipc_mode && (strcmp(d.cfg.ipc_mode, "private") == 0 || strcmp(d.cfg.ipc_mode, "none") == 0))
                r = cpod_error_set(err, EPERM, CPOD_E_INVALID,
                                   "joining IPC of container %s is not allowed: non-shareable IPC (hint: use "
                                   "IpcMode:shareable for the donor container)",
                                   id);
        ctr_clear(&d);
        return r;
}

static int check_one(struct cpod_runtime *rt, struct ctr_config *cfg, size_t k, cpod_error_t *err)
{
        char **mode = mode_of(cfg, k);
        const char *v = *mode;
        char id[65];
        int r;

        if ((!v || !*v) && !cfg->is_infra && conf_default(rt, k)) {
                free(*mode);
                v = *mode = xstrdup(conf_default(rt, k));
        }
        /* As podman for root: a network namespace of its own is one on the default bridge network. */
        if (k == 3 && (!v || !*v || strcmp(v, "private") == 0)) {
                free(*mode);
                v = *mode = xstrdup("bridge");
        }
        if (!v || !*v || strcmp(v, "private") == 0 ||
            (k == 3 && (strcmp(v, "none") == 0 || strcmp(v, "bridge") == 0)) ||
            (k == 1 && (strcmp(v, "shareable") == 0 || strcmp(v, "none") == 0)) || strcmp(v, "host") == 0)
                return 0;
        if (strncmp(v, "ns:", 3) == 0 && v[3] == '/')
                return access(v + 3, F_OK) == 0 ? 0 : cpod_error_sys(err, errno, "--%s %s", modes[k][0], v);
        if (strncmp(v, "container:", 10) != 0 || !v[10])
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid --%s mode \"%s\"", modes[k][0], v);
        if ((r = cpod_ctr_lookup(rt, v + 10, id, err)) < 0)
                return r;
        if (k == 1 && (r = ipc_shareable(rt, id, err)) < 0)
                return r;
        free(*mode);
        *mode = xasprintf("container:%s", id);
        return 0;
}

int ns_modes_check(struct cpod_runtime *rt, struct ctr_config *cfg, cpod_error_t *err)
{
        int r;

        for (size_t k = 0; k < sizeof(modes) / sizeof(modes[0]); k++)
                if ((r = check_one(rt, cfg, k, err)) < 0)
                        return r;
        return 0;
}

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

/* The PID of the container a mode names, started first when it is not running (as podman does). */
static int dep_pid(struct cpod_runtime *rt, const char *id, const char *flag, int *ret, cpod_error_t *err)
{
        if (ctr_ensure_running(rt, id, ret, err) < 0)
                return cpod_error_wrap(err, "--%s container:%.12s", flag, id);
        return 0;
}

/* The namespace file a mode names: ns:PATH, or /proc/PID/ns/NAME of the container:ID (started if need be). */
static int join_path(struct cpod_runtime *rt, const char *mode, const char *flag, const char *name, char **ret,
                     cpod_error_t *err)
{
        int pid = 0, r;

        if (mode && strncmp(mode, "ns:", 3) == 0) {
                *ret = xstrdup(mode + 3);
        } else if (mode && strncmp(mode, "container:", 10) == 0) {
                if ((r = dep_pid(rt, mode + 10, flag, &pid, err)) < 0)
                        return r;
                *ret = xasprintf("/proc/%d/ns/%s", pid, name);
        }
        return 0;
}

int ns_modes_prepare(struct cpod_runtime *rt, const struct ctr *c, struct spec_joins *ret, cpod_error_t *err)
{
        const struct ctr_config *cfg = &c->cfg;
        int r;

        memset(ret, 0, sizeof(*ret));
        if ((r = join_path(rt, cfg->pid_mode, "pid", "pid", &ret->pid, err)) < 0 ||
            (r = join_path(rt, cfg->ipc_mode, "ipc", "ipc", &ret->ipc, err)) < 0 ||
            (r = join_path(rt, cfg->uts_mode, "uts", "uts", &ret->uts, err)) < 0 ||
            (r = join_path(rt, cfg->network_mode, "network", "net", &ret->net, err)) < 0 ||
            (r = join_path(rt, cfg->cgroupns_mode, "cgroupns", "cgroup", &ret->cgroup, err)) < 0 ||
            (r = join_path(rt, cfg->userns_mode, "userns", "user", &ret->user, err)) < 0) {
                spec_joins_clear(ret);
                return r;
        }
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
        const char *uts = c->cfg.uts_mode;
        char host[256];
        struct ctr d = { 0 };
        char *r = NULL;

        /* As podman: with the host's network (and no --hostname), the host's name in a private UTS namespace. */
        if ((uts && strcmp(uts, "host") == 0) || (!uts && !(c->cfg.hostname && *c->cfg.hostname) &&
                                                  c->cfg.network_mode && strcmp(c->cfg.network_mode, "host") == 0))
                return gethostname(host, sizeof(host) - 1) == 0 ? xstrndup(host, sizeof(host) - 1) : NULL;
        if (!uts || strncmp(uts, "container:", 10) != 0 || ctr_db_get(rt, uts + 10, &d, NULL) < 0)
                return NULL;
        if (d.cfg.uts_mode && strcmp(d.cfg.uts_mode, "host") == 0)
                r = gethostname(host, sizeof(host) - 1) == 0 ? xstrndup(host, sizeof(host) - 1) : NULL;
        else if (d.cfg.hostname && *d.cfg.hostname)
                r = xstrdup(d.cfg.hostname);
        else if (d.cfg.pod_hostname)
                r = xstrdup(d.cfg.pod_hostname);
        else
                r = xstrndup(d.id, 12);
        ctr_clear(&d);
        return r;
}
