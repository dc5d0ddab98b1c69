/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hijacked connections (attach, exec start): a 101 reply with "Upgrade: tcp", after which the
 * socket is a raw bidirectional stream, and Docker's framing of a multiplexed stream (8 bytes:
 * stream 1 stdout / 2 stderr, 0, 0, 0, big-endian length; then the bytes).
 */
#ifndef CPOD_API_HIJACK_H
#define CPOD_API_HIJACK_H

#include <stddef.h>

#include "api/request.h"

struct api_conn {
        int fd; /* the socket, blocking */
        struct MHD_UpgradeResponseHandle *urh;
        char *early; /* bytes the client sent right after its request (the start of stdin) */
        size_t early_len;
};

/* Run after the 101 went out: the callee owns conn (api_conn_close ends the connection). */
typedef void (*api_upgraded_t)(void *ud, struct api_conn *conn);

/* Did the client ask for "Upgrade: tcp"? */
bool api_wants_upgrade(struct api_req *r);
/* Queue the 101 reply; cb runs on the connection's thread once it is sent. */
enum MHD_Result api_reply_upgrade(struct api_req *r, const char *type, api_upgraded_t cb, void *ud);
void api_conn_close(struct api_conn *c);

int api_write_all(int fd, const void *buf, size_t len);
/* One frame of a multiplexed stream (stream 1 or 2), or the bytes alone when stream is 0 (tty). */
int api_write_frame(int fd, int stream, const void *buf, size_t len);

/* Docker's stream types of the reply, by tty. */
const char *api_stream_type(bool tty);

#endif
