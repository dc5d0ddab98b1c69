/* SPDX-License-Identifier: Apache-2.0 */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/xalloc.h"

/* The only mutable globals in lib/: set once by the CLI before any work. */
static enum cpod_log_level log_level = CPOD_LOG_WARN;
static cpod_log_handler_t log_handler;
static void *log_userdata;
static struct timespec log_start;

static const char *const level_tags[] = { "TRAC", "DEBU", "INFO", "WARN", "ERRO", "FATA", "PANI" };

static void default_handler(enum cpod_log_level level, const char *msg, void *userdata)
{
        struct timespec now;
        long secs;

        (void)userdata;
        clock_gettime(CLOCK_MONOTONIC, &now);
        secs = (long)(now.tv_sec - log_start.tv_sec);
        fprintf(stderr, "%s[%04ld] %s\n", level_tags[level], secs, msg);
}

void cpod_log_set_handler(cpod_log_handler_t handler, void *userdata)
{
        log_handler = handler;
        log_userdata = userdata;
}

void cpod_log_set_level(enum cpod_log_level level)
{
        if (log_start.tv_sec == 0)
                clock_gettime(CLOCK_MONOTONIC, &log_start);
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

        if (!cpod_log_enabled(level))
                return;
        if (log_start.tv_sec == 0)
                clock_gettime(CLOCK_MONOTONIC, &log_start);
        va_start(ap, fmt);
        msg = xvasprintf(fmt, ap);
        va_end(ap);
        (log_handler ? log_handler : default_handler)(level, msg, log_userdata);
        free(msg);
}
