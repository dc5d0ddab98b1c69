/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for lib/net's IPv4 and IPv6 subnet arithmetic and the network flags' parsing in cli/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/net.h"
#include "util/cleanup.h"

static void test_parse(void **state)
{
        struct ip4net n;
        uint32_t a;

        (void)state;
        assert_int_equal(ip4net_parse("10.90.1.77/24", &n), 0);
        assert_int_equal(n.addr, 0x0a5a0100u); /* masked */
        assert_int_equal(n.prefix, 24);
        assert_int_equal(ip4net_parse("0.0.0.0/0", &n), 0);
        assert_int_equal(ip4net_parse("10.0.0.0/33", &n), -1);
        assert_int_equal(ip4net_parse("10.0.0.0", &n), -1);
        assert_int_equal(ip4net_parse("10.0.0.0/", &n), -1);
        assert_int_equal(ip4net_parse("10.0.0/8", &n), -1);
        assert_int_equal(ip4net_parse("10.0.0.0/8x", &n), -1);
        assert_int_equal(ip4net_parse("999.0.0.0/8", &n), -1);
        assert_int_equal(ip4net_parse("fd00::/64", &n), -1);
        assert_int_equal(ip4net_parse(NULL, &n), -1);
        assert_true(ip4_parse("192.0.2.1", &a));
        assert_int_equal(a, 0xc0000201u);
        assert_false(ip4_parse("192.0.2", &a));
        assert_false(ip4_parse("", &a));
}

static void test_overlap(void **state)
{
        struct ip4net a, b, c;
        _cleanup_free_ char *s = NULL, *t = NULL;

        (void)state;
        ip4net_parse("10.88.0.0/16", &a);
        ip4net_parse("10.88.200.0/24", &b);
        ip4net_parse("10.89.0.0/24", &c);
        assert_true(ip4net_overlap(&a, &b));
        assert_true(ip4net_overlap(&b, &a));
        assert_false(ip4net_overlap(&a, &c));
        assert_true(ip4net_contains(&b, 0x0a58c8feu));
        assert_false(ip4net_contains(&b, 0x0a58c900u));
        assert_int_equal(ip4net_mask(0), 0);
        assert_int_equal(ip4net_mask(32), 0xffffffffu);
        assert_int_equal(ip4net_mask(20), 0xfffff000u);
        s = ip4net_str(&b);
        assert_string_equal(s, "10.88.200.0/24");
        t = ip4_str(0x7f000001u);
        assert_string_equal(t, "127.0.0.1");
}

/* The host's own loopback-free routes: the default route's link subnet is "used". */
static void test_host_used(void **state)
{
        struct ip4net n = { 0x7f000000u, 8 }, tiny = { 0xc6336400u, 30 }; /* 127/8; 198.51.100.0/30 */
        char *what = NULL;

        (void)state;
        /* loopback's address is not counted (lo is skipped), and /proc/net/route has no 127/8 */
        assert_false(ip4net_host_used(&n, NULL, &what));
        assert_null(what);
        /* a documentation range no host here routes */
        assert_false(ip4net_host_used(&tiny, NULL, NULL));
        /* every link route of the host is used, and named; not when its link is the one excepted */
        {
                FILE *f = fopen("/proc/net/route", "re");
                char line[256], ifn[64];
                unsigned dst, gw, flags, mask;
                int checked = 0;
                while (f && fgets(line, sizeof(line), f))
                        if (sscanf(line, "%63s %x %x %x %*d %*d %*d %x", ifn, &dst, &gw, &flags, &mask) == 5 && mask) {
                                struct ip4net r = { __builtin_bswap32(dst), __builtin_popcount(mask) };
                                assert_true(ip4net_host_used(&r, NULL, &what));
                                assert_non_null(strstr(what, ifn));
                                free(what);
                                what = NULL;
                                checked++;
                        }
                if (f)
                        fclose(f);
                assert_true(checked > 0); /* a host with no link route at all would be no test of this */
        }
}

static void test_ipnet(void **state)
{
        struct ipnet n, m, u;
        ip_u128 a;
        int af;
        _cleanup_free_ char *s1 = NULL, *s2 = NULL, *s3 = NULL, *s4 = NULL;

        (void)state;
        assert_int_equal(ipnet_parse("fd12:3456:789a:1::77/64", &n), 0);
        assert_int_equal(n.af, AF_INET6);
        assert_int_equal(n.prefix, 64);
        s1 = ipnet_str(&n);
        assert_string_equal(s1, "fd12:3456:789a:1::/64"); /* masked */
        assert_int_equal(ipnet_parse("fd00::/129", &m), -1);
        assert_int_equal(ipnet_parse("fd00::", &m), -1);
        assert_int_equal(ipnet_parse("fd00::/6x", &m), -1);
        assert_int_equal(ipnet_parse("10.1.2.3/24", &m), 0);
        assert_int_equal(m.af, AF_INET);
        assert_true(m.addr == 0x0a010200u);
        assert_false(ipnet_overlap(&n, &m)); /* families differ */
        assert_int_equal(ipnet_parse("fd12:3456:789a::/48", &m), 0);
        assert_true(ipnet_overlap(&n, &m));
        assert_true(ip_parse("fd12:3456:789a:1::1", &af, &a));
        assert_true(ipnet_contains(&n, af, a));
        assert_true(ip_parse("fd12:3456:789a:2::1", &af, &a));
        assert_false(ipnet_contains(&n, af, a));
        s2 = ip_str(AF_INET6, ipnet_last(&n));
        assert_string_equal(s2, "fd12:3456:789a:1:ffff:ffff:ffff:ffff");
        s3 = ip_str(AF_INET, 0x7f000001u);
        assert_string_equal(s3, "127.0.0.1");
        assert_false(ip_parse("fd00::1::2", &af, &a));
        ipnet_random_ula(&u);
        assert_int_equal(u.prefix, 64);
        assert_true((u.addr >> 120) == 0xfd);
        assert_true((u.addr & ipnet_hostmask(AF_INET6, 64)) == 0);
        s4 = ipnet_str(&u);
        assert_true(strncmp(s4, "fd", 2) == 0);
}

/* IPv6: every global route of the host is used (named by its link), link-local ones are not. */
static void test_host_used6(void **state)
{
        FILE *f = fopen("/proc/net/ipv6_route", "re");
        char dst[33], ifn[64];
        unsigned plen;
        struct ipnet ll, r;
        char *what = NULL;

        (void)state;
        assert_int_equal(ipnet_parse("fe80::/64", &ll), 0);
        assert_false(ipnet_host_used(&ll, NULL, NULL));
        while (f && fscanf(f, "%32s %x %*s %*s %*s %*s %*s %*s %*s %63s", dst, &plen, ifn) == 3) {
                char buf[64];
                if (plen == 0 || strcmp(ifn, "lo") == 0 || strncmp(dst, "fe80", 4) == 0 || strncmp(dst, "ff", 2) == 0)
                        continue;
                snprintf(buf, sizeof(buf), "%.4s:%.4s:%.4s:%.4s:%.4s:%.4s:%.4s:%.4s/%u", dst, dst + 4, dst + 8,
                         dst + 12, dst + 16, dst + 20, dst + 24, dst + 28, plen);
                assert_int_equal(ipnet_parse(buf, &r), 0);
                assert_true(ipnet_host_used(&r, NULL, &what));
                assert_non_null(strstr(what, ifn));
                free(what);
                what = NULL;
        }
        if (f)
                fclose(f);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse), cmocka_unit_test(test_overlap),    cmocka_unit_test(test_host_used),
                cmocka_unit_test(test_ipnet), cmocka_unit_test(test_host_used6),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
