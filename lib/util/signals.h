/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CPOD_UTIL_SIGNALS_H
#define CPOD_UTIL_SIGNALS_H

/* "SIGTERM", "TERM", "term", "15", "RTMIN+3" -> number; -1 if invalid. */
int signal_number(const char *s);
/* "SIGTERM" for 15, or NULL. */
const char *signal_name(int sig);

#endif
