/* camera_ticket.h - the fault ticket of a camera-health problem (kind "camera_health").
 *
 * A thin seam over app/ticket.h (app_ticket_open_in / app_ticket_note_in) so the rules read
 * plainly. Both run inside a writer job. */
#ifndef VIGIL_CAMERA_TICKET_H
#define VIGIL_CAMERA_TICKET_H

#include "store/store.h"

#include <stdint.h>

/* Opens (or finds the open) camera_health ticket of the device, linked to incident_id. OUT
 * *ticket_id and *created (0 when the device's open camera_health ticket was reused). */
int camera_ticket_open(struct store_conn *c, int64_t device_id, const char *title,
                       const char *detail, int64_t incident_id, int64_t now, int64_t *ticket_id,
                       int *created);
/* Adds note to the ticket. */
int camera_ticket_note(struct store_conn *c, int64_t ticket_id, const char *note, int64_t now);

#endif
