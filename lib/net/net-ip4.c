/* SPDX-License-Identifier: Apache-2.0 */
/* IPv4 subnets: parsing, overlap, and whether the host already routes or holds one. */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/net.h"

#include "util/json.h"
#include "util/xalloc.h"

bool ip4_parse(const char *s, uint32_t *ret)
{
        struct in_addr a;

        if (!s || inet_pton(AF_INET, s, &a) != 1)
                return false;
        *ret = ntohl(a.s_addr);
        return true;
}

uint32_t ip4net_mask(int prefix)
{
        return prefix <= 0 ? 0 : prefix >= 32 ? 0xffffffffu : ~((1u << (32 - prefix)) - 1);
}

int ip4net_parse(const char *s, struct ip4net *ret)
{
        const char *slash = s ? strchr(s, '/') : NULL;
        char buf[INET_ADDRSTRLEN];
        char *end;
        long p;

        if (!slash || (size_t)(slash - s) >= sizeof(buf) || !slash[1])
                return -1;
        memcpy(buf, s, (size_t)(slash - s));
        buf[slash - s] = '\0';
        p = strtol(slash + 1, &end, 10);
        if (*end || p < 0 || p > 32 || !ip4_parse(buf, &ret->addr))
                return -1;
        ret->prefix = (int)p;
        ret->addr &= ip4net_mask(ret->prefix);
        return 0;
}

char *ip4_str(uint32_t a)
{
        return xasprintf("%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

char *ip4net_str(const struct ip4net *n)
{
        char *a = ip4_str(n->addr), *r = xasprintf("%s/%d", a, n->prefix);
        free(a);
        return r;
}

bool ip4net_contains(const struct ip4net *n, uint32_t a)
{
        return (a & ip4net_mask(n->prefix)) == n->addr;
}

bool ip4net_overlap(const struct ip4net *a, const struct ip4net *b)
{
        int p = a->prefix < b->prefix ? a->prefix : b->prefix;
        return (a->addr & ip4net_mask(p)) == (b->addr & ip4net_mask(p));
}

/* /proc/net/route: every IPv4 route of the main table except default routes. */
static bool route_used(const struct ip4net *n, const char *except, char **ret_what)
{
        FILE *f = fopen("/proc/net/route", "re");
        char line[512], ifn[64];
        unsigned dst, gw, flags, mask;
        bool hit = false;

        if (!f)
                return false;
        while (!hit && fgets(line, sizeof(line), f)) {
                struct ip4net r;
                if (sscanf(line, "%63s %x %x %x %*d %*d %*d %x", ifn, &dst, &gw, &flags, &mask) != 5 || mask == 0)
                        continue;
                if (except && strcmp(ifn, except) == 0)
                        continue;
                r.addr = ntohl(dst);
                r.prefix = __builtin_popcount(mask);
                if ((hit = ip4net_overlap(n, &r)) && ret_what) {
                        char *s = ip4net_str(&r);
                        *ret_what = xasprintf("route %s on %s", s, ifn);
                        free(s);
                }
        }
        fclose(f);
        return hit;
}

/* Interface addresses, of links that are down too (their routes are gone, the address stays). */
static bool addr_used(const struct ip4net *n, const char *except, char **ret_what)
{
        struct ifaddrs *ifs, *i;
        bool hit = false;

        if (getifaddrs(&ifs) < 0)
                return false;
        for (i = ifs; i && !hit; i = i->ifa_next) {
                struct ip4net a;
                if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || !i->ifa_netmask ||
                    (except && strcmp(i->ifa_name, except) == 0) || strcmp(i->ifa_name, "lo") == 0)
                        continue;
                a.prefix = __builtin_popcount(((struct sockaddr_in *)(void *)i->ifa_netmask)->sin_addr.s_addr);
                a.addr = ntohl(((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr.s_addr) & ip4net_mask(a.prefix);
                if ((hit = ip4net_overlap(n, &a)) && ret_what) {
                        char *s = ip4net_str(&a);
                        *ret_what = xasprintf("address %s of %s", s, i->ifa_name);
                        free(s);
                }
        }
        freeifaddrs(ifs);
        return hit;
}

bool ip4net_host_used(const struct ip4net *n, const char *except, char **ret_what)
{
        return route_used(n, except, ret_what) || addr_used(n, except, ret_what);
}

char *net_result_addr_af(const json_t *res, int af, json_t **ret_ifc, json_t **ret_subnet, int *ret_prefix)
{
        json_t *ifc = NULL, *v, *sub = NULL, *s;
        const char *k, *ipnet = NULL, *slash;
        size_t i;

        json_object_foreach(json_object_get(res, "interfaces"), k, v)
                if (!ifc)
                        ifc = v;
        json_array_foreach(json_object_get(ifc, "subnets"), i, s) {
                const char *a = json_get_str(s, "ipnet");
                if (!sub && a && (strchr(a, ':') != NULL) == (af == AF_INET6))
                        sub = s, ipnet = a;
        }
        slash = ipnet ? strchr(ipnet, '/') : NULL;
        if (ret_ifc)
                *ret_ifc = ifc;
        if (ret_subnet)
                *ret_subnet = sub;
        if (ret_prefix)
                *ret_prefix = slash ? atoi(slash + 1) : 0;
        return ipnet ? xstrndup(ipnet, strcspn(ipnet, "/")) : NULL;
}

char *net_result_addr(const json_t *res, json_t **ret_ifc, json_t **ret_subnet, int *ret_prefix)
{
        return net_result_addr_af(res, AF_INET, ret_ifc, ret_subnet, ret_prefix);
}
