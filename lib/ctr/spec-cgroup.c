/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cgroup options beyond memory, CPU and block IO limits:
 * --memory-swappiness, --oom-kill-disable, --cpu-rt-period/--cpu-rt-runtime,
 * --cgroup-conf (cgroup v2 files), --cgroups (the cgroup mode) and
 * --sysctl.  Checked at create (and update), with podman's errors; a limit
 * the kernel has no file for is dropped with podman's warning, as
 * podman's verifyContainerResources does.
 *
 * --cgroups: "enabled" and "no-conmon" run the container in its own cgroup;
 * cpod never moves conmon into a cgroup of its own, so the two are the same
 * here.  "disabled" needs a runtime that runs containers without a cgroup:
 * runc always makes one, so it is podman's error with runc, and cpod does
 * not pass crun's --cgroup-manager=disabled yet, so it is an error there
 * too.  "split" (the container under the caller's own cgroup) is refused:
 * cpod does not move itself into a sub-cgroup as podman does, and on
 * cgroup v1 the caller's cgroup differs per controller.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/runtime.h>

#include "ctr/ctr-config.h"
#include "ctr/spec.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

/* A cgroup v1 file of a controller: is it there?  (On v2 podman checks none of these.) */
static bool v1_has(struct cpod_runtime *rt, const char *controller, const char *file)
{
        _cleanup_free_ char *path = NULL;

        if (rt->cgroup_mode == CPOD_CGROUP_V2)
                return true;
        path = xasprintf("/sys/fs/cgroup/%s/%s", controller, file);
        return access(path, F_OK) == 0;
}

static bool swappiness_ok(struct cpod_runtime *rt, const struct ctr_config *cfg)
{
        return cfg->has_memory_swappiness && cfg->memory_swappiness >= 0 && v1_has(rt, "memory", "memory.swappiness");
}

/* The real-time limits: cgroup v1's cpu.rt_period_us and cpu.rt_runtime_us. */
static bool rt_ok(struct cpod_runtime *rt, const char *file)
{
        return rt->cgroup_mode != CPOD_CGROUP_V2 && v1_has(rt, "cpu", file);
}

static int check_cpu_rt(struct cpod_runtime *rt, const struct ctr_config *cfg, cpod_error_t *err)
{
        if (cfg->cpu_rt_period < 0 || cfg->cpu_rt_runtime < -1)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid real-time period or runtime");
        if (cfg->cpu_rt_period > 0 && cfg->cpu_rt_runtime > cfg->cpu_rt_period)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "cpu real-time runtime cannot be higher than cpu real-time period");
        if (rt->cgroup_mode == CPOD_CGROUP_V2) {
                if (cfg->cpu_rt_period)
                        rt_warn(rt, "Realtime period not supported on cgroups V2 systems");
                if (cfg->cpu_rt_runtime)
                        rt_warn(rt, "Realtime runtime not supported on cgroups V2 systems");
                return 0;
        }
        /* podman leaves this to the runtime's failure; cpod says so at create and drops the limit. */
        if (cfg->cpu_rt_period && !rt_ok(rt, "cpu.rt_period_us"))
                rt_warn(rt, "Your kernel does not support CPU real-time period or the cgroup is not mounted. "
                            "Realtime period discarded.");
        if (cfg->cpu_rt_runtime && !rt_ok(rt, "cpu.rt_runtime_us"))
                rt_warn(rt, "Your kernel does not support CPU real-time runtime or the cgroup is not mounted. "
                            "Realtime runtime discarded.");
        return 0;
}

static int check_cgroup_conf(struct cpod_runtime *rt, const struct ctr_config *cfg, cpod_error_t *err)
{
        const char *k;
        json_t *v;

        if (!json_object_size(cfg->cgroup_conf))
                return 0;
        if (rt->cgroup_mode != CPOD_CGROUP_V2)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "cannot use --cgroup-conf without cgroup v2");
        /* A key names a file of the container's cgroup, nothing outside it. */
        json_object_foreach(cfg->cgroup_conf, k, v)
                if (!*k || strchr(k, '/') || strcmp(k, ".") == 0 || strcmp(k, "..") == 0)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "invalid --cgroup-conf key \"%s\": it must name a cgroup file", k);
        return 0;
}

static int check_cgroups_mode(struct cpod_runtime *rt, const struct ctr_config *cfg, cpod_error_t *err)
{
        const char *m = cfg->cgroups_mode, *parent = cfg->cgroup_parent;
        const struct cpod_oci_runtime *oci;

        if (!m || !*m || strcmp(m, "enabled") == 0 || strcmp(m, "no-conmon") == 0)
                return 0;
        if (strcmp(m, "split") == 0) {
                if (parent && *parent)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "cannot specify --cgroup-mode=split with a cgroup-parent: invalid "
                                              "argument");
                return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                                      "cgroup mode \"split\" is not supported by cpod: it does not move itself into "
                                      "a sub-cgroup of the caller's cgroup");
        }
        if (strcmp(m, "disabled") != 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid cgroup mode \"%s\": invalid argument", m);
        if (cfg->pid_mode && strncmp(cfg->pid_mode, "container:", 10) == 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "cannot join another container's PID namespace if not creating cgroups: "
                                      "invalid argument");
        if (parent && *parent)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "cannot set cgroup parent if not creating cgroups: invalid argument");
        if (cfg->pid_mode && (strcmp(cfg->pid_mode, "host") == 0 || strncmp(cfg->pid_mode, "ns:", 3) == 0))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "containers not creating Cgroups must create a private PID namespace: invalid "
                                      "argument");
        if (cpod_runtime_oci(rt, &oci, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (strcmp(oci->name, "crun") != 0 && strcmp(oci->name, "krun") != 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "requested OCI runtime %s is not compatible with NoCgroups: invalid argument",
                                      oci->name);
        return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                              "cgroup mode \"disabled\" is not supported by cpod yet: it does not pass "
                              "--cgroup-manager=disabled to %s",
                              oci->name);
}

int spec_cgroup_check(struct cpod_runtime *rt, const struct ctr_config *cfg, cpod_error_t *err)
{
        int r;

        if (cfg->has_memory_swappiness && cfg->memory_swappiness >= 0) {
                if (!v1_has(rt, "memory", "memory.swappiness"))
                        rt_warn(rt, "Your kernel does not support memory swappiness capabilities, or the cgroup is "
                                    "not mounted. Memory swappiness discarded.");
                else if (cfg->memory_swappiness > 100)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "invalid value: %lld, valid memory swappiness range is 0-100",
                                              (long long)cfg->memory_swappiness);
        }
        if (cfg->oom_kill_disable && !v1_has(rt, "memory", "memory.oom_control"))
                rt_warn(rt, "Your kernel does not support OomKillDisable. OomKillDisable discarded.");
        if ((r = check_cpu_rt(rt, cfg, err)) < 0 || (r = check_cgroup_conf(rt, cfg, err)) < 0 ||
            (r = check_cgroups_mode(rt, cfg, err)) < 0)
                return r;
        return 0;
}

/* The object at key in o, made when missing. */
static json_t *member(json_t *o, const char *key)
{
        json_t *m = json_object_get(o, key);

        if (!m) {
                m = json_object();
                json_object_set_new(o, key, m);
        }
        return m;
}

void spec_cgroup_resources(struct cpod_runtime *rt, const struct ctr_config *cfg, json_t *resources)
{
        if (swappiness_ok(rt, cfg))
                json_object_set_new(member(resources, "memory"), "swappiness", json_integer(cfg->memory_swappiness));
        if (cfg->oom_kill_disable && v1_has(rt, "memory", "memory.oom_control"))
                json_object_set_new(member(resources, "memory"), "disableOOMKiller", json_true());
        if (cfg->cpu_rt_period > 0 && rt_ok(rt, "cpu.rt_period_us"))
                json_object_set_new(member(resources, "cpu"), "realtimePeriod", json_integer(cfg->cpu_rt_period));
        if (cfg->cpu_rt_runtime && rt_ok(rt, "cpu.rt_runtime_us"))
                json_object_set_new(member(resources, "cpu"), "realtimeRuntime", json_integer(cfg->cpu_rt_runtime));
        if (json_object_size(cfg->cgroup_conf) && rt->cgroup_mode == CPOD_CGROUP_V2)
                json_object_set_new(resources, "unified", json_copy(cfg->cgroup_conf));
}

/* podman's namespaced sysctls (ValidateSysctls): these IPC keys, and the net. and fs.mqueue. trees. */
static const char *const ipc_keys[] = {
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
        "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
};

static bool is_host(const char *mode)
{
        return mode && strcmp(mode, "host") == 0;
}

int spec_sysctl_check(const struct ctr_config *cfg, cpod_error_t *err)
{
        const char *k;
        json_t *v;

        json_object_foreach(cfg->sysctls, k, v) {
                bool ok = strncmp(k, "net.", 4) == 0 || strncmp(k, "fs.mqueue.", 10) == 0;
                for (size_t i = 0; !ok && i < sizeof(ipc_keys) / sizeof(ipc_keys[0]); i++)
                        ok = strcmp(k, ipc_keys[i]) == 0;
                if (!ok)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "sysctl '%s' is not allowed", k);
                if (strncmp(k, "net.", 4) == 0 && is_host(cfg->network_mode))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "sysctl %s=%s can't be set since Network Namespace set to host: "
                                              "invalid argument",
                                              k, json_string_value(v));
                if (strncmp(k, "net.", 4) != 0 && is_host(cfg->ipc_mode))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "sysctl %s=%s can't be set since IPC Namespace set to host: invalid "
                                              "argument",
                                              k, json_string_value(v));
        }
        return 0;
}
