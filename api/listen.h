/* SPDX-License-Identifier: Apache-2.0 */
/* The service's listening socket: a URI, or one inherited by socket activation. */
#ifndef CPOD_API_LISTEN_H
#define CPOD_API_LISTEN_H

#include <cpod/error.h>

/*
 * A listening socket for uri: unix:///path (its directory made 0700, the socket 0600, a stale
 * socket replaced), tcp:HOST:PORT or tcp://HOST:PORT (loopback addresses only: the API has no
 * authentication; *ret_warn gets the warning to print).  With LISTEN_PID = our pid and
 * LISTEN_FDS = 1 the inherited fd 3 is used instead.  *ret_path gets the unix socket's path
 * (to remove at exit), NULL otherwise.
 */
int api_listen(const char *uri, char **ret_path, char **ret_warn, cpod_error_t *err);

#endif
