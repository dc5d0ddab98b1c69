/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Subnets of either family (IPv4 and IPv6 as 128-bit numbers): parsing,
 * overlap, address arithmetic for IPAM, whether the host already routes or
 * holds an IPv6 subnet, and a free IPv6 ULA /64 for --ipv6.
 */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/net.h"

#include "util/random.h"
#include "util/xalloc.h"

int ipnet_bits(int af)
{
        return af == AF_INET6 ? 128 : 32;
}

bool ip_parse(const char *s, int *ret_af, ip_u128 *ret)
{
        unsigned char b[16];
        ip_u128 v = 0;

        if (!s)
                return false;
        if (inet_pton(AF_INET, s, b) == 1) {
                for (int i = 0; i < 4; i++)
                        v = v << 8 | b[i];
                *ret_af = AF_INET;
        } else if (inet_pton(AF_INET6, s, b) == 1) {
                for (int i = 0; i < 16; i++)
                        v = v << 8 | b[i];
                *ret_af = AF_INET6;
        } else {
                return false;
        }
        *ret = v;
        return true;
}

ip_u128 ipnet_hostmask(int af, int prefix)
{
        int host = ipnet_bits(af) - prefix;
        return host <= 0 ? 0 : host >= 128 ? ~(ip_u128)0 : (((ip_u128)1 << host) - 1);
}

int ipnet_parse(const char *s, struct ipnet *ret)
{
        const char *slash = s ? strchr(s, '/') : NULL;
        char buf[INET6_ADDRSTRLEN], *end;
        long p;

        if (!slash || (size_t)(slash - s) >= sizeof(buf) || !slash[1])
                return -1;
        memcpy(buf, s, (size_t)(slash - s));
        buf[slash - s] = '\0';
        p = strtol(slash + 1, &end, 10);
        if (*end || !ip_parse(buf, &ret->af, &ret->addr) || p < 0 || p > ipnet_bits(ret->af))
                return -1;
        ret->prefix = (int)p;
        ret->addr &= ~ipnet_hostmask(ret->af, ret->prefix);
        return 0;
}

char *ip_str(int af, ip_u128 a)
{
        unsigned char b[16];
        char s[INET6_ADDRSTRLEN];
        int n = af == AF_INET6 ? 16 : 4;

        for (int i = n - 1; i >= 0; i--, a >>= 8)
                b[i] = (unsigned char)(a & 255);
        return xstrdup(inet_ntop(af, b, s, sizeof(s)) ? s : "");
}

char *ipnet_str(const struct ipnet *n)
{
        char *a = ip_str(n->af, n->addr), *r = xasprintf("%s/%d", a, n->prefix);
        free(a);
        return r;
}

ip_u128 ipnet_last(const struct ipnet *n)
{
        return n->addr | ipnet_hostmask(n->af, n->prefix);
}

bool ipnet_contains(const struct ipnet *n, int af, ip_u128 a)
{
        return af == n->af && (a & ~ipnet_hostmask(af, n->prefix)) == n->addr;
}

bool ipnet_overlap(const struct ipnet *a, const struct ipnet *b)
{
        int p = a->prefix < b->prefix ? a->prefix : b->prefix;
        return a->af == b->af && (a->addr & ~ipnet_hostmask(a->af, p)) == (b->addr & ~ipnet_hostmask(a->af, p));
}

static ip_u128 hex128(const char *h)
{
        ip_u128 v = 0;
        for (int i = 0; i < 32 && h[i]; i++)
                v = v << 4 | (ip_u128)(h[i] <= '9' ? h[i] - '0' : (h[i] | 0x20) - 'a' + 10);
        return v;
}

/* /proc/net/ipv6_route: every route but the default ones, multicast and link-local. */
static bool route6_used(const struct ipnet *n, const char *except, char **ret_what)
{
        FILE *f = fopen("/proc/net/ipv6_route", "re");
        char dst[33], ifn[64];
        unsigned plen;
        bool hit = false;

        if (!f)
                return false;
        while (!hit && fscanf(f, "%32s %x %*s %*s %*s %*s %*s %*s %*s %63s", dst, &plen, ifn) == 3) {
                struct ipnet r = { AF_INET6, hex128(dst), (int)plen };
                if (plen == 0 || plen > 128 || (except && strcmp(ifn, except) == 0) || strcmp(ifn, "lo") == 0 ||
                    (r.addr >> 120) == 0xff || (r.addr >> 118) == 0x3fa /* fe80::/10 */)
                        continue;
                if ((hit = ipnet_overlap(n, &r)) && ret_what) {
                        char *s = ipnet_str(&r);
                        *ret_what = xasprintf("route %s on %s", s, ifn);
                        free(s);
                }
        }
        fclose(f);
        return hit;
}

static bool addr6_used(const struct ipnet *n, const char *except, char **ret_what)
{
        struct ifaddrs *ifs, *i;
        bool hit = false;

        if (getifaddrs(&ifs) < 0)
                return false;
        for (i = ifs; i && !hit; i = i->ifa_next) {
                struct ipnet a = { AF_INET6, 0, 0 };
                const unsigned char *b, *m;
                if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET6 || !i->ifa_netmask ||
                    (except && strcmp(i->ifa_name, except) == 0) || strcmp(i->ifa_name, "lo") == 0)
                        continue;
                b = ((struct sockaddr_in6 *)(void *)i->ifa_addr)->sin6_addr.s6_addr;
                m = ((struct sockaddr_in6 *)(void *)i->ifa_netmask)->sin6_addr.s6_addr;
                for (int k = 0; k < 16; k++) {
                        a.addr = a.addr << 8 | b[k];
                        a.prefix += __builtin_popcount(m[k]);
                }
                a.addr &= ~ipnet_hostmask(AF_INET6, a.prefix);
                if ((a.addr >> 118) == 0x3fa)
                        continue;
                if ((hit = ipnet_overlap(n, &a)) && ret_what) {
                        char *s = ipnet_str(&a);
                        *ret_what = xasprintf("address %s of %s", s, i->ifa_name);
                        free(s);
                }
        }
        freeifaddrs(ifs);
        return hit;
}

bool ipnet_host_used(const struct ipnet *n, const char *except, char **ret_what)
{
        if (n->af == AF_INET) {
                struct ip4net v4 = { (uint32_t)n->addr, n->prefix };
                return ip4net_host_used(&v4, except, ret_what);
        }
        return route6_used(n, except, ret_what) || addr6_used(n, except, ret_what);
}

void ipnet_random_ula(struct ipnet *ret)
{
        unsigned char b[7];

        random_bytes(b, sizeof(b));
        ret->af = AF_INET6;
        ret->prefix = 64;
        ret->addr = 0xfd;
        for (int i = 0; i < 7; i++)
                ret->addr = ret->addr << 8 | b[i];
        ret->addr <<= 64;
}
