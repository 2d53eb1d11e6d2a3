/* sse_clients.c: many SSE clients in one process (epoll), for bench/sse.sh.
 *
 *   sse_clients PORT PATH N EVENTS
 *
 * Opens N connections to 127.0.0.1:PORT, sends GET PATH, prints "ready"
 * once every stream has answered, then reads until each client has seen
 * EVENTS events whose data carries "t=<epoch microseconds>", and prints the
 * delivery latency (now - t) p50/p99 over all deliveries. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct client {
    int fd;
    int seen;
    bool answered;
};

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: sse_clients PORT PATH N EVENTS\n");
        return 2;
    }
    int port = (int)strtol(argv[1], NULL, 10), n = (int)strtol(argv[3], NULL, 10);
    int events = (int)strtol(argv[4], NULL, 10);
    const char *path = argv[2];
    struct client *cs = calloc((size_t)n, sizeof *cs);
    int ep = epoll_create1(0);
    char req[512];
    int reqlen =
        snprintf(req, sizeof req,
                 "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n", path);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(0x7F000001);
    for (int i = 0; i < n; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
            fprintf(stderr, "connection %d: %s\n", i, strerror(errno));
            return 1;
        }
        if (write(fd, req, (size_t)reqlen) != reqlen)
            return 1;
        fcntl(fd, F_SETFL, O_NONBLOCK);
        cs[i].fd = fd;
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
    size_t cap = (size_t)n * (size_t)events + 16, nlat = 0;
    int64_t *lat = malloc(cap * sizeof *lat);
    int answered = 0, done = 0;
    bool ready = false;
    char buf[65536];
    struct epoll_event evs[256];
    while (done < n) {
        int k = epoll_wait(ep, evs, 256, 30000);
        if (k <= 0) {
            fprintf(stderr, "timed out with %d of %d clients done\n", done, n);
            break;
        }
        for (int e = 0; e < k; e++) {
            struct client *c = &cs[evs[e].data.u32];
            ssize_t got;
            while ((got = read(c->fd, buf, sizeof buf - 1)) > 0) {
                int64_t t_read = now_us();
                buf[got] = '\0';
                if (!c->answered) {
                    c->answered = true;
                    answered++;
                }
                for (char *p = buf; (p = strstr(p, "t=")) != NULL; p += 2) {
                    int64_t t = strtoll(p + 2, NULL, 10);
                    if (t > 1000000000000000LL && nlat < cap && c->seen < events) {
                        lat[nlat++] = t_read - t;
                        if (++c->seen == events)
                            done++;
                    }
                }
            }
        }
        if (!ready && answered == n) {
            ready = true;
            printf("ready\n");
            fflush(stdout);
        }
    }
    qsort(lat, nlat, sizeof *lat, cmp);
    printf("clients=%d deliveries=%zu p50_ms=%.2f p99_ms=%.2f\n", n, nlat,
           nlat ? (double)lat[nlat / 2] / 1000.0 : 0.0,
           nlat ? (double)lat[nlat * 99 / 100] / 1000.0 : 0.0);
    return 0;
}
