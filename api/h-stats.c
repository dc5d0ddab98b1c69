/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GET /containers/{id}/stats: cpod_ctr_stats samples, one a second (stream, the default) or one
 * pair (stream=false; one-shot=true: a single sample), as Docker's stats objects.  Docker's client
 * takes the CPU share as the container's CPU time over system_cpu_usage times online_cpus; cpod
 * measures the container against the wall clock, so system_cpu_usage is that clock times the CPUs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cpod/stats.h>

#include "api/deferred.h"
#include "api/handlers.h"
#include "api/hijack.h"
#include "api/server.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

struct stats_job {
        char *id;
        bool stream, one_shot;
};

static char *rfc3339(uint64_t ns)
{
        time_t sec = (time_t)(ns / 1000000000ULL);
        struct tm tm;
        char buf[32];

        gmtime_r(&sec, &tm);
        strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
        return xasprintf("%s.%09lluZ", buf, (unsigned long long)(ns % 1000000000ULL));
}

static json_t *cpu_stats(const struct cpod_ctr_stats *s, long ncpu)
{
        if (!s)
                return json_pack("{s:{s:i}, s:i, s:i}", "cpu_usage", "total_usage", 0, "system_cpu_usage", 0,
                                 "online_cpus", (int)ncpu);
        return json_pack("{s:{s:I, s:I, s:I}, s:I, s:i}", "cpu_usage", "total_usage", (json_int_t)s->cpu_nano,
                         "usage_in_kernelmode", (json_int_t)s->cpu_system_nano, "usage_in_usermode",
                         (json_int_t)(s->cpu_nano - s->cpu_system_nano), "system_cpu_usage",
                         (json_int_t)(s->system_nano * (uint64_t)ncpu), "online_cpus", (int)ncpu);
}

static json_t *docker_stats(const struct cpod_ctr_stats *s, const struct cpod_ctr_stats *prev)
{
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        _cleanup_free_ char *read = rfc3339(s->system_nano), *preread = rfc3339(prev ? prev->system_nano : 0);
        _cleanup_free_ char *name = xasprintf("/%s", s->name ? s->name : "");

        ncpu = ncpu > 0 ? ncpu : 1;
        return json_pack("{s:s, s:s, s:s, s:s, s:{s:I}, s:{s:{s:I, s:I}}, s:{s:I, s:I, s:{}}, "
                         "s:{s:[{s:s, s:I}, {s:s, s:I}]}, s:o, s:o}",
                         "id", s->id, "name", name, "read", read, "preread", preread, "pids_stats", "current",
                         (json_int_t)s->pids, "networks", "eth0", "rx_bytes", (json_int_t)s->net_input, "tx_bytes",
                         (json_int_t)s->net_output, "memory_stats", "usage", (json_int_t)s->mem_usage, "limit",
                         (json_int_t)s->mem_limit, "stats", "blkio_stats", "io_service_bytes_recursive", "op", "read",
                         "value", (json_int_t)s->block_input, "op", "write", "value", (json_int_t)s->block_output,
                         "cpu_stats", cpu_stats(s, ncpu), "precpu_stats", cpu_stats(prev, ncpu));
}

static int emit(int fd, json_t *j)
{
        _cleanup_free_ char *text = json_dumps(j, JSON_COMPACT);
        int r = text && api_write_all(fd, text, strlen(text)) == 0 && api_write_all(fd, "\n", 1) == 0 ? 0 : -1;

        json_decref(j);
        return r;
}

static void produce(void *ud, struct api_server *srv, int fd)
{
        struct stats_job *job = ud;
        struct cpod_ctr_stats prev = { 0 }, cur = { 0 };
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt = NULL;
        bool have_prev = false;

        if (fd >= 0 && cpod_runtime_open(srv->opts->rt_opts, &rt, &err) == 0) {
                /* Until the client goes (a write fails) or the container does; stream=false: two samples. */
                while (cpod_ctr_stats(rt, job->id, have_prev ? &prev : NULL, &cur, &err) == 0) {
                        bool last = !job->stream && (have_prev || job->one_shot);
                        if ((have_prev || job->one_shot || job->stream) &&
                            emit(fd, docker_stats(&cur, have_prev ? &prev : NULL)) < 0)
                                last = true;
                        cpod_ctr_stats_clear(&prev);
                        prev = cur;
                        memset(&cur, 0, sizeof(cur));
                        have_prev = true;
                        if (last)
                                break;
                        sleep(1);
                }
        }
        cpod_ctr_stats_clear(&prev);
        cpod_ctr_stats_clear(&cur);
        cpod_error_clear(&err);
        cpod_runtime_unref(rt);
        free(job->id);
        free(job);
}

enum MHD_Result api_ctr_stats(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_ctr_stats probe = { 0 };
        struct cpod_runtime *rt;
        struct stats_job *job;
        enum MHD_Result ret;

        if (!(rt = api_rt(r, &ret)))
                return ret;
        /* A first sample before the 200: an unknown container is a 404. */
        if (cpod_ctr_stats(rt, r->arg[0], NULL, &probe, &err) < 0)
                return api_reply_cpod_error(r, &err);
        job = xnew0(struct stats_job, 1);
        job->id = xstrdup(probe.id);
        job->stream = api_query_bool(r, "stream", true);
        job->one_shot = api_query_bool(r, "one-shot", false);
        cpod_ctr_stats_clear(&probe);
        return api_reply_deferred(r, "application/json", produce, job);
}
