/* clock.h - the one injectable clock.
 *
 * All of Vigil reads wall time through clock_now_ms() so tests can move time. Times are
 * milliseconds since the Unix epoch, UTC. Thread-safe. */
#ifndef VIGIL_CLOCK_H
#define VIGIL_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Current time in ms since the epoch: the real clock, or the fixed/offset test clock. */
int64_t clock_now_ms(void);
/* Test seam: pin the clock at ms (ms < 0 returns to the real clock). */
void clock_set_fixed(int64_t ms);
/* Test seam: move the pinned clock forward by delta ms (no-op when not pinned). */
void clock_advance(int64_t delta_ms);
/* Monotonic ms for durations (never pinned). */
int64_t clock_mono_ms(void);
/* Monotonic ns for latency metrics. */
int64_t clock_mono_ns(void);

/* Formats ms as ISO-8601 UTC "2026-11-27T22:33:24.123Z" into out (size >= 25). Returns 0,
 * or -EINVAL when the time cannot be represented. */
int clock_format_iso(int64_t ms, char *out, size_t size);
/* Parses "YYYY-MM-DDTHH:MM:SS[.mmm]Z" into ms. Returns 0 or -EINVAL. */
int clock_parse_iso(const char *s, int64_t *out_ms);

#define CLOCK_ISO_LEN 25

/* Formats ms in the process's local time zone (vigild sets TZ to site.timezone at start) as
 * "2026-11-28 07:19:22" into out (size >= 20). Returns 0 or -EINVAL. */
int clock_format_local(int64_t ms, char *out, size_t size);

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d, and back (any time zone). */
int64_t clock_days_from_civil(int64_t y, unsigned m, unsigned d);
void clock_civil_from_days(int64_t days, int *y, int *m, int *d);

/* Local midnight (process time zone) at or before ms. */
int64_t clock_local_day_start(int64_t ms);
/* The instant of local date y-mo-d at minute-of-day minute (0..1439). Returns 0 or -EINVAL. */
int clock_local_make(int y, int mo, int d, int minute, int64_t *out);
/* Parses "YYYY-MM-DD" (1970 on, a real date). Returns 0 or -EINVAL. */
int clock_parse_date(const char *s, int *y, int *mo, int *d);

#endif
