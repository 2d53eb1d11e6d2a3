/* sig.c: see sig.h. */
#include <pthread.h>
#include <signal.h>

#include "core/sig.h"

void sig_block_stop(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, set, NULL);
    signal(SIGPIPE, SIG_IGN);
}
