/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POST /containers/create: Docker's body (a Config with a HostConfig inside) becomes the params
 * object of cpod_ctr_create, member by member from the tables below; the library checks it as it
 * checks the CLI's.  A member not in the tables is refused unless it is empty (Docker clients send
 * whole structures full of zero values): nothing asked for is silently dropped.
 */
#include <string.h>

#include <cpod/container.h>

#include "api/handlers.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

enum conv {
        COPY,    /* same JSON under cpod's name */
        ARGV,    /* a string or an array of strings -> array */
        NUM_STR, /* bytes as a number -> cpod's string (ShmSize) */
        IGNORE,  /* client-side only (attach flags, console size) */
};

struct member {
        const char *docker, *cpod;
        enum conv conv;
};

static const struct member config_members[] = {
        { "Hostname", "Hostname", COPY },
        { "User", "User", COPY },
        { "Tty", "Tty", COPY },
        { "OpenStdin", "Stdin", COPY },
        { "Env", "Env", COPY },
        { "Cmd", "Command", ARGV },
        { "Entrypoint", "Entrypoint", ARGV },
        { "Image", "Image", COPY },
        { "Labels", "Labels", COPY },
        { "WorkingDir", "WorkingDir", COPY },
        { "StopSignal", "StopSignal", COPY },
        { "StopTimeout", "StopTimeout", COPY },
        { "AttachStdin", NULL, IGNORE },
        { "AttachStdout", NULL, IGNORE },
        { "AttachStderr", NULL, IGNORE },
        { "StdinOnce", NULL, IGNORE },
        { "HostConfig", NULL, IGNORE },
        { "Healthcheck", NULL, IGNORE }, /* convert_health */
        { "NetworkingConfig", NULL, IGNORE },
        { NULL, NULL, 0 },
};

static const struct member host_members[] = {
        { "Binds", "Volumes", COPY },
        { "AutoRemove", "Rm", COPY },
        { "Privileged", "Privileged", COPY },
        { "CapAdd", "CapAdd", COPY },
        { "CapDrop", "CapDrop", COPY },
        { "ReadonlyRootfs", "ReadOnly", COPY },
        { "Dns", "Dns", COPY },
        { "DnsSearch", "DnsSearch", COPY },
        { "DnsOptions", "DnsOption", COPY },
        { "ExtraHosts", "AddHost", COPY },
        { "Init", "Init", COPY },
        { "Memory", "Memory", COPY },
        { "MemoryReservation", "MemoryReservation", COPY },
        { "MemorySwap", "MemorySwap", COPY },
        { "CpuShares", "CpuShares", COPY },
        { "CpuPeriod", "CpuPeriod", COPY },
        { "CpuQuota", "CpuQuota", COPY },
        { "CpusetCpus", "CpusetCpus", COPY },
        { "CpusetMems", "CpusetMems", COPY },
        { "PidsLimit", "PidsLimit", COPY },
        { "ShmSize", "ShmSize", NUM_STR },
        { "SecurityOpt", "SecurityOpt", COPY },
        { "Sysctls", "Sysctls", COPY },
        { "GroupAdd", "GroupAdd", COPY },
        { "VolumesFrom", "VolumesFrom", COPY },
        { "PidMode", "PidMode", COPY },
        { "IpcMode", "IpcMode", COPY },
        { "UTSMode", "UtsMode", COPY },
        { "ConsoleSize", NULL, IGNORE },
        { "NetworkMode", NULL, IGNORE },   /* network_mode() */
        { "RestartPolicy", NULL, IGNORE }, /* restart_policy() */
        { "LogConfig", NULL, IGNORE },     /* log_config() */
        { "Tmpfs", NULL, IGNORE },         /* tmpfs() */
        { NULL, NULL, 0 },
};

/* null, false, 0, "", and arrays or objects of such: what a client sends for "not set". */
static bool is_empty(const json_t *v)
{
        const char *k;
        json_t *x;
        size_t i;

        if (!v)
                return true;
        switch (json_typeof(v)) {
        case JSON_NULL:
        case JSON_FALSE:
                return true;
        case JSON_INTEGER:
                return json_integer_value(v) == 0;
        case JSON_REAL:
                return json_real_value(v) == 0;
        case JSON_STRING:
                return json_string_length(v) == 0;
        case JSON_ARRAY:
                json_array_foreach(v, i, x)
                        if (!is_empty(x))
                                return false;
                return true;
        case JSON_OBJECT:
                json_object_foreach((json_t *)v, k, x)
                        if (!is_empty(x))
                                return false;
                return true;
        default:
                return false;
        }
}

/* Copy the members of src named in the table into params; a non-empty unknown one is an error. */
static const char *convert(const json_t *src, const struct member *table, json_t *params)
{
        const char *key;
        json_t *v;

        json_object_foreach((json_t *)src, key, v) {
                const struct member *m = table;
                while (m->docker && strcmp(m->docker, key) != 0)
                        m++;
                /* -1 is Docker's "not set" for the swappiness. */
                if (!m->docker &&
                    (is_empty(v) || (strcmp(key, "MemorySwappiness") == 0 && json_integer_value(v) == -1)))
                        continue;
                if (!m->docker)
                        return key;
                if (m->conv == IGNORE || json_is_null(v))
                        continue;
                if (m->conv == ARGV && json_is_string(v))
                        json_object_set_new(params, m->cpod, json_pack("[O]", v));
                else if (m->conv == ARGV && is_empty(v)) /* --entrypoint "": none */
                        json_object_set_new(params, m->cpod, json_array());
                else if (is_empty(v))
                        continue; /* unset: the image's or cpod's default */
                else if (m->conv == NUM_STR && json_is_integer(v))
                        json_object_set_new(params, m->cpod,
                                            json_string_take(xasprintf("%lld", (long long)json_integer_value(v))));
                else
                        json_object_set(params, m->cpod, v);
        }
        return NULL;
}

/* A NetworkMode that names a network (not bridge, none, host, container:, ns:, private, default). */
static bool named_network(const char *mode)
{
        static const char *const modes[] = { "",        "default",     "bridge", "none", "host",
                                             "private", "slirp4netns", "pasta",  NULL };

        for (size_t i = 0; modes[i]; i++)
                if (strcmp(mode, modes[i]) == 0)
                        return false;
        return strncmp(mode, "container:", 10) != 0 && strncmp(mode, "ns:", 3) != 0;
}

/* HostConfig members whose form differs from cpod's: network mode, restart policy, log, tmpfs. */
static const char *convert_special(const json_t *hc, json_t *params)
{
        const char *mode = api_str(hc, "NetworkMode"), *name, *path;
        json_t *rp = json_object_get(hc, "RestartPolicy"), *log = json_object_get(hc, "LogConfig"), *v;

        if (*mode && strcmp(mode, "default") != 0 && !named_network(mode))
                json_object_set_new(params, "NetworkMode", json_string(mode));
        name = api_str(rp, "Name");
        if (*name && strcmp(name, "no") != 0) {
                json_int_t n = json_get_int(rp, "MaximumRetryCount", 0);
                json_object_set_new(params, "RestartPolicy",
                                    n ? json_string_take(xasprintf("%s:%lld", name, (long long)n)) : json_string(name));
        }
        name = api_str(log, "Type");
        if (*name && strcmp(name, "json-file") != 0 && strcmp(name, "k8s-file") != 0)
                return "LogConfig";
        if (!is_empty(json_object_get(log, "Config")))
                return "LogConfig";
        json_object_foreach(json_object_get(hc, "Tmpfs"), path, v) {
                json_t *arr = json_object_get(params, "Tmpfs");
                if (!arr)
                        json_object_set_new(params, "Tmpfs", arr = json_array());
                json_array_append_new(arr, json_string_length(v)
                                                   ? json_string_take(xasprintf("%s:%s", path, json_string_value(v)))
                                                   : json_string(path));
        }
        return NULL;
}

/* Config.Healthcheck: Test in Docker's form (cpod keeps that form), durations in ns (as cpod). */
static const char *convert_health(const json_t *body, json_t *params)
{
        static const struct {
                const char *docker, *cpod;
        } nums[] = { { "Interval", "HealthInterval" },
                     { "Timeout", "HealthTimeout" },
                     { "StartPeriod", "HealthStartPeriod" },
                     { "Retries", "HealthRetries" } };
        const json_t *hc = json_object_get(body, "Healthcheck"), *test = json_object_get(hc, "Test"), *v;
        const char *key;

        if (!json_is_object(hc))
                return hc && !json_is_null(hc) ? "Healthcheck" : NULL;
        json_object_foreach((json_t *)hc, key, v) {
                bool known = strcmp(key, "Test") == 0;
                for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]) && !known; i++)
                        known = strcmp(key, nums[i].docker) == 0 && (json_is_integer(v) || json_is_null(v));
                if (!known && !is_empty(v))
                        return "Healthcheck";
        }
        if (json_is_array(test) && json_array_size(test) == 1 && json_is_string(json_array_get(test, 0)) &&
            strcmp(json_string_value(json_array_get(test, 0)), "NONE") == 0)
                json_object_set_new(params, "NoHealthcheck", json_true());
        else if (json_is_array(test) && json_array_size(test) > 0)
                json_object_set(params, "HealthCmd", (json_t *)test);
        for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
                if (json_get_int(hc, nums[i].docker, 0) > 0) /* 0: the image's or the default */
                        json_object_set_new(params, nums[i].cpod, json_integer(json_get_int(hc, nums[i].docker, 0)));
        return NULL;
}

const char *api_endpoint_opts(const json_t *ep, json_t *o)
{
        const json_t *ipam = json_object_get(ep, "IPAMConfig"), *v;
        const char *k;

        json_object_foreach((json_t *)ep, k, v)
                if (strcmp(k, "Aliases") != 0 && strcmp(k, "IPAMConfig") != 0 && strcmp(k, "MacAddress") != 0 &&
                    !is_empty(v))
                        return "NetworkingConfig";
        json_object_foreach((json_t *)ipam, k, v)
                if (strcmp(k, "IPv4Address") != 0 && !is_empty(v))
                        return "NetworkingConfig";
        if (json_array_size(json_object_get(ep, "Aliases")))
                json_object_set(o, "aliases", json_object_get(ep, "Aliases"));
        if (*api_str(ipam, "IPv4Address"))
                json_object_set_new(o, "static_ips", json_pack("[s]", api_str(ipam, "IPv4Address")));
        if (*api_str(ep, "MacAddress"))
                json_object_set_new(o, "static_mac", json_string(api_str(ep, "MacAddress")));
        return NULL;
}

/*
 * The network a NetworkMode names, with the endpoint the client gave for it (docker-compose: its
 * project network and the service's aliases).  Endpoints for other networks are not supported yet.
 */
static const char *convert_networking(const json_t *body, const json_t *hc, json_t *params)
{
        const char *mode = api_str(hc, "NetworkMode"), *name, *bad;
        json_t *eps = json_object_get(json_object_get(body, "NetworkingConfig"), "EndpointsConfig"), *ep, *o;

        json_object_foreach(eps, name, ep)
                if (strcmp(name, mode) != 0 && !is_empty(ep))
                        return "NetworkingConfig";
        if (!named_network(mode))
                return NULL;
        o = json_object();
        if ((bad = api_endpoint_opts(json_object_get(eps, mode), o))) {
                json_decref(o);
                return bad;
        }
        json_object_set_new(params, "NetworkMode", json_string("bridge"));
        json_object_set_new(params, "Networks", json_pack("{s:o}", mode, o));
        return NULL;
}

/* Docker's body as cpod's params; NULL with *ret_bad the member that cannot be honoured. */
static json_t *docker_to_params(const json_t *body, const char *name, const char **ret_bad)
{
        json_t *hc = json_object_get(body, "HostConfig"), *params = json_object();

        if (name && *name)
                json_object_set_new(params, "Name", json_string(name));
        if (!(*ret_bad = convert(body, config_members, params)) &&
            !(hc && (*ret_bad = convert(hc, host_members, params))) &&
            !(hc && (*ret_bad = convert_special(hc, params))) && !(*ret_bad = convert_health(body, params)))
                *ret_bad = convert_networking(body, hc, params);
        if (*ret_bad) {
                json_decref(params);
                return NULL;
        }
        return params;
}

static enum MHD_Result reply_created(struct api_req *r, struct cpod_runtime *rt, const char *id)
{
        char **warnings = cpod_runtime_take_warnings(rt);
        json_t *w = json_array();

        for (size_t i = 0; warnings && warnings[i]; i++) {
                json_array_append_new(w, json_string(warnings[i]));
                free(warnings[i]);
        }
        free(warnings);
        return api_reply_json(r, 201, json_pack("{s:s, s:o}", "Id", id, "Warnings", w));
}

enum MHD_Result api_ctr_create(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *body = NULL, *params = NULL;
        struct cpod_runtime *rt;
        const char *bad = NULL;
        enum MHD_Result ret;
        char id[65];

        if (!(body = api_body_json(r, true, &ret)))
                return ret;
        if (!json_is_string(json_object_get(body, "Image")))
                return api_reply_error(r, 400, "config without an image: want a string \"Image\"");
        if (!json_is_null(json_object_get(body, "HostConfig")) && json_object_get(body, "HostConfig") &&
            !json_is_object(json_object_get(body, "HostConfig")))
                return api_reply_error(r, 400, "invalid HostConfig: want an object");
        params = docker_to_params(body, api_query(r, "name"), &bad);
        if (!params)
                return api_reply_error(r, 400, "%s is not supported by cpod yet", bad);
        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_ctr_create(rt, params, id, &err) < 0)
                return api_reply_cpod_error(r, &err);
        return reply_created(r, rt, id);
}
