/* webhook.h: events out to the webapp's backend, as Standard Webhooks.
 *
 * Every event of a job is stored with its delivery in the outbox (the store
 * does both in one transaction, see store_event_append); the sender works
 * through the outbox on its own thread and never holds a job back. It POSTs
 * each event's JSON to WEBAPP_WEBHOOK_URL with the headers webhook-id
 * (stable per event, the same on every attempt), webhook-timestamp (this
 * attempt's) and, when WEBHOOK_SECRET is set, webhook-signature (v1,
 * HMAC-SHA256); Prospect-Event-Id is the event's id in the job (as in SSE)
 * and Prospect-Event-Type its type. A job's events go in order, one at a time; jobs go at once.
 * A 2xx is delivered; anything else is retried on PROSPECT_WEBHOOK_SCHEDULE
 * (Retry-After honoured when longer), then dead-lettered; 410 Gone disables
 * the receiver. Deliveries left pending by a crash resume at start.
 * Thread: the sender's functions may be called from any thread.
 */
#ifndef PROSPECT_WEBHOOK_H
#define PROSPECT_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "core/err.h"

/* The longest webhook-signature value: "v1," and a base64 SHA-256 MAC. */
#define WEBHOOK_SIGNATURE_MAX 64

/* webhook_key(secret, key, len, e): the HMAC key of a Standard Webhooks
 * secret: the base64 after "whsec_" (the prefix is optional), decoded into
 * key (64 bytes). CORE_EINVAL, with a message that does not quote the
 * secret, when it is not such a secret. */
int webhook_key(const char *secret, unsigned char key[64], size_t *len, struct err *e)
    __attribute__((warn_unused_result));

/* webhook_sign(key, len, id, ts, body, body_len, out): the signature header
 * value "v1,<base64 MAC>" of body sent as message id at ts (Unix seconds). */
void webhook_sign(const unsigned char *key, size_t len, const char *id, int64_t ts,
                  const char *body, size_t body_len, char out[WEBHOOK_SIGNATURE_MAX]);

/* webhook_id(job_id, seq, out): the stable webhook-id of an event:
 * "msg_" and 32 hex digits of a hash of job id and seq (no '.', as the
 * scheme asks, whatever the job id holds). */
void webhook_id(const char *job_id, int64_t seq, char out[40]);

struct webhook_sender;

/* webhook_sender_start(cfg, out, e): opens its own store connection
 * (cfg->db) and starts the sender thread, which first resumes whatever the
 * outbox holds. cfg is borrowed for the sender's life. CORE_EINVAL for a bad
 * WEBHOOK_SECRET or PROSPECT_WEBHOOK_SCHEDULE; store errors as store_open. */
int webhook_sender_start(const struct config *cfg, struct webhook_sender **out, struct err *e)
    __attribute__((warn_unused_result));

/* webhook_sender_kick(w): new deliveries are in the outbox. NULL is fine. */
void webhook_sender_kick(struct webhook_sender *w);

/* webhook_sender_stop(w): ends the thread (attempts under way are
 * abandoned and stay pending, to be made again) and frees w. NULL is fine. */
void webhook_sender_stop(struct webhook_sender *w);

struct webhook_stats {
    int64_t delivered, failed_attempts, dead, disabled; /* since start */
    int64_t in_flight;
};

void webhook_sender_stats(struct webhook_sender *w, struct webhook_stats *out);

#include "core/banned.h"
#endif
