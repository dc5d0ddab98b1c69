/* SPDX-License-Identifier: Apache-2.0 */
#include "ctr/spec.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/config.h>
#include <cpod/info.h>

#include "ctr/caps.h"
#include "ctr/ctr-secrets.h"
#include "ctr/ctr.h"
#include "ctr/hooks.h"
#include "ctr/ns-modes.h"
#include "ctr/sdnotify.h"
#include "ctr/seccomp.h"
#include "ctr/userns.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/log.h"
#include "util/strv.h"
#include "util/xalloc.h"

static const char *const masked_paths[] = { "/proc/acpi",          "/proc/kcore",      "/proc/keys",
                                            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                                            "/proc/sched_debug",   "/proc/scsi",       "/sys/firmware",
                                            "/sys/fs/selinux",     "/sys/dev/block",   NULL };
static const char *const readonly_paths[] = { "/proc/asound", "/proc/bus",           "/proc/fs", "/proc/irq",
                                              "/proc/sys",    "/proc/sysrq-trigger", NULL };

/* A string of the image config, when set and not empty. */
static const char *istr(const json_t *imgcfg, const char *key)
{
        const char *s = json_get_str(imgcfg, key);
        return s && *s ? s : NULL;
}

static const char *nonempty(const char *s)
{
        return s && *s ? s : NULL;
}

/* Replace or add KEY=VALUE in an env array. */
static void env_set(json_t *env, const char *kv)
{
        size_t klen = strcspn(kv, "="), i;
        json_t *e;

        json_array_foreach(env, i, e) {
                const char *s = json_string_value(e);
                if (s && strncmp(s, kv, klen) == 0 && (s[klen] == '=' || s[klen] == '\0')) {
                        json_array_set_new(env, i, json_string(kv));
                        return;
                }
        }
        json_array_append_new(env, json_string(kv));
}

static bool env_has(json_t *env, const char *key)
{
        size_t klen = strlen(key), i;
        json_t *e;

        json_array_foreach(env, i, e) {
                const char *s = json_string_value(e);
                if (s && strncmp(s, key, klen) == 0 && s[klen] == '=')
                        return true;
        }
        return false;
}

/* A default variable, unless --unsetenv(-all) drops it. */
static void env_default(json_t *env, const struct ctr_config *cfg, const char *kv)
{
        size_t n = strcspn(kv, "=");

        if (cfg->unset_env_all)
                return;
        for (char **u = cfg->unset_env; u && *u; u++)
                if (strlen(*u) == n && strncmp(*u, kv, n) == 0)
                        return;
        env_set(env, kv);
}

static json_t *build_env(struct cpod_runtime *rt, const struct ctr_config *cfg, json_t *imgcfg, const char *hostname)
{
        json_t *env = json_array(), *e;
        size_t i;

        env_default(env, cfg, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env_default(env, cfg, "TERM=xterm");
        env_default(env, cfg, "container=podman");
        for (char **c = rt->config->env; c && *c; c++)
                env_default(env, cfg, *c);
        json_array_foreach(json_object_get(imgcfg, "Env"), i, e)
                if (json_is_string(e))
                        env_default(env, cfg, json_string_value(e));
        for (char **kv = cfg->env; kv && *kv; kv++)
                env_set(env, *kv);
        if (!env_has(env, "HOSTNAME")) {
                _cleanup_free_ char *h = xasprintf("HOSTNAME=%s", hostname);
                env_set(env, h);
        }
        return env;
}

/* What runs: the command line merged at create (ctr_config_command). */
static json_t *build_args(const struct ctr_config *cfg, cpod_error_t *err)
{
        if (!cfg->effective_command || !cfg->effective_command[0]) {
                cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                               "no command or entrypoint provided, and no CMD or ENTRYPOINT from image");
                return NULL;
        }
        return json_strv(cfg->effective_command, -1);
}

static json_t *caps_json(char **caps)
{
        json_t *a = json_strv(caps, -1);
        json_t *r = json_pack("{s:O, s:O, s:O, s:o}", "bounding", a, "effective", a, "permitted", a, "inheritable",
                              json_array());

        json_decref(a);
        return r;
}

static int build_process(struct cpod_runtime *rt, const struct ctr *c, json_t *imgcfg, const char *rootfs,
                         const char *hostname, json_t *spec, char ***ret_caps, cpod_error_t *err)
{
        const struct ctr_config *cfg = &c->cfg;
        json_t *proc = json_object(), *args, *env;
        const char *user = nonempty(cfg->user) ? cfg->user : istr(imgcfg, "User");
        const char *wd = nonempty(cfg->working_dir) ? cfg->working_dir : istr(imgcfg, "WorkingDir");
        _cleanup_free_ char *home = NULL;
        char **caps = NULL;

        json_object_set_new(spec, "process", proc);
        if (!(args = build_args(cfg, err)))
                return cpod_error_rc(err, -EINVAL);
        if (cfg->init) {
                /* catatonit, bound at /run/podman-init by spec-mounts.c, becomes PID 1 (a pod's
                 * infra runs it alone, in pause mode: InitOnly). */
                if (!cfg->init_only)
                        json_array_insert_new(args, 0, json_string("--"));
                json_array_insert_new(args, 0, json_string("/run/podman-init"));
        }
        json_object_set_new(proc, "terminal", json_boolean(cfg->tty));
        /* the runtime sizes the pty before the process starts: no first look at a 0x0 terminal */
        if (cfg->tty && c->console_rows && c->console_cols)
                json_object_set_new(
                        proc, "consoleSize",
                        json_pack("{s:i, s:i}", "height", (int)c->console_rows, "width", (int)c->console_cols));
        json_object_set_new(proc, "args", args);
        env = build_env(rt, cfg, imgcfg, hostname);
        if (ctr_sdnotify_proxied(c)) /* conmon's proxy, in <bundle>/notify */
                env_set(env, "NOTIFY_SOCKET=/run/notify/notify.sock");
        json_object_set_new(proc, "env", env);
        json_object_set_new(proc, "cwd", json_string(wd ? wd : "/"));
        if (spec_resolve_user(rootfs, user ? user : "0", proc, &home, err) < 0 ||
            spec_add_groups(rootfs, cfg->group_add, proc, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if (!env_has(env, "HOME")) {
                _cleanup_free_ char *h = xasprintf("HOME=%s", home ? home : "/");
                env_set(env, h);
        }
        if (caps_compute(rt->config->default_capabilities, cfg->cap_add, cfg->cap_drop, cfg->privileged, &caps, err) <
            0)
                return cpod_error_rc(err, -EINVAL);
        json_object_set_new(proc, "capabilities", caps_json(caps));
        if (cfg->no_new_privileges)
                json_object_set_new(proc, "noNewPrivileges", json_true());
        if (cfg->has_oom_score_adj)
                json_object_set_new(proc, "oomScoreAdj", json_integer(cfg->oom_score_adj));
        if (spec_rlimits(rt, cfg, proc, err) < 0) {
                strv_free(caps);
                return cpod_error_rc(err, -EINVAL);
        }
        *ret_caps = caps;
        return 0;
}

/* --pid/--ipc/--uts/--network: host (no namespace of its own), a file to join (joins), else a new one. */
static void mode_ns(json_t *ns, const char *mode, const char *path, const char *type)
{
        if (path)
                json_array_append_new(ns, json_pack("{s:s, s:s}", "type", type, "path", path));
        else if (!mode || strcmp(mode, "host") != 0)
                json_array_append_new(ns, json_pack("{s:s}", "type", type));
}

static json_t *namespaces(const struct ctr_config *cfg, const struct spec_joins *j, enum cpod_cgroup_mode mode)
{
        json_t *ns = json_array();

        mode_ns(ns, cfg->pid_mode, j->pid, "pid");
        mode_ns(ns, cfg->ipc_mode, j->ipc, "ipc");
        mode_ns(ns, cfg->uts_mode, j->uts, "uts");
        json_array_append_new(ns, json_pack("{s:s}", "type", "mount"));
        mode_ns(ns, cfg->network_mode, j->net, "network");
        /* No --cgroupns: a namespace of its own on cgroup v2, the host's on v1 (podman's defaults). */
        if (j->cgroup || (cfg->cgroupns_mode && *cfg->cgroupns_mode ? strcmp(cfg->cgroupns_mode, "host") != 0
                                                                    : mode == CPOD_CGROUP_V2))
                mode_ns(ns, NULL, j->cgroup, "cgroup");
        return ns;
}

/* Does the container get a new namespace of this type (not joined, not the host's)? */
static bool ns_private(json_t *lx, const char *type)
{
        size_t i;
        json_t *e;

        json_array_foreach(json_object_get(lx, "namespaces"), i, e)
                if (strcmp(json_get_str(e, "type"), type) == 0)
                        return !json_get_str(e, "path");
        return false;
}

static int add_seccomp(struct cpod_runtime *rt, const struct ctr_config *cfg, char **caps, json_t *linux_,
                       cpod_error_t *err)
{
        const char *profile = rt->config->seccomp_profile;
        json_t *p;

        if (cfg->privileged)
                return 0;
        for (char **o = cfg->security_opt; o && *o; o++)
                if (strncmp(*o, "seccomp=", 8) == 0)
                        profile = *o + 8;
        if (profile && strcmp(profile, "unconfined") == 0)
                return 0;
        p = seccomp_profile_for(profile, caps, cpod_goarch(), err);
        if (!p) {
                if (err && err->kind == CPOD_E_NOT_SUPPORTED && err->code == ENOENT &&
                    profile == rt->config->seccomp_profile) {
                        log_debug("no seccomp profile at %s, running without one", profile);
                        cpod_error_clear(err);
                        return 0;
                }
                return cpod_error_rc(err, -EINVAL);
        }
        json_object_set_new(linux_, "seccomp", p);
        return 0;
}

static json_t *sysctls(struct cpod_runtime *rt, const struct ctr_config *cfg)
{
        json_t *s = json_object(), *user = cfg->sysctls;
        const char *net = cfg->network_mode;
        /* the defaults' net.* cannot be written in a network namespace the container's user namespace does not own */
        bool foreign_net = (net && strcmp(net, "host") == 0) || userns_net_foreign(cfg);
        const char *k;
        json_t *v;

        for (char **d = rt->config->default_sysctls; d && *d; d++) {
                const char *eq = strchr(*d, '=');
                if (!eq || (strncmp(*d, "net.", 4) == 0 && foreign_net))
                        continue;
                json_object_setn_new(s, *d, (size_t)(eq - *d), json_string(eq + 1));
        }
        json_object_foreach(user, k, v)
                json_object_set(s, k, v);
        return s;
}

static int build_linux(struct cpod_runtime *rt, const struct ctr *c, const struct spec_joins *j, char **caps,
                       json_t *spec, cpod_error_t *err)
{
        const struct ctr_config *cfg = &c->cfg;
        json_t *lx = json_object(), *res;
        bool priv = cfg->privileged;
        const char *parent = cfg->cgroup_parent;
        bool systemd = strcmp(rt->cgroup_manager, "systemd") == 0;
        _cleanup_free_ char *cg = systemd ? xasprintf("%s:cpod:%s", parent ? parent : "machine.slice", c->id)
                                          : xasprintf("%s/cpod-%s", parent ? parent : "/cpod_parent", c->id);

        json_object_set_new(spec, "linux", lx);
        json_object_set_new(lx, "namespaces", namespaces(cfg, j, rt->cgroup_mode));
        userns_spec(cfg, j->user, lx);
        /* A runtime can only set the hostname of a UTS namespace it creates. */
        if (!ns_private(lx, "uts"))
                json_object_del(spec, "hostname");
        if (spec_resources(rt, cfg, &res, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        json_object_set_new(lx, "resources", res);
        if (spec_add_devices(cfg, lx, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        json_object_set_new(lx, "cgroupsPath", json_string(nonempty(cfg->cgroups_path) ? cfg->cgroups_path : cg));
        json_object_set_new(lx, "sysctl", sysctls(rt, cfg));
        if (!priv) {
                json_object_set_new(lx, "maskedPaths", json_strv((char *const *)masked_paths, -1));
                json_object_set_new(lx, "readonlyPaths", json_strv((char *const *)readonly_paths, -1));
        }
        return add_seccomp(rt, cfg, caps, lx, err);
}

static json_t *annotations(const struct ctr *c)
{
        json_t *a = json_object(), *user = c->cfg.annotations;
        const char *k;
        json_t *v;

        json_object_set_new(a, "io.container.manager", json_string("cpod"));
        json_object_set_new(a, "org.opencontainers.image.stopSignal",
                            json_string(nonempty(c->cfg.stop_signal) ? c->cfg.stop_signal : "15"));
        json_object_foreach(user, k, v)
                json_object_set(a, k, v);
        return a;
}

void spec_joins_clear(struct spec_joins *j)
{
        free(j->pid);
        free(j->ipc);
        free(j->uts);
        free(j->net);
        free(j->cgroup);
        free(j->user);
        memset(j, 0, sizeof(*j));
}

int spec_generate(struct cpod_runtime *rt, const struct ctr *c, const struct spec_joins *joins, json_t *image_config,
                  const char *rootfs, json_t **ret, cpod_error_t *err)
{
        json_t *imgcfg = json_object_get(image_config, "config");
        json_t *spec = json_object();
        _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id);
        _cleanup_free_ char *hostname = ns_modes_hostname(rt, c);
        char **caps = NULL;
        int r;

        /* The etc files and $HOSTNAME say the name of the UTS namespace the container is in. */
        if (!hostname)
                hostname = xstrdup(nonempty(c->cfg.hostname) ? c->cfg.hostname : c->cfg.pod_hostname);
        if (!hostname)
                hostname = xstrndup(c->id, 12);
        json_object_set_new(spec, "ociVersion", json_string("1.0.2-dev"));
        json_object_set_new(spec, "hostname", json_string(hostname));
        json_object_set_new(spec, "root", json_pack("{s:s, s:b}", "path", rootfs, "readonly", c->cfg.read_only));
        r = build_process(rt, c, imgcfg, rootfs, hostname, spec, &caps, err);
        if (r == 0)
                r = build_linux(rt, c, joins, caps, spec, err);
        if (r == 0) {
                /* The etc files name the container even when the hostname comes from the pod's UTS namespace. */
                bool joined = !json_object_get(spec, "hostname");
                if (joined)
                        json_object_set_new(spec, "hostname", json_string(hostname));
                r = spec_add_mounts(rt, c, bundle, spec, err);
                if (r == 0)
                        userns_mqueue(&c->cfg, joins->ipc, json_object_get(spec, "mounts"));
                if (r == 0)
                        r = spec_add_secrets(rt, c, spec, err);
                if (joined)
                        json_object_del(spec, "hostname");
        }
        if (r == 0 && nonempty(c->cfg.working_dir))
                r = spec_check_workdir(rootfs, spec, c->id, err);
        json_object_set_new(spec, "annotations", annotations(c));
        /* last: hooks match the final spec */
        if (r == 0)
                r = ctr_hooks_inject(rt, c, spec, err);
        strv_free(caps);
        if (r < 0) {
                json_decref(spec);
                return r;
        }
        *ret = spec;
        return 0;
}
