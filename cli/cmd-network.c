/* SPDX-License-Identifier: Apache-2.0 */
/* network create, ls, inspect, rm, exists, prune. */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/container.h>
#include <cpod/engine.h>
#include <cpod/network.h>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/output.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* The Go field names templates use (podman's types.Network), over the JSON names. */
static json_t *go_fields(const json_t *n)
{
        static const char *const map[][2] = {
                { "name", "Name" },
                { "id", "ID" },
                { "driver", "Driver" },
                { "network_interface", "NetworkInterface" },
                { "created", "Created" },
                { "subnets", "Subnets" },
                { "ipv6_enabled", "IPv6Enabled" },
                { "internal", "Internal" },
                { "dns_enabled", "DNSEnabled" },
                { "labels", "Labels" },
                { "options", "Options" },
                { "ipam_options", "IPAMOptions" },
        };
        json_t *o = json_object();

        json_t *subs = json_array(), *s;
        size_t k;

        for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
                json_t *v = json_object_get(n, map[i][0]);
                json_object_set(o, map[i][1], v ? v : json_null());
        }
        json_array_foreach(json_object_get(n, "subnets"), k, s) {
                json_t *lr = json_object_get(s, "lease_range");
                json_t *e =
                        json_pack("{s:O, s:O}", "Subnet",
                                  json_object_get(s, "subnet") ? json_object_get(s, "subnet") : json_null(), "Gateway",
                                  json_object_get(s, "gateway") ? json_object_get(s, "gateway") : json_null());
                /* as podman's types.Subnet: LeaseRange is there, nil without a range */
                json_object_set_new(e, "LeaseRange",
                                    lr ? json_pack("{s:O, s:O}", "StartIP", json_object_get(lr, "start_ip"), "EndIP",
                                                   json_object_get(lr, "end_ip"))
                                       : json_null());
                json_array_append_new(subs, e);
        }
        json_object_set_new(o, "Subnets", subs);
        return o;
}

/* ---- create ---- */

struct net_create_opts {
        const char *driver, *interface_name, *ipam_driver;
        struct strv label, opt, gateway, ip_range, subnet;
        bool disable_dns, internal, ipv6, ignore;
};

static const struct cli_opt net_create_opts[] = {
        OPT_B("disable-dns", 0, struct net_create_opts, disable_dns, "disable dns plugin"),
        OPT_S("driver", 'd', struct net_create_opts, driver, "bridge", "driver to manage the network"),
        OPT_A("gateway", 0, struct net_create_opts, gateway, "IPv4 or IPv6 gateway for the subnet"),
        OPT_B("ignore", 0, struct net_create_opts, ignore, "Don't fail if network already exists"),
        OPT_S("interface-name", 0, struct net_create_opts, interface_name, NULL,
              "interface name which is used by the driver"),
        OPT_B("internal", 0, struct net_create_opts, internal, "restrict external access from this network"),
        OPT_A("ip-range", 0, struct net_create_opts, ip_range, "allocate container IP from range"),
        OPT_S("ipam-driver", 0, struct net_create_opts, ipam_driver, NULL, "IP Address Management Driver"),
        OPT_B("ipv6", 0, struct net_create_opts, ipv6, "enable IPv6 networking"),
        OPT_A("label", 0, struct net_create_opts, label, "set metadata on a network"),
        OPT_A("opt", 'o', struct net_create_opts, opt, "Set driver specific options (default [])"),
        OPT_A("subnet", 0, struct net_create_opts, subnet, "subnets in CIDR format"),
        OPT_END,
};

static int kv_into(const struct strv *v, const char *what, json_t *obj)
{
        for (size_t i = 0; i < v->n; i++) {
                const char *eq = strchr(v->v[i], '=');
                if (!eq || eq == v->v[i])
                        return cli_errorf("invalid %s \"%s\": must be KEY=VALUE", what, v->v[i]);
                _cleanup_free_ char *k = xstrndup(v->v[i], (size_t)(eq - v->v[i]));
                json_object_set_new(obj, k, json_string(eq + 1));
        }
        return 0;
}

static int run_net_create(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct net_create_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *req = json_object(), *labels = json_object(), *op = json_object(), *net = NULL;
        int r;

        if (o->ipam_driver && strcmp(o->ipam_driver, "host-local") != 0)
                return cli_errorf("unsupported ipam driver \"%s\" (cpod knows host-local)", o->ipam_driver);
        if ((r = kv_into(&o->label, "label", labels)) || (r = kv_into(&o->opt, "option", op)))
                return r;
        if (argc)
                json_object_set_new(req, "name", json_string(argv[0]));
        json_object_set_new(req, "driver", json_string(o->driver));
        json_object_set_new(req, "subnet", json_strv((char *const *)o->subnet.v, (int)o->subnet.n));
        json_object_set_new(req, "gateway", json_strv((char *const *)o->gateway.v, (int)o->gateway.n));
        json_object_set_new(req, "ip_range", json_strv((char *const *)o->ip_range.v, (int)o->ip_range.n));
        json_object_set_new(req, "ipv6", json_boolean(o->ipv6));
        if (o->interface_name)
                json_object_set_new(req, "interface_name", json_string(o->interface_name));
        json_object_set_new(req, "internal", json_boolean(o->internal));
        json_object_set_new(req, "dns_enabled", json_boolean(!o->disable_dns));
        json_object_set(req, "labels", labels);
        json_object_set(req, "options", op);
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        if (cpod_network_create(ctx->rt, req, &net, &err) < 0) {
                if (o->ignore && err.kind == CPOD_E_EXISTS) {
                        cpod_error_clear(&err);
                        printf("%s\n", argv[0]);
                        return 0;
                }
                return cli_fail(&err);
        }
        printf("%s\n", json_get_str(net, "name"));
        return 0;
}

static const struct cli_cmd cmd_network_create = {
        .name = "create",
        .use = "[options] [NAME]",
        .summary = "network create",
        .description = "Create networks for containers and pods",
        .opts = net_create_opts,
        .opts_size = sizeof(struct net_create_opts),
        .run = run_net_create,
        .max_args = 1,
};

/* ---- ls ---- */

struct net_ls_opts {
        struct strv filter;
        const char *format;
        bool noheading, no_trunc, quiet;
};

static const struct cli_opt net_ls_opts[] = {
        OPT_A("filter", 'f', struct net_ls_opts, filter, "Provide filter values (e.g. 'name=podman')"),
        OPT_S("format", 0, struct net_ls_opts, format, NULL, "Pretty-print networks to JSON or using a Go template"),
        OPT_B("noheading", 0, struct net_ls_opts, noheading, "Do not print headers"),
        OPT_B("no-trunc", 0, struct net_ls_opts, no_trunc, "Do not truncate the network ID"),
        OPT_B("quiet", 'q', struct net_ls_opts, quiet, "display only names"),
        OPT_END,
};

static const struct fmt_header net_headers[] = {
        { "ID", "NETWORK ID" },
        { "Name", "NAME" },
        { "Driver", "DRIVER" },
        { NULL, NULL },
};

/* podman matches names with a Go regexp anywhere in the name; POSIX extended ones here. */
static bool name_match(const char *re, const char *s)
{
        regex_t r;
        bool m;

        if (regcomp(&r, re, REG_EXTENDED | REG_NOSUB) != 0)
                return strstr(s, re) != NULL;
        m = regexec(&r, s, 0, NULL, 0) == 0;
        regfree(&r);
        return m;
}

/* One filter: name=REGEX, id=PREFIX, driver=NAME, label=KEY[=VALUE]. */
static int one_filter(const char *f, const json_t *n, bool *ret)
{
        const char *eq = strchr(f, '='), *v = eq ? eq + 1 : "";
        size_t kl = eq ? (size_t)(eq - f) : strlen(f);

        if (!eq)
                return cli_errorf("invalid filter \"%s\"", f);
        if (kl == 4 && strncmp(f, "name", 4) == 0) {
                *ret = name_match(v, json_get_str(n, "name"));
        } else if (kl == 2 && strncmp(f, "id", 2) == 0) {
                *ret = strncmp(json_get_str(n, "id"), v, strlen(v)) == 0;
        } else if (kl == 6 && strncmp(f, "driver", 6) == 0) {
                *ret = strcmp(json_get_str(n, "driver"), v) == 0;
        } else if (kl == 5 && strncmp(f, "label", 5) == 0) {
                const char *le = strchr(v, '=');
                _cleanup_free_ char *k = le ? xstrndup(v, (size_t)(le - v)) : xstrdup(v);
                const char *have = json_get_str(json_object_get(n, "labels"), k);
                *ret = have && (!le || strcmp(have, le + 1) == 0);
        } else {
                return cli_errorf("invalid filter \"%.*s\" (cpod knows name, id, driver, label)", (int)kl, f);
        }
        return 0;
}

static bool same_key(const char *a, const char *b)
{
        size_t ka = strcspn(a, "=");
        return ka == strcspn(b, "=") && strncmp(a, b, ka) == 0;
}

/* Filters grouped by key: the values of one key match any (OR), every key must match (AND). */
static int filter_match(const struct strv *filters, const json_t *n, bool *ret)
{
        for (size_t i = 0; i < filters->n; i++) {
                bool seen = false, any = false;
                int r;
                for (size_t j = 0; j < i && !seen; j++)
                        seen = same_key(filters->v[j], filters->v[i]);
                if (seen)
                        continue; /* that key's group is done */
                for (size_t j = i; j < filters->n; j++) {
                        bool m = false;
                        if (!same_key(filters->v[j], filters->v[i]))
                                continue;
                        if ((r = one_filter(filters->v[j], n, &m)))
                                return r;
                        any = any || m;
                }
                if (!any) {
                        *ret = false;
                        return 0;
                }
        }
        *ret = true;
        return 0;
}

static int run_net_ls(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct net_ls_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *all = NULL, *rows = json_array(), *sel = json_array();
        json_t *n;
        size_t i;
        int r;

        (void)argc;
        (void)argv;
        if (!cli_runtime(ctx, &err) || cpod_network_list(ctx->rt, &all, &err) < 0)
                return cli_fail(&err);
        json_array_foreach(all, i, n) {
                bool ok;
                json_t *row;
                if ((r = filter_match(&o->filter, n, &ok)))
                        return r;
                if (!ok)
                        continue;
                json_array_append(sel, n);
                row = go_fields(n);
                if (!o->no_trunc)
                        json_object_set_new(row, "ID", json_stringn(json_get_str(n, "id"), 12));
                json_array_append_new(rows, row);
        }
        if (o->quiet) {
                json_array_foreach(rows, i, n)
                        printf("%s\n", json_get_str(n, "Name"));
                return 0;
        }
        if (cli_print_list_opts(stdout, o->format, "table {{.ID}}\t{{.Name}}\t{{.Driver}}", net_headers, rows, sel,
                                o->noheading, &err) < 0)
                return cli_fail(&err);
        return 0;
}

static const struct cli_cmd cmd_network_ls = {
        .name = "ls",
        .aliases = (const char *const[]){ "list", NULL },
        .use = "[options]",
        .summary = "List networks",
        .description = "List networks",
        .opts = net_ls_opts,
        .opts_size = sizeof(struct net_ls_opts),
        .run = run_net_ls,
        .max_args = 0,
};

/* ---- inspect, exists ---- */

static int run_net_inspect(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        const char *format = *(const char **)opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *all = json_array(), *rows = json_array();
        int rc = 0;

        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        for (int i = 0; i < argc; i++) {
                json_t *n;
                if (cpod_network_inspect(ctx->rt, argv[i], &n, &err) < 0) {
                        rc = cli_fail(&err);
                        continue;
                }
                json_array_append_new(rows, go_fields(n));
                json_array_append_new(all, n);
        }
        if (!format || !*format || strcmp(format, "json") == 0) {
                cli_print_json(stdout, all);
                return rc;
        }
        if (cli_print_inspect(stdout, format, rows, &err) < 0)
                return cli_fail(&err);
        return rc;
}

static const struct cli_opt net_inspect_opts[] = {
        { "format", 'f', OPT_STRING, 0, "string", "Pretty-print network to JSON or using a Go template", NULL, 0 },
        OPT_END,
};

static const struct cli_cmd cmd_network_inspect = {
        .name = "inspect",
        .use = "[options] NETWORK [NETWORK...]",
        .summary = "network inspect",
        .description = "Displays the network configuration for one or more networks.",
        .opts = net_inspect_opts,
        .opts_size = sizeof(const char *),
        .run = run_net_inspect,
        .min_args = 1,
        .max_args = -1,
        .complete_args = "networks",
};

static int run_net_exists(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *n = NULL;

        (void)opts;
        (void)argc;
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        return cli_exists_rc(cpod_network_inspect(ctx->rt, argv[0], &n, &err), &err, CPOD_E_NO_SUCH_OBJECT);
}

static const struct cli_cmd cmd_network_exists = {
        .name = "exists",
        .use = "NETWORK",
        .summary = "network exists",
        .description = "If a network with the given name exists, cpod network exists exits with 0, otherwise with 1.",
        .run = run_net_exists,
        .min_args = 1,
        .max_args = 1,
        .complete_args = "networks",
};

/* ---- rm, prune ---- */

struct net_rm_opts {
        bool force;
        long time;
};

static const struct cli_opt net_rm_opts[] = {
        OPT_B("force", 'f', struct net_rm_opts, force, "remove any containers using network and the network itself"),
        OPT_I("time", 't', struct net_rm_opts, time, "-1",
              "Seconds to wait for running containers to stop before killing the container"),
        OPT_END,
};

static int run_net_rm(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct net_rm_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        int rc = 0;

        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        for (int i = 0; i < argc; i++) {
                char *name = NULL;
                if (cpod_network_remove(ctx->rt, argv[i], o->force, (int)o->time, &name, &err) < 0) {
                        /* podman's codes: 1 for a network that does not exist, 2 for one in use */
                        enum cpod_error_kind kind = err.kind;
                        rc = cli_fail(&err);
                        rc = kind == CPOD_E_NO_SUCH_OBJECT ? 1 : kind == CPOD_E_IN_USE ? 2 : rc;
                        continue;
                }
                printf("%s\n", name);
                free(name);
        }
        return rc;
}

static const struct cli_cmd cmd_network_rm = {
        .name = "rm",
        .aliases = (const char *const[]){ "remove", NULL },
        .use = "[options] NETWORK [NETWORK...]",
        .summary = "network rm",
        .description = "Remove networks",
        .opts = net_rm_opts,
        .opts_size = sizeof(struct net_rm_opts),
        .run = run_net_rm,
        .min_args = 1,
        .max_args = -1,
        .complete_args = "networks",
};

static int run_net_prune(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        bool force = *(bool *)opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_prune_report rep = { 0 };

        (void)argc;
        (void)argv;
        if (!force && !cli_confirm("WARNING! This will remove all networks not used by at least one container.\n"
                                   "The default network podman will not be removed."))
                return 0;
        if (!cli_runtime(ctx, &err) || cpod_network_prune(ctx->rt, &rep, &err) < 0)
                return cli_fail(&err);
        return cli_print_prune(&rep);
}

static const struct cli_opt net_prune_opts[] = {
        { "force", 'f', OPT_BOOL, 0, NULL, "do not prompt for confirmation", NULL, 0 },
        OPT_END,
};

static const struct cli_cmd cmd_network_prune = {
        .name = "prune",
        .use = "[options]",
        .summary = "network prune",
        .description = "Prune unused networks",
        .opts = net_prune_opts,
        .opts_size = sizeof(bool),
        .run = run_net_prune,
        .max_args = 0,
};

/* ---- connect, disconnect ---- */

struct net_connect_opts {
        struct strv alias;
        const char *ip, *ip6, *mac_address;
};

static const struct cli_opt net_connect_opts[] = {
        OPT_A("alias", 0, struct net_connect_opts, alias, "network scoped alias for container"),
        OPT_S("ip", 0, struct net_connect_opts, ip, NULL, "set a static ipv4 address for this container network"),
        OPT_S("ip6", 0, struct net_connect_opts, ip6, NULL, "set a static ipv6 address for this container network"),
        OPT_S("mac-address", 0, struct net_connect_opts, mac_address, NULL,
              "set a static mac address for this container network"),
        OPT_END,
};

static int run_net_connect(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct net_connect_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *op = json_object();

        (void)argc;
        if (o->ip6 && !strchr(o->ip6, ':'))
                return cli_errorf("--ip6: \"%s\" is not an IPv6 address", o->ip6);
        if (o->ip && strchr(o->ip, ':'))
                return cli_errorf("--ip: \"%s\" is not an IPv4 address", o->ip);
        if (o->ip || o->ip6)
                json_object_set_new(op, "static_ips", json_array());
        if (o->ip)
                json_array_append_new(json_object_get(op, "static_ips"), json_string(o->ip));
        if (o->ip6)
                json_array_append_new(json_object_get(op, "static_ips"), json_string(o->ip6));
        if (o->mac_address)
                json_object_set_new(op, "static_mac", json_string(o->mac_address));
        if (o->alias.n)
                json_object_set_new(op, "aliases", json_strv((char *const *)o->alias.v, (int)o->alias.n));
        if (!cli_runtime(ctx, &err) || cpod_network_connect(ctx->rt, argv[0], argv[1], op, &err) < 0)
                return cli_fail(&err);
        return 0;
}

static const struct cli_cmd cmd_network_connect = {
        .name = "connect",
        .use = "[options] NETWORK CONTAINER",
        .summary = "network connect",
        .description = "Add container to a network",
        .opts = net_connect_opts,
        .opts_size = sizeof(struct net_connect_opts),
        .run = run_net_connect,
        .min_args = 2,
        .max_args = 2,
};

static int run_net_disconnect(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;

        (void)opts;
        (void)argc;
        if (!cli_runtime(ctx, &err) || cpod_network_disconnect(ctx->rt, argv[0], argv[1], &err) < 0)
                return cli_fail(&err);
        return 0;
}

static const struct cli_opt net_disconnect_opts[] = {
        { "force", 'f', OPT_BOOL, 0, NULL, "force operation (accepted for podman compatibility: it changes nothing)",
          NULL, 0 },
        OPT_END,
};

static const struct cli_cmd cmd_network_disconnect = {
        .name = "disconnect",
        .use = "[options] NETWORK CONTAINER",
        .summary = "network disconnect",
        .description = "Disconnect a container from a network",
        .opts = net_disconnect_opts,
        .opts_size = sizeof(bool),
        .run = run_net_disconnect,
        .min_args = 2,
        .max_args = 2,
};

/* ---- reload ---- */

struct net_reload_opts {
        bool all, latest;
};

static const struct cli_opt net_reload_opts[] = {
        OPT_B("all", 'a', struct net_reload_opts, all, "Reload network configuration of all containers"),
        OPT_B("latest", 'l', struct net_reload_opts, latest, "Act on the latest container cpod is aware of"),
        OPT_END,
};

static int run_net_reload(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        struct net_reload_opts *o = opts;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_json_ json_t *all = NULL;
        json_t *c;
        size_t i;
        int rc = 0;
        char id[65];

        if (o->all == (argc > 0))
                return cli_errorf(o->all ? "--all and containers cannot be given together"
                                         : "you must provide at least one container name or ID");
        if (!cli_runtime(ctx, &err))
                return cli_fail(&err);
        if (o->all) {
                if (cpod_ctr_list(ctx->rt, false, &all, &err) < 0)
                        return cli_fail(&err);
                json_array_foreach(all, i, c) {
                        if (!json_array_size(json_object_get(c, "Networks")))
                                continue;
                        if (cpod_network_reload(ctx->rt, json_get_str(c, "Id"), id, &err) < 0)
                                rc = cli_fail(&err);
                        else
                                printf("%s\n", id);
                }
                return rc;
        }
        for (int k = 0; k < argc; k++) {
                if (cpod_network_reload(ctx->rt, argv[k], id, &err) < 0)
                        rc = cli_fail(&err);
                else
                        printf("%s\n", id);
        }
        return rc;
}

static const struct cli_cmd cmd_network_reload = {
        .name = "reload",
        .latest = CLI_LATEST_PREPENDS,
        .use = "[options] [CONTAINER...]",
        .summary = "Reload firewall rules for one or more containers",
        .description = "reload container networks, recreating firewall rules",
        .opts = net_reload_opts,
        .opts_size = sizeof(struct net_reload_opts),
        .run = run_net_reload,
        .max_args = -1,
        .complete_args = "containers",
};

static int run_net_reap(struct cli_ctx *ctx, void *opts, int argc, char **argv)
{
        cpod_error_t err = CPOD_ERROR_INIT;

        (void)argc;
        if (!cli_runtime(ctx, &err) || cpod_network_reap(ctx->rt, argv[0], argv[1], (int)*(long *)opts, &err) < 0)
                return cli_fail(&err);
        return 0;
}

static const struct cli_opt net_reap_opts[] = {
        { "after", 0, OPT_INT, 0, "int", "Seconds the network must have been idle", "30", 0 },
        OPT_END,
};

static const struct cli_cmd cmd_network_reap = {
        .name = "reap",
        .use = "[options] NETWORK ANCHOR-ID",
        .summary = "Take down an idle network's anchor (started by cpod itself)",
        .opts = net_reap_opts,
        .opts_size = sizeof(long),
        .run = run_net_reap,
        .min_args = 2,
        .max_args = 2,
        .hidden = true,
};

const struct cli_cmd cmd_network = {
        .name = "network",
        .use = "[command]",
        .summary = "Manage networks",
        .description = "Manage networks",
        .subcmds = CMD_LIST(&cmd_network_connect, &cmd_network_create, &cmd_network_disconnect, &cmd_network_exists,
                            &cmd_network_inspect, &cmd_network_ls, &cmd_network_prune, &cmd_network_reap,
                            &cmd_network_reload, &cmd_network_rm),
};
