/* store_retention.h - SQL of the retention job: candidates older than a cutoff, their removal with
 * their dependent rows, the retention gate, legal holds and the record of runs. The policy (which
 * record type lives where, and for how long) is the table in app/retention.c. */
#ifndef VIGIL_STORE_RETENTION_H
#define VIGIL_STORE_RETENTION_H

#include "store/store.h"

#include <stddef.h>

#define RET_MAX_DEPS 8

/* One record type of the retention policy (a row of the table in app/retention.c). Every string
 * is a constant of that table (identifiers and small SQL conditions over the row's own table,
 * never user input): the store builds its statements from them. */
struct ret_kind {
    const char *name;     /* record type, as in legal_hold.record_type: "duty_log" */
    const char *clause;   /* the regulation's clause: "R4.1" */
    const char *table;    /* the table holding the records */
    const char *time_col; /* the time (ms UTC) the period runs from */
    const char *finished; /* condition a row must meet to be removable ("1": any) */
    const char *keep;     /* condition that keeps a row while true (still referenced), or NULL */
    const char *deps[RET_MAX_DEPS]; /* "table.column" rows naming the record, removed first */
    int months;                     /* period under the regulation profile */
    int gb_months;                  /* period under the GB 25201-2010 profile */
    size_t conf_off;                /* offset in struct conf of the per-type override (string) */
    int audit; /* 1: the audit trail (removed as a prefix of the chain, with a checkpoint) */
};

/* Inside a writer job: opens (open = 1) or closes the retention gate that lets the append-only
 * triggers accept DELETE. Open and close within one job. */
int store_ret_gate(struct store_conn *c, int open, int64_t now);

/* OUT *ids a new JSON array text (caller frees) of at most limit ids of k's table that are older
 * than cutoff, finished, not kept and not on hold, lowest id first; *n their number. */
int store_ret_candidates(struct store_conn *c, const struct ret_kind *k, int64_t cutoff,
                         int64_t limit, char **ids, int64_t *n);
/* Removes the rows named by ids (a JSON array text) with their dependents. Writer only, gate
 * open. OUT *removed rows of k's table removed. */
int store_ret_delete(struct store_conn *c, const struct ret_kind *k, const char *ids,
                     int64_t *removed);
/* Rows of k past cutoff and finished: OUT *eligible removable now, *held kept by a legal hold,
 * *kept kept because a record that stays refers to them. */
int store_ret_count(struct store_conn *c, const struct ret_kind *k, int64_t cutoff,
                    int64_t *eligible, int64_t *held, int64_t *kept);
/* 0 if k's table has a row id, else -ENOENT. */
int store_ret_exists(struct store_conn *c, const struct ret_kind *k, int64_t id);

/* The removable head of the audit chain: records older than cutoff from the first one on, up to
 * limit and stopping before the first one on hold. OUT *first, *last (0 when none), *held (records
 * older than cutoff kept back by a hold) and the last one's hash. */
int store_audit_removable(struct store_conn *c, int64_t cutoff, int64_t limit, int64_t *first,
                          int64_t *last, unsigned char hash[32], int64_t *held);
/* Removes audit records first..last. Writer only, gate open. OUT *removed. */
int store_audit_remove(struct store_conn *c, int64_t first, int64_t last, int64_t *removed);

/* Legal holds. */
struct ret_hold_new {
    const char *record_type;
    int64_t record_id;
    const char *reason;
    const char *by;
    int64_t at;
};
/* -EEXIST when the record is already on hold. OUT *id. */
int store_hold_insert(struct store_conn *c, const struct ret_hold_new *h, int64_t *id);
/* Releases an active hold. -ENOENT when there is none with that id. OUT *row the hold. */
int store_hold_release(struct store_conn *c, int64_t id, const char *by, int64_t at, json_t **row);
/* A page of holds (active only when active), newest first. */
int store_hold_list(struct store_conn *c, int active, int64_t limit, int64_t offset, json_t **rows,
                    int64_t *total);

/* The record of one run. detail is a JSON object text. */
struct ret_run {
    int64_t started_at, finished_at;
    const char *as_of, *trigger, *actor, *outcome, *detail, *error;
    int dry_run;
    int64_t removed, held;
};
int store_ret_run_insert(struct store_conn *c, const struct ret_run *r, int64_t *id);
/* The newest runs (limit), newest first. */
int store_ret_run_list(struct store_conn *c, int64_t limit, json_t **rows);
/* OUT *ok and *failed: scheduled real runs recorded for as_of that succeeded / failed. */
int store_ret_run_done(struct store_conn *c, const char *as_of, int64_t *ok, int64_t *failed);

#endif
