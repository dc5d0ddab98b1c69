/* SPDX-License-Identifier: Apache-2.0 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/stats-fmt.h"
#include "util/cleanup.h"
#include "util/human.h"
#include "util/xalloc.h"

char *stats_pair_human(uint64_t a, uint64_t b, bool dashes)
{
        _cleanup_free_ char *x = NULL, *y = NULL;

        if (dashes && a == 0 && b == 0)
                return xstrdup("-- / --");
        x = human_size_compact((double)a);
        y = human_size_compact((double)b);
        return xasprintf("%s / %s", x, y);
}

char *stats_pair_bytes(uint64_t a, uint64_t b, bool dashes)
{
        _cleanup_free_ char *x = NULL, *y = NULL;

        if (dashes && a == 0 && b == 0)
                return xstrdup("-- / --");
        x = human_bytes_compact((double)a);
        y = human_bytes_compact((double)b);
        return xasprintf("%s / %s", x, y);
}

char *stats_percent(double f, bool dashes)
{
        if (!isfinite(f) || (dashes && f == 0))
                return xstrdup("--");
        return xasprintf("%.2f%%", f);
}

void stats_clear_screen(void)
{
        if (isatty(STDOUT_FILENO)) {
                fputs("\033[2J\033[1;1H", stdout);
                fflush(stdout);
        }
}
