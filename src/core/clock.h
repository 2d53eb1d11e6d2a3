/* clock.h: wall-clock and monotonic time, and the one timestamp format.
 *
 * Every timestamp Prospect writes (events, logs, stored rows) is UTC ISO 8601
 * with milliseconds and a Z: 2024-01-15T10:30:00.000Z. Thread: any.
 */
#ifndef PROSPECT_CORE_CLOCK_H
#define PROSPECT_CORE_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#define CLOCK_ISO_LEN 25 /* "YYYY-MM-DDTHH:MM:SS.mmmZ" plus NUL */

/* clock_now_ms(): milliseconds since the Unix epoch (wall clock). */
int64_t clock_now_ms(void);

/* clock_mono_ms(): milliseconds of a monotonic clock, for durations. */
int64_t clock_mono_ms(void);

/* clock_format_iso(ms, out): writes ms (epoch milliseconds) into out as
 * UTC ISO 8601 with milliseconds; out must hold CLOCK_ISO_LEN bytes. */
void clock_format_iso(int64_t ms, char out[CLOCK_ISO_LEN]);

#include "core/banned.h"
#endif
