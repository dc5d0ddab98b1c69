/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The files cpod writes into a container's bundle and binds over the
 * image's: /etc/hosts (--add-host entries first, as podman), /etc/resolv.conf
 * (the host's, or rebuilt from --dns, --dns-search and --dns-option),
 * /etc/hostname and /run/.containerenv.  --no-hosts and --dns none leave the
 * image's own file in place.  A pod member that shares the pod's network
 * got the pod's settings at create (lib/pod).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/config.h>

#include "ctr/ctr.h"
#include "ctr/ctr-net.h"
#include "ctr/spec.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static bool is_ip(const char *s)
{
        unsigned char buf[16];
        return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* "host:ip" where ip may itself hold colons (IPv6). */
static int check_add_host(const char *h, cpod_error_t *err)
{
        const char *colon = strchr(h, ':');

        if (!colon || colon == h)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "bad format for add-host: \"%s\"", h);
        if (!is_ip(colon + 1) || strpbrk(h, " \t\n"))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid IP address in add-host: \"%s\"", colon + 1);
        return 0;
}

/* A search domain or resolver option goes on one line of resolv.conf: no blanks, no line breaks. */
static int check_word(const char *what, const char *w, cpod_error_t *err)
{
        if (!*w || strpbrk(w, " \t\r\n#;"))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid %s: \"%s\"", what, w);
        return 0;
}

static bool no_hosts(struct cpod_runtime *rt, const struct ctr_config *cfg)
{
        return cfg->no_hosts >= 0 ? cfg->no_hosts : rt->config->no_hosts;
}

int spec_etc_check(struct cpod_runtime *rt, const struct ctr_config *cfg, cpod_error_t *err)
{
        size_t ndns = strv_length(cfg->dns);
        int r = 0;

        for (char **d = cfg->dns; d && *d; d++)
                if (strcmp(*d, "none") == 0 ? ndns != 1 : !is_ip(*d))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "%s is not an ip address", *d);
        for (char **h = cfg->add_host; r == 0 && h && *h; h++)
                r = check_add_host(*h, err);
        for (char **w = cfg->dns_search; r == 0 && w && *w; w++)
                r = check_word("DNS search domain", *w, err);
        for (char **w = cfg->dns_option; r == 0 && w && *w; w++)
                r = check_word("DNS option", *w, err);
        if (r == 0 && no_hosts(rt, cfg) && cfg->add_host && cfg->add_host[0])
                r = cpod_error_set(err, EINVAL, CPOD_E_INVALID, "--no-hosts and --add-host cannot be set together");
        return r;
}

bool spec_etc_has_net(const struct ctr_config *cfg)
{
        return (cfg->dns && cfg->dns[0]) || (cfg->dns_search && cfg->dns_search[0]) ||
               (cfg->dns_option && cfg->dns_option[0]) || (cfg->add_host && cfg->add_host[0]) || cfg->no_hosts == 1;
}

static char *hosts_text(struct cpod_runtime *rt, const struct ctr *c, const char *hostname,
                        const struct ctr_net_info *ni)
{
        struct strbuf sb = STRBUF_INIT;
        _cleanup_free_ char *base = NULL;
        size_t len;

        if (no_hosts(rt, &c->cfg))
                return NULL;
        for (char **h = c->cfg.add_host; h && *h; h++) {
                const char *colon = strchr(*h, ':');
                if (colon)
                        strbuf_addf(&sb, "%s\t%.*s\n", colon + 1, (int)(colon - *h), *h);
        }
        if (spec_host_net(c) && read_file("/etc/hosts", &base, &len, 1 << 20, NULL) == 0)
                strbuf_add(&sb, base, len);
        else {
                strbuf_addstr(&sb, "127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4\n"
                                   "::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6\n");
                /* as podman: the container's own addresses, IPv6 too */
                if (ni->ip || !ni->ip6)
                        strbuf_addf(&sb, "%s\t%s %s\n", ni->ip ? ni->ip : "127.0.1.1", hostname, c->name);
                if (ni->ip6)
                        strbuf_addf(&sb, "%s\t%s %s\n", ni->ip6, hostname, c->name);
        }
        /* As podman: the host, seen from a bridge network, is its gateway. */
        if (ni->gateway)
                strbuf_addf(&sb, "%s\thost.containers.internal\n", ni->gateway);
        return strbuf_detach(&sb, NULL);
}

/* The host's lines starting with key (e.g. "nameserver"), or the given values when there are any. */
static void resolv_lines(struct strbuf *sb, const char *host, const char *key, char *const *given, bool one_line)
{
        size_t klen = strlen(key);

        if (given && given[0] && one_line) {
                strbuf_addstr(sb, key);
                for (char *const *g = given; *g; g++)
                        strbuf_addf(sb, " %s", *g);
                strbuf_addch(sb, '\n');
                return;
        }
        if (given && given[0]) {
                for (char *const *g = given; *g; g++)
                        strbuf_addf(sb, "%s %s\n", key, *g);
                return;
        }
        for (const char *l = host; l && *l;) {
                const char *nl = strchr(l, '\n');
                size_t n = nl ? (size_t)(nl - l) : strlen(l);
                if (n > klen && strncmp(l, key, klen) == 0 && (l[klen] == ' ' || l[klen] == '\t'))
                        strbuf_addf(sb, "%.*s\n", (int)n, l);
                l += n + (nl ? 1 : 0);
        }
}

/* The container's values, else containers.conf's dns_servers, dns_searches, dns_options. */
static char *const *given_or_conf(char *const *given, char *const *conf)
{
        return given && given[0] ? given : conf;
}

static bool empty(char *const *v)
{
        return !v || !v[0];
}

/* As podman: the network's DNS server first, then the host's own resolvers (host: its resolv.conf). */
static char **network_dns(const struct ctr_net_info *ni, const char *host)
{
        char **v = strv_copy(ni->dns);

        for (const char *l = host, *nl; l && *l; l = nl ? nl + 1 : NULL) {
                char addr[64];
                nl = strchr(l, '\n');
                if (sscanf(l, "nameserver %63s", addr) == 1 && !strv_contains(v, addr) && strncmp(addr, "127.", 4) != 0)
                        strv_add(&v, addr);
        }
        return v;
}

static char *resolv_text(struct cpod_runtime *rt, const struct ctr_config *cfg, const struct ctr_net_info *ni)
{
        _cleanup_free_ char *host = NULL;
        _cleanup_strv_ char **netdns = NULL;
        char *const *dns, *const *search, *const *opts;
        struct strbuf sb = STRBUF_INIT;
        size_t len;

        if (read_file("/etc/resolv.conf", &host, &len, 1 << 20, NULL) < 0)
                host = xstrdup("");
        netdns = empty(ni->dns) ? NULL : network_dns(ni, host);
        dns = given_or_conf(cfg->dns, netdns ? netdns : rt->config->dns_servers);
        search = given_or_conf(cfg->dns_search, rt->config->dns_searches);
        opts = given_or_conf(cfg->dns_option, rt->config->dns_options);
        if (strv_length((char **)dns) == 1 && strcmp(dns[0], "none") == 0)
                return NULL;
        if (empty(dns) && empty(search) && empty(opts))
                return xstrdup(host);
        if (!empty(ni->search) && empty(cfg->dns_search)) {
                /* A DNS-enabled network's domain first, then the host's (or containers.conf's) search list. */
                struct strbuf hs = STRBUF_INIT;
                resolv_lines(&hs, host, "search", search, true);
                strbuf_addstr(&sb, "search");
                for (char **d = ni->search; *d; d++)
                        strbuf_addf(&sb, " %s", *d);
                strbuf_addf(&sb, "%s", hs.len > 6 ? hs.buf + 6 : "\n");
                strbuf_release(&hs);
        } else {
                resolv_lines(&sb, host, "search", search, true);
        }
        resolv_lines(&sb, host, "nameserver", dns, false);
        resolv_lines(&sb, host, "options", opts, true);
        return strbuf_detach(&sb, NULL);
}

int spec_etc_files(struct cpod_runtime *rt, const struct ctr *c, const char *bundle, const char *hostname,
                   json_t *binds, cpod_error_t *err)
{
        bool priv = c->cfg.privileged;
        struct ctr_net_info ni;
        char *data[4];
        static const char *const files[][2] = { { "hosts", "/etc/hosts" },
                                                { "resolv.conf", "/etc/resolv.conf" },
                                                { "hostname", "/etc/hostname" },
                                                { ".containerenv", "/run/.containerenv" } };
        int r = 0;

        ctr_net_info(rt, c, &ni);
        data[0] = hosts_text(rt, c, hostname, &ni);
        data[1] = resolv_text(rt, &c->cfg, &ni);
        ctr_net_info_clear(&ni);
        data[2] = xasprintf("%s\n", hostname);
        data[3] = priv ? xasprintf("engine=\"cpod-%s\"\nname=\"%s\"\nid=\"%s\"\nimage=\"%s\"\nimageid=\"%s\"\n"
                                   "rootless=0\n",
                                   cpod_version(), c->name, c->id, c->image_name ? c->image_name : "",
                                   c->image_id ? c->image_id : "")
                       : xstrdup("");
        for (size_t i = 0; i < 4; i++) {
                _cleanup_free_ char *p = path_join(bundle, files[i][0]);
                if (r == 0 && data[i] && (r = write_file(p, data[i], strlen(data[i]), 0644, err)) == 0)
                        json_array_append_new(binds, json_pack("{s:s, s:s}", "destination", files[i][1], "source", p));
                free(data[i]);
        }
        return r < 0 ? -EIO : 0;
}
