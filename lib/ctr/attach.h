/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CPOD_CTR_ATTACH_H
#define CPOD_CTR_ATTACH_H

#include <stddef.h>

#include <cpod/container.h>

/* Connect to <bundle>/attach; returns the socket fd. */
int attach_connect(const char *bundle, cpod_error_t *err);
/* Relay until the container's streams close (0) or the user detaches (1). */
int attach_relay(int sock, const struct cpod_attach_streams *s, const char *ctl, int ctr_pid, cpod_error_t *err);
/* Tell conmon the terminal size of tty_fd through the ctl FIFO. */
void attach_resize(const char *ctl, int tty_fd);
int parse_detach_keys(const char *spec, unsigned char *keys, size_t max);

#endif
