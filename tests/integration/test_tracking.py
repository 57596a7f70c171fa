"""CLIENT TRACKING (server-assisted client-side caching) with real clients: redis-py (RESP2,
invalidations through a REDIRECT to a subscriber, as redis-py 4.3 caches do) and raw RESP3
connections for push messages. Byte-for-byte comparisons with redis-server are in
tests/compat/test_diff_tracking.py; this file covers what those cannot compare (INFO,
CLIENT LIST, the table limit, CLIENT HELP, many clients)."""
import time

import pytest

from dqtest import wait_for

INV = b">2\r\n$10\r\ninvalidate\r\n"


def push_for(*keys):
    return INV + b"*%d\r\n" % len(keys) + b"".join(
        b"$%d\r\n%s\r\n" % (len(k), k.encode()) for k in keys)


@pytest.fixture
def t3(server):
    """A RESP3 raw connection with tracking on."""
    c = server.raw()
    c.cmd("FLUSHALL")
    c.cmd("HELLO", "3")
    assert c.cmd("CLIENT", "TRACKING", "on") == b"+OK\r\n"
    yield c
    c.close()


def info(r, field):
    return r.info("everything")[field]


def read_push(c):
    return c.read_reply_bytes()


def test_redis_py_redirect_to_subscriber(server, r):
    # redis-py's RESP2 pattern: a pub/sub connection on __redis__:invalidate receives the
    # invalidations of the tracking connection that redirects to it.
    p = r.pubsub()
    p.subscribe("__redis__:invalidate")
    assert p.get_message(timeout=2)["type"] == "subscribe"
    sub = [c for c in r.client_list() if c["sub"] == "1"]
    assert len(sub) == 1
    sub_id = int(sub[0]["id"])
    tracker = server.client()
    try:
        redirect_session(r, p, tracker, sub_id)
    finally:
        tracker.close()
        p.close()


def redirect_session(r, p, tracker, sub_id):
    assert tracker.client_tracking_on(clientid=sub_id) == b"OK"
    assert tracker.client_getredir() == sub_id
    # (redis-py 4.3 decodes the field names, not the values)
    assert tracker.client_trackinginfo() == ["flags", [b"on"], "redirect", sub_id,
                                             "prefixes", []]
    r.set("user:1", "alice")
    assert tracker.get("user:1") == b"alice"
    r.set("user:1", "bob")
    msg = p.get_message(timeout=2)
    assert msg["type"] == "message" and msg["channel"] == b"__redis__:invalidate"
    assert msg["data"] == [b"user:1"]
    # Forgotten once invalidated: a second write sends nothing until it is read again.
    r.set("user:1", "carol")
    assert p.get_message(timeout=0.2) is None
    tracker.get("user:1")
    r.flushall()
    msg = p.get_message(timeout=2)
    assert msg["type"] == "message" and msg["data"] is None
    assert tracker.client_tracking_off() == b"OK"
    assert tracker.client_getredir() == -1


def test_push_follows_own_reply(t3):
    assert t3.cmd("GET", "k") == b"_\r\n"
    t3.send(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n")
    assert t3.read_reply_bytes() == b"+OK\r\n"
    assert read_push(t3) == push_for("k")


def test_many_trackers_each_get_one_invalidation(server, r):
    conns = []
    for _ in range(20):
        c = server.raw()
        c.cmd("HELLO", "3")
        c.cmd("CLIENT", "TRACKING", "on")
        c.cmd("GET", "shared")
        conns.append(c)
    wait_for(lambda: info(r, "tracking_clients") == 20)  # earlier tests' clients are gone
    assert info(r, "tracking_total_keys") == 1
    assert info(r, "tracking_total_items") == 20
    r.set("shared", "1")
    for c in conns:
        assert read_push(c) == push_for("shared")
        assert c.cmd("PING") == b"+PONG\r\n"  # exactly one push
    assert info(r, "tracking_total_keys") == 0
    assert info(r, "tracking_total_items") == 0
    for c in conns:
        c.close()
    wait_for(lambda: info(r, "tracking_clients") == 0)


def test_info_and_client_list_flags(server, r, t3):
    wait_for(lambda: info(r, "tracking_clients") == 1)
    t3.cmd("MGET", "a", "b", "c")
    assert info(r, "tracking_total_keys") == 3
    assert info(r, "tracking_total_items") == 3
    b = server.raw()
    b.cmd("HELLO", "3")
    b.cmd("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "x", "PREFIX", "y")
    assert info(r, "tracking_clients") == 2
    assert info(r, "tracking_total_prefixes") == 2
    ids = {c["id"]: c for c in r.client_list()}
    t_id = t3.cmd("CLIENT", "ID")[1:-2].decode()
    b_id = b.cmd("CLIENT", "ID")[1:-2].decode()
    assert ids[t_id]["flags"] == "t" and ids[t_id]["redir"] == "0"
    assert ids[b_id]["flags"] == "tB"
    b.close()
    wait_for(lambda: info(r, "tracking_clients") == 1)
    assert info(r, "tracking_total_prefixes") == 0
    # A redirect to a client that is gone: 'R' once an invalidation found it missing.
    target = server.raw()
    target_id = target.cmd("CLIENT", "ID")[1:-2].decode()
    assert t3.cmd("CLIENT", "TRACKING", "on", "REDIRECT", target_id) == b"+OK\r\n"
    ids = {c["id"]: c for c in r.client_list()}
    assert ids[t_id]["redir"] == target_id and ids[t_id]["flags"] == "t"
    target.close()
    wait_for(lambda: target_id not in {c["id"] for c in r.client_list()})
    r.set("a", "1")
    assert read_push(t3) == b">2\r\n$21\r\ntracking-redir-broken\r\n:%s\r\n" % target_id.encode()
    ids = {c["id"]: c for c in r.client_list()}
    assert ids[t_id]["flags"] == "tR"
    t3.cmd("CLIENT", "TRACKING", "off")
    ids = {c["id"]: c for c in r.client_list()}
    assert ids[t_id]["flags"] == "N" and ids[t_id]["redir"] == "-1"
    assert info(r, "tracking_clients") == 0


def test_table_limit_evicts_and_invalidates(server, r, t3):
    assert r.config_get("tracking-table-max-keys") == {"tracking-table-max-keys": "1000000"}
    try:
        r.config_set("tracking-table-max-keys", 3)
        # Each command first brings the table back under the limit (Redis's processCommand):
        # the evicted keys are invalidated, so the client drops them from its cache.
        t3.send(b"".join(b"*2\r\n$3\r\nGET\r\n$1\r\n%s\r\n" % k.encode()
                         for k in "abcdefgh") + b"*1\r\n$4\r\nPING\r\n")
        evicted, nulls = set(), 0
        while True:
            reply = t3.read_reply_bytes()
            if reply == b"+PONG\r\n":
                break
            if reply == b"_\r\n":
                nulls += 1
                continue
            assert reply.startswith(INV)
            evicted.add(reply.split(b"\r\n")[-2].decode())
        assert nulls == 8
        assert info(r, "tracking_total_keys") <= 3
        assert len(evicted) == 5 and evicted <= set("abcdefgh")
        # Evicted keys are no longer tracked; the rest still are.
        kept = set("abcdefgh") - evicted
        r.mset({k: "1" for k in "abcdefgh"})
        got = set()
        for _ in kept:
            got.add(read_push(t3).split(b"\r\n")[-2].decode())
        assert got == kept
        assert t3.cmd("PING") == b"+PONG\r\n"
        r.config_set("tracking-table-max-keys", 0)  # no limit
        for i in range(50):
            t3.cmd("GET", "k%d" % i)
        assert t3.cmd("PING") == b"+PONG\r\n"
        assert info(r, "tracking_total_keys") == 50
    finally:
        r.config_set("tracking-table-max-keys", 1000000)


def test_bcast_batches_one_loop_iteration(server, r):
    b = server.raw()
    b.cmd("HELLO", "3")
    b.cmd("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "job:")
    w = server.raw()
    # One write with three commands: one event-loop iteration, one message, keys sorted.
    w.send(b"".join(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$1\r\n1\r\n" % (len(k), k)
                    for k in (b"job:2", b"job:1", b"other")))
    for _ in range(3):
        assert w.read_reply_bytes() == b"+OK\r\n"
    assert read_push(b) == push_for("job:1", "job:2")
    assert b.cmd("PING") == b"+PONG\r\n"
    b.close()
    w.close()


def test_expired_and_deleted_keys(server, r, t3):
    r.set("e", "1", px=50)
    t3.cmd("GET", "e")
    t3.cmd("GET", "d")
    r.set("d", "1")
    assert read_push(t3) == push_for("d")
    # Active expiry (cron) invalidates without anyone touching the key.
    assert read_push(t3) == push_for("e")
    assert r.exists("e") == 0


def test_unlink_move_swap_and_copy(server, r, t3):
    for k in ("u", "m", "cdst"):
        t3.cmd("GET", k)
    r.set("u", "1")
    assert read_push(t3) == push_for("u")
    t3.cmd("GET", "u")
    r.unlink("u")
    assert read_push(t3) == push_for("u")
    r.set("src", "x")
    r.copy("src", "cdst")
    assert read_push(t3) == push_for("cdst")
    r.execute_command("SELECT", "0")
    r.set("m", "1")
    assert read_push(t3) == push_for("m")
    t3.cmd("GET", "m")
    r.move("m", 1)
    assert read_push(t3) == push_for("m")


def test_client_help_lists_tracking(r):
    lines = [x.decode() if isinstance(x, bytes) else x for x in r.execute_command("CLIENT", "HELP")]
    assert lines[1] == "CACHING (YES|NO)"
    i = lines.index("TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]")
    assert lines[i + 1:i + 5] == ["         [OPTIN] [OPTOUT] [NOLOOP]",
                                  "    Control server assisted client side caching.",
                                  "TRACKINGINFO",
                                  "    Report tracking status for the current connection."]


def test_wrong_arity(raw):
    for args in (("CLIENT", "TRACKING"), ("CLIENT", "CACHING"), ("CLIENT", "CACHING", "a", "b"),
                 ("CLIENT", "GETREDIR", "x"), ("CLIENT", "TRACKINGINFO", "x")):
        name = "client|" + args[1].lower()
        assert raw.cmd(*args) == b"-ERR wrong number of arguments for '%s' command\r\n" % \
            name.encode()


def test_no_tracking_no_cost_paths(server, r):
    # Without a tracking client nothing is remembered, and reads/writes behave as before.
    r.set("k", "v")
    assert r.get("k") == b"v"
    assert info(r, "tracking_total_keys") == 0
    wait_for(lambda: info(r, "tracking_clients") == 0)


def test_tracking_client_disconnect_releases(server, r):
    c = server.raw()
    c.cmd("HELLO", "3")
    c.cmd("CLIENT", "TRACKING", "on")
    c.cmd("GET", "gone")
    c.close()
    wait_for(lambda: info(r, "tracking_clients") == 0)
    r.set("gone", "1")  # the stale id is skipped
    assert info(r, "tracking_total_keys") == 0
    time.sleep(0.01)
    assert r.ping()


def test_overlapping_prefix_later_in_the_list(raw):
    # Deliberately not Redis: Redis 7's checkPrefixCollisionsOrReply reports a collision
    # between two given prefixes after the first one (here 'b' and 'bc') but still enables
    # tracking and answers +OK as well: two replies to one command. dq answers the error only
    # and leaves tracking off.
    assert raw.cmd("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a", "PREFIX", "b", "PREFIX",
                   "bc") == (b"-ERR Prefix 'b' overlaps with another provided prefix 'bc'. "
                             b"Prefixes for a single client must not overlap.\r\n")
    assert raw.cmd("PING") == b"+PONG\r\n"
    assert raw.cmd("CLIENT", "TRACKINGINFO") == (
        b"*6\r\n$5\r\nflags\r\n*1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n"
        b"$8\r\nprefixes\r\n*0\r\n")


def test_own_invalidation_then_own_keyspace_event_follow_the_reply(server, t3):
    # A RESP3 client that tracks a key and listens to its keyspace events, then writes it:
    # the reply first, then the invalidation, then the event (Redis 7.2's afterCommand order:
    # tracking's pending keys, then the other pending push messages).
    t3.cmd("CONFIG", "SET", "notify-keyspace-events", "K$")
    t3.cmd("SET", "k", "v0")
    assert t3.cmd("GET", "k") == b"$2\r\nv0\r\n"
    t3.cmd("SUBSCRIBE", "__keyspace@0__:k")
    t3.send(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nv1\r\n")
    assert t3.read_reply_bytes() == b"+OK\r\n"
    assert t3.read_reply_bytes() == push_for("k")
    assert t3.read_reply_bytes() == (b">3\r\n$7\r\nmessage\r\n$16\r\n__keyspace@0__:k\r\n"
                                     b"$3\r\nset\r\n")
    # Inside a transaction: EXEC's whole array first.
    assert t3.cmd("GET", "k") == b"$2\r\nv1\r\n"
    t3.cmd("MULTI")
    t3.cmd("SET", "k", "v2")
    assert t3.cmd("EXEC") == b"*1\r\n+OK\r\n"
    assert t3.read_reply_bytes() == push_for("k")
    assert t3.read_reply_bytes().endswith(b"$3\r\nset\r\n")
