/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SQLite helpers: WAL, busy timeout, schema versions with migrations
 * (PRAGMA user_version), short IMMEDIATE transactions, and cleanup for
 * prepared statements.
 */
#ifndef CPOD_UTIL_DB_H
#define CPOD_UTIL_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include <cpod/error.h>
#include "util/cleanup.h"

/*
 * Open (creating) the database at path and bring its schema to the newest
 * version: migrations[i] is the SQL that moves version i to i+1; a NULL
 * ends the list.  A database newer than this binary is an error.
 */
int db_open(const char *path, const char *const *migrations, sqlite3 **ret, cpod_error_t *err);
/* The same, with setup(db, userdata) run before the migrations (to register SQL functions they use). */
int db_open_with(const char *path, const char *const *migrations, int (*setup)(sqlite3 *db, void *userdata),
                 void *userdata, sqlite3 **ret, cpod_error_t *err);
void db_close(sqlite3 *db);
/*
 * Fold the WAL back into the database if this connection's commits left it long: for a command
 * about to wait on something else (the runtime starting a container), so that the fsyncs happen
 * then rather than in the foreground of a later commit.  Never blocks on other connections.
 */
void db_checkpoint_idle(sqlite3 *db);
/* Frames in the WAL after this connection's last commit, 0 when checkpointed since (for tests). */
int db_wal_pending(sqlite3 *db);

int db_exec(sqlite3 *db, const char *sql, cpod_error_t *err);
/* BEGIN IMMEDIATE: takes the write lock now, so the transaction never fails half-way on SQLITE_BUSY. */
int db_begin(sqlite3 *db, cpod_error_t *err);
int db_commit(sqlite3 *db, cpod_error_t *err);
void db_rollback(sqlite3 *db);

/* Prepare; on error err holds SQLite's message. */
sqlite3_stmt *db_prepare(sqlite3 *db, const char *sql, cpod_error_t *err);
/* Step a statement that returns no row (INSERT/UPDATE/DELETE). */
int db_step_done(sqlite3_stmt *st, cpod_error_t *err);
/* Set err from the database's last error, prefixed with what. */
int db_error(sqlite3 *db, const char *what, cpod_error_t *err);

/* Bind helpers (1-based index); NULL strings bind SQL NULL. */
void db_bind_text(sqlite3_stmt *st, int idx, const char *s);
void db_bind_int64(sqlite3_stmt *st, int idx, int64_t v);
/* Column text or NULL, borrowed until the next step. */
const char *db_col_text(sqlite3_stmt *st, int col);

static inline void db_finalizep(sqlite3_stmt **st)
{
        if (*st)
                sqlite3_finalize(*st);
}
#define _cleanup_stmt_ _cleanup_(db_finalizep)

#endif
