/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The files cpod writes into a container's bundle and binds over the
 * image's: /etc/hosts (--add-host entries first, as podman), /etc/resolv.conf
 * (the host's, or rebuilt from --dns, --dns-search and --dns-option),
 * /etc/hostname and /run/.containerenv.  --no-hosts and --dns none leave the
 * image's own file in place.  A pod member that shares the pod's network
 * takes these settings from the pod (_Join.Net).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/config.h>

#include "ctr/ctr.h"
#include "ctr/spec.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static const char *const net_keys[] = { "Dns", "DnsSearch", "DnsOption", "AddHost", "NoHosts", NULL };

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

int spec_etc_check(struct cpod_runtime *rt, const json_t *params, cpod_error_t *err)
{
        json_t *no = json_object_get(params, "NoHosts");
        json_t *dns = json_object_get(params, "Dns"), *e;
        size_t i;
        int r = 0;

        json_array_foreach(dns, i, e) {
                const char *s = json_string_value(e);
                if (!s || (strcmp(s, "none") == 0 ? json_array_size(dns) != 1 : !is_ip(s)))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "%s is not an ip address", s ? s : "");
        }
        json_array_foreach(json_object_get(params, "AddHost"), i, e)
                if (r == 0)
                        r = check_add_host(json_string_value(e) ? json_string_value(e) : "", err);
        json_array_foreach(json_object_get(params, "DnsSearch"), i, e)
                if (r == 0)
                        r = check_word("DNS search domain", json_string_value(e) ? json_string_value(e) : "", err);
        json_array_foreach(json_object_get(params, "DnsOption"), i, e)
                if (r == 0)
                        r = check_word("DNS option", json_string_value(e) ? json_string_value(e) : "", err);
        if (r == 0 && (json_is_boolean(no) ? json_is_true(no) : rt->config->no_hosts) &&
            json_array_size(json_object_get(params, "AddHost")))
                r = cpod_error_set(err, EINVAL, CPOD_E_INVALID, "--no-hosts and --add-host cannot be set together");
        return r;
}

bool spec_etc_has_net(const json_t *params)
{
        for (const char *const *k = net_keys; *k; k++) {
                json_t *v = json_object_get(params, *k);
                if ((json_is_array(v) && json_array_size(v)) || json_is_true(v))
                        return true;
        }
        return false;
}

json_t *spec_etc_net(const json_t *params)
{
        json_t *o = json_object();

        for (const char *const *k = net_keys; *k; k++)
                if (json_object_get(params, *k))
                        json_object_set(o, *k, json_object_get(params, *k));
        return o;
}

static char *hosts_text(struct cpod_runtime *rt, const struct ctr *c, const json_t *net, const char *hostname)
{
        json_t *no = json_object_get(net, "NoHosts"), *e;
        struct strbuf sb = STRBUF_INIT;
        _cleanup_free_ char *base = NULL;
        size_t i, len;

        if (json_is_boolean(no) ? json_is_true(no) : rt->config->no_hosts)
                return NULL;
        json_array_foreach(json_object_get(net, "AddHost"), i, e) {
                const char *h = json_string_value(e), *colon = h ? strchr(h, ':') : NULL;
                if (colon)
                        strbuf_addf(&sb, "%s\t%.*s\n", colon + 1, (int)(colon - h), h);
        }
        if (spec_host_net(c) && read_file("/etc/hosts", &base, &len, 1 << 20, NULL) == 0)
                strbuf_add(&sb, base, len);
        else
                strbuf_addf(&sb,
                            "127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4\n"
                            "::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6\n"
                            "127.0.1.1\t%s %s\n",
                            hostname, c->name);
        return strbuf_detach(&sb, NULL);
}

/* The host's lines starting with key (e.g. "nameserver"), or the given values when there are any. */
static void resolv_lines(struct strbuf *sb, const char *host, const char *key, const json_t *given, bool one_line)
{
        size_t klen = strlen(key), i;
        json_t *e;

        if (json_array_size(given) && one_line) {
                strbuf_addstr(sb, key);
                json_array_foreach(given, i, e)
                        strbuf_addf(sb, " %s", json_string_value(e));
                strbuf_addch(sb, '\n');
                return;
        }
        if (json_array_size(given)) {
                json_array_foreach(given, i, e)
                        strbuf_addf(sb, "%s %s\n", key, json_string_value(e));
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
static json_t *given_or_conf(const json_t *net, const char *key, char **conf)
{
        json_t *v = json_object_get(net, key);
        return json_array_size(v) ? json_incref(v) : json_strv(conf, -1);
}

static char *resolv_text(struct cpod_runtime *rt, const json_t *net)
{
        _cleanup_json_ json_t *dns = given_or_conf(net, "Dns", rt->config->dns_servers),
                              *search = given_or_conf(net, "DnsSearch", rt->config->dns_searches),
                              *opts = given_or_conf(net, "DnsOption", rt->config->dns_options);
        _cleanup_free_ char *host = NULL;
        struct strbuf sb = STRBUF_INIT;
        size_t len;

        if (json_array_size(dns) == 1 && strcmp(json_string_value(json_array_get(dns, 0)), "none") == 0)
                return NULL;
        if (read_file("/etc/resolv.conf", &host, &len, 1 << 20, NULL) < 0)
                host = xstrdup("");
        if (!json_array_size(dns) && !json_array_size(search) && !json_array_size(opts))
                return xstrdup(host);
        resolv_lines(&sb, host, "search", search, true);
        resolv_lines(&sb, host, "nameserver", dns, false);
        resolv_lines(&sb, host, "options", opts, true);
        return strbuf_detach(&sb, NULL);
}

/* Where the files' settings come from: the pod when it owns the network, else the container. */
static const json_t *net_source(const struct ctr *c)
{
        json_t *net = json_object_get(json_object_get(c->config, "_Join"), "Net");
        return json_is_object(net) ? net : c->config;
}

int spec_etc_files(struct cpod_runtime *rt, const struct ctr *c, const char *bundle, const char *hostname,
                   json_t *binds, cpod_error_t *err)
{
        const json_t *net = net_source(c);
        bool priv = json_is_true(json_object_get(c->config, "Privileged"));
        char *data[4];
        static const char *const files[][2] = { { "hosts", "/etc/hosts" },
                                                { "resolv.conf", "/etc/resolv.conf" },
                                                { "hostname", "/etc/hostname" },
                                                { ".containerenv", "/run/.containerenv" } };
        int r = 0;

        data[0] = hosts_text(rt, c, net, hostname);
        data[1] = resolv_text(rt, net);
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
