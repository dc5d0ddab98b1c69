/* SPDX-License-Identifier: Apache-2.0 */
/*
 * linux.resources of the runtime config: devices, the pids limit, and the
 * container's memory and CPU limits (-m, --memory-reservation,
 * --memory-swap, --cpus, --cpu-shares, --cpu-period, --cpu-quota,
 * --cpuset-cpus, --cpuset-mems), checked at create with podman's errors.
 * The runtime writes them to the cgroup, v1 or v2.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/config.h>

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

static int check_memory(const json_t *p, cpod_error_t *err)
{
        json_int_t mem = json_get_int(p, "Memory", 0), swap = json_get_int(p, "MemorySwap", 0),
                   res = json_get_int(p, "MemoryReservation", 0);

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

static int check_cpu(const json_t *p, cpod_error_t *err)
{
        long ncpu = sysconf(_SC_NPROCESSORS_CONF);
        json_t *cpus = json_object_get(p, "Cpus");
        const char *set = json_get_str(p, "CpusetCpus"), *mems = json_get_str(p, "CpusetMems");

        if (cpus && (!json_is_number(cpus) || json_number_value(cpus) < 0.01 || json_number_value(cpus) > (double)ncpu))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "range of CPUs is from 0.01 to %ld.00, as there are only %ld CPUs available",
                                      ncpu, ncpu);
        if (cpus && (json_get_int(p, "CpuQuota", 0) || json_get_int(p, "CpuPeriod", 0)))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "--cpus and --cpu-period/--cpu-quota cannot be set together");
        if (json_get_int(p, "CpuQuota", 0) != 0 && json_get_int(p, "CpuQuota", 0) != -1 &&
            json_get_int(p, "CpuQuota", 0) < 1000)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "CPU cfs quota cannot be less than 1ms (i.e. 1000)");
        if (json_get_int(p, "CpuPeriod", 0) != 0 &&
            (json_get_int(p, "CpuPeriod", 0) < 1000 || json_get_int(p, "CpuPeriod", 0) > 1000000))
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

int spec_resources_check(struct cpod_runtime *rt, const json_t *params, cpod_error_t *err)
{
        json_int_t swap = json_get_int(params, "MemorySwap", 0);

        if (check_memory(params, err) < 0 || check_cpu(params, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        /* As podman: a warning, and the memory limit alone. */
        if (swap > 0 && !swap_limit_supported(rt->cgroup_mode))
                rt_warn(rt, "Your kernel does not support swap limit capabilities or the cgroup is not mounted. "
                            "Memory limited without swap.");
        return 0;
}

static json_t *memory(struct cpod_runtime *rt, const json_t *p)
{
        json_int_t mem = json_get_int(p, "Memory", 0), swap = json_get_int(p, "MemorySwap", 0),
                   res = json_get_int(p, "MemoryReservation", 0);
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

static json_t *cpu(const json_t *p)
{
        json_t *c = json_object(), *cpus = json_object_get(p, "Cpus");

        if (json_get_int(p, "CpuShares", 0) > 0)
                json_object_set_new(c, "shares", json_integer(json_get_int(p, "CpuShares", 0)));
        if (json_is_number(cpus)) {
                json_object_set_new(c, "period", json_integer(100000));
                json_object_set_new(c, "quota", json_integer((json_int_t)(json_number_value(cpus) * 100000 + 0.5)));
        }
        if (json_get_int(p, "CpuPeriod", 0))
                json_object_set_new(c, "period", json_integer(json_get_int(p, "CpuPeriod", 0)));
        if (json_get_int(p, "CpuQuota", 0))
                json_object_set_new(c, "quota", json_integer(json_get_int(p, "CpuQuota", 0)));
        if (json_get_str(p, "CpusetCpus"))
                json_object_set_new(c, "cpus", json_string(json_get_str(p, "CpusetCpus")));
        if (json_get_str(p, "CpusetMems"))
                json_object_set_new(c, "mems", json_string(json_get_str(p, "CpusetMems")));
        if (json_object_size(c) == 0) {
                json_decref(c);
                return NULL;
        }
        return c;
}

json_t *spec_resources(struct cpod_runtime *rt, const json_t *params)
{
        json_int_t pids = json_get_int(params, "PidsLimit", rt->config->pids_limit);
        json_t *r = json_pack("{s:[{s:b, s:s}]}", "devices", "allow",
                              json_is_true(json_object_get(params, "Privileged")), "access", "rwm");
        json_t *m = memory(rt, params), *c = cpu(params);

        if (pids > 0)
                json_object_set_new(r, "pids", json_pack("{s:I}", "limit", pids));
        if (m)
                json_object_set_new(r, "memory", m);
        if (c)
                json_object_set_new(r, "cpu", c);
        return r;
}
