/* sig.h: the stop signals of the long-running commands (serve, worker):
 * blocked in every thread, so that the main thread alone takes them with
 * sigtimedwait and stops cleanly. */
#ifndef PROSPECT_CORE_SIG_H
#define PROSPECT_CORE_SIG_H

#include <signal.h>

/* sig_block_stop(set): blocks SIGINT and SIGTERM (set receives them, for
 * sigtimedwait) and ignores SIGPIPE (a peer gone is an error return, not a
 * death). Call before starting any thread. */
void sig_block_stop(sigset_t *set);

#include "core/banned.h"
#endif
