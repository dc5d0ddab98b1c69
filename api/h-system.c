/* SPDX-License-Identifier: Apache-2.0 */
/* _ping, version and info: what every client asks first (to negotiate the API version). */
#include <string.h>

#include <cpod/container.h>
#include <cpod/image.h>
#include <cpod/info.h>

#include "api/handlers.h"
#include "util/cleanup.h"
#include "util/json.h"

#define API_VERSION "1.41"
#define API_MIN_VERSION "1.24"

enum MHD_Result api_ping(struct api_req *r)
{
        struct MHD_Response *resp;
        enum MHD_Result ret;
        bool head = strcmp(r->method, "HEAD") == 0;

        resp = MHD_create_response_from_buffer(head ? 0 : 2, (void *)"OK", MHD_RESPMEM_PERSISTENT);
        if (!resp)
                return MHD_NO;
        (void)MHD_add_response_header(resp, "Api-Version", API_VERSION);
        (void)MHD_add_response_header(resp, "Builder-Version", "1");
        (void)MHD_add_response_header(resp, "Docker-Experimental", "false");
        (void)MHD_add_response_header(resp, "Cache-Control", "no-cache, no-store, must-revalidate");
        (void)MHD_add_response_header(resp, "Pragma", "no-cache");
        (void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
        ret = MHD_queue_response(r->conn, 200, resp);
        MHD_destroy_response(resp);
        return ret;
}

enum MHD_Result api_version(struct api_req *r)
{
        _cleanup_json_ json_t *v = cpod_version_info();
        const char *ver = api_str(v, "Version");
        json_t *details = json_pack("{s:s, s:s, s:s, s:s}", "ApiVersion", API_VERSION, "MinAPIVersion", API_MIN_VERSION,
                                    "GitCommit", api_str(v, "GitCommit"), "Os", "linux");

        return api_reply_json(r, 200,
                              json_pack("{s:{s:s}, s:[{s:s, s:s, s:o}], s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}",
                                        "Platform", "Name", "cpod", "Components", "Name", "Engine", "Version", ver,
                                        "Details", details, "Version", ver, "ApiVersion", API_VERSION, "MinAPIVersion",
                                        API_MIN_VERSION, "GitCommit", api_str(v, "GitCommit"), "GoVersion",
                                        api_str(v, "CompilerVersion"), "Os", "linux", "Arch", cpod_goarch(),
                                        "BuildTime", api_str(v, "BuiltTime"), "Experimental", false));
}

/* Containers by state, as Docker's info counts them. */
static void count_containers(struct cpod_runtime *rt, json_t *out)
{
        _cleanup_json_ json_t *list = NULL;
        cpod_error_t err = CPOD_ERROR_INIT;
        long running = 0, paused = 0, total = 0;
        size_t i;
        json_t *c;

        if (cpod_ctr_list(rt, true, &list, &err) < 0) {
                cpod_error_clear(&err);
                list = json_array();
        }
        json_array_foreach(list, i, c) {
                const char *st = api_str(c, "State");
                total++;
                running += strcmp(st, "running") == 0;
                paused += strcmp(st, "paused") == 0;
        }
        json_object_set_new(out, "Containers", json_integer(total));
        json_object_set_new(out, "ContainersRunning", json_integer(running));
        json_object_set_new(out, "ContainersPaused", json_integer(paused));
        json_object_set_new(out, "ContainersStopped", json_integer(total - running - paused));
}

static json_t *docker_info(struct cpod_runtime *rt, json_t *pi)
{
        json_t *host = json_object_get(pi, "host"), *store = json_object_get(pi, "store");
        _cleanup_json_ json_t *images = NULL;
        cpod_error_t err = CPOD_ERROR_INIT;
        json_t *out;

        if (cpod_image_list(rt, &images, &err) < 0)
                cpod_error_clear(&err);
        out = json_pack("{s:s, s:i, s:s, s:[], s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{}, s:[], "
                        "s:[], s:s, s:s}",
                        "ID", "", "Images", (int)json_array_size(images), "Driver", api_str(store, "graphDriverName"),
                        "DriverStatus", "MemTotal", json_get_int(host, "memTotal", 0), "NCPU",
                        json_get_int(host, "cpus", 0), "KernelVersion", api_str(host, "kernel"), "OperatingSystem",
                        api_str(json_object_get(host, "distribution"), "distribution"), "OSType", "linux",
                        "Architecture", api_str(host, "arch"), "Name", api_str(host, "hostname"), "ServerVersion",
                        cpod_version(), "CgroupDriver", api_str(host, "cgroupManager"), "CgroupVersion",
                        strcmp(api_str(host, "cgroupVersion"), "v2") == 0 ? "2" : "1", "DockerRootDir",
                        api_str(store, "graphRoot"), "Runtimes", "SecurityOptions", "Warnings", "DefaultRuntime",
                        api_str(json_object_get(host, "ociRuntime"), "name"), "LoggingDriver", "k8s-file");
        count_containers(rt, out);
        return out;
}

enum MHD_Result api_info(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *pi = NULL;
        struct cpod_runtime *rt;
        enum MHD_Result ret;

        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_system_info(rt, &pi, &err) < 0)
                return api_reply_cpod_error(r, &err);
        return api_reply_json(r, 200, docker_info(rt, pi));
}
