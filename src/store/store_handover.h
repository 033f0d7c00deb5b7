/* store_handover.h - SQL for shift handovers and the facts their summary is compiled from. */
#ifndef VIGIL_STORE_HANDOVER_H
#define VIGIL_STORE_HANDOVER_H

#include "store/store.h"

/* The state of the centre for a handover summary: open incidents, devices in fault or offline,
 * visitors in the control room, open/overdue complaints, unreviewed alarm-line uses, open
 * hand-offs. OUT *summary (new object). */
int store_handover_facts(struct store_conn *c, int64_t now, json_t **summary);
/* -EEXIST when a handover is already pending. */
int store_handover_insert(struct store_conn *c, int64_t now, const char *outgoing,
                          const char *summary, const char *note, int controls_auto, int64_t *id);
/* OUT state and outgoing (cap 16 / 64). */
int store_handover_state(struct store_conn *c, int64_t id, char *state, size_t sn, char *outgoing,
                         size_t on);
int store_handover_sign_in(struct store_conn *c, int64_t id, const char *incoming, int64_t now);
int store_handover_force(struct store_conn *c, int64_t id, const char *by, const char *reason,
                         int64_t now);
int store_handover_get(struct store_conn *c, int64_t id, json_t **row);
int store_handover_list(struct store_conn *c, int pending, int64_t limit, int64_t offset,
                        json_t **rows, int64_t *total);

#endif
