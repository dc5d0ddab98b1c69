/* SPDX-License-Identifier: Apache-2.0 */
#include "util/human.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

char *human_size(double size)
{
        return human_size_prec(size, 3);
}

char *human_size_prec(double size, int prec)
{
        static const char *const units[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB" };
        size_t i = 0;

        while (size >= 1000.0 && i + 1 < sizeof(units) / sizeof(units[0])) {
                size /= 1000.0;
                i++;
        }
        return xasprintf("%.*g %s", prec, size, units[i]);
}

char *human_duration(int64_t s)
{
        int64_t minutes = s / 60, hours = (s + 1800) / 3600;

        if (s < 1)
                return xstrdup("Less than a second");
        if (s == 1)
                return xstrdup("1 second");
        if (s < 60)
                return xasprintf("%lld seconds", (long long)s);
        if (minutes == 1)
                return xstrdup("About a minute");
        if (minutes < 60)
                return xasprintf("%lld minutes", (long long)minutes);
        if (hours == 1)
                return xstrdup("About an hour");
        if (hours < 48)
                return xasprintf("%lld hours", (long long)hours);
        if (hours < 24 * 7 * 2)
                return xasprintf("%lld days", (long long)(hours / 24));
        if (hours < 24 * 30 * 2)
                return xasprintf("%lld weeks", (long long)(hours / 24 / 7));
        if (hours < 24 * 365 * 2)
                return xasprintf("%lld months", (long long)(hours / 24 / 30));
        return xasprintf("%lld years", (long long)(s / 3600 / 24 / 365));
}

char *human_since(int64_t t)
{
        char *d = human_duration((int64_t)time(NULL) - t), *r = xasprintf("%s ago", d);

        free(d);
        return r;
}

/* Go trims trailing zeros of the fraction in RFC3339Nano; no fraction when it is zero. */
static void add_fraction(struct strbuf *sb, long nsec)
{
        char frac[16];
        int n;

        if (nsec <= 0)
                return;
        n = snprintf(frac, sizeof(frac), "%09ld", nsec);
        while (n > 0 && frac[n - 1] == '0')
                frac[--n] = '\0';
        strbuf_addf(sb, ".%s", frac);
}

char *time_rfc3339nano(int64_t sec, long nsec, int utc)
{
        struct strbuf sb = STRBUF_INIT;
        time_t t = (time_t)sec;
        struct tm tm;
        char buf[64];

        if (utc)
                gmtime_r(&t, &tm);
        else
                localtime_r(&t, &tm);
        strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
        strbuf_addstr(&sb, buf);
        add_fraction(&sb, nsec);
        if (utc || tm.tm_gmtoff == 0) {
                strbuf_addch(&sb, 'Z');
        } else {
                long off = tm.tm_gmtoff;
                strbuf_addf(&sb, "%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 3600, (labs(off) % 3600) / 60);
        }
        return strbuf_detach(&sb, NULL);
}

char *time_rfc3339nano_fixed(int64_t sec, long nsec)
{
        time_t t = (time_t)sec;
        struct tm tm;
        char buf[64];
        long off;

        localtime_r(&t, &tm);
        strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
        off = tm.tm_gmtoff;
        return xasprintf("%s.%09ld%c%02ld:%02ld", buf, nsec, off < 0 ? '-' : '+', labs(off) / 3600,
                         (labs(off) % 3600) / 60);
}

char *time_go_string(int64_t sec, long nsec)
{
        struct strbuf sb = STRBUF_INIT;
        time_t t = (time_t)sec;
        struct tm tm;
        char buf[64], zone[16];

        localtime_r(&t, &tm);
        strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
        strbuf_addstr(&sb, buf);
        add_fraction(&sb, nsec);
        strftime(zone, sizeof(zone), "%z %Z", &tm);
        strbuf_addf(&sb, " %s", zone);
        return strbuf_detach(&sb, NULL);
}

static int digits(const char **p, int n, int *ret)
{
        int v = 0;

        for (int i = 0; i < n; i++) {
                if (!isdigit((unsigned char)**p))
                        return -1;
                v = v * 10 + (*(*p)++ - '0');
        }
        *ret = v;
        return 0;
}

int time_parse_rfc3339(const char *s, int64_t *ret_sec, long *ret_nsec)
{
        struct tm tm = { 0 };
        int y, mo, d, h, mi, se, oh = 0, om = 0;
        long nsec = 0, scale = 100000000;
        int sign = 0;

        if (digits(&s, 4, &y) || *s++ != '-' || digits(&s, 2, &mo) || *s++ != '-' || digits(&s, 2, &d) ||
            (*s != 'T' && *s != 't' && *s != ' ') || (++s, digits(&s, 2, &h)) || *s++ != ':' || digits(&s, 2, &mi) ||
            *s++ != ':' || digits(&s, 2, &se))
                return -1;
        if (*s == '.')
                for (s++; isdigit((unsigned char)*s); s++, scale /= 10)
                        nsec += scale > 0 ? (*s - '0') * scale : 0;
        if (*s == 'Z' || *s == 'z') {
                s++;
        } else if (*s == '+' || *s == '-') {
                sign = *s++ == '-' ? -1 : 1;
                if (digits(&s, 2, &oh) || *s++ != ':' || digits(&s, 2, &om))
                        return -1;
        } else {
                return -1;
        }
        if (*s)
                return -1;
        tm.tm_year = y - 1900;
        tm.tm_mon = mo - 1;
        tm.tm_mday = d;
        tm.tm_hour = h;
        tm.tm_min = mi;
        tm.tm_sec = se;
        *ret_sec = (int64_t)timegm(&tm) - sign * (oh * 3600 + om * 60);
        if (ret_nsec)
                *ret_nsec = nsec;
        return 0;
}

int64_t now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_REALTIME, &ts);
        return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int parse_size(const char *s, int64_t *ret)
{
        char *end;
        double v;
        int64_t mult = 1;

        errno = 0;
        v = strtod(s, &end);
        if (errno || end == s || v < 0)
                return -1;
        switch (tolower((unsigned char)*end)) {
        case 'k':
                mult = 1024;
                break;
        case 'm':
                mult = 1024 * 1024;
                break;
        case 'g':
                mult = 1024LL * 1024 * 1024;
                break;
        case 'b':
        case '\0':
                break;
        default:
                return -1;
        }
        if (*end && end[1] && !(tolower((unsigned char)end[1]) == 'b' && !end[2]))
                return -1;
        *ret = (int64_t)(v * (double)mult);
        return 0;
}

int parse_size_decimal(const char *s, int64_t *ret)
{
        static const char units[] = "kmgtp";
        const char *u;
        char *end;
        double v, mult = 1;

        errno = 0;
        v = strtod(s, &end);
        if (errno || end == s || v < 0 || !isdigit((unsigned char)*s))
                return -1;
        if (*end == ' ')
                end++;
        if (*end && (u = strchr(units, tolower((unsigned char)*end)))) {
                for (const char *k = units; k <= u; k++)
                        mult *= 1000;
                end++;
        }
        if (tolower((unsigned char)*end) == 'i')
                end++;
        if (tolower((unsigned char)*end) == 'b')
                end++;
        if (*end || v * mult > 9.2e18)
                return -1;
        *ret = (int64_t)(v * mult);
        return 0;
}

char *human_size_compact(double size)
{
        static const char *const units[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB" };
        size_t i = 0;

        while (size >= 1000.0 && i + 1 < sizeof(units) / sizeof(units[0])) {
                size /= 1000.0;
                i++;
        }
        return xasprintf("%.4g%s", size, units[i]);
}

char *human_bytes_compact(double size)
{
        static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB" };
        size_t i = 0;

        while (size >= 1024.0 && i + 1 < sizeof(units) / sizeof(units[0])) {
                size /= 1024.0;
                i++;
        }
        return xasprintf("%.4g%s", size, units[i]);
}

/* v / 10^prec with the fraction's trailing zeros (and a bare '.') left out. */
static void add_fixed(struct strbuf *b, uint64_t v, int prec)
{
        uint64_t p = 1;
        char frac[24];
        int n;

        for (int i = 0; i < prec; i++)
                p *= 10;
        strbuf_addf(b, "%llu", (unsigned long long)(v / p));
        n = snprintf(frac, sizeof(frac), "%0*llu", prec, (unsigned long long)(v % p));
        while (n > 0 && frac[n - 1] == '0')
                frac[--n] = 0;
        if (n > 0)
                strbuf_addf(b, ".%s", frac);
}

char *go_duration_string(int64_t ns)
{
        struct strbuf b = STRBUF_INIT;
        uint64_t u = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;

        if (ns < 0)
                strbuf_addch(&b, '-');
        if (u == 0)
                strbuf_addstr(&b, "0s");
        else if (u < 1000)
                strbuf_addf(&b, "%lluns", (unsigned long long)u);
        else if (u < 1000000) {
                add_fixed(&b, u, 3);
                strbuf_addstr(&b, "\xc2\xb5s");
        } else if (u < 1000000000) {
                add_fixed(&b, u, 6);
                strbuf_addstr(&b, "ms");
        } else {
                uint64_t h = u / 3600000000000ULL, m = u / 60000000000ULL % 60;
                if (h)
                        strbuf_addf(&b, "%lluh", (unsigned long long)h);
                if (h || m)
                        strbuf_addf(&b, "%llum", (unsigned long long)m);
                add_fixed(&b, u % 60000000000ULL, 9);
                strbuf_addch(&b, 's');
        }
        return strbuf_detach(&b, NULL);
}

/* Go's time.ParseDuration for the units a filter needs: "90s", "1h30m", "1.5h", "500ms". */
static int parse_go_duration(const char *s, double *ret_sec)
{
        static const struct {
                const char *u;
                double mult;
        } units[] = { { "ms", 1e-3 }, { "h", 3600 }, { "m", 60 }, { "s", 1 } };
        double total = 0;

        if (!*s)
                return -1;
        while (*s) {
                char *end;
                double v = strtod(s, &end);
                size_t i;
                if (end == s || v < 0)
                        return -1;
                for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
                        if (strncmp(end, units[i].u, strlen(units[i].u)) == 0)
                                break;
                if (i == sizeof(units) / sizeof(units[0]))
                        return -1;
                total += v * units[i].mult;
                s = end + strlen(units[i].u);
        }
        *ret_sec = total;
        return 0;
}

int parse_until(const char *s, int64_t now_sec, int64_t *ret_sec)
{
        double d;
        char *end;
        long long v;
        int64_t sec;

        if (!s || !*s)
                return -1;
        if (time_parse_rfc3339(s, &sec, NULL) == 0) {
                *ret_sec = sec;
                return 0;
        }
        errno = 0;
        v = strtoll(s, &end, 10);
        if (errno == 0 && (!*end || *end == '.') && end != s) {
                *ret_sec = v;
                return 0;
        }
        if (parse_go_duration(s, &d) == 0) {
                *ret_sec = now_sec - (int64_t)d;
                return 0;
        }
        return -1;
}

static const struct {
        const char *name;
        uint64_t ns;
} duration_units[] = {
        { "ns", 1ULL },           { "us", 1000ULL },      { "\xc2\xb5s", 1000ULL }, /* U+00B5 micro sign */
        { "\xce\xbcs", 1000ULL },                                                   /* U+03BC Greek mu */
        { "ms", 1000000ULL },     { "s", 1000000000ULL }, { "m", 60000000000ULL },  { "h", 3600000000000ULL },
};

/* Go's time.ParseDuration, to the same rules: "[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+" or "0". */
int parse_duration_ns(const char *s, int64_t *ret_ns)
{
        const uint64_t max = 1ULL << 63;
        uint64_t d = 0;
        bool neg = false;

        if (*s == '-' || *s == '+')
                neg = *s++ == '-';
        if (strcmp(s, "0") == 0) {
                *ret_ns = 0;
                return 0;
        }
        if (!*s)
                return -1;
        while (*s) {
                uint64_t v = 0, f = 0, unit = 0;
                double scale = 1;
                bool pre = false, post = false, f_overflow = false;
                size_t ulen = 0;

                if (*s != '.' && (*s < '0' || *s > '9'))
                        return -1;
                for (; *s >= '0' && *s <= '9'; s++, pre = true) {
                        if (v > max / 10)
                                return -1;
                        v = v * 10 + (uint64_t)(*s - '0');
                        if (v > max)
                                return -1;
                }
                if (*s == '.') {
                        for (s++; *s >= '0' && *s <= '9'; s++, post = true) {
                                if (f_overflow || f > (max - 1) / 10) {
                                        f_overflow = true; /* Go drops digits it can't hold */
                                        continue;
                                }
                                f = f * 10 + (uint64_t)(*s - '0');
                                scale *= 10;
                        }
                }
                if (!pre && !post)
                        return -1;
                while (s[ulen] && s[ulen] != '.' && (s[ulen] < '0' || s[ulen] > '9'))
                        ulen++;
                for (size_t i = 0; i < ARRAY_SIZE(duration_units) && !unit; i++)
                        if (strlen(duration_units[i].name) == ulen && memcmp(s, duration_units[i].name, ulen) == 0)
                                unit = duration_units[i].ns;
                if (!unit)
                        return -1; /* missing or unknown unit */
                s += ulen;
                if (v > max / unit)
                        return -1;
                v *= unit;
                if (f > 0) {
                        v += (uint64_t)((double)f * ((double)unit / scale));
                        if (v > max)
                                return -1;
                }
                d += v;
                if (d > max)
                        return -1;
        }
        if (neg) {
                *ret_ns = d == max ? INT64_MIN : -(int64_t)d;
                return 0;
        }
        if (d > max - 1)
                return -1;
        *ret_ns = (int64_t)d;
        return 0;
}
