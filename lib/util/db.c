/* SPDX-License-Identifier: Apache-2.0 */
#include "util/db.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "util/xalloc.h"

int db_error(sqlite3 *db, const char *what, cpod_error_t *err)
{
        int code = sqlite3_extended_errcode(db);

        return cpod_error_set(err,
                              code == SQLITE_BUSY   ? EBUSY
                              : code == SQLITE_FULL ? ENOSPC
                                                    : EIO,
                              code == SQLITE_CORRUPT ? CPOD_E_CORRUPT : CPOD_E_INTERNAL, "%s: %s", what,
                              sqlite3_errmsg(db));
}

int db_exec(sqlite3 *db, const char *sql, cpod_error_t *err)
{
        char *msg = NULL;

        if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
                int r = cpod_error_set(err, EIO, CPOD_E_INTERNAL, "database: %s", msg ? msg : "error");
                sqlite3_free(msg);
                return r;
        }
        return 0;
}

int db_begin(sqlite3 *db, cpod_error_t *err)
{
        return db_exec(db, "BEGIN IMMEDIATE", err);
}

int db_commit(sqlite3 *db, cpod_error_t *err)
{
        if (db_exec(db, "COMMIT", err) < 0) {
                db_rollback(db);
                return cpod_error_rc(err, -EIO);
        }
        return 0;
}

void db_rollback(sqlite3 *db)
{
        if (!sqlite3_get_autocommit(db))
                (void)sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

sqlite3_stmt *db_prepare(sqlite3 *db, const char *sql, cpod_error_t *err)
{
        sqlite3_stmt *st = NULL;

        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
                db_error(db, "prepare statement", err);
                return NULL;
        }
        return st;
}

int db_step_done(sqlite3_stmt *st, cpod_error_t *err)
{
        int rc = sqlite3_step(st);

        if (rc != SQLITE_DONE && rc != SQLITE_ROW)
                return db_error(sqlite3_db_handle(st), "database write", err);
        return 0;
}

void db_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
        if (s)
                sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
        else
                sqlite3_bind_null(st, idx);
}

void db_bind_int64(sqlite3_stmt *st, int idx, int64_t v)
{
        sqlite3_bind_int64(st, idx, v);
}

const char *db_col_text(sqlite3_stmt *st, int col)
{
        return (const char *)sqlite3_column_text(st, col);
}

static int schema_version(sqlite3 *db, int *ret, cpod_error_t *err)
{
        _cleanup_stmt_ sqlite3_stmt *st = db_prepare(db, "PRAGMA user_version", err);

        if (!st)
                return cpod_error_rc(err, -EIO);
        if (sqlite3_step(st) != SQLITE_ROW)
                return db_error(db, "read schema version", err);
        *ret = sqlite3_column_int(st, 0);
        return 0;
}

static int migrate(sqlite3 *db, const char *path, const char *const *migrations, cpod_error_t *err)
{
        int have, want = 0;
        char sql[64];

        while (migrations[want])
                want++;
        if (schema_version(db, &have, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (have == want)
                return 0;
        if (have > want)
                return cpod_error_set(err, EPROTO, CPOD_E_CORRUPT,
                                      "database '%s' has schema version %d, newer than this cpod supports (%d)", path,
                                      have, want);
        if (db_begin(db, err) < 0)
                return cpod_error_rc(err, -EIO);
        /* Another process may have migrated while we waited for the lock. */
        if (schema_version(db, &have, err) < 0)
                goto fail;
        for (int v = have; v < want; v++)
                if (db_exec(db, migrations[v], err) < 0)
                        goto fail;
        snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", want);
        if (db_exec(db, sql, err) < 0)
                goto fail;
        return db_commit(db, err);
fail:
        db_rollback(db);
        return cpod_error_wrap(err, "migrate database '%s'", path);
}

/* A WAL left big (by a burst of writes or an old version) is folded back and truncated. */
static void shrink_wal(sqlite3 *db, const char *path)
{
        char wal[4096];
        struct stat st;

        snprintf(wal, sizeof(wal), "%s-wal", path);
        if (stat(wal, &st) == 0 && st.st_size > (4 << 20))
                (void)sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
}

/*
 * Checkpoints.  Folding the WAL back into the database costs two fsyncs (the WAL, then the
 * database: what keeps a power loss from corrupting it), 2-20 ms on this kind of disk, and
 * SQLite's own auto-checkpoint did it in the foreground of whichever command crossed 64 frames:
 * every third or fourth `run`.  Now a command that is about to wait anyway (for the runtime, while
 * the container starts) checkpoints at DB_WAL_IDLE_FRAMES (db_checkpoint_idle), and the commit
 * hook checkpoints in the foreground only past DB_WAL_MAX_FRAMES, for commands that never wait.
 * Each open of a database no other process has open rebuilds the WAL index by reading the WAL, so
 * the WAL stays small either way.
 */
#define DB_WAL_IDLE_FRAMES 24
#define DB_WAL_MAX_FRAMES 160

struct db_wal {
        int frames; /* in the WAL after this connection's last commit (0: checkpointed since) */
};

static void checkpoint(sqlite3 *db, const char *name, struct db_wal *w)
{
        int log = 0, done = 0;

        if (sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, &log, &done) == SQLITE_OK && log == done)
                w->frames = 0;
}

static int on_wal_commit(void *ud, sqlite3 *db, const char *name, int frames)
{
        struct db_wal *w = ud;

        w->frames = frames;
        if (frames >= DB_WAL_MAX_FRAMES)
                checkpoint(db, name, w);
        return SQLITE_OK;
}

int db_open(const char *path, const char *const *migrations, sqlite3 **ret, cpod_error_t *err)
{
        return db_open_with(path, migrations, NULL, NULL, ret, err);
}

int db_open_with(const char *path, const char *const *migrations, int (*setup)(sqlite3 *db, void *userdata),
                 void *userdata, sqlite3 **ret, cpod_error_t *err)
{
        sqlite3 *db = NULL;
        int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);

        if (rc != SQLITE_OK) {
                int r = cpod_error_set(err, EIO, CPOD_E_INTERNAL, "open database '%s': %s", path,
                                       db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
                sqlite3_close(db);
                return r;
        }
        sqlite3_busy_timeout(db, 60000);
        /*
         * Every cpod command opens and closes the DB; checkpointing on each close
         * would cost several fsyncs per command.  WAL commits stay durable against
         * process crashes; checkpoints happen when the WAL grows (autocheckpoint).
         */
        sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
        /* Without checkpoints on close the WAL must stay small: see on_wal_commit. */
        if (db_exec(db,
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA journal_size_limit=1048576",
                    err) < 0 ||
            (setup && setup(db, userdata) != SQLITE_OK &&
             cpod_error_set(err, EIO, CPOD_E_INTERNAL, "set up database '%s': %s", path, sqlite3_errmsg(db)) < 0) ||
            migrate(db, path, migrations, err) < 0) {
                sqlite3_close(db);
                return cpod_error_rc(err, -EIO);
        }
        shrink_wal(db, path);
        sqlite3_wal_hook(db, on_wal_commit, xnew0(struct db_wal, 1));
        *ret = db;
        return 0;
}

void db_close(sqlite3 *db)
{
        if (db) {
                free(sqlite3_wal_hook(db, NULL, NULL));
                sqlite3_close(db);
        }
}

/* The hook's state, read back by setting it again (sqlite3_wal_hook returns the old argument). */
static struct db_wal *wal_state(sqlite3 *db)
{
        struct db_wal *w = sqlite3_wal_hook(db, on_wal_commit, NULL);

        sqlite3_wal_hook(db, on_wal_commit, w);
        return w;
}

int db_wal_pending(sqlite3 *db)
{
        struct db_wal *w = db ? wal_state(db) : NULL;

        return w ? w->frames : 0;
}

void db_checkpoint_idle(sqlite3 *db)
{
        struct db_wal *w = db ? wal_state(db) : NULL;

        if (w && w->frames >= DB_WAL_IDLE_FRAMES)
                checkpoint(db, "main", w);
}
