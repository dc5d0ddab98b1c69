/* SPDX-License-Identifier: Apache-2.0 */
#include "util/failpoint.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"

/* Find "name=action" in the spec; returns a pointer to the action or NULL. */
static const char *lookup(const char *spec, const char *name)
{
        size_t n = strlen(name);

        for (const char *p = spec; p && *p;) {
                const char *end = strchr(p, ',');
                if (strncmp(p, name, n) == 0 && p[n] == '=')
                        return p + n + 1;
                p = end ? end + 1 : NULL;
        }
        return NULL;
}

int failpoint(const char *name, cpod_error_t *err)
{
        const char *spec = getenv("CPOD_FAILPOINTS"), *act;

        if (!spec || !*spec || !(act = lookup(spec, name)))
                return 0;
        log_debug("failpoint %s: %.*s", name, (int)strcspn(act, ","), act);
        if (strncmp(act, "kill", 4) == 0) {
                kill(getpid(), SIGKILL);
                pause();
        }
        if (strncmp(act, "sleep:", 6) == 0) {
                long ms = strtol(act + 6, NULL, 10);
                struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
                nanosleep(&ts, NULL);
                return 0;
        }
        if (strncmp(act, "error", 5) == 0)
                return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "failpoint %s triggered", name);
        return 0;
}
