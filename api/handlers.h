/* SPDX-License-Identifier: Apache-2.0 */
/* The endpoint handlers, one file per group, and the route table that names them (routes.c). */
#ifndef CPOD_API_HANDLERS_H
#define CPOD_API_HANDLERS_H

#include "api/request.h"

typedef enum MHD_Result (*api_handler_t)(struct api_req *r);

/* Find the route for method and path (without version prefix) and run it; 404/405 when none. */
enum MHD_Result api_route(struct api_req *r);

/* h-system.c */
enum MHD_Result api_ping(struct api_req *r);
enum MHD_Result api_version(struct api_req *r);
enum MHD_Result api_info(struct api_req *r);
/* h-stats.c */
enum MHD_Result api_ctr_stats(struct api_req *r);
/* h-df.c */
enum MHD_Result api_system_df(struct api_req *r);
/* h-events.c */
enum MHD_Result api_events(struct api_req *r);
/* h-containers.c */
enum MHD_Result api_ctr_list(struct api_req *r);
enum MHD_Result api_ctr_inspect(struct api_req *r);
enum MHD_Result api_ctr_start(struct api_req *r);
enum MHD_Result api_ctr_stop(struct api_req *r);
enum MHD_Result api_ctr_kill(struct api_req *r);
enum MHD_Result api_ctr_restart(struct api_req *r);
enum MHD_Result api_ctr_wait(struct api_req *r);
enum MHD_Result api_ctr_delete(struct api_req *r);
enum MHD_Result api_ctr_resize(struct api_req *r);
/* h-ctr-ops.c */
enum MHD_Result api_ctr_pause(struct api_req *r);
enum MHD_Result api_ctr_unpause(struct api_req *r);
enum MHD_Result api_ctr_rename(struct api_req *r);
enum MHD_Result api_ctr_top(struct api_req *r);
enum MHD_Result api_ctr_changes(struct api_req *r);
enum MHD_Result api_ctr_export(struct api_req *r);
/* h-prune.c */
enum MHD_Result api_ctr_prune(struct api_req *r);
enum MHD_Result api_image_prune(struct api_req *r);
enum MHD_Result api_volume_prune(struct api_req *r);
enum MHD_Result api_network_prune(struct api_req *r);
/* h-create.c */
enum MHD_Result api_ctr_create(struct api_req *r);
/* h-stream.c */
enum MHD_Result api_ctr_logs(struct api_req *r);
enum MHD_Result api_ctr_attach(struct api_req *r);
/* A route that streams its body (see api_req.sink): set it up when the headers are in. */
void api_route_begin(struct api_req *r);

/* h-archive.c (api_archive_put_begin returns MHD_YES and queues nothing) */
enum MHD_Result api_archive_get(struct api_req *r);
enum MHD_Result api_archive_head(struct api_req *r);
enum MHD_Result api_archive_put_begin(struct api_req *r);
enum MHD_Result api_archive_put(struct api_req *r);
/* h-exec.c */
enum MHD_Result api_exec_create(struct api_req *r);
enum MHD_Result api_exec_start(struct api_req *r);
enum MHD_Result api_exec_resize_h(struct api_req *r);
enum MHD_Result api_exec_inspect(struct api_req *r);
/* h-images.c */
enum MHD_Result api_image_list(struct api_req *r);
enum MHD_Result api_image_inspect(struct api_req *r);
/* h-image-io.c (api_image_load_begin returns MHD_YES and queues nothing) */
enum MHD_Result api_image_get(struct api_req *r);
enum MHD_Result api_image_load_begin(struct api_req *r);
enum MHD_Result api_image_load(struct api_req *r);
/* h-pull.c */
enum MHD_Result api_image_create(struct api_req *r);
/* h-image-ops.c */
enum MHD_Result api_image_delete(struct api_req *r);
enum MHD_Result api_image_tag(struct api_req *r);
enum MHD_Result api_image_history(struct api_req *r);
/* h-volumes.c */
enum MHD_Result api_volume_list(struct api_req *r);
enum MHD_Result api_volume_create(struct api_req *r);
enum MHD_Result api_volume_inspect(struct api_req *r);
enum MHD_Result api_volume_delete(struct api_req *r);
/* h-networks.c */
enum MHD_Result api_network_list(struct api_req *r);
enum MHD_Result api_network_inspect(struct api_req *r);
enum MHD_Result api_network_create(struct api_req *r);
enum MHD_Result api_network_delete(struct api_req *r);

/* Docker's EndpointConfig as cpod's network options (aliases, static_ips, static_mac) into o; the name of a
 * member that cannot be honoured, or NULL (h-create.c). */
const char *api_endpoint_opts(const json_t *ep, json_t *o);
enum MHD_Result api_network_connect(struct api_req *r);
enum MHD_Result api_network_disconnect(struct api_req *r);

#endif
