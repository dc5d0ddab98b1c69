/* SPDX-License-Identifier: Apache-2.0 */
/* rename and port. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/container.h>

#include "cli/commands.h"
#include "util/cleanup.h"
#include "util/json.h"

static int run_rename(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;

        (void)opts;
        if (argc != 2)
                return cli_errorf("accepts 2 arg(s), received %d", argc);
        if (!cli_runtime(ctx, &err) || cpod_ctr_rename(ctx->rt, argv[0], argv[1], &err) < 0)
                return cli_fail(&err);
        return 0;
}

const struct cli_cmd cmd_rename = {
        .name = "rename",
        .use = "CONTAINER NAME",
        .summary = "Rename an existing container",
        .description = "The cpod rename command allows you to rename an existing container",
        .example = "cpod rename containerA newName",
        .run = run_rename,
        .max_args = -1,
        .complete_args = "containers",
};

struct port_opts {
        bool all, latest;
};

static const struct cli_opt port_opts[] = {
        OPT_B("all", 'a', struct port_opts, all, "Display port information for all containers"),
        OPT_B("latest", 'l', struct port_opts, latest, "Act on the latest container cpod is aware of"),
        OPT_END,
};

/* "80", "80/udp" -> port and protocol; false when it isn't one. */
static bool parse_port(const char *s, long *port, const char **proto)
{
        char *end;

        *port = strtol(s, &end, 10);
        *proto = "tcp";
        if (end == s || *port <= 0 || *port > 65535)
                return false;
        if (*end == '/')
                *proto = end + 1;
        else if (*end)
                return false;
        return true;
}

static void print_ports(const char *prefix, json_t *ports, const char *want)
{
        const char *want_proto = NULL;
        long want_port = 0;
        json_t *m;
        size_t i;

        if (want)
                (void)parse_port(want, &want_port, &want_proto);
        json_array_foreach(ports, i, m) {
                const char *ip = json_get_str(m, "host_ip"), *proto = json_get_str(m, "protocol");
                long cport = (long)json_get_int(m, "container_port", 0), hport = (long)json_get_int(m, "host_port", 0);
                long range = (long)json_get_int(m, "range", 1);

                if (!ip || !*ip)
                        ip = "0.0.0.0";
                if (!proto || !*proto)
                        proto = "tcp";
                for (long k = 0; k < (range > 0 ? range : 1); k++) {
                        if (!want)
                                printf("%s%ld/%s -> %s:%ld\n", prefix, cport + k, proto, ip, hport + k);
                        else if (want_port == cport + k && strcmp(want_proto, proto) == 0)
                                printf("%s:%ld\n", ip, hport + k);
                }
        }
}

static int run_port(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct port_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *all = NULL;
        const char *want_proto;
        long want_port;
        json_t *c;
        size_t i;

        if (!o->all && argc == 0)
                return cli_errorf("you must supply a running container name or id");
        if (o->all && argc > 1)
                return cli_errorf("the port option is not compatible with --all");
        if ((o->all && argc == 1) || argc == 2) {
                const char *p = argv[argc - 1];
                if (!parse_port(p, &want_port, &want_proto))
                        return cli_errorf("invalid port \"%s\"", p);
        }
        if (argc > 2)
                return cli_errorf("too many arguments");
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        if (!o->all) {
                _cleanup_json_ json_t *ports = NULL;
                if (cpod_ctr_port(ctx->rt, argv[0], &ports, &err) < 0)
                        return cli_fail(&err);
                print_ports("", ports, argc == 2 ? argv[1] : NULL);
                return 0;
        }
        if (cpod_ctr_list(ctx->rt, false, &all, &err) < 0)
                return cli_fail(&err);
        json_array_foreach(all, i, c) {
                _cleanup_json_ json_t *ports = NULL;
                char prefix[16];
                if (cpod_ctr_port(ctx->rt, json_get_str(c, "Id"), &ports, &err) < 0) {
                        cpod_error_clear(&err);
                        continue;
                }
                snprintf(prefix, sizeof(prefix), "%.12s\t", json_get_str(c, "Id"));
                print_ports(prefix, ports, argc == 1 ? argv[0] : NULL);
        }
        return 0;
}

const struct cli_cmd cmd_port = {
        .name = "port",
        .latest = CLI_LATEST_PREPENDS,
        .use = "[options] CONTAINER [PORT]",
        .summary = "List port mappings or a specific mapping for the container",
        .description = "List port mappings for the CONTAINER, or look up the public-facing port that is NAT-ed to "
                       "the PRIVATE_PORT",
        .example = "cpod port --all\ncpod port ctrID 80/tcp\ncpod port --latest 80",
        .opts = port_opts,
        .opts_size = sizeof(struct port_opts),
        .run = run_port,
        .max_args = -1,
        .complete_args = "containers",
};
