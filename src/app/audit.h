/* audit.h - the tamper-evident audit trail (S5).
 *
 * Each record's hash is SHA-256 over the previous record's hash followed by a canonical
 * encoding of the record (id and time as 8-byte big-endian integers, then actor, action,
 * object and summary, each as a 4-byte big-endian length and its bytes). The first record's
 * previous hash is 32 zero bytes. The head row names the newest record, so removing records
 * at the end is detected as well as altering, removing or reordering any in between. */
#ifndef VIGIL_AUDIT_H
#define VIGIL_AUDIT_H

#include "app/app.h"
#include "store/store_audit.h"

/* Appends a record inside a writer job and emits an "audit" event. object names what was
 * acted on ("user:12", "resident:4"); summary is one human line and never holds a secret or
 * an unmasked personal datum. Returns 0 or a store error. */
int audit_append(struct store_conn *c, const struct actor *who, const char *action,
                 const char *object, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Computes r's hash from its fields and r->prev_hash into out. */
void audit_hash(const struct audit_rec *r, unsigned char out[AUDIT_HASH_LEN]);

struct audit_verdict {
    int ok;
    int64_t records;
    int64_t first_bad; /* id of the first bad record (0 when ok) */
    char reason[160];
};

/* Walks the whole chain on a read connection. Returns 0 (see v->ok) or a store error. */
int audit_verify(struct store_conn *c, struct audit_verdict *v);

/* The audit list page for the API. */
int app_audit_list(struct app *a, const char *action, const char *actor, const struct page *pg,
                   json_t **out);
/* Verifies and renders {"ok":…, "records":N, "first_bad":ID, "reason":…}. */
int app_audit_verify(struct app *a, json_t **out);

#endif
