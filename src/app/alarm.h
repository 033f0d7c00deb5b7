/* alarm.h - from received alarm to incident (R2.2, R3.3, R3.4.5, R3.4.6, S6).
 *
 * Every message is stored (append-only), classified (SIA and Contact ID code tables), mapped
 * to a device and area (account + zone), and joined to the open incident of its zone and type,
 * or opens a new one. A retransmission (same account, seq and content within the window) is
 * recognised and answered again without a second row. Unmapped alarms still open incidents,
 * flagged unmapped: nothing is dropped. */
#ifndef VIGIL_ALARM_H
#define VIGIL_ALARM_H

#include "app/app.h"
#include "store/store_alarm.h"

enum alarm_kind {
    ALARM_EVENT = 0,   /* opens or joins an incident */
    ALARM_RESTORE,     /* the condition cleared: noted on the open incident */
    ALARM_STATUS,      /* still present (CID qualifier 6): joins the open incident */
    ALARM_TEST,        /* periodic or manual test: stored, no incident */
    ALARM_LOG,         /* opening/closing, bypass…: stored, no incident */
    ALARM_SUPERVISION, /* DC-09 NULL link test: feeds supervision only, not stored */
};
const char *alarm_kind_name(enum alarm_kind k);
int alarm_kind_parse(const char *s, enum alarm_kind *out);

#define INCIDENT_TYPE_MAX 16
/* Incident types, NULL-terminated, and their priority (1 = most urgent). */
extern const char *const incident_types[];
int incident_priority(const char *type);

struct alarm_in {
    const char *protocol; /* "SIA-DCS", "ADM-CID", "NULL", "API" */
    char account[17];
    char receiver[8];
    char line[8];
    int64_t seq; /* < 0: none */
    char code[8];
    enum alarm_kind kind;
    char type[INCIDENT_TYPE_MAX];      /* explicit (API): wins over everything; "" = none */
    char code_type[INCIDENT_TYPE_MAX]; /* from the event code; a mapping's type wins over it */
    char zone[8];
    char partition[8];
    char text[128];
    int64_t event_time; /* 0 = none */
    unsigned char digest[ALARM_DIGEST_LEN];
    char source[80];
};

struct alarm_result {
    int64_t alarm_id;    /* 0 for supervision messages */
    int64_t incident_id; /* 0 when none */
    int duplicate;       /* a retransmission: nothing new was stored */
    int new_incident;
};

/* Classifies a SIA event code ("BA", "FA"…). Returns 0, or -ENOENT for an unknown code (the
 * receiver answers DUH). OUT kind and type (static string, "" when no incident type). */
int alarm_classify_sia(const char *code, enum alarm_kind *kind, const char **type);
/* Classifies a Contact ID qualifier (1, 3, 6) and code (100..999). Unknown codes are "other"
 * events, never refused. */
void alarm_classify_cid(int qualifier, unsigned code, enum alarm_kind *kind, const char **type);
/* Sets a->digest from content (what makes two messages "the same"). */
void alarm_set_digest(struct alarm_in *a, const void *content, size_t len);

/* The retransmission window: a repeat of account + seq + content within it is a duplicate. */
#define ALARM_RETX_WINDOW_MS (10 * 60 * 1000)

/* Inside a writer job: publish the incident's state after this transaction commits (one
 * snapshot per incident per group commit, however many alarms joined it). */
void incident_emit(struct store_conn *c, int64_t id);

/* Runs inside a writer job: supervision, dedup, mapping, incident, alarm row, events. */
int alarm_ingest(struct store_conn *c, const struct alarm_in *in, int64_t now,
                 struct alarm_result *out);

/* POST /api/v1/alarms: validates the JSON, ingests it and waits for the commit. */
int app_alarm_submit(struct app *a, const struct actor *who, json_t *in, json_t **out,
                     int *duplicate, struct app_err *err);
int app_alarm_list(struct app *a, const char *account, int64_t incident_id, const struct page *pg,
                   json_t **out);

struct incident_filter {
    int open; /* 1: the live queue (not closed), by priority then age */
    const char *state, *type;
};
int app_incident_list(struct app *a, const struct incident_filter *f, const struct page *pg,
                      json_t **out);
/* The incident with "events" (timeline) and "alarms" (the newest 50 messages). */
int app_incident_get(struct app *a, int64_t id, json_t **out);
/* Moves an incident along new -> acknowledged -> dispatched -> verified -> resolved -> reset ->
 * closed (verified may follow acknowledged directly; verified needs a verdict real|false|test).
 * -EINVAL for an illegal transition (err says which are allowed). Audited, on the timeline. */
int app_incident_transition(struct app *a, const struct actor *who, int64_t id, json_t *in,
                            json_t **out, struct app_err *err);
/* Adds a note to the timeline. */
int app_incident_note(struct app *a, const struct actor *who, int64_t id, json_t *in, json_t **out,
                      struct app_err *err);

/* Supervision: opens a communication-failure incident for every account whose heartbeat has
 * lapsed (plus grace_ms). Returns how many, or a negative error. */
int app_alarm_supervise(struct app *a, int64_t grace_ms);
/* Declares an account (from the config): name and heartbeat interval in seconds (0 = none). */
int app_alarm_account_set(struct app *a, const char *account, const char *name,
                          int64_t heartbeat_s);
/* Mapping account + zone ('*' = any) to a device and/or area, optionally forcing the type. */
int app_alarm_map_set(struct app *a, const struct actor *who, json_t *in, json_t **out,
                      struct app_err *err);
int app_alarm_map_list(struct app *a, json_t **out);

#endif
