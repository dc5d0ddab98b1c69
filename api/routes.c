/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The route table.  In a pattern "*" is one path segment and "**" one or more (image names
 * have slashes); each becomes an argument of the request, in order.
 */
#include <string.h>

#include "api/handlers.h"
#include "util/xalloc.h"

struct route {
        const char *method, *pattern;
        api_handler_t fn;
};

static const struct route routes[] = {
        { "GET", "/_ping", api_ping },
        { "HEAD", "/_ping", api_ping },
        { "GET", "/version", api_version },
        { "GET", "/info", api_info },
        { "GET", "/events", api_events },
        { "GET", "/system/df", api_system_df },
        { "GET", "/containers/json", api_ctr_list },
        { "POST", "/containers/create", api_ctr_create },
        { "GET", "/containers/*/json", api_ctr_inspect },
        { "POST", "/containers/*/start", api_ctr_start },
        { "POST", "/containers/*/stop", api_ctr_stop },
        { "POST", "/containers/*/kill", api_ctr_kill },
        { "POST", "/containers/*/restart", api_ctr_restart },
        { "POST", "/containers/*/wait", api_ctr_wait },
        { "POST", "/containers/*/resize", api_ctr_resize },
        { "POST", "/containers/*/pause", api_ctr_pause },
        { "POST", "/containers/*/unpause", api_ctr_unpause },
        { "POST", "/containers/*/rename", api_ctr_rename },
        { "GET", "/containers/*/top", api_ctr_top },
        { "GET", "/containers/*/stats", api_ctr_stats },
        { "GET", "/containers/*/changes", api_ctr_changes },
        { "GET", "/containers/*/export", api_ctr_export },
        { "POST", "/containers/prune", api_ctr_prune },
        { "DELETE", "/containers/*", api_ctr_delete },
        { "GET", "/containers/*/archive", api_archive_get },
        { "HEAD", "/containers/*/archive", api_archive_head },
        { "PUT", "/containers/*/archive", api_archive_put },
        { "GET", "/containers/*/logs", api_ctr_logs },
        { "POST", "/containers/*/attach", api_ctr_attach },
        { "POST", "/containers/*/exec", api_exec_create },
        { "POST", "/exec/*/start", api_exec_start },
        { "POST", "/exec/*/resize", api_exec_resize_h },
        { "GET", "/exec/*/json", api_exec_inspect },
        { "GET", "/images/json", api_image_list },
        { "POST", "/images/create", api_image_create },
        { "POST", "/images/prune", api_image_prune },
        { "POST", "/images/load", api_image_load },
        { "GET", "/images/get", api_image_get },
        { "GET", "/images/**/get", api_image_get },
        { "GET", "/images/**/json", api_image_inspect },
        { "GET", "/images/**/history", api_image_history },
        { "POST", "/images/**/tag", api_image_tag },
        { "DELETE", "/images/**", api_image_delete },
        { "GET", "/volumes", api_volume_list },
        { "POST", "/volumes/create", api_volume_create },
        { "POST", "/volumes/prune", api_volume_prune },
        { "GET", "/volumes/*", api_volume_inspect },
        { "DELETE", "/volumes/*", api_volume_delete },
        { "GET", "/networks", api_network_list },
        { "POST", "/networks/create", api_network_create },
        { "POST", "/networks/prune", api_network_prune },
        { "POST", "/networks/*/connect", api_network_connect },
        { "POST", "/networks/*/disconnect", api_network_disconnect },
        { "GET", "/networks/*", api_network_inspect },
        { "DELETE", "/networks/*", api_network_delete },
};

/* Routes whose body is streamed to the handler: begin runs when the headers are in (see api_req.sink). */
static const struct route begins[] = {
        { "PUT", "/containers/*/archive", api_archive_put_begin },
        { "POST", "/images/load", api_image_load_begin },
};

#define MAX_SEGS 32

/* Split s (after its leading '/') in place at each '/'; returns the count, or -1 when too many. */
static int split(char *s, char **segs)
{
        int n = 0;

        if (*s == '/')
                s++;
        for (;;) {
                if (n == MAX_SEGS)
                        return -1;
                segs[n++] = s;
                s = strchr(s, '/');
                if (!s)
                        return n;
                *s++ = '\0';
        }
}

/* Match path against pattern; the captures point into r->argbuf (a copy of path). */
static bool match(struct api_req *r, const char *pattern, const char *path)
{
        char *buf = xstrdup(path), *pbuf = xstrdup(pattern), *ps[MAX_SEGS], *qs[MAX_SEGS];
        int n = split(buf, ps), m = split(pbuf, qs), i, j = 0, nargs = 0;

        r->arg[0] = r->arg[1] = NULL; /* none left from an earlier pattern */

        for (i = 0; n > 0 && i < m && j < n; i++) {
                if (strcmp(qs[i], "**") == 0) {
                        int k = n - j - (m - i - 1);
                        if (k < 1 || nargs == 2 || !*ps[j])
                                break;
                        r->arg[nargs++] = ps[j];
                        for (int x = j + 1; x < j + k; x++)
                                ps[x][-1] = '/'; /* join the segments again */
                        j += k;
                } else if (strcmp(qs[i], "*") == 0) {
                        if (nargs == 2 || !*ps[j])
                                break;
                        r->arg[nargs++] = ps[j++];
                } else if (strcmp(qs[i], ps[j++]) != 0) {
                        break;
                }
        }
        free(pbuf);
        if (n < 0 || i != m || j != n) {
                free(buf);
                r->arg[0] = r->arg[1] = NULL;
                return false;
        }
        free(r->argbuf);
        r->argbuf = buf;
        return true;
}

enum MHD_Result api_route(struct api_req *r)
{
        bool path_known = false;

        for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
                if (!match(r, routes[i].pattern, r->path))
                        continue;
                path_known = true;
                if (strcmp(routes[i].method, r->method) == 0)
                        return routes[i].fn(r);
        }
        if (path_known)
                return api_reply_error(r, 405, "method %s not allowed for '%s'", r->method, r->path);
        return api_reply_error(r, 404, "page not found");
}

void api_route_begin(struct api_req *r)
{
        for (size_t i = 0; i < sizeof(begins) / sizeof(begins[0]); i++)
                if (strcmp(begins[i].method, r->method) == 0 && match(r, begins[i].pattern, r->path)) {
                        (void)begins[i].fn(r);
                        return;
                }
}
