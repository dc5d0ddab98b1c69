/* SPDX-License-Identifier: Apache-2.0 */
/* 200 responses whose body is written later, by a thread (see deferred.c). */
#ifndef CPOD_API_DEFERRED_H
#define CPOD_API_DEFERRED_H

#include "api/request.h"

/* Write the body to fd and free ud; fd is -1 when the response could not be set up (only free ud). */
typedef void (*api_produce_t)(void *ud, struct api_server *srv, int fd);

enum MHD_Result api_reply_deferred(struct api_req *r, const char *type, api_produce_t produce, void *ud);
/* The same with one more header (hname NULL: none). */
enum MHD_Result api_reply_deferred_hdr(struct api_req *r, const char *type, const char *hname, const char *hvalue,
                                       api_produce_t produce, void *ud);

#endif
