/* SPDX-License-Identifier: Apache-2.0 */
/*
 * linux.resources of the runtime config: devices, the pids limit, and the
 * container's memory and CPU limits (-m, --memory-reservation,
 * --memory-swap, --cpus, --cpu-shares, --cpu-period, --cpu-quota,
 * --cpuset-cpus, --cpuset-mems), checked at create with podman's errors;
 * spec-blkio.c and spec-cgroup.c add block IO and the other cgroup options.
 * The runtime writes them to the cgroup, v1 or v2.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/config.h>

#include "ctr/ctr-config.h"
#include "ctr/spec.h"
#include "runtime/runtime-internal.h"
#include "util/json.h"
#include "util/log.h"

#define MIN_MEMORY (6 * 1024 * 1024)

/*
 * Can the memory cgroup limit swap here?  v1 needs swap accounting
 * (memory.memsw.*).  v2 is assumed to have it (memory.swap.max exists in
 * every non-root cgroup of a kernel built with swap accounting, and no
 * cgroup is at hand to look at before the container's is made).
 */
static bool swap_limit_supported(enum cpod_cgroup_mode mode)
{
        if (mode == CPOD_CGROUP_V2)
                return true;
        return access("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes", F_OK) == 0;
}

/* "0-2,4": CPU or node numbers below max. */
static bool valid_set(const char *s, long max)
{
        char *end;

        if (!*s)
                return false;
        while (*s) {
                long a = strtol(s, &end, 10), b = a;
                if (end == s || a < 0)
                        return false;
                if (*end == '-') {
                        s = end + 1;
                        b = strtol(s, &end, 10);
                        if (end == s || b < a)
                                return false;
                }
                if (b >= max)
                        return false;
                if (*end == ',' && end[1])
                        end++;
                else if (*end)
                        return false;
                s = end;
        }
        return true;
}

static int check_memory(const struct ctr_config *p, cpod_error_t *err)
{
        int64_t mem = p->memory, swap = p->memory_swap, res = p->memory_reservation;

        if (mem < 0 || (mem > 0 && mem < MIN_MEMORY))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "minimum memory limit allowed is 6MB");
        if (res < 0 || (res > 0 && res < MIN_MEMORY))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "minimum memory reservation allowed is 6MB");
        if (mem > 0 && res > mem)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "minimum memory limit can not be less than memory reservation limit, see usage");
        if (swap != 0 && swap != -1 && mem <= 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "you should always set a memory limit when using a memory swap limit");
        if (swap > 0 && swap < mem)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "minimum memoryswap limit should be larger than memory limit, see usage");
        return 0;
}

static int check_cpu(const struct ctr_config *p, cpod_error_t *err)
{
        long ncpu = sysconf(_SC_NPROCESSORS_CONF);
        const char *set = p->cpuset_cpus, *mems = p->cpuset_mems;

        if (p->has_cpus && (p->cpus < 0.01 || p->cpus > (double)ncpu))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "range of CPUs is from 0.01 to %ld.00, as there are only %ld CPUs available",
                                      ncpu, ncpu);
        if (p->has_cpus && (p->cpu_quota || p->cpu_period))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "--cpus and --cpu-period/--cpu-quota cannot be set together");
        if (p->cpu_quota != 0 && p->cpu_quota != -1 && p->cpu_quota < 1000)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "CPU cfs quota cannot be less than 1ms (i.e. 1000)");
        if (p->cpu_period != 0 && (p->cpu_period < 1000 || p->cpu_period > 1000000))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "CPU cfs period cannot be less than 1ms (i.e. 1000) or larger than 1s "
                                      "(i.e. 1000000)");
        if (set && !valid_set(set, ncpu))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "invalid value %s for cpuset cpus: this host has CPUs 0-%ld", set, ncpu - 1);
        if (mems && !valid_set(mems, 1024))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid value %s for cpuset mems", mems);
        return 0;
}

int spec_resources_check(struct cpod_runtime *rt, const struct ctr_config *params, cpod_error_t *err)
{
        int64_t swap = params->memory_swap;

        if (check_memory(params, err) < 0 || check_cpu(params, err) < 0 || spec_blkio_check(rt, params, err) < 0 ||
            spec_cgroup_check(rt, params, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if (params->has_oom_score_adj && (params->oom_score_adj < -1000 || params->oom_score_adj > 1000))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "invalid --oom-score-adj %lld: it must be between -1000 and 1000",
                                      (long long)params->oom_score_adj);
        /* As podman: a warning, and the memory limit alone. */
        if (swap > 0 && !swap_limit_supported(rt->cgroup_mode))
                rt_warn(rt, "Your kernel does not support swap limit capabilities or the cgroup is not mounted. "
                            "Memory limited without swap.");
        return 0;
}

static json_t *memory(struct cpod_runtime *rt, const struct ctr_config *p)
{
        int64_t mem = p->memory, swap = p->memory_swap, res = p->memory_reservation;
        json_t *m = json_object();

        if (mem > 0)
                json_object_set_new(m, "limit", json_integer(mem));
        if (res > 0)
                json_object_set_new(m, "reservation", json_integer(res));
        /* As podman: with a limit and no --memory-swap, as much swap again as memory. */
        if (swap == 0 && mem > 0)
                swap = 2 * mem;
        if (swap != 0 && (mem > 0 || swap == -1) && swap_limit_supported(rt->cgroup_mode))
                json_object_set_new(m, "swap", json_integer(swap));
        if (json_object_size(m) == 0) {
                json_decref(m);
                return NULL;
        }
        return m;
}

static json_t *cpu(const struct ctr_config *p)
{
        json_t *c = json_object();

        if (p->cpu_shares > 0)
                json_object_set_new(c, "shares", json_integer(p->cpu_shares));
        if (p->has_cpus) {
                json_object_set_new(c, "period", json_integer(100000));
                json_object_set_new(c, "quota", json_integer((json_int_t)(p->cpus * 100000 + 0.5)));
        }
        if (p->cpu_period)
                json_object_set_new(c, "period", json_integer(p->cpu_period));
        if (p->cpu_quota)
                json_object_set_new(c, "quota", json_integer(p->cpu_quota));
        if (p->cpuset_cpus)
                json_object_set_new(c, "cpus", json_string(p->cpuset_cpus));
        if (p->cpuset_mems)
                json_object_set_new(c, "mems", json_string(p->cpuset_mems));
        if (json_object_size(c) == 0) {
                json_decref(c);
                return NULL;
        }
        return c;
}

int spec_resources(struct cpod_runtime *rt, const struct ctr_config *params, json_t **ret, cpod_error_t *err)
{
        int64_t pids = params->has_pids_limit ? params->pids_limit : rt->config->pids_limit;
        json_t *r = json_pack("{s:[{s:b, s:s}]}", "devices", "allow", params->privileged, "access", "rwm");
        json_t *m = memory(rt, params), *c = cpu(params);

        if (pids > 0)
                json_object_set_new(r, "pids", json_pack("{s:I}", "limit", pids));
        if (m)
                json_object_set_new(r, "memory", m);
        if (c)
                json_object_set_new(r, "cpu", c);
        spec_cgroup_resources(rt, params, r);
        if (spec_blkio(rt, params, r, err) < 0) {
                json_decref(r);
                return cpod_error_rc(err, -EINVAL);
        }
        *ret = r;
        return 0;
}
