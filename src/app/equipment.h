/* equipment.h - equipment care: the daemon's and the handover's hooks into fault tickets
 * (ticket.h) and the periodic check sheets (checks.h). */
#ifndef VIGIL_EQUIPMENT_H
#define VIGIL_EQUIPMENT_H

#include "app/app.h"

/* At start, after app_init: applies the configuration (ticket due times) and imports the
 * check-sheet templates (check.sheet_dir, or data/checksheets beside the web root). Returns how
 * many new template versions were stored, or a negative errno with the reason in err. */
int app_equipment_start(struct app *a, char *err, size_t errsz);
/* Every few seconds: escalates overdue tickets. Returns how many escalations were raised (so
 * the caller wakes the webhook worker), or a negative error. */
int app_equipment_tick(struct app *a);
/* Inside a read or write: adds open tickets and the check sheets due or overdue to a handover
 * summary. */
int app_equipment_handover_facts(struct store_conn *c, int64_t now, json_t *summary);

/* Inside the demo seed (after the users exist): a few filled sheets and tickets. */
int app_equipment_demo_in(struct store_conn *c, int64_t now);

#endif
