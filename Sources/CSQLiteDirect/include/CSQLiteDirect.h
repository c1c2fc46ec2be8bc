#ifndef CSQLITE_DIRECT_H
#define CSQLITE_DIRECT_H

/*
 * The few entry points of SQLite that the activity import's prepared-statement path calls
 * (OtwartyStorage, SQLiteActivityImport.swift), declared by the prefixed names under which
 * sqlite-nio bundles SQLite (its C module, VaporCSQLite, is not a product a package can depend
 * on, so its header cannot be imported). The definitions are sqlite-nio's own, linked in with it:
 * the import runs on the very connection and library the rest of Otwarty uses. Two copies of
 * SQLite in one process would break each other's file locks, so a system libsqlite3 is not an
 * option. The signatures are those of sqlite3.h.
 */

struct sqlite3;
struct sqlite3_stmt;

int sqlite_nio_sqlite3_prepare_v2(struct sqlite3 *db, const char *sql, int bytes, struct sqlite3_stmt **statement,
                                  const char **tail);
int sqlite_nio_sqlite3_bind_int64(struct sqlite3_stmt *statement, int index, long long value);
int sqlite_nio_sqlite3_bind_double(struct sqlite3_stmt *statement, int index, double value);
int sqlite_nio_sqlite3_bind_null(struct sqlite3_stmt *statement, int index);
int sqlite_nio_sqlite3_bind_text(struct sqlite3_stmt *statement, int index, const char *text, int bytes,
                                 void (*destructor)(void *));
int sqlite_nio_sqlite3_step(struct sqlite3_stmt *statement);
int sqlite_nio_sqlite3_reset(struct sqlite3_stmt *statement);
int sqlite_nio_sqlite3_clear_bindings(struct sqlite3_stmt *statement);
int sqlite_nio_sqlite3_finalize(struct sqlite3_stmt *statement);
long long sqlite_nio_sqlite3_column_int64(struct sqlite3_stmt *statement, int column);
const unsigned char *sqlite_nio_sqlite3_column_text(struct sqlite3_stmt *statement, int column);
const char *sqlite_nio_sqlite3_errmsg(struct sqlite3 *db);
int sqlite_nio_sqlite3_libversion_number(void);

/* Result codes and the "copy the text now" destructor, as sqlite3.h defines them. */
#define CSQLITE_DIRECT_OK 0
#define CSQLITE_DIRECT_ROW 100
#define CSQLITE_DIRECT_DONE 101

/* Binds text that SQLite copies at once (SQLITE_TRANSIENT), so the Swift string need not outlive the call. */
static inline int csqlite_direct_bind_text(struct sqlite3_stmt *statement, int index, const char *text, int bytes) {
    return sqlite_nio_sqlite3_bind_text(statement, index, text, bytes, (void (*)(void *))-1);
}

/* Binds text that the caller keeps unchanged until the statement has been stepped and bound anew
 * (SQLITE_STATIC): the import binds straight from a batch's byte buffer, which outlives the step. */
static inline int csqlite_direct_bind_text_static(struct sqlite3_stmt *statement, int index, const char *text, int bytes) {
    return sqlite_nio_sqlite3_bind_text(statement, index, text, bytes, (void (*)(void *))0);
}

#endif
