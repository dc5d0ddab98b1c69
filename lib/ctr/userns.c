/* SPDX-License-Identifier: Apache-2.0 */
/* User namespace modes and mappings at create, in the runtime config and in inspect (userns.h). */
#include "ctr/userns.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpod/config.h>
#include <cpod/container.h>

#include "ctr/ctr-config.h"
#include "ctr/ctr.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

static bool nonempty(const char *s)
{
        return s && *s;
}

static bool has_maps(const struct ctr_config *cfg)
{
        return (cfg->uid_map && *cfg->uid_map) || (cfg->gid_map && *cfg->gid_map) || nonempty(cfg->subuid_name) ||
               nonempty(cfg->subgid_name);
}

static int parse_flag_maps(char *const *v, const char *what, struct idmap *ret, cpod_error_t *err)
{
        const char *bad = NULL;

        if (idmap_parse_strv(v, ret, &bad) < 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "initializing ID mappings: %s setting is malformed expected "
                                      "[\"uint32:uint32:uint32\"]: [\"%s\"]",
                                      what, bad);
        return 0;
}

static int check_overlaps(const struct idmap *m, cpod_error_t *err)
{
        long i = idmap_first_overlap(m);

        if (i < 0)
                return 0;
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                              "creating container storage: the specified UID and/or GID mapping %u:%u:%u conflicts "
                              "with other mappings: invalid mappings specified",
                              m->v[i].ctr, m->v[i].host, m->v[i].size);
}

static void store_maps(struct ctr_config *cfg, const struct idmap *u, const struct idmap *g)
{
        strv_free(cfg->idmap_uid);
        strv_free(cfg->idmap_gid);
        cfg->idmap_uid = idmap_to_strv(u);
        cfg->idmap_gid = idmap_to_strv(g);
}

/* --uidmap/--gidmap/--subuidname/--subgidname: one side given, the other is the same (as podman). */
static int explicit_maps(struct ctr_config *cfg, cpod_error_t *err)
{
        struct idmap u = { 0 }, g = { 0 };
        const char *gname = nonempty(cfg->subgid_name) ? cfg->subgid_name : cfg->subuid_name;
        const char *uname = nonempty(cfg->subuid_name) ? cfg->subuid_name : cfg->subgid_name;
        int r;

        if ((r = parse_flag_maps(cfg->uid_map, "UID", &u, err)) < 0 ||
            (r = parse_flag_maps(cfg->gid_map, "GID", &g, err)) < 0)
                goto out;
        if (nonempty(uname) && !(cfg->uid_map && *cfg->uid_map) &&
            (r = userns_subids("/etc/subuid", uname, &u, err)) < 0)
                goto out;
        if (nonempty(gname) && !(cfg->gid_map && *cfg->gid_map) &&
            (r = userns_subids("/etc/subgid", gname, &g, err)) < 0)
                goto out;
        if (!u.n)
                idmap_copy(&u, &g);
        else if (!g.n)
                idmap_copy(&g, &u);
        if ((r = check_overlaps(&u, err)) == 0 && (r = check_overlaps(&g, err)) == 0)
                store_maps(cfg, &u, &g);
out:
        idmap_clear(&u);
        idmap_clear(&g);
        return r;
}

/* container:NAME: its user namespace and mappings; the name becomes the ID. */
static int from_container(struct cpod_runtime *rt, struct ctr_config *cfg, cpod_error_t *err)
{
        struct ctr d = { 0 };
        char id[65];

        if (cpod_ctr_lookup(rt, cfg->userns_mode + 10, id, err) < 0)
                return cpod_error_wrap(err, "looking up container to share user namespace with");
        if (ctr_db_get(rt, id, &d, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (!userns_enabled(&d.cfg)) {
                ctr_clear(&d);
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "container %s does not run in a user namespace of its own", id);
        }
        strv_free(cfg->idmap_uid);
        strv_free(cfg->idmap_gid);
        cfg->idmap_uid = strv_copy(d.cfg.idmap_uid);
        cfg->idmap_gid = strv_copy(d.cfg.idmap_gid);
        free(cfg->userns_mode);
        cfg->userns_mode = xasprintf("container:%s", id);
        ctr_clear(&d);
        return 0;
}

/* ns:PATH: the mappings of that namespace, read once. */
static int from_path(struct ctr_config *cfg, cpod_error_t *err)
{
        const char *path = cfg->userns_mode + 3;
        struct idmap u, g;
        struct stat st;
        int r;

        if (stat(path, &st) < 0)
                return cpod_error_set(err, errno, CPOD_E_INVALID,
                                      "cannot find specified user namespace path: stat %s: %s", path,
                                      errno == ENOENT ? "no such file or directory" : strerror(errno));
        if ((r = idmap_read_userns(path, &u, &g, err)) < 0)
                return cpod_error_wrap(err, "--userns %s", cfg->userns_mode);
        store_maps(cfg, &u, &g);
        idmap_clear(&u);
        idmap_clear(&g);
        return 0;
}

/* auto[:size=N,uidmapping=C:H:S,gidmapping=C:H:S]: checked here, allocated by userns_allocate. */
static int check_auto(const char *opts, cpod_error_t *err);

static int check_mode(struct cpod_runtime *rt, struct ctr_config *cfg, cpod_error_t *err);

/*
 * runc joins a user namespace before the others (create, and every exec), and a process in the
 * container's user namespace may not join a network namespace the host's owns: the one cpod
 * makes for a bridge network, or --network ns:PATH.  The runtime's own (none), the host's (not
 * joined) or another container's (with its user namespace) work.
 */
static int check_network(const struct ctr_config *cfg, cpod_error_t *err)
{
        const char *n = cfg->network_mode, *m = cfg->userns_mode;
        bool wants = userns_enabled(cfg) || (m && (strcmp(m, "auto") == 0 || strncmp(m, "auto:", 5) == 0));

        if (!wants || !n || strcmp(n, "none") == 0 || strcmp(n, "host") == 0 || strncmp(n, "container:", 10) == 0)
                return 0;
        return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                              "--network %s with a user namespace is not supported yet: cpod makes that network "
                              "namespace in the host's user namespace, where the container's cannot join it; use "
                              "--network none, host or container:NAME",
                              n);
}

int userns_check(struct cpod_runtime *rt, struct ctr_config *cfg, cpod_error_t *err)
{
        int r = check_mode(rt, cfg, err);

        return r < 0 ? r : check_network(cfg, err);
}

static int check_mode(struct cpod_runtime *rt, struct ctr_config *cfg, cpod_error_t *err)
{
        const char *m;

        /* containers.conf's userns, for a container that says nothing (a pod's say what their pod does) */
        if (!cfg->userns_mode && !has_maps(cfg) && !nonempty(cfg->pod) && !cfg->is_infra && rt->config->userns &&
            *rt->config->userns)
                cfg->userns_mode = xstrdup(rt->config->userns);
        m = cfg->userns_mode;

        strv_free(cfg->idmap_uid);
        strv_free(cfg->idmap_gid);
        cfg->idmap_uid = cfg->idmap_gid = NULL;
        if (m && (strcmp(m, "keep-id") == 0 || strncmp(m, "keep-id:", 8) == 0))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "keep-id is only supported in rootless mode");
        if (m && strcmp(m, "nomap") == 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "nomap is only supported in rootless mode");
        if (nonempty(m) && strcmp(m, "private") != 0 && has_maps(cfg))
                return cpod_error_set(
                        err, EINVAL, CPOD_E_INVALID,
                        "--userns and --uidmap/--gidmap/--subuidname/--subgidname are mutually exclusive");
        if (!nonempty(m) || strcmp(m, "host") == 0 || strcmp(m, "private") == 0) {
                int r = has_maps(cfg) ? explicit_maps(cfg, err) : 0;
                if (r == 0 && m && strcmp(m, "private") == 0 && !cfg->idmap_uid)
                        r = cpod_error_set(
                                err, EINVAL, CPOD_E_INVALID,
                                "must provide at least one UID or GID mapping to configure a user namespace");
                return r;
        }
        if (strcmp(m, "auto") == 0 || strncmp(m, "auto:", 5) == 0)
                return check_auto(m[4] ? m + 5 : "", err);
        if (strncmp(m, "ns:", 3) == 0 && m[3] == '/')
                return from_path(cfg, err);
        if (strncmp(m, "container:", 10) == 0 && m[10])
                return from_container(rt, cfg, err);
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "unrecognized namespace mode %s passed", m);
}

static int check_auto(const char *opts, cpod_error_t *err)
{
        _cleanup_strv_ char **v = strv_split(opts, ",");
        struct idmap tmp = { 0 };
        int r = 0;

        for (char **o = v; o && *o && r == 0; o++) {
                const char *eq = strchr(*o, '=');
                size_t klen = eq ? (size_t)(eq - *o) : strlen(*o);
                if (!**o)
                        continue;
                if (eq && klen == 4 && strncmp(*o, "size", 4) == 0) {
                        char *end;
                        errno = 0;
                        unsigned long long n = strtoull(eq + 1, &end, 10);
                        if (!eq[1] || *end || eq[1] == '-' || errno || n > UINT32_MAX)
                                r = cpod_error_set(err, EINVAL, CPOD_E_INVALID, "strconv.ParseUint: parsing \"%s\": %s",
                                                   eq + 1,
                                                   errno || (!*end && eq[1] != '-' && eq[1]) ? "value out of range"
                                                                                             : "invalid syntax");
                } else if (eq && ((klen == 10 && strncmp(*o, "uidmapping", 10) == 0) ||
                                  (klen == 10 && strncmp(*o, "gidmapping", 10) == 0))) {
                        if (idmap_add_text(&tmp, eq + 1) < 0)
                                r = cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                                   "initializing ID mappings: %cID setting is malformed expected "
                                                   "[\"uint32:uint32:uint32\"]: [\"%s\"]",
                                                   **o == 'u' ? 'U' : 'G', eq + 1);
                } else {
                        r = cpod_error_set(err, EINVAL, CPOD_E_INVALID, "unknown option specified: \"%.*s\"", (int)klen,
                                           *o);
                }
        }
        idmap_clear(&tmp);
        return r;
}

int userns_maps(const struct ctr_config *cfg, struct idmap *ret_uids, struct idmap *ret_gids, cpod_error_t *err)
{
        const char *bad = NULL;

        if (idmap_parse_strv(cfg->idmap_uid, ret_uids, &bad) < 0 ||
            idmap_parse_strv(cfg->idmap_gid, ret_gids, &bad) < 0) {
                idmap_clear(ret_uids);
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "bad ID mapping \"%s\" in the container's record",
                                      bad);
        }
        return 0;
}

bool userns_enabled(const struct ctr_config *cfg)
{
        return cfg->idmap_uid && *cfg->idmap_uid;
}

bool userns_net_foreign(const struct ctr_config *cfg)
{
        const char *n = cfg->network_mode;

        return userns_enabled(cfg) && !(n && strcmp(n, "none") == 0);
}

void userns_mqueue(const struct ctr_config *cfg, const char *ipc_join, json_t *mounts)
{
        const char *ipc = cfg->ipc_mode, *user = cfg->userns_mode;
        size_t i;
        json_t *e;

        /* joined with the user namespace that owns it (a pod member, --ipc and --userns container:X): fine */
        if (!userns_enabled(cfg) || !(ipc_join || (ipc && strcmp(ipc, "host") == 0)) ||
            (ipc && user && strncmp(ipc, "container:", 10) == 0 && strcmp(ipc, user) == 0))
                return;
        json_array_foreach(mounts, i, e)
                if (strcmp(json_get_str(e, "destination"), "/dev/mqueue") == 0 &&
                    strcmp(json_get_str(e, "type"), "mqueue") == 0) {
                        json_array_remove(mounts, i);
                        return;
                }
}

static json_t *maps_json(char *const *v)
{
        struct idmap m;
        const char *bad;
        json_t *a = json_array();

        if (idmap_parse_strv(v, &m, &bad) < 0)
                return a;
        for (size_t i = 0; i < m.n; i++)
                json_array_append_new(a, json_pack("{s:I, s:I, s:I}", "containerID", (json_int_t)m.v[i].ctr, "hostID",
                                                   (json_int_t)m.v[i].host, "size", (json_int_t)m.v[i].size));
        idmap_clear(&m);
        return a;
}

void userns_spec(const struct ctr_config *cfg, const char *join, json_t *lx)
{
        json_t *ns = json_object_get(lx, "namespaces");

        if (!userns_enabled(cfg))
                return;
        if (join)
                json_array_append_new(ns, json_pack("{s:s, s:s}", "type", "user", "path", join));
        else
                json_array_append_new(ns, json_pack("{s:s}", "type", "user"));
        json_object_set_new(lx, "uidMappings", maps_json(cfg->idmap_uid));
        json_object_set_new(lx, "gidMappings", maps_json(cfg->idmap_gid));
}

int userns_make_accessible(const char *path, cpod_error_t *err)
{
        _cleanup_free_ char *p = xstrdup(path);
        char *slash;

        while ((slash = strrchr(p, '/')) && slash != p) {
                struct stat st;
                *slash = '\0';
                if (stat(p, &st) < 0)
                        return cpod_error_sys(err, errno, "stat '%s'", p);
                if (st.st_uid == 0 && (st.st_mode & 0111) != 0111 && chmod(p, (st.st_mode & 07777) | 0111) < 0)
                        return cpod_error_sys(err, errno, "make '%s' searchable", p);
        }
        return 0;
}

uint32_t userns_host_id(const struct ctr_config *cfg, bool gid, uint32_t id)
{
        struct idmap m;
        const char *bad;
        uint32_t host = 65534;

        if (!userns_enabled(cfg) || idmap_parse_strv(gid ? cfg->idmap_gid : cfg->idmap_uid, &m, &bad) < 0)
                return id;
        (void)idmap_to_host(&m, id, &host);
        idmap_clear(&m);
        return host;
}

char *userns_inspect_mode(const struct ctr_config *cfg)
{
        const char *m = cfg->userns_mode;

        /* podman shows "" for auto, and private for explicit mappings */
        if (m && (strcmp(m, "auto") == 0 || strncmp(m, "auto:", 5) == 0))
                return xstrdup("");
        if (userns_enabled(cfg) && (!nonempty(m) || strcmp(m, "host") == 0))
                return xstrdup("private");
        return xstrdup(m ? m : "");
}
