/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libcpod logging (debug messages: warnings for the caller go through the
 * runtime handle, cpod_runtime_set_warning_handler).  The library never
 * writes to stdout/stderr itself: it calls the installed handler for
 * messages at or above the current level, and drops them when none is
 * installed.  The cpod command prints "DEBU[0000] message" lines like
 * podman's logrus text formatter.
 */
#ifndef CPOD_LOG_H
#define CPOD_LOG_H

#include <stdbool.h>
#include <cpod/error.h>

enum cpod_log_level {
        CPOD_LOG_TRACE = 0,
        CPOD_LOG_DEBUG,
        CPOD_LOG_INFO,
        CPOD_LOG_WARN,
        CPOD_LOG_ERROR,
        CPOD_LOG_FATAL,
        CPOD_LOG_PANIC,
};

typedef void (*cpod_log_handler_t)(enum cpod_log_level level, const char *msg, void *userdata);

CPOD_PUBLIC void cpod_log_set_handler(cpod_log_handler_t handler, void *userdata);
CPOD_PUBLIC void cpod_log_set_level(enum cpod_log_level level);
CPOD_PUBLIC enum cpod_log_level cpod_log_get_level(void);
/* Parse podman's level names (trace, debug, info, warn, warning, error, fatal, panic). */
CPOD_PUBLIC int cpod_log_level_parse(const char *name, enum cpod_log_level *ret);

#endif
