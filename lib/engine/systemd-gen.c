/* SPDX-License-Identifier: Apache-2.0 */
/*
 * generate systemd: what goes into a container's or a pod's units, read
 * through the public inspect API (see include/cpod/systemd.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/container.h>
#include <cpod/pod.h>
#include <cpod/systemd.h>

#include "engine/systemd-internal.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

bool cpod_systemd_restart_policy_valid(const char *p)
{
        static const char *const valid[] = { "no",          "on-success", "on-failure", "on-abnormal",
                                             "on-watchdog", "on-abort",   "always",     NULL };

        return p && strv_contains((char *const *)valid, p);
}

static char *service_name(const char *prefix, const char *sep, const char *name)
{
        return prefix && *prefix ? xasprintf("%s%s%s", prefix, sep ? sep : "", name) : xstrdup(name);
}

/* Exec*= of a unit that starts and stops an existing container (no --new). */
static void set_existing_execs(struct sd_unit *u, const struct cpod_systemd_opts *o)
{
        char **g = NULL;
        _cleanup_free_ char *flags = NULL;

        for (char *const *f = o->global_flags; f && *f; f++)
                strv_take(&g, sd_escape(*f));
        flags = sd_inline_flags(g);
        strv_free(g);
        u->exec_start = xasprintf("%s%s start %s", o->executable, flags, u->name_or_id);
        u->exec_stop = xasprintf("%s%s stop  \\\n\t-t %lld %s", o->executable, flags, (long long)u->stop_timeout,
                                 u->name_or_id);
        u->exec_stop_post = xstrdup(u->exec_stop);
}

static int64_t stop_timeout(const json_t *ins, const struct cpod_systemd_opts *o)
{
        return o->stop_timeout >= 0 ? o->stop_timeout
                                    : json_integer_value(json_path((json_t *)ins, "Config.StopTimeout"));
}

/* The unit of a container from its inspect JSON; its Exec*= are left to the caller. */
static int ctr_unit(struct cpod_runtime *rt, const json_t *ins, const struct cpod_systemd_opts *o, struct sd_unit *u,
                    cpod_error_t *err)
{
        const char *id = json_get_str(ins, "Id"), *pol;
        json_t *cc = json_path((json_t *)ins, "Config.CreateCommand");

        u->name_or_id = xstrdup(o->use_name ? json_get_str(ins, "Name") : id);
        u->service = service_name(o->ctr_prefix, o->separator, u->name_or_id);
        u->stop_timeout = stop_timeout(ins, o);
        u->pidfile = xstrdup(json_get_str(ins, "ConmonPidFile"));
        u->restart = xstrdup(o->restart_policy ? o->restart_policy : "on-failure");
        u->ctr_env = json_incref(json_path((json_t *)ins, "Config.Env"));
        if (json_array_size(cc) > 0)
                u->create_command = json_to_strv(cc);
        else if (o->new_ctr)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "cannot use --new on container \"%s\": no create command found: only works on "
                                      "containers created directly with cpod but not via REST API",
                                      id);
        pol = json_string_value(json_path((json_t *)ins, "HostConfig.RestartPolicy.Name"));
        if (!o->new_ctr && pol && *pol && strcmp(pol, "no") != 0)
                rt_warn(rt,
                        "Container %s has restart policy \"%s\" which can lead to issues on shutdown: consider "
                        "recreating the container without a restart policy and use systemd's restart mechanism "
                        "instead",
                        id, pol);
        u->runroot = xstrdup(!o->new_ctr || o->global_flags ? cpod_runtime_runroot(rt) : "%t/cpod");
        return 0;
}

static int ctr_units(struct cpod_runtime *rt, const char *name, const struct cpod_systemd_opts *o, json_t *units,
                     cpod_error_t *err)
{
        _cleanup_json_ json_t *ins = NULL;
        struct sd_unit u = { 0 };
        int r;

        if ((r = cpod_ctr_inspect(rt, name, false, &ins, err)) < 0)
                return r;
        r = ctr_unit(rt, ins, o, &u, err);
        if (r == 0 && o->new_ctr)
                r = sd_new_ctr(&u, o, err);
        else if (r == 0)
                set_existing_execs(&u, o);
        if (r == 0)
                json_object_set_new(units, u.service, json_string_take(sd_unit_render(&u, o)));
        sd_unit_clear(&u);
        return r;
}

static int cmp_service(const void *a, const void *b)
{
        return strcmp(((const struct sd_unit *)a)->service, ((const struct sd_unit *)b)->service);
}

/* The members' units, bound to the pod's, sorted by name. */
static int member_units(struct cpod_runtime *rt, const json_t *pins, const char *infra, struct sd_unit *pod,
                        const struct cpod_systemd_opts *o, struct sd_unit **ret, size_t *ret_n, cpod_error_t *err)
{
        json_t *cs = json_object_get(pins, "Containers"), *c;
        struct sd_unit *v = xnew0(struct sd_unit, json_array_size(cs) + 1);
        size_t i, n = 0;
        int r = 0;

        json_array_foreach(cs, i, c) {
                _cleanup_json_ json_t *ins = NULL;
                if (strcmp(json_get_str(c, "Id"), infra) == 0)
                        continue;
                if ((r = cpod_ctr_inspect(rt, json_get_str(c, "Id"), false, &ins, err)) < 0 ||
                    (r = ctr_unit(rt, ins, o, &v[n], err)) < 0) {
                        n++;
                        break;
                }
                strv_add(&v[n].bound, pod->service);
                strv_add(&pod->members, v[n].service);
                n++;
        }
        qsort(v, n, sizeof(*v), cmp_service);
        *ret = v;
        *ret_n = n;
        return r;
}

static int pod_unit(struct cpod_runtime *rt, const json_t *pins, const struct cpod_systemd_opts *o, struct sd_unit *u,
                    cpod_error_t *err)
{
        const char *infra = json_get_str(pins, "InfraContainerID");
        _cleanup_json_ json_t *ins = NULL;
        json_t *cc = json_object_get(pins, "CreateCommand");
        int r;

        if (!*infra)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "generating systemd unit files: Pod \"%s\" has no infra container",
                                      json_get_str(pins, "Name"));
        if ((r = cpod_ctr_inspect(rt, infra, false, &ins, err)) < 0)
                return cpod_error_wrap(err, "could not find infra container");
        u->is_pod = true;
        u->service = service_name(o->pod_prefix, o->separator, json_get_str(pins, o->use_name ? "Name" : "Id"));
        u->name_or_id = xstrdup(json_get_str(ins, o->use_name ? "Name" : "Id"));
        u->stop_timeout = stop_timeout(ins, o);
        u->pidfile = xstrdup(json_get_str(ins, "ConmonPidFile"));
        u->restart = xstrdup(o->restart_policy ? o->restart_policy : "on-failure");
        u->runroot = xstrdup(cpod_runtime_runroot(rt));
        if (json_array_size(cc) > 0)
                u->create_command = json_to_strv(cc);
        else if (o->new_ctr)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "cannot use --new on pod \"%s\": no create command found",
                                      json_get_str(pins, "Id"));
        return 0;
}

static int pod_units(struct cpod_runtime *rt, const char *name, const struct cpod_systemd_opts *o, json_t *units,
                     cpod_error_t *err)
{
        _cleanup_json_ json_t *pins = NULL;
        struct sd_unit pod = { 0 }, *m = NULL;
        size_t n = 0;
        int r;

        if ((r = cpod_pod_inspect(rt, name, &pins, err)) < 0)
                return r;
        if (o->template_unit)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "--template is not supported for pods");
        if ((r = pod_unit(rt, pins, o, &pod, err)) == 0)
                r = member_units(rt, pins, json_get_str(pins, "InfraContainerID"), &pod, o, &m, &n, err);
        if (r == 0 && o->new_ctr)
                r = sd_new_pod(&pod, o, err);
        else if (r == 0)
                set_existing_execs(&pod, o);
        if (r == 0)
                json_object_set_new(units, pod.service, json_string_take(sd_unit_render(&pod, o)));
        for (size_t i = 0; i < n; i++) {
                if (r == 0 && o->new_ctr) {
                        m[i].pod_id_file = xstrdup(pod.pod_id_file);
                        r = sd_new_ctr(&m[i], o, err);
                } else if (r == 0) {
                        set_existing_execs(&m[i], o);
                }
                if (r == 0)
                        json_object_set_new(units, m[i].service, json_string_take(sd_unit_render(&m[i], o)));
                sd_unit_clear(&m[i]);
        }
        free(m);
        sd_unit_clear(&pod);
        return r;
}

int cpod_generate_systemd(struct cpod_runtime *rt, const char *name, const struct cpod_systemd_opts *o, json_t **ret,
                          cpod_error_t *err)
{
        _cleanup_json_ json_t *units = json_object();
        cpod_error_t cerr = CPOD_ERROR_INIT;
        char id[65];
        int r;

        if (o->restart_policy && !cpod_systemd_restart_policy_valid(o->restart_policy))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "%s is not a valid restart policy",
                                      o->restart_policy);
        if (cpod_ctr_lookup(rt, name, id, &cerr) == 0) {
                r = ctr_units(rt, id, o, units, err);
        } else if (cerr.kind != CPOD_E_NO_SUCH_CTR) {
                cpod_error_move(err, &cerr);
                return -EIO;
        } else if (cpod_pod_lookup(rt, name, id, err) < 0) {
                cpod_error_clear(&cerr);
                return cpod_error_wrap(err, "%s does not refer to a container or pod", name);
        } else {
                r = pod_units(rt, id, o, units, err);
        }
        cpod_error_clear(&cerr);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(units);
        return 0;
}
