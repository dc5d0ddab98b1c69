/* SPDX-License-Identifier: Apache-2.0 */
/* What the cgroup layouts' readers share: finding a controller's cgroup, reading numbers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctr/cgroup-stats.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/xalloc.h"

const struct cg_stats_ops *cg_stats_ops_for(enum cpod_cgroup_mode mode)
{
        return mode == CPOD_CGROUP_V2 ? &cg_stats_v2 : &cg_stats_v1;
}

/* Does the comma-separated list [s, e) name ctrl? */
static bool list_has(const char *s, const char *e, const char *ctrl)
{
        size_t n = strlen(ctrl);

        if (n == 0)
                return s == e;
        while (s < e) {
                const char *c = memchr(s, ',', (size_t)(e - s));
                if (!c)
                        c = e;
                if ((size_t)(c - s) == n && strncmp(s, ctrl, n) == 0)
                        return true;
                s = c + 1;
        }
        return false;
}

/* Lines "ID:CONTROLLERS:PATH". */
char *cg_proc_path(const char *text, const char *ctrl)
{
        for (const char *l = text; l && *l;) {
                const char *nl = strchr(l, '\n'), *end = nl ? nl : l + strlen(l);
                const char *c1 = memchr(l, ':', (size_t)(end - l));
                const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;
                if (c2 && list_has(c1 + 1, c2, ctrl))
                        return xstrndup(c2 + 1, (size_t)(end - c2 - 1));
                l = nl ? nl + 1 : NULL;
        }
        return NULL;
}

bool cg_read_u64(const char *dir, const char *file, uint64_t *ret)
{
        _cleanup_free_ char *p = path_join(dir, file), *line = read_line_file(p);
        char *end;
        unsigned long long v;

        if (!line || !*line)
                return false;
        v = strtoull(line, &end, 10);
        if (end == line || (*end && *end != '\n'))
                return false;
        *ret = v;
        return true;
}

uint64_t cg_keyed(const char *text, const char *key)
{
        size_t n = strlen(key);

        for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
                if (strncmp(l, key, n) == 0 && (l[n] == ' ' || l[n] == '='))
                        return strtoull(l + n + 1, NULL, 10);
        return 0;
}

char *cg_read_text(const char *dir, const char *file)
{
        _cleanup_free_ char *p = path_join(dir, file);
        char *text = NULL;
        size_t len;

        if (read_file(p, &text, &len, 1 << 20, NULL) < 0)
                return NULL;
        return text;
}
