/* SPDX-License-Identifier: Apache-2.0 */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* The only mutable globals in lib/: set once by the CLI before any work. */
static enum cpod_log_level log_level = CPOD_LOG_WARN;
static cpod_log_handler_t log_handler;
static void *log_userdata;

void cpod_log_set_handler(cpod_log_handler_t handler, void *userdata)
{
        log_handler = handler;
        log_userdata = userdata;
}

void cpod_log_set_level(enum cpod_log_level level)
{
        log_level = level;
}

enum cpod_log_level cpod_log_get_level(void)
{
        return log_level;
}

int cpod_log_level_parse(const char *name, enum cpod_log_level *ret)
{
        static const struct {
                const char *name;
                enum cpod_log_level level;
        } names[] = {
                { "trace", CPOD_LOG_TRACE }, { "debug", CPOD_LOG_DEBUG },  { "info", CPOD_LOG_INFO },
                { "warn", CPOD_LOG_WARN },   { "warning", CPOD_LOG_WARN }, { "error", CPOD_LOG_ERROR },
                { "fatal", CPOD_LOG_FATAL }, { "panic", CPOD_LOG_PANIC },
        };

        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                if (strcmp(names[i].name, name) == 0) {
                        *ret = names[i].level;
                        return 0;
                }
        return -1;
}

bool cpod_log_enabled(enum cpod_log_level level)
{
        return level >= log_level;
}

void cpod_logf(enum cpod_log_level level, const char *fmt, ...)
{
        va_list ap;
        char *msg;

        /* The library never prints: without a handler (the CLI installs one) messages are dropped. */
        if (!log_handler || !cpod_log_enabled(level))
                return;
        va_start(ap, fmt);
        msg = xvasprintf(fmt, ap);
        va_end(ap);
        log_handler(level, msg, log_userdata);
        free(msg);
}
