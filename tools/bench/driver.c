/* dq bench driver: blocking hand-off (RPUSH -> BLPOP), pub/sub fan-out and stream consumer
 * groups (XADD -> XREADGROUP + XACK), end to end.
 *
 * Compiled by tools/bench.py at bench time (cc -O2 driver.c -lhiredis); only hiredis's RESP
 * reader and command formatter are used.  One thread, epoll over every connection, so the
 * client side stays cheap compared with the server under test.
 *
 *   driver handoff PORT SECONDS PRODUCERS CONSUMERS QUEUES PIPELINE SIZE BACKLOG
 *       PRODUCERS connections keep up to PIPELINE `RPUSH q:<i % QUEUES> <SIZE bytes>` in flight
 *       while fewer than BACKLOG items are pushed but not yet consumed; CONSUMERS connections
 *       loop `BLPOP q:<i % QUEUES> 1`.
 *   driver pubsub PORT SECONDS SUBSCRIBERS PIPELINE SIZE BACKLOG [pattern]
 *       SUBSCRIBERS connections SUBSCRIBE ch (or PSUBSCRIBE ch* with "pattern"); 1 publisher
 *       keeps up to PIPELINE `PUBLISH ch <SIZE bytes>` in flight while fewer than BACKLOG
 *       deliveries are outstanding.
 *   driver streams PORT SECONDS PRODUCERS CONSUMERS PIPELINE COUNT BACKLOG
 *       Creates group g on stream s (XGROUP CREATE s g $ MKSTREAM). PRODUCERS connections keep
 *       up to PIPELINE `XADD s * <5 fields>` in flight while fewer than BACKLOG entries are
 *       added but not yet acknowledged; CONSUMERS connections (consumer c<i>) loop
 *       `XREADGROUP GROUP g c<i> COUNT COUNT BLOCK 1000 STREAMS s >`, and acknowledge what
 *       they got with one `XACK s g id...` sent together with their next XREADGROUP.
 *       items = entries acknowledged.
 *
 * Prints one line "items=N seconds=S sent=N timeouts=N" (items = consumed / delivered) and
 * exits 0; on an error reply or a dropped connection prints "error: ..." to stderr, exits 2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

enum { PRODUCER, CONSUMER, PUBLISHER, SUBSCRIBER, XPRODUCER, XCONSUMER };

typedef struct {
    int fd, role, queue, inflight;
    redisReader *rd;
} Conn;

static Conn *conns;
static int nconns, epfd;
static long long sent, items, timeouts;

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void conn_open(Conn *c, int port, int role, int queue) {
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sa, sizeof sa) < 0)
        die("connect to port %d: %s", port, strerror(errno));
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->role = role;
    c->queue = queue;
    c->inflight = 0;
    c->rd = redisReaderCreate();
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0) die("epoll_ctl: %s", strerror(errno));
}

/* Blocking write: flow control keeps what is in flight far below the socket buffers. */
static void send_all(Conn *c, const char *buf, size_t len) {
    while (len) {
        ssize_t n = write(c->fd, buf, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("write: %s", strerror(errno));
        }
        buf += n;
        len -= (size_t)n;
    }
}

static void send_cmd(Conn *c, const char *cmd, int len) {
    send_all(c, cmd, (size_t)len);
    c->inflight++;
}

/* Reads what is available and hands every complete reply to on_reply. */
static void pump_reads(Conn *c, void (*on_reply)(Conn *, redisReply *)) {
    char buf[1 << 16];
    for (;;) {
        ssize_t n = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n == 0) die("server closed a connection");
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) break;
            if (errno == EINTR) continue;
            die("read: %s", strerror(errno));
        }
        redisReaderFeed(c->rd, buf, (size_t)n);
        if ((size_t)n < sizeof buf) break;
    }
    void *r;
    for (;;) {
        if (redisReaderGetReply(c->rd, &r) != REDIS_OK) die("protocol error: %s", c->rd->errstr);
        if (!r) break;
        redisReply *rep = r;
        if (rep->type == REDIS_REPLY_ERROR) die("server replied: %s", rep->str);
        on_reply(c, rep);
        freeReplyObject(rep);
    }
}

static char *payload;
static int stopping;

/* ---------------------------------------------------------------- hand-off */

static char **push_cmd, *pop_cmd[64];
static int push_len[64], pop_len[64], pipeline;
static long long backlog;

static void handoff_reply(Conn *c, redisReply *r) {
    c->inflight--;
    if (c->role == CONSUMER) {
        if (r->type == REDIS_REPLY_ARRAY && r->elements == 2)
            items++;
        else if (r->type == REDIS_REPLY_NIL || (r->type == REDIS_REPLY_ARRAY && r->elements == 0))
            timeouts++;
        else
            die("unexpected BLPOP reply type %d", r->type);
        if (!stopping) send_cmd(c, pop_cmd[c->queue], pop_len[c->queue]);
    } else if (r->type != REDIS_REPLY_INTEGER) {
        die("unexpected RPUSH reply type %d", r->type);
    }
}

static void feed_producers(void) {
    for (int i = 0; i < nconns && !stopping; i++) {
        Conn *c = &conns[i];
        if (c->role != PRODUCER) continue;
        while (c->inflight < pipeline && sent - items < backlog) {
            send_cmd(c, push_cmd[c->queue], push_len[c->queue]);
            sent++;
        }
    }
}

/* ---------------------------------------------------------------- pub/sub */

static int nsubs, subscribed;
static long long publish_short; /* PUBLISH replies counting fewer receivers than subscribers */

static void pubsub_reply(Conn *c, redisReply *r) {
    if (c->role == PUBLISHER) {
        c->inflight--;
        if (r->type != REDIS_REPLY_INTEGER) die("unexpected PUBLISH reply type %d", r->type);
        if (r->integer < nsubs) publish_short++;
        return;
    }
    if (r->type != REDIS_REPLY_ARRAY)
        die("unexpected reply type %d on a subscriber", r->type);
    if (r->elements < 3 || r->element[0]->type != REDIS_REPLY_STRING)
        die("unexpected subscriber message");
    const char *kind = r->element[0]->str;
    if (!strcmp(kind, "message") || !strcmp(kind, "pmessage"))
        items++;
    else if (!strcmp(kind, "subscribe") || !strcmp(kind, "psubscribe"))
        subscribed++;
    else
        die("unexpected subscriber message kind %s", kind);
}

static Conn *pub_conn;
static char *pub_cmd;
static int pub_len;

/* sent counts the deliveries expected (messages x subscribers). */
static void feed_publisher(void) {
    while (!stopping && pub_conn->inflight < pipeline && sent - items < backlog) {
        send_cmd(pub_conn, pub_cmd, pub_len);
        sent += nsubs;
    }
}

/* ---------------------------------------------------------------- streams */

static char *xadd_cmd, **xread_cmd;
static int xadd_len, *xread_len;

static void streams_reply(Conn *c, redisReply *r) {
    c->inflight--;
    if (c->role == XPRODUCER) {
        if (r->type != REDIS_REPLY_STRING) die("unexpected XADD reply type %d", r->type);
        return;
    }
    if (r->type == REDIS_REPLY_INTEGER) { /* XACK */
        items += r->integer;
        return;
    }
    if (r->type == REDIS_REPLY_NIL) { /* BLOCK timed out */
        timeouts++;
    } else if (r->type == REDIS_REPLY_ARRAY && r->elements == 1 &&
               r->element[0]->type == REDIS_REPLY_ARRAY && r->element[0]->elements == 2) {
        redisReply *entries = r->element[0]->element[1];
        if (entries->type != REDIS_REPLY_ARRAY) die("unexpected XREADGROUP entries");
        size_t n = entries->elements;
        if (n) {
            const char **argv = malloc((n + 3) * sizeof *argv);
            size_t *lens = malloc((n + 3) * sizeof *lens);
            argv[0] = "XACK", lens[0] = 4;
            argv[1] = "s", lens[1] = 1;
            argv[2] = "g", lens[2] = 1;
            for (size_t i = 0; i < n; i++) {
                redisReply *e = entries->element[i];
                if (e->type != REDIS_REPLY_ARRAY || e->elements != 2) die("unexpected entry");
                argv[3 + i] = e->element[0]->str;
                lens[3 + i] = e->element[0]->len;
            }
            char *ack;
            long long len = redisFormatCommandArgv(&ack, (int)(n + 3), argv, lens);
            send_cmd(c, ack, (int)len);
            free(ack);
            free(argv);
            free(lens);
        }
    } else {
        die("unexpected XREADGROUP reply type %d", r->type);
    }
    if (!stopping) send_cmd(c, xread_cmd[c->queue], xread_len[c->queue]);
}

static void feed_xproducers(void) {
    for (int i = 0; i < nconns && !stopping; i++) {
        Conn *c = &conns[i];
        if (c->role != XPRODUCER) continue;
        while (c->inflight < pipeline && sent - items < backlog) {
            send_cmd(c, xadd_cmd, xadd_len);
            sent++;
        }
    }
}

/* ---------------------------------------------------------------- main */

static void loop(double seconds, void (*on_reply)(Conn *, redisReply *), void (*feed)(void)) {
    struct epoll_event evs[256];
    double t0 = now(), end = t0 + seconds;
    if (feed) feed();
    for (;;) {
        double t = now();
        if (t >= end) break;
        int n = epoll_wait(epfd, evs, 256, 10);
        if (n < 0 && errno != EINTR) die("epoll_wait: %s", strerror(errno));
        for (int i = 0; i < n; i++) pump_reads(evs[i].data.ptr, on_reply);
        if (feed) feed();
    }
    stopping = 1;
    printf("items=%lld seconds=%.6f sent=%lld timeouts=%lld short=%lld\n", items, now() - t0,
           sent, timeouts, publish_short);
    fflush(stdout);
}

static long arg(char **argv, int i, int argc) {
    if (i >= argc) die("missing argument %d", i);
    return strtol(argv[i], NULL, 10);
}

int main(int argc, char **argv) {
    if (argc < 2) die("usage: driver handoff|pubsub|streams ...");
    epfd = epoll_create1(0);
    int port = (int)arg(argv, 2, argc);
    double seconds = strtod(argc > 3 ? argv[3] : "1", NULL);
    if (!strcmp(argv[1], "handoff")) {
        int np = (int)arg(argv, 4, argc), nc = (int)arg(argv, 5, argc);
        int nq = (int)arg(argv, 6, argc);
        pipeline = (int)arg(argv, 7, argc);
        int size = (int)arg(argv, 8, argc);
        backlog = arg(argv, 9, argc);
        if (nq < 1 || nq > 64 || np < 1 || nc < 1 || pipeline < 1) die("bad arguments");
        payload = malloc(size + 1);
        memset(payload, 'x', size);
        payload[size] = 0;
        push_cmd = calloc(nq, sizeof *push_cmd);
        for (int q = 0; q < nq; q++) {
            char key[32];
            snprintf(key, sizeof key, "q:%d", q);
            push_len[q] = redisFormatCommand(&push_cmd[q], "RPUSH %s %b", key, payload,
                                             (size_t)size);
            pop_len[q] = redisFormatCommand(&pop_cmd[q], "BLPOP %s 1", key);
        }
        nconns = np + nc;
        conns = calloc(nconns, sizeof *conns);
        for (int i = 0; i < nc; i++) conn_open(&conns[i], port, CONSUMER, i % nq);
        for (int i = 0; i < np; i++) conn_open(&conns[nc + i], port, PRODUCER, i % nq);
        for (int i = 0; i < nc; i++) send_cmd(&conns[i], pop_cmd[i % nq], pop_len[i % nq]);
        loop(seconds, handoff_reply, feed_producers);
    } else if (!strcmp(argv[1], "pubsub")) {
        nsubs = (int)arg(argv, 4, argc);
        int pipe = (int)arg(argv, 5, argc);
        int size = (int)arg(argv, 6, argc);
        backlog = arg(argv, 7, argc);
        int pattern = argc > 8 && !strcmp(argv[8], "pattern");
        payload = malloc(size + 1);
        memset(payload, 'x', size);
        nconns = nsubs + 1;
        conns = calloc(nconns, sizeof *conns);
        char *sub;
        int sublen = pattern ? redisFormatCommand(&sub, "PSUBSCRIBE ch*")
                             : redisFormatCommand(&sub, "SUBSCRIBE ch");
        for (int i = 0; i < nsubs; i++) {
            conn_open(&conns[i], port, SUBSCRIBER, 0);
            send_all(&conns[i], sub, (size_t)sublen);
        }
        conn_open(&conns[nsubs], port, PUBLISHER, 0);
        /* Wait for every subscription confirmation before publishing. */
        double deadline = now() + 10;
        struct epoll_event evs[256];
        while (subscribed < nsubs) {
            if (now() > deadline) die("only %d of %d subscriptions confirmed", subscribed, nsubs);
            int n = epoll_wait(epfd, evs, 256, 10);
            for (int i = 0; i < n; i++) pump_reads(evs[i].data.ptr, pubsub_reply);
        }
        char *pub;
        int publen = redisFormatCommand(&pub, "PUBLISH ch %b", payload, (size_t)size);
        Conn *p = &conns[nsubs];
        pub_conn = p;
        pub_cmd = pub;
        pub_len = publen;
        pipeline = pipe;
        loop(seconds, pubsub_reply, feed_publisher);
    } else if (!strcmp(argv[1], "streams")) {
        int np = (int)arg(argv, 4, argc), nc = (int)arg(argv, 5, argc);
        pipeline = (int)arg(argv, 6, argc);
        int count = (int)arg(argv, 7, argc);
        backlog = arg(argv, 8, argc);
        if (np < 1 || nc < 1 || pipeline < 1 || count < 1) die("bad arguments");
        nconns = np + nc;
        conns = calloc(nconns, sizeof *conns);
        for (int i = 0; i < nc; i++) conn_open(&conns[i], port, XCONSUMER, i);
        for (int i = 0; i < np; i++) conn_open(&conns[nc + i], port, XPRODUCER, 0);
        /* The group first, synchronously on the first connection. */
        char *mk;
        int mklen = redisFormatCommand(&mk, "XGROUP CREATE s g $ MKSTREAM");
        send_all(&conns[0], mk, (size_t)mklen);
        for (;;) {
            char buf[512];
            ssize_t n = read(conns[0].fd, buf, sizeof buf);
            if (n <= 0) die("XGROUP CREATE: no reply");
            redisReaderFeed(conns[0].rd, buf, (size_t)n);
            void *r;
            if (redisReaderGetReply(conns[0].rd, &r) != REDIS_OK) die("protocol error");
            if (!r) continue;
            if (((redisReply *)r)->type == REDIS_REPLY_ERROR)
                die("server replied: %s", ((redisReply *)r)->str);
            freeReplyObject(r);
            break;
        }
        xadd_len = redisFormatCommand(&xadd_cmd,
                                      "XADD s * name user:00042 email someone@example.com "
                                      "price 1999 status pending payload %s",
                                      "0123456789abcdef0123456789abcdef");
        xread_cmd = calloc(nc, sizeof *xread_cmd);
        xread_len = calloc(nc, sizeof *xread_len);
        for (int i = 0; i < nc; i++) {
            char name[32];
            snprintf(name, sizeof name, "c%d", i);
            xread_len[i] = redisFormatCommand(&xread_cmd[i],
                                              "XREADGROUP GROUP g %s COUNT %d BLOCK 1000 "
                                              "STREAMS s >",
                                              name, count);
            send_cmd(&conns[i], xread_cmd[i], xread_len[i]);
        }
        loop(seconds, streams_reply, feed_xproducers);
    } else {
        die("unknown mode %s", argv[1]);
    }
    return 0;
}
