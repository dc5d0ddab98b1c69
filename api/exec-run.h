/* SPDX-License-Identifier: Apache-2.0 */
/* Running an exec session on its own thread, its streams relayed to the client. */
#ifndef CPOD_API_EXEC_RUN_H
#define CPOD_API_EXEC_RUN_H

#include "api/exec-table.h"
#include "api/hijack.h"

struct api_server;

/*
 * Run e (referenced: the thread puts it) on a thread.  conn: a hijacked connection (output and
 * stdin); else out_fd: where the output goes (a pipe of a 200 reply, owned), or -1 (detached).
 */
void api_exec_run(struct api_server *srv, struct api_exec *e, struct api_conn *conn, int out_fd);

#endif
