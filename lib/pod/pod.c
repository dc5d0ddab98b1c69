/* SPDX-License-Identifier: Apache-2.0 */
/* Pods: records, the infra container, and operations over all of a pod's containers. */
#include <cpod/pod.h>

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/container.h>

#include "runtime/events.h"
#include "ctr/ctr.h"
#include "ctr/spec.h"
#include "pod/pod-internal.h"
#include "runtime/engine-db.h"
#include "runtime/lock.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/db.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

static const char *const default_share[] = { "ipc", "net", "uts", NULL };
static const char *const valid_share[] = { "cgroup", "ipc", "net", "pid", "uts", NULL };

int cpod_pod_lookup(struct cpod_runtime *rt, const char *name, char ret_id[65], cpod_error_t *err)
{
        int n = engine_lookup(rt, "pods", name, ret_id, err);

        if (n < 0)
                return cpod_error_rc(err, -EIO);
        if (n == 1)
                return 0;
        if (n > 1)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "more than one result for pod \"%s\"", name);
        return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_POD, "no pod with name or ID %s found: no such pod", name);
}

/* Check Share[] and fill the default; podman's --share takes names with an optional leading '+'. */
static int normalize_share(json_t *params, cpod_error_t *err)
{
        json_t *share = json_object_get(params, "Share"), *out = json_array(), *e;
        size_t i;

        if (!json_is_array(share)) {
                json_object_set_new(params, "Share", json_strv((char *const *)default_share, -1));
                json_decref(out);
                return 0;
        }
        json_array_foreach(share, i, e) {
                const char *s = json_string_value(e);
                if (s && s[0] == '+') {
                        for (size_t k = 0; default_share[k]; k++)
                                json_array_append_new(out, json_string(default_share[k]));
                        s++;
                }
                if (s && (!*s || strcmp(s, "none") == 0)) /* --share none: the members share nothing */
                        continue;
                if (!s || !strv_contains((char *const *)valid_share, s)) {
                        json_decref(out);
                        return cpod_error_set(
                                err, EINVAL, CPOD_E_INVALID,
                                "invalid kernel namespace to share: %s. Options are: cgroup, ipc, net, pid, "
                                "uts or none",
                                s ? s : "?");
                }
                json_array_append_new(out, json_string(s));
        }
        json_object_set_new(params, "Share", out);
        return 0;
}

static int check_name(const char *n, cpod_error_t *err)
{
        if (!isalnum((unsigned char)n[0]))
                goto bad;
        for (const char *p = n; *p; p++)
                if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.' && *p != '-')
                        goto bad;
        return 0;
bad:
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                              "pod name \"%s\" is invalid: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*", n);
}

/* The pod's DNS and /etc/hosts settings, which its infra container (and members sharing the network) take. */
static int pod_net(const json_t *params, struct ctr_config *ret, cpod_error_t *err)
{
        static const char *const keys[] = { "Dns",         "DnsSearch", "DnsOption",    "AddHost", "NoHosts",
                                            "NetworkMode", "Networks",  "PortMappings", "Expose",  "PublishAll" };
        _cleanup_json_ json_t *net = json_object();

        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
                if (json_object_get(params, keys[i]))
                        json_object_set(net, keys[i], json_object_get(params, keys[i]));
        return ctr_config_parse(net, false, ret, err);
}

/* The infra container's config: catatonit -P without an image, or the --infra-image. */
static int infra_config(struct cpod_runtime *rt, const char *pod_id, const json_t *params, struct ctr_config *c,
                        cpod_error_t *err)
{
        const char *name = json_get_str(params, "InfraName"), *image = json_get_str(params, "InfraImage");
        int r;

        if ((r = pod_net(params, c, err)) < 0)
                return r;
        c->is_infra = true;
        c->pod = xstrdup(pod_id);
        c->name = name && *name ? xstrdup(name) : xasprintf("%.12s-infra", pod_id);
        if (image && *image) {
                c->image = xstrdup(image);
                if (json_is_array(json_object_get(params, "InfraCommand")))
                        c->command = json_to_strv(json_object_get(params, "InfraCommand"));
        } else {
                /* catatonit -P: pause until signalled; bound at /run/podman-init by --init's mount. */
                c->init = true;
                c->has_entrypoint = true;
                c->entrypoint = xnew0(char *, 1);
                c->command = xnew0(char *, 1);
                strv_add(&c->command, "-P");
                c->init_only = true;
        }
        if (!c->network_mode)
                c->network_mode = xstrdup("private");
        c->hostname = xstrdup(json_get_str(params, "Hostname"));
        c->userns_mode = xstrdup(json_get_str(params, "UsernsMode"));
        c->subuid_name = xstrdup(json_get_str(params, "SubUIDName"));
        c->subgid_name = xstrdup(json_get_str(params, "SubGIDName"));
        c->uid_map = json_to_strv(json_object_get(params, "UIDMap"));
        c->gid_map = json_to_strv(json_object_get(params, "GIDMap"));
        c->conmon_pid_file = xstrdup(json_get_str(params, "InfraConmonPidFile"));
        c->cgroup_parent = json_get_str(params, "CgroupParent") ? xstrdup(json_get_str(params, "CgroupParent"))
                                                                : pod_cgroup_parent(rt, pod_id);
        return 0;
}

static int insert_pod(struct cpod_runtime *rt, const char *id, const char *name, const char *infra_id, json_t *params,
                      cpod_error_t *err)
{
        sqlite3 *db = engine_db(rt, err);
        _cleanup_stmt_ sqlite3_stmt *st = NULL;
        _cleanup_free_ char *cfg = json_dump_compact(params), *labels = NULL;
        int rc;

        labels = json_dump_compact(json_object_get(params, "Labels") ? json_object_get(params, "Labels")
                                                                     : json_object());
        if (!db || !(st = db_prepare(db,
                                     "INSERT INTO pods (id, name, created, infra_id, labels, config) "
                                     "VALUES (?, ?, ?, ?, ?, ?)",
                                     err)))
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, id);
        db_bind_text(st, 2, name);
        db_bind_int64(st, 3, json_get_int(params, "Created", 0));
        db_bind_text(st, 4, infra_id);
        db_bind_text(st, 5, labels);
        db_bind_text(st, 6, cfg);
        rc = sqlite3_step(st);
        if (rc == SQLITE_CONSTRAINT)
                return cpod_error_set(err, EEXIST, CPOD_E_EXISTS,
                                      "adding pod to state: name %s is in use: pod "
                                      "already exists",
                                      name);
        return rc == SQLITE_DONE ? 0 : db_error(db, "insert pod", err);
}

static int set_infra(struct cpod_runtime *rt, const char *pod_id, const char *infra_id, cpod_error_t *err)
{
        sqlite3 *db = engine_db(rt, err);
        _cleanup_stmt_ sqlite3_stmt *st = db ? db_prepare(db, "UPDATE pods SET infra_id = ? WHERE id = ?", err) : NULL;

        if (!st)
                return cpod_error_rc(err, -EIO);
        db_bind_text(st, 1, infra_id);
        db_bind_text(st, 2, pod_id);
        return db_step_done(st, err);
}

/* Replace: a pod of that name goes first, with its containers. */
static int replace_existing(struct cpod_runtime *rt, const char *name, cpod_error_t *err)
{
        char old[65];

        if (cpod_pod_lookup(rt, name, old, NULL) < 0)
                return 0;
        return cpod_pod_remove(rt, old, true, -1, err);
}

bool pod_has_userns(const json_t *config)
{
        const char *m = json_get_str(config, "UsernsMode");

        return (m && *m && strcmp(m, "host") != 0) || json_array_size(json_object_get(config, "UIDMap")) ||
               json_array_size(json_object_get(config, "GIDMap")) ||
               (json_get_str(config, "SubUIDName") && *json_get_str(config, "SubUIDName")) ||
               (json_get_str(config, "SubGIDName") && *json_get_str(config, "SubGIDName"));
}

int cpod_pod_create(struct cpod_runtime *rt, json_t *params, char ret_id[65], cpod_error_t *err)
{
        _cleanup_json_ json_t *p = json_deep_copy(params);
        _cleanup_free_ char *name = NULL;
        struct ctr_config net = { 0 }, ic = { 0 };
        char id[65], infra[65];
        const char *given = json_get_str(p, "Name");
        int r;

        if ((r = normalize_share(p, err)) < 0 || (given && *given && (r = check_name(given, err)) < 0) ||
            (r = pod_net(p, &net, err)) < 0 || (r = spec_etc_check(rt, &net, err)) < 0) {
                ctr_config_clear(&net);
                return r;
        }
        r = json_is_false(json_object_get(p, "Infra")) &&
            (spec_etc_has_net(&net) || json_array_size(net.port_mappings) || net.publish_all ||
             (net.network_mode && strcmp(net.network_mode, "private") != 0));
        ctr_config_clear(&net);
        if (r)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "DNS, hosts, network and port options are set on the infra container: not with "
                                      "--infra=false");
        if (json_is_false(json_object_get(p, "Infra")) && pod_has_userns(p))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "a pod's user namespace is its infra container's: --userns, --uidmap, --gidmap, "
                                      "--subuidname and --subgidname need --infra=true");
        if (json_is_true(json_object_get(p, "Replace")) && given && *given &&
            (r = replace_existing(rt, given, err)) < 0)
                return r;
        random_id(id);
        name = given && *given ? xstrdup(given) : pod_generate_name(rt, id);
        json_object_set_new(p, "Name", json_string(name));
        /* As podman: the pod's UTS namespace is named after the pod unless told otherwise. */
        if (!json_get_str(p, "Hostname"))
                json_object_set_new(p, "Hostname", json_string(name));
        json_object_set_new(p, "Created", json_integer(now_ns()));
        if ((r = pod_cgroup_setup(rt, id, p, err)) < 0)
                return r;
        if ((r = insert_pod(rt, id, name, NULL, p, err)) < 0) {
                pod_cgroup_remove(rt, id, p);
                return r;
        }
        if (!json_is_false(json_object_get(p, "Infra"))) {
                r = infra_config(rt, id, p, &ic, err);
                if (r == 0)
                        r = ctr_create(rt, &ic, infra, err);
                ctr_config_clear(&ic);
                if (r == 0)
                        r = set_infra(rt, id, infra, err);
                if (r < 0) {
                        cpod_error_t ignore = CPOD_ERROR_INIT;
                        (void)cpod_pod_remove(rt, id, true, 0, &ignore);
                        cpod_error_clear(&ignore);
                        return r;
                }
        }
        memcpy(ret_id, id, 65);
        rt_event_simple(rt, "pod", "create", id, name);
        return 0;
}

json_t *pod_names_by_id(struct cpod_runtime *rt, cpod_error_t *err)
{
        sqlite3 *db = engine_db(rt, err);
        _cleanup_stmt_ sqlite3_stmt *st = db ? db_prepare(db, "SELECT id, name FROM pods", err) : NULL;
        json_t *o;

        if (!st)
                return NULL;
        o = json_object();
        while (sqlite3_step(st) == SQLITE_ROW)
                json_object_set_new(o, db_col_text(st, 0), json_string(db_col_text(st, 1)));
        return o;
}

int cpod_pod_containers(struct cpod_runtime *rt, const char *pod_id, char ***ret, cpod_error_t *err)
{
        _cleanup_strv_ char **members = NULL;
        struct pod_rec p;
        int r;

        if (pod_rec_load(rt, pod_id, &p, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        r = ctr_db_ids_in_pod(rt, p.id, &members, err);
        if (r == 0) {
                *ret = xnew0(char *, 1);
                if (p.infra_id)
                        strv_add(ret, p.infra_id);
                for (char **m = members; *m; m++)
                        if (!p.infra_id || strcmp(*m, p.infra_id) != 0)
                                strv_add(ret, *m);
        }
        pod_rec_clear(&p);
        return r;
}
