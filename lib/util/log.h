/* SPDX-License-Identifier: Apache-2.0 */
/* Logging inside lib/: goes through the handler the CLI installs (cpod/log.h). */
#ifndef CPOD_UTIL_LOG_H
#define CPOD_UTIL_LOG_H

#include <cpod/log.h>

void cpod_logf(enum cpod_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool cpod_log_enabled(enum cpod_log_level level);

#define log_debug(...) (cpod_log_enabled(CPOD_LOG_DEBUG) ? cpod_logf(CPOD_LOG_DEBUG, __VA_ARGS__) : (void)0)
#define log_info(...) cpod_logf(CPOD_LOG_INFO, __VA_ARGS__)
#define log_warn(...) cpod_logf(CPOD_LOG_WARN, __VA_ARGS__)

#endif
