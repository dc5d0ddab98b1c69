/* SPDX-License-Identifier: Apache-2.0 */
/*
 * podman's container JSON is close to Docker's; what differs is what Docker clients decode
 * strictly or show: names with a leading "/", image IDs with "sha256:", the state names, the
 * command as one string in listings.
 */
#include <stdlib.h>
#include <string.h>

#include "api/ctr-docker.h"
#include "api/request.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

const char *api_docker_state(const char *s)
{
        if (strcmp(s, "configured") == 0 || strcmp(s, "initialized") == 0)
                return "created";
        if (strcmp(s, "stopped") == 0)
                return "exited";
        if (strcmp(s, "stopping") == 0)
                return "running";
        return s;
}

static json_t *slash_name(const char *name)
{
        return json_string_take(xasprintf("/%s", name));
}

static json_t *sha_id(const char *id)
{
        if (!*id || strncmp(id, "sha256:", 7) == 0)
                return json_string(id);
        return json_string_take(xasprintf("sha256:%s", id));
}

static json_t *joined(const json_t *argv)
{
        struct strbuf sb = STRBUF_INIT;
        json_t *a;
        size_t i;

        json_array_foreach(argv, i, a) {
                if (i)
                        strbuf_addch(&sb, ' ');
                strbuf_addstr(&sb, json_string_value(a) ? json_string_value(a) : "");
        }
        return json_string_take(strbuf_detach(&sb, NULL));
}

/* podman's Created is a Go time in the library's list; Docker's is unix seconds. */
static json_int_t created_unix(const json_t *ps)
{
        json_t *v = json_object_get(ps, "Created");
        int64_t sec = 0;
        long nsec;

        if (json_is_integer(v))
                return json_integer_value(v);
        if (json_is_string(v) && time_parse_rfc3339(json_string_value(v), &sec, &nsec) < 0)
                sec = 0;
        return sec;
}

/* Docker's short status: "Created", "Up", "Exited (N)", "Paused" (without the ages Docker adds). */
static json_t *status_of(const char *state, json_int_t code)
{
        if (strcmp(state, "running") == 0)
                return json_string("Up");
        if (strcmp(state, "paused") == 0)
                return json_string("Up (Paused)");
        if (strcmp(state, "exited") == 0)
                return json_string_take(xasprintf("Exited (%lld)", (long long)code));
        return json_string("Created");
}

json_t *api_docker_ctr_summary(const json_t *ps)
{
        const char *state = api_docker_state(api_str(ps, "State"));
        json_t *names = json_array(), *n, *labels = json_object_get(ps, "Labels");
        const char *net = json_array_size(json_object_get(ps, "Networks")) ? "bridge" : "none";
        size_t i;

        json_array_foreach(json_object_get(ps, "Names"), i, n)
                json_array_append_new(names, slash_name(json_string_value(n)));
        return json_pack("{s:s, s:o, s:s, s:o, s:o, s:I, s:[], s:o, s:s, s:o, s:{s:s}, s:{s:{}}, s:[]}", "Id",
                         api_str(ps, "Id"), "Names", names, "Image", api_str(ps, "Image"), "ImageID",
                         sha_id(api_str(ps, "ImageID")), "Command", joined(json_object_get(ps, "Command")), "Created",
                         created_unix(ps), "Ports", "Labels",
                         json_is_object(labels) ? json_incref(labels) : json_object(), "State", state, "Status",
                         status_of(state, json_get_int(ps, "ExitCode", 0)), "HostConfig", "NetworkMode", net,
                         "NetworkSettings", "Networks", "Mounts");
}

void api_docker_ctr_inspect(json_t *o)
{
        json_t *state = json_object_get(o, "State"), *config = json_object_get(o, "Config"),
               *hc = json_object_get(o, "HostConfig");

        json_object_set_new(o, "Name", slash_name(api_str(o, "Name")));
        json_object_set_new(o, "Image", sha_id(api_str(o, "Image")));
        json_object_set_new(o, "Platform", json_string("linux"));
        if (json_is_object(state))
                json_object_set_new(state, "Status", json_string(api_docker_state(api_str(state, "Status"))));
        /* Docker has State.Health only with a healthcheck (docker-compose shows "Up ()" otherwise). */
        if (json_is_object(state) && !*api_str(json_object_get(state, "Health"), "Status"))
                json_object_del(state, "Health");
        if (json_is_array(json_object_get(hc, "Tmpfs"))) {
                /* podman's list of "PATH[:OPTS]"; Docker's map PATH -> OPTS. */
                json_t *map = json_object(), *t;
                size_t i;
                json_array_foreach(json_object_get(hc, "Tmpfs"), i, t) {
                        const char *v = json_string_value(t) ? json_string_value(t) : "", *colon = strchr(v, ':');
                        char *path = xstrndup(v, colon ? (size_t)(colon - v) : strlen(v));
                        json_object_set_new(map, path, json_string(colon ? colon + 1 : ""));
                        free(path);
                }
                json_object_set_new(hc, "Tmpfs", map);
        }
        if (json_is_object(config) && !json_is_array(json_object_get(config, "Entrypoint")))
                json_object_set_new(config, "Entrypoint", json_null());
}
