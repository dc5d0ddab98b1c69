/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Creates in flight.  A container's read-write layer exists a moment before
 * its record does (the other order would leave a record without its layer).
 * The creator holds an flock on <root>/containers/.creating/<layer ID> from
 * before the layer is made until the record is committed; a creator killed
 * in between leaves the file unlocked, and the next create or prune removes
 * the layer unless a record took it.  The kernel releases the lock of a
 * killed process, so no timeout guesses whether a creator is still alive.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <dirent.h>

#include "ctr/ctr.h"
#include "ctr/userns.h"
#include "runtime/engine-db.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/db.h"
#include "util/digest.h"
#include "util/fileutil.h"
#include "util/log.h"
#include "util/xalloc.h"

static char *intent_dir(struct cpod_runtime *rt)
{
        return xasprintf("%s/containers/.creating", rt->root);
}

int create_intent_begin(struct cpod_runtime *rt, const char layer_id[65], cpod_error_t *err)
{
        _cleanup_free_ char *dir = intent_dir(rt), *path = path_join(dir, layer_id);
        int fd;

        if (mkdir_p(dir, 0700, err) < 0)
                return cpod_error_rc(err, -EIO);
        fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 || flock(fd, LOCK_EX) < 0) {
                int r = cpod_error_sys(err, errno, "mark the create of layer %s", layer_id);
                if (fd >= 0)
                        close(fd);
                return r;
        }
        return fd;
}

void create_intent_end(struct cpod_runtime *rt, const char *layer_id, int fd)
{
        _cleanup_free_ char *dir = intent_dir(rt), *path = path_join(dir, layer_id);

        (void)unlink(path);
        close(fd);
}

static bool layer_has_record(struct cpod_runtime *rt, const char *layer_id)
{
        sqlite3 *db = engine_db(rt, NULL);
        _cleanup_stmt_ sqlite3_stmt *st =
                db ? db_prepare(db, "SELECT 1 FROM containers WHERE layer_id = ?", NULL) : NULL;

        if (!st)
                return true; /* when in doubt, keep */
        db_bind_text(st, 1, layer_id);
        return sqlite3_step(st) == SQLITE_ROW;
}

/* One marker: its creator is gone (the lock is free); finish what it left. */
static void finish(struct cpod_runtime *rt, struct store *s, const char *dir, const char *name)
{
        _cleanup_free_ char *path = path_join(dir, name);
        _cleanup_close_ int fd = open(path, O_RDWR | O_CLOEXEC);
        cpod_error_t ignore = CPOD_ERROR_INIT;

        if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0)
                return; /* a create in progress */
        if (is_hex_id(name) && !layer_has_record(rt, name))
                userns_release(rt, name);
        if (is_hex_id(name) && !layer_has_record(rt, name) && store_layer_exists(s, name)) {
                log_debug("removing layer %s of an interrupted create", name);
                (void)store_layer_unmount(s, name, true, NULL);
                if (store_layer_delete(s, name, &ignore) < 0) {
                        log_debug("keeping it: %s", cpod_error_msg(&ignore));
                        cpod_error_clear(&ignore);
                        return;
                }
        }
        (void)unlink(path);
}

void ctr_gc_interrupted_creates(struct cpod_runtime *rt)
{
        _cleanup_free_ char *dir = intent_dir(rt);
        DIR *d = opendir(dir);
        struct dirent *de;
        struct store *s;

        if (!d)
                return;
        if (rt_store(rt, &s, NULL) == 0)
                while ((de = readdir(d)))
                        if (de->d_name[0] != '.')
                                finish(rt, s, dir, de->d_name);
        closedir(d);
}
