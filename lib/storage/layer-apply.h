/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Apply an image layer blob to a directory in one streaming pass: digest of
 * the blob, decompression, digest of the tar (diff ID), safe extraction,
 * optional tar-split metadata.
 *
 * Threat model: the blob comes from a registry or an archive we do not
 * trust.  Whatever it holds, nothing is created, changed or removed outside
 * target_dirfd:
 *  - entry names are cleaned lexically; one climbing above the root is
 *    rejected ("layer entry \"../x\" escapes the layer"); absolute names are
 *    taken relative to the root;
 *  - parent directories are opened with openat2(RESOLVE_IN_ROOT |
 *    RESOLVE_NO_MAGICLINKS), so a symlink on the way ("evil" -> "/") resolves
 *    inside the layer; the last component is only ever handled with *at()
 *    calls that do not follow it (O_NOFOLLOW | O_EXCL, AT_SYMLINK_NOFOLLOW);
 *  - hardlink targets are cleaned and resolved the same way and linked
 *    without following, so a link can only name a file already in the layer;
 *  - whiteouts are confined the same way; ".wh.", ".wh..", ".wh..." are
 *    rejected;
 *  - xattrs that would let an image forge overlay metadata or security
 *    labels are dropped: trusted.overlay.*, user.overlay.*, and security.*
 *    except security.capability;
 *  - sizes are bounded: uncompressed bytes (max_size), names, extended
 *    headers, xattrs; gzip and zstd inputs are checked to their end.
 * The caller extracts into a fresh directory it removes on error: a failed
 * apply leaves partial content behind and returns as soon as it can.
 */
#ifndef CPOD_STORAGE_LAYER_APPLY_H
#define CPOD_STORAGE_LAYER_APPLY_H

#include <stdint.h>
#include <sys/types.h>

#include <cpod/error.h>

#include "storage/layer-stream.h"
#include "util/digest.h"

#define LAYER_DEFAULT_MAX_SIZE (256ULL << 30)

enum layer_whiteouts {
        /* overlay's own form: ".wh.X" -> 0/0 char device X; ".wh..wh..opq" -> trusted.overlay.opaque=y */
        LAYER_WHITEOUT_OVERLAY,
        /* the target holds the parent's content (vfs): remove X / the opaque dir's pre-existing
         * children, keeping what this same layer wrote */
        LAYER_WHITEOUT_APPLY,
};

struct layer_apply_opts {
        /* Source of the (possibly compressed) blob: read until it returns 0; < 0 is an error (-errno). */
        ssize_t (*read)(void *userdata, void *buf, size_t len);
        void *userdata;
        const char *expect_compressed_digest; /* "sha256:..." of the blob as given, or NULL */
        const char *expect_diff_id;           /* "sha256:..." of the uncompressed tar, or NULL */
        int target_dirfd;                     /* layer dir: nothing may be created outside it */
        enum layer_whiteouts whiteouts;
        int tarsplit_fd;   /* write tar-split metadata here (see tarsplit.h), or -1 */
        uint64_t max_size; /* bound on uncompressed bytes (gzip bombs); 0 = 256 GiB */
};

struct layer_apply_result {
        char compressed_digest[DIGEST_STR_MAX];
        char diff_id[DIGEST_STR_MAX];
        uint64_t compressed_size, size; /* bytes read, uncompressed tar bytes */
        enum layer_compression compression;
};

/*
 * Returns 0 with *res filled, or < 0: CPOD_E_CORRUPT for a bad blob (digest
 * mismatch naming expected and actual, malformed or malicious tar, too
 * large), CPOD_E_INVALID for bad options, CPOD_E_INTERNAL for I/O errors.
 */
int layer_apply(const struct layer_apply_opts *o, struct layer_apply_result *res, cpod_error_t *err);

#endif
