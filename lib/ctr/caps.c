/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Capability names and podman's --cap-add/--cap-drop arithmetic.  Sets are
 * 64-bit masks indexed by capability number: the table ends at 40 and the
 * kernel's own cap_last_cap is far from 63.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ctr/caps.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* Indexed by number, as in <linux/capability.h>. */
static const char *const cap_table[] = {
        "CAP_CHOWN",
        "CAP_DAC_OVERRIDE",
        "CAP_DAC_READ_SEARCH",
        "CAP_FOWNER",
        "CAP_FSETID",
        "CAP_KILL",
        "CAP_SETGID",
        "CAP_SETUID",
        "CAP_SETPCAP",
        "CAP_LINUX_IMMUTABLE",
        "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST",
        "CAP_NET_ADMIN",
        "CAP_NET_RAW",
        "CAP_IPC_LOCK",
        "CAP_IPC_OWNER",
        "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO",
        "CAP_SYS_CHROOT",
        "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT",
        "CAP_SYS_ADMIN",
        "CAP_SYS_BOOT",
        "CAP_SYS_NICE",
        "CAP_SYS_RESOURCE",
        "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG",
        "CAP_MKNOD",
        "CAP_LEASE",
        "CAP_AUDIT_WRITE",
        "CAP_AUDIT_CONTROL",
        "CAP_SETFCAP",
        "CAP_MAC_OVERRIDE",
        "CAP_MAC_ADMIN",
        "CAP_SYSLOG",
        "CAP_WAKE_ALARM",
        "CAP_BLOCK_SUSPEND",
        "CAP_AUDIT_READ",
        "CAP_PERFMON",
        "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
};

#define CAP_TABLE_LAST ((int)ARRAY_SIZE(cap_table) - 1)

_Static_assert(ARRAY_SIZE(cap_table) == 41, "capability table ends at CAP_CHECKPOINT_RESTORE (40)");

char *cap_normalize(const char *name)
{
        struct strbuf sb = STRBUF_INIT;

        if (strcasecmp(name, "ALL") != 0 && strncasecmp(name, "CAP_", 4) != 0)
                strbuf_addstr(&sb, "CAP_");
        for (const char *p = name; *p; p++)
                strbuf_addch(&sb, toupper((unsigned char)*p));
        return strbuf_detach(&sb, NULL);
}

static int lookup(const char *normalized)
{
        for (int i = 0; i <= CAP_TABLE_LAST; i++)
                if (strcmp(cap_table[i], normalized) == 0)
                        return i;
        return -1;
}

int cap_number(const char *name)
{
        _cleanup_free_ char *s = NULL;

        if (!name)
                return -1;
        s = cap_normalize(name);
        return lookup(s);
}

bool cap_name_valid(const char *name)
{
        return cap_number(name) >= 0;
}

const char *cap_name(int number)
{
        return number >= 0 && number <= CAP_TABLE_LAST ? cap_table[number] : NULL;
}

int cap_last_cap(void)
{
        _cleanup_free_ char *s = read_line_file("/proc/sys/kernel/cap_last_cap");
        char *end;
        long v;

        if (!s)
                return CAP_TABLE_LAST;
        errno = 0;
        v = strtol(s, &end, 10);
        if (errno != 0 || end == s || *end != '\0' || v < 0)
                return CAP_TABLE_LAST;
        return v < CAP_TABLE_LAST ? (int)v : CAP_TABLE_LAST;
}

/*
 * Our own bounding set: no child can get a capability we lack (a sandbox may
 * withhold some even from root; this host has no CAP_SYS_RESOURCE), so "all"
 * means all that the kernel knows and we hold, as podman's --privileged does.
 */
static uint64_t bounding_set(void)
{
        _cleanup_free_ char *status = NULL;
        const char *p;
        size_t len;

        if (read_file("/proc/self/status", &status, &len, 1 << 20, NULL) < 0 || !(p = strstr(status, "CapBnd:")))
                return UINT64_MAX;
        return strtoull(p + 7, NULL, 16);
}

static uint64_t all_known(void)
{
        int last = cap_last_cap();
        uint64_t known = last >= 63 ? UINT64_MAX : (UINT64_C(1) << (last + 1)) - 1;

        return known & bounding_set();
}

/* Fold a list of names into a mask; *ret_all tells whether "ALL" was among them. */
static int to_mask(char *const *names, uint64_t *ret_mask, bool *ret_all, cpod_error_t *err)
{
        uint64_t mask = 0;
        bool all = false;

        for (size_t i = 0; names && names[i]; i++) {
                _cleanup_free_ char *s = cap_normalize(names[i]);
                int n;

                if (strcmp(s, "ALL") == 0) {
                        all = true;
                        continue;
                }
                n = lookup(s);
                if (n < 0)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "unknown capability \"%s\"", s);
                mask |= UINT64_C(1) << n;
        }
        *ret_mask = mask;
        *ret_all = all;
        return 0;
}

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **mask_to_strv(uint64_t mask)
{
        char **v = xnew0(char *, ARRAY_SIZE(cap_table) + 1);
        size_t n = 0;

        for (int i = 0; i <= CAP_TABLE_LAST; i++)
                if (mask & (UINT64_C(1) << i))
                        v[n++] = xstrdup(cap_table[i]);
        qsort(v, n, sizeof(*v), cmp_str);
        return v;
}

int caps_compute(char *const *defaults, char *const *add, char *const *drop, bool privileged, char ***ret,
                 cpod_error_t *err)
{
        uint64_t base, addm, dropm, both, result;
        bool base_all, add_all, drop_all;

        if (to_mask(defaults, &base, &base_all, err) < 0 || to_mask(add, &addm, &add_all, err) < 0 ||
            to_mask(drop, &dropm, &drop_all, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if (add_all && drop_all)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "adding all caps and removing all caps not allowed");
        if (drop_all) {
                /* Drop everything, keep only what is added explicitly (privileged or not). */
                *ret = mask_to_strv(addm);
                return 0;
        }
        /* With add ALL the explicit adds are moot and only the drops count. */
        both = add_all ? 0 : addm & dropm;
        if (both) {
                int n = __builtin_ctzll(both);
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "capability \"%s\" cannot be dropped and added",
                                      cap_table[n]);
        }
        if (privileged || add_all || base_all)
                base = all_known();
        result = (base & ~dropm) | (add_all ? 0 : addm);
        *ret = mask_to_strv(result);
        return 0;
}
