/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CPOD_CTR_CONSOLE_H
#define CPOD_CTR_CONSOLE_H

#include <cpod/container.h>

/* Listen on a unix socket for the runtime's --console-socket. */
int console_listen(const char *path, cpod_error_t *err);
/* Accept the runtime's connection and receive the pty master fd. */
int console_receive(int listen_fd, int timeout_ms, cpod_error_t *err);
/* Relay the pty to the streams until it closes (0) or the user detaches (1). */
int console_relay(int master, const struct cpod_attach_streams *s, cpod_error_t *err);

#endif
