/* store_int.h - internals shared by the files of the store module only. */
#ifndef VIGIL_STORE_INT_H
#define VIGIL_STORE_INT_H

#include "store/store.h"

#include <sqlite3.h>

struct pending_event {
    char *type;
    json_t *data;
};

struct store_conn {
    sqlite3 *db;
    int writer;                   /* 1 for the writer's connection */
    struct pending_event *events; /* emitted by jobs of the open transaction */
    size_t nevents, events_alloc;
    struct store_conn *next_free; /* read pool link */
};

/* The migrations: migrations[i] takes the schema from version i to i + 1. */
extern const char *const store_migrations[];
extern const int store_nmigrations;

/* Applies pending migrations on db. */
int store_migrate(sqlite3 *db, char *err, size_t errsz);

#endif
