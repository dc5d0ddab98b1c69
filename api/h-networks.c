/* SPDX-License-Identifier: Apache-2.0 */
/* Networks (cli/cmd-network.c), in Docker's shape: Name, Id, Driver, Scope, IPAM, Internal, Labels. */
#include <string.h>

#include <cpod/network.h>

#include "api/handlers.h"
#include "util/cleanup.h"
#include "util/json.h"

static json_t *docker_network(const json_t *n)
{
        json_t *config = json_array(), *s, *labels = json_object_get(n, "labels");
        size_t i;

        json_array_foreach(json_object_get(n, "subnets"), i, s)
                json_array_append_new(config, json_pack("{s:s, s:s}", "Subnet", api_str(s, "subnet"), "Gateway",
                                                        api_str(s, "gateway")));
        return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:{s:s, s:o, s:{}}, s:b, s:b, s:b, s:{}, s:o, s:o}", "Name",
                         api_str(n, "name"), "Id", api_str(n, "id"), "Created", api_str(n, "created"), "Scope", "local",
                         "Driver", api_str(n, "driver"), "EnableIPv6", json_get_bool(n, "ipv6_enabled", false), "IPAM",
                         "Driver", "default", "Config", config, "Options", "Internal",
                         json_get_bool(n, "internal", false), "Attachable", false, "Ingress", false, "Containers",
                         "Options",
                         json_is_object(json_object_get(n, "options")) ? json_incref(json_object_get(n, "options"))
                                                                       : json_object(),
                         "Labels", json_is_object(labels) ? json_incref(labels) : json_object());
}

enum MHD_Result api_network_list(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        const char *filters = api_query(r, "filters");
        _cleanup_json_ json_t *list = NULL;
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        json_t *out, *n;
        size_t i;

        if (filters && *filters && strcmp(filters, "{}") != 0)
                return api_reply_error(r, 400, "filters are not supported yet");
        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_network_list(rt, &list, &err) < 0)
                return api_reply_cpod_error(r, &err);
        out = json_array();
        json_array_foreach(list, i, n)
                json_array_append_new(out, docker_network(n));
        return api_reply_json(r, 200, out);
}

enum MHD_Result api_network_inspect(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *n = NULL;
        struct cpod_runtime *rt;
        enum MHD_Result ret;

        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_network_inspect(rt, r->arg[0], &n, &err) < 0)
                return api_reply_cpod_error(r, &err);
        return api_reply_json(r, 200, docker_network(json_is_array(n) ? json_array_get(n, 0) : n));
}

enum MHD_Result api_network_create(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *body = NULL, *req = NULL, *n = NULL;
        json_t *ipam, *cfg;
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        size_t i;

        if (!(body = api_body_json(r, true, &ret)))
                return ret;
        if (!json_string_length(json_object_get(body, "Name")))
                return api_reply_error(r, 400, "network name is required");
        req = json_pack("{s:O, s:b, s:b}", "name", json_object_get(body, "Name"), "internal",
                        json_get_bool(body, "Internal", false), "ipv6", json_get_bool(body, "EnableIPv6", false));
        if (json_string_length(json_object_get(body, "Driver")))
                json_object_set(req, "driver", json_object_get(body, "Driver"));
        if (json_is_object(json_object_get(body, "Labels")))
                json_object_set(req, "labels", json_object_get(body, "Labels"));
        if (json_is_object(json_object_get(body, "Options")))
                json_object_set(req, "options", json_object_get(body, "Options"));
        /* IPAM.Config: subnets with their gateways and ranges by position ("" where one has none) */
        ipam = json_object_get(body, "IPAM");
        json_object_set_new(req, "subnet", json_array());
        json_object_set_new(req, "gateway", json_array());
        json_object_set_new(req, "ip_range", json_array());
        json_array_foreach(json_object_get(ipam, "Config"), i, cfg) {
                static const char *const keys[][2] = { { "Subnet", "subnet" },
                                                       { "Gateway", "gateway" },
                                                       { "IPRange", "ip_range" } };
                if (!json_string_length(json_object_get(cfg, "Subnet")))
                        return api_reply_error(r, 400, "IPAM.Config: every entry needs a Subnet");
                for (size_t k = 0; k < 3; k++) {
                        const char *v = json_get_str(cfg, keys[k][0]);
                        json_array_append_new(json_object_get(req, keys[k][1]), json_string(v ? v : ""));
                }
        }
        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_network_create(rt, req, &n, &err) < 0)
                return api_reply_cpod_error(r, &err);
        return api_reply_json(r, 201, json_pack("{s:s, s:s}", "Id", api_str(n, "id"), "Warning", ""));
}

enum MHD_Result api_network_delete(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt;
        enum MHD_Result ret;

        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_network_remove(rt, r->arg[0], false, -1, NULL, &err) < 0)
                return api_reply_cpod_error(r, &err);
        return api_reply_empty(r, 204);
}

/* POST /networks/{id}/connect {"Container", "EndpointConfig"}: docker network connect, docker-compose's aliases. */
enum MHD_Result api_network_connect(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *body = NULL, *opts = json_object();
        struct cpod_runtime *rt;
        enum MHD_Result ret;
        const char *bad;

        if (!(body = api_body_json(r, true, &ret)))
                return ret;
        if (!*api_str(body, "Container"))
                return api_reply_error(r, 400, "connect: want a \"Container\"");
        if ((bad = api_endpoint_opts(json_object_get(body, "EndpointConfig"), opts)))
                return api_reply_error(r, 400, "EndpointConfig: %s is not supported by cpod yet", bad);
        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_network_connect(rt, r->arg[0], api_str(body, "Container"), opts, &err) < 0)
                return api_reply_cpod_error(r, &err);
        return api_reply_empty(r, 200);
}

/* POST /networks/{id}/disconnect {"Container", "Force"}. */
enum MHD_Result api_network_disconnect(struct api_req *r)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *body = NULL;
        struct cpod_runtime *rt;
        enum MHD_Result ret;

        if (!(body = api_body_json(r, true, &ret)))
                return ret;
        if (!*api_str(body, "Container"))
                return api_reply_error(r, 400, "disconnect: want a \"Container\"");
        if (!(rt = api_rt(r, &ret)))
                return ret;
        if (cpod_network_disconnect(rt, r->arg[0], api_str(body, "Container"), &err) < 0)
                return api_reply_cpod_error(r, &err);
        return api_reply_empty(r, 200);
}
