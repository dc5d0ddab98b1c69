/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kube play URL: the YAML over http(s), into memory, bounded as a file is
 * (CPOD_KUBE_MAX_SIZE): a server that sends more is cut off, not buffered.
 */
#include <errno.h>
#include <string.h>

#include <cpod/kube.h>

#include "util/strbuf.h"
#include "util/url-get.h"

struct body {
        struct strbuf sb;
        bool too_big;
};

static size_t on_data(char *buf, size_t size, size_t n, void *ud)
{
        struct body *b = ud;

        if (b->sb.len + size * n > CPOD_KUBE_MAX_SIZE) {
                b->too_big = true;
                return 0;
        }
        strbuf_add(&b->sb, buf, size * n);
        return size * n;
}

int cpod_kube_fetch(const char *url, char **ret, size_t *ret_len, cpod_error_t *err)
{
        struct body b = { .sb = STRBUF_INIT };
        long status = 0;
        int r = url_get(url, on_data, &b, "Get", &status, err);

        if (b.too_big || r < 0 || status >= 400) {
                strbuf_release(&b.sb);
                if (b.too_big) {
                        cpod_error_clear(err);
                        return cpod_error_set(err, EFBIG, CPOD_E_INVALID, "%s: larger than %d bytes", url,
                                              CPOD_KUBE_MAX_SIZE);
                }
                if (r < 0)
                        return r;
                return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "Get \"%s\": HTTP status %ld", url, status);
        }
        *ret = strbuf_detach(&b.sb, ret_len);
        return 0;
}
