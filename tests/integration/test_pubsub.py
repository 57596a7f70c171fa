"""Pub/sub: SUBSCRIBE / PSUBSCRIBE / SSUBSCRIBE and their UNSUBSCRIBEs, PUBLISH / SPUBLISH,
PUBSUB introspection, RESP2 subscribe mode, RESP3 push messages, redis-cli as a subscriber,
cleanup on disconnect and RESET, and the pubsub output-buffer limit (a subscriber that never
reads is disconnected while the publisher goes on, and memory stays bounded).

Replies are checked as exact bytes on raw sockets; state is polled (PUBSUB NUMSUB, CLIENT
LIST, INFO), never slept on."""
import select
import socket
import subprocess
import time

import pytest
import redis

from dqtest import REDIS_CLI, RawClient, encode_command, wait_for


# --- exact RESP builders ------------------------------------------------------------------

def _item(x, resp3=False):
    if x is None:
        return b"_\r\n" if resp3 else b"$-1\r\n"
    if isinstance(x, int):
        return b":%d\r\n" % x
    if isinstance(x, str):
        x = x.encode()
    return b"$%d\r\n%s\r\n" % (len(x), x)


def arr(*items):
    return b"*%d\r\n" % len(items) + b"".join(_item(i) for i in items)


def push(*items):
    return b">%d\r\n" % len(items) + b"".join(_item(i, True) for i in items)


def subscribed_error(cmd):
    return ("-ERR Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / "
            "RESET are allowed in this context\r\n" % cmd).encode()


def frames(c, n):
    return [c.read_reply_bytes() for _ in range(n)]


def nothing_pending(c, wait=0.2):
    """True if no byte arrives on c within `wait` seconds."""
    if c.buf:
        return False
    r, _, _ = select.select([c.sock], [], [], wait)
    return not r


@pytest.fixture
def clients(server):
    made = []

    def make():
        c = RawClient(server.port)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


@pytest.fixture
def admin(server):
    c = server.client()
    yield c
    c.close()


def numsub(admin, ch):
    return admin.execute_command("PUBSUB", "NUMSUB", ch)[1]


def idle_registry(admin):
    return (admin.execute_command("PUBSUB", "CHANNELS") == [] and
            admin.execute_command("PUBSUB", "NUMPAT") == 0 and
            admin.execute_command("PUBSUB", "SHARDCHANNELS") == [])


# --- confirmations and counts ---------------------------------------------------------------

def test_subscribe_one_confirmation_per_channel_with_running_count(clients):
    c = clients()
    c.send(encode_command("SUBSCRIBE", "a", "b", "a", "c"))
    assert frames(c, 4) == [arr("subscribe", "a", 1), arr("subscribe", "b", 2),
                            arr("subscribe", "a", 2), arr("subscribe", "c", 3)]
    c.send(encode_command("UNSUBSCRIBE", "b", "zz"))
    assert frames(c, 2) == [arr("unsubscribe", "b", 2), arr("unsubscribe", "zz", 2)]


def test_unsubscribe_all_and_with_nothing_subscribed(clients):
    c = clients()
    assert c.cmd("UNSUBSCRIBE") == arr("unsubscribe", None, 0)
    assert c.cmd("PUNSUBSCRIBE") == arr("punsubscribe", None, 0)
    assert c.cmd("SUNSUBSCRIBE") == arr("sunsubscribe", None, 0)
    c.send(encode_command("SUBSCRIBE", "x", "y", "z"))
    frames(c, 3)
    c.send(encode_command("UNSUBSCRIBE"))
    # dq answers in subscription order, Redis in its dict's order: names as a set, counts
    # in order.
    got = frames(c, 3)
    assert {g.split(b"\r\n")[4] for g in got} == {b"x", b"y", b"z"}
    assert [g.split(b"\r\n")[5] for g in got] == [b":2", b":1", b":0"]
    assert all(g.startswith(b"*3\r\n$11\r\nunsubscribe\r\n$1\r\n") for g in got)
    # Out of subscribe mode: a normal command works again.
    assert c.cmd("PING") == b"+PONG\r\n"


def test_patterns_and_channels_share_the_count(clients):
    c = clients()
    assert c.cmd("SUBSCRIBE", "ch") == arr("subscribe", "ch", 1)
    c.send(encode_command("PSUBSCRIBE", "p.*", "q?", "p.*"))
    assert frames(c, 3) == [arr("psubscribe", "p.*", 2), arr("psubscribe", "q?", 3),
                            arr("psubscribe", "p.*", 3)]
    c.send(encode_command("PUNSUBSCRIBE"))
    assert frames(c, 2) == [arr("punsubscribe", "p.*", 2), arr("punsubscribe", "q?", 1)]
    assert c.cmd("UNSUBSCRIBE") == arr("unsubscribe", "ch", 0)


def test_shard_channels_have_their_own_count_and_namespace(clients, admin):
    c = clients()
    assert c.cmd("SUBSCRIBE", "n") == arr("subscribe", "n", 1)
    c.send(encode_command("SSUBSCRIBE", "n", "m"))
    assert frames(c, 2) == [arr("ssubscribe", "n", 1), arr("ssubscribe", "m", 2)]
    assert admin.execute_command("SPUBLISH", "n", "shard") == 1
    assert c.read_reply_bytes() == arr("smessage", "n", "shard")
    assert admin.execute_command("PUBLISH", "n", "plain") == 1
    assert c.read_reply_bytes() == arr("message", "n", "plain")
    assert admin.execute_command("SPUBLISH", "zz", "x") == 0
    assert c.cmd("SUNSUBSCRIBE", "n") == arr("sunsubscribe", "n", 1)
    assert admin.execute_command("SPUBLISH", "n", "x") == 0
    c.send(encode_command("SUNSUBSCRIBE"))
    assert frames(c, 1) == [arr("sunsubscribe", "m", 0)]
    assert c.cmd("UNSUBSCRIBE") == arr("unsubscribe", "n", 0)


def test_patterns_do_not_match_shard_channels(clients, admin):
    c = clients()
    c.cmd("PSUBSCRIBE", "*")
    assert admin.execute_command("SPUBLISH", "s", "x") == 0
    assert nothing_pending(c)


def test_arity_errors(clients):
    c = clients()
    for cmd in ("subscribe", "psubscribe", "ssubscribe"):
        assert c.cmd(cmd) == b"-ERR wrong number of arguments for '%s' command\r\n" % cmd.encode()
    assert c.cmd("PUBLISH", "ch") == b"-ERR wrong number of arguments for 'publish' command\r\n"
    assert c.cmd("SPUBLISH", "ch") == b"-ERR wrong number of arguments for 'spublish' command\r\n"


# --- delivery -------------------------------------------------------------------------------

def test_publish_returns_receivers_and_delivers_in_order(clients, admin):
    subs = [clients() for _ in range(3)]
    for s in subs:
        assert s.cmd("SUBSCRIBE", "news") == arr("subscribe", "news", 1)
    p = clients()
    p.send(b"".join(encode_command("PUBLISH", "news", "m%d" % i) for i in range(200)))
    assert frames(p, 200) == [b":3\r\n"] * 200
    for s in subs:
        assert frames(s, 200) == [arr("message", "news", "m%d" % i) for i in range(200)]
    assert admin.execute_command("PUBLISH", "nobody", "x") == 0


def test_messages_are_binary_safe(clients, admin):
    c = clients()
    ch, payload = b"c\r\nh\x00", b"\x00\xff\r\n$3\r\n*1\r\n"
    assert c.cmd("SUBSCRIBE", ch) == arr("subscribe", ch, 1)
    assert admin.execute_command("PUBLISH", ch, payload) == 1
    assert c.read_reply_bytes() == arr("message", ch, payload)
    big = b"x" * 300000
    assert admin.execute_command("PUBLISH", ch, big) == 1
    assert c.read_reply_bytes() == arr("message", ch, big)


def test_pattern_delivery_with_globs(clients, admin):
    c = clients()
    c.send(encode_command("PSUBSCRIBE", "news.*", "h[a-e]llo", "h[^a]t", "lit\\*", "a?c"))
    frames(c, 5)
    cases = [("news.it", "news.*", 1), ("hello", "h[a-e]llo", 1), ("hallo", "h[a-e]llo", 1),
             ("hot", "h[^a]t", 1), ("lit*", "lit\\*", 1), ("abc", "a?c", 1)]
    for ch, pat, n in cases:
        assert admin.execute_command("PUBLISH", ch, "v") == n
        assert c.read_reply_bytes() == arr("pmessage", pat, ch, "v")
    for ch in ("hxllo", "hat", "literal", "news", "ac"):
        assert admin.execute_command("PUBLISH", ch, "v") == 0
    assert nothing_pending(c)


def test_channel_and_pattern_both_deliver(clients, admin):
    c = clients()
    c.cmd("SUBSCRIBE", "a.b")
    c.send(encode_command("PSUBSCRIBE", "a.*", "*"))
    frames(c, 2)
    assert admin.execute_command("PUBLISH", "a.b", "hi") == 3
    assert frames(c, 3) == [arr("message", "a.b", "hi"), arr("pmessage", "a.*", "a.b", "hi"),
                            arr("pmessage", "*", "a.b", "hi")]


def test_after_last_unsubscribe_nothing_arrives(clients, admin):
    c = clients()
    c.send(encode_command("SUBSCRIBE", "x") + encode_command("PSUBSCRIBE", "x*"))
    frames(c, 2)
    assert admin.execute_command("PUBLISH", "x", "1") == 2
    frames(c, 2)
    assert c.cmd("UNSUBSCRIBE") == arr("unsubscribe", "x", 1)
    assert admin.execute_command("PUBLISH", "x", "2") == 1
    assert c.read_reply_bytes() == arr("pmessage", "x*", "x", "2")
    assert c.cmd("PUNSUBSCRIBE", "x*") == arr("punsubscribe", "x*", 0)
    assert admin.execute_command("PUBLISH", "x", "3") == 0
    assert nothing_pending(c)
    assert c.cmd("PING") == b"+PONG\r\n"


# --- RESP2 subscribe mode ---------------------------------------------------------------------

def test_resp2_subscribe_mode_refuses_other_commands(clients):
    c = clients()
    c.cmd("SUBSCRIBE", "ch")
    assert c.cmd("GET", "k") == subscribed_error("get")
    assert c.cmd("SET", "k", "v") == subscribed_error("set")
    assert c.cmd("PUBLISH", "ch", "x") == subscribed_error("publish")
    assert c.cmd("PUBSUB", "NUMPAT") == subscribed_error("pubsub|numpat")
    assert c.cmd("CONFIG", "GET", "port") == subscribed_error("config|get")
    # Allowed: the (un)subscribe family, PING, RESET, QUIT.
    assert c.cmd("PSUBSCRIBE", "p") == arr("psubscribe", "p", 2)
    assert c.cmd("SSUBSCRIBE", "s") == arr("ssubscribe", "s", 1)
    assert c.cmd("SUNSUBSCRIBE", "s") == arr("sunsubscribe", "s", 0)
    assert c.cmd("PUNSUBSCRIBE", "p") == arr("punsubscribe", "p", 1)
    assert c.cmd("QUIT") == b"+OK\r\n"
    assert c.closed_by_peer()


def test_shard_subscription_alone_is_subscribe_mode(clients):
    c = clients()
    c.cmd("SSUBSCRIBE", "s")
    assert c.cmd("GET", "k") == subscribed_error("get")
    c.cmd("SUNSUBSCRIBE")
    assert c.cmd("GET", "k") == b"$-1\r\n"


def test_ping_in_subscribe_mode(clients):
    c = clients()
    c.cmd("SUBSCRIBE", "ch")
    assert c.cmd("PING") == arr("pong", "")
    assert c.cmd("PING", "hey") == arr("pong", "hey")


def test_reset_leaves_no_subscription(clients, admin):
    c = clients()
    c.send(encode_command("SUBSCRIBE", "r1", "r2") + encode_command("PSUBSCRIBE", "r*") +
           encode_command("SSUBSCRIBE", "r3"))
    frames(c, 4)
    assert admin.execute_command("PUBSUB", "NUMSUB", "r1", "r2") == [b"r1", 1, b"r2", 1]
    assert c.cmd("RESET") == b"+RESET\r\n"
    assert admin.execute_command("PUBSUB", "NUMSUB", "r1", "r2") == [b"r1", 0, b"r2", 0]
    assert admin.execute_command("PUBSUB", "SHARDNUMSUB", "r3") == [b"r3", 0]
    assert idle_registry(admin)
    assert c.cmd("PING") == b"+PONG\r\n"
    assert admin.execute_command("PUBLISH", "r1", "x") == 0
    assert nothing_pending(c)


def test_disconnect_leaves_no_subscription(server, admin):
    subs = []
    for i in range(20):
        s = RawClient(server.port)
        s.send(encode_command("SUBSCRIBE", "d", "d%d" % i) + encode_command("PSUBSCRIBE", "d*") +
               encode_command("SSUBSCRIBE", "ds"))
        frames(s, 4)
        subs.append(s)
    assert numsub(admin, "d") == 20
    assert admin.execute_command("PUBLISH", "d", "x") == 40
    for s in subs:
        s.close()
    wait_for(lambda: idle_registry(admin))
    assert admin.execute_command("PUBLISH", "d", "x") == 0


def test_client_kill_leaves_no_subscription(clients, admin):
    c = clients()
    c.cmd("SUBSCRIBE", "k")
    cid = [cl["id"] for cl in admin.client_list() if cl["cmd"] == "subscribe"][0]
    assert admin.execute_command("CLIENT", "KILL", "ID", cid) == 1
    assert c.closed_by_peer()
    assert numsub(admin, "k") == 0


def test_subscribe_inside_multi(clients):
    c = clients()
    c.send(encode_command("MULTI") + encode_command("SUBSCRIBE", "m") +
           encode_command("SSUBSCRIBE", "s") + encode_command("EXEC"))
    assert frames(c, 4) == [
        b"+OK\r\n", b"+QUEUED\r\n", b"+QUEUED\r\n",
        b"*2\r\n" + arr("subscribe", "m", 1) +
        b"-ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client\r\n"]
    assert c.cmd("GET", "k") == subscribed_error("get")


# --- RESP3 --------------------------------------------------------------------------------------

def test_resp3_push_messages_and_commands_allowed(clients, admin):
    c = clients()
    c.cmd("HELLO", "3")
    c.send(encode_command("SUBSCRIBE", "a", "b"))
    assert frames(c, 2) == [push("subscribe", "a", 1), push("subscribe", "b", 2)]
    assert c.cmd("PSUBSCRIBE", "a*") == push("psubscribe", "a*", 3)
    # Every command works while subscribed in RESP3.
    assert c.cmd("SET", "k", "v") == b"+OK\r\n"
    assert c.cmd("GET", "k") == b"$1\r\nv\r\n"
    assert c.cmd("PING") == b"+PONG\r\n"
    assert admin.execute_command("PUBLISH", "a", "hi") == 2
    assert frames(c, 2) == [push("message", "a", "hi"), push("pmessage", "a*", "a", "hi")]
    # A client publishing to itself gets its reply, then the push: Redis 7.2 holds messages
    # for the client whose command runs until it has replied (7.0 sent the push first).
    c.send(encode_command("PUBLISH", "b", "self"))
    assert frames(c, 2) == [b":1\r\n", push("message", "b", "self")]
    c.send(encode_command("UNSUBSCRIBE"))
    assert frames(c, 2) == [push("unsubscribe", "a", 2), push("unsubscribe", "b", 1)]
    assert c.cmd("PUNSUBSCRIBE") == push("punsubscribe", "a*", 0)
    assert c.cmd("UNSUBSCRIBE") == push("unsubscribe", None, 0)
    assert c.cmd("SSUBSCRIBE", "s") == push("ssubscribe", "s", 1)
    assert admin.execute_command("SPUBLISH", "s", "x") == 1
    assert c.read_reply_bytes() == push("smessage", "s", "x")


def test_resp3_pubsub_numsub_is_a_flat_array(clients):
    c = clients()
    c.cmd("HELLO", "3")
    c.cmd("SUBSCRIBE", "n3")
    assert c.cmd("PUBSUB", "NUMSUB", "n3", "none") == arr("n3", 1, "none", 0)


def test_redis_py_pubsub(server, admin):
    c = server.client()
    p = c.pubsub()
    p.subscribe("py")
    p.psubscribe("py*")
    assert p.get_message(timeout=5)["type"] == "subscribe"
    assert p.get_message(timeout=5)["type"] == "psubscribe"
    assert admin.publish("py", "hello") == 2
    m1, m2 = p.get_message(timeout=5), p.get_message(timeout=5)
    assert (m1["type"], m1["channel"], m1["data"]) == ("message", b"py", b"hello")
    assert (m2["type"], m2["pattern"], m2["data"]) == ("pmessage", b"py*", b"hello")
    p.close()
    c.close()


# --- redis-cli as a subscriber ------------------------------------------------------------------

def _read_until(proc, needle, timeout=10):
    out = b""
    deadline = time.time() + timeout
    fd = proc.stdout.fileno()
    while needle not in out:
        left = deadline - time.time()
        assert left > 0, "redis-cli printed %r" % out
        r, _, _ = select.select([fd], [], [], left)
        if r:
            chunk = proc.stdout.read1(65536) if hasattr(proc.stdout, "read1") else b""
            if not chunk:
                break
            out += chunk
    return out


def test_redis_cli_subscribe_receives_a_message(server, admin):
    proc = subprocess.Popen([REDIS_CLI, "-p", str(server.port), "subscribe", "clich"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: numsub(admin, "clich") == 1)
        assert admin.publish("clich", "hello from dq") == 1
        out = _read_until(proc, b"hello from dq")
        lines = out.decode().split("\n")
        assert lines[:3] == ["subscribe", "clich", "1"]
        assert lines[3:6] == ["message", "clich", "hello from dq"]
    finally:
        proc.kill()
        proc.wait()
    wait_for(lambda: numsub(admin, "clich") == 0)


# --- introspection ------------------------------------------------------------------------------

def test_pubsub_channels_numsub_numpat(clients, admin):
    a, b = clients(), clients()
    a.send(encode_command("SUBSCRIBE", "news.it", "news.art", "sport"))
    frames(a, 3)
    b.send(encode_command("SUBSCRIBE", "news.it") + encode_command("PSUBSCRIBE", "n*", "s*"))
    frames(b, 3)
    a.send(encode_command("PSUBSCRIBE", "n*"))
    frames(a, 1)
    assert sorted(admin.execute_command("PUBSUB", "CHANNELS")) == [b"news.art", b"news.it",
                                                                    b"sport"]
    assert sorted(admin.execute_command("PUBSUB", "CHANNELS", "news.*")) == [b"news.art",
                                                                              b"news.it"]
    assert admin.execute_command("PUBSUB", "CHANNELS", "[s]p?rt") == [b"sport"]
    assert admin.execute_command("PUBSUB", "CHANNELS", "none*") == []
    assert admin.execute_command("PUBSUB", "NUMSUB", "news.it", "sport", "zz") == [
        b"news.it", 2, b"sport", 1, b"zz", 0]
    assert admin.execute_command("PUBSUB", "NUMSUB") == []
    # Distinct patterns (Redis 7.0), not pattern subscriptions.
    assert admin.execute_command("PUBSUB", "NUMPAT") == 2
    a.cmd("UNSUBSCRIBE", "sport")
    assert sorted(admin.execute_command("PUBSUB", "CHANNELS")) == [b"news.art", b"news.it"]


def test_pubsub_shard_introspection(clients, admin):
    a = clients()
    a.send(encode_command("SSUBSCRIBE", "sh1", "sh2"))
    frames(a, 2)
    assert sorted(admin.execute_command("PUBSUB", "SHARDCHANNELS")) == [b"sh1", b"sh2"]
    assert admin.execute_command("PUBSUB", "SHARDCHANNELS", "*1") == [b"sh1"]
    assert admin.execute_command("PUBSUB", "SHARDNUMSUB", "sh1", "x") == [b"sh1", 1, b"x", 0]
    assert admin.execute_command("PUBSUB", "CHANNELS") == []
    assert admin.execute_command("PUBSUB", "NUMSUB", "sh1") == [b"sh1", 0]


def test_pubsub_help_and_errors(raw):
    help_ = raw.cmd("PUBSUB", "HELP")
    assert help_.startswith(b"*14\r\n+PUBSUB <subcommand> [<arg> [value] [opt] ...]. "
                            b"Subcommands are:\r\n")
    assert b"+SHARDNUMSUB [<shardchannel> ...]\r\n" in help_
    assert raw.cmd("PUBSUB", "CHANNELS", "a", "b") == (
        b"-ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. "
        b"Try PUBSUB HELP.\r\n")
    assert raw.cmd("PUBSUB", "NUMPAT", "x") == (
        b"-ERR wrong number of arguments for 'pubsub|numpat' command\r\n")
    assert raw.cmd("PUBSUB", "FOO") == b"-ERR unknown subcommand 'FOO'. Try PUBSUB HELP.\r\n"
    assert raw.cmd("PUBSUB") == b"-ERR wrong number of arguments for 'pubsub' command\r\n"


def test_client_list_and_info_reflect_subscriptions(clients, admin):
    c = clients()
    c.send(encode_command("CLIENT", "SETNAME", "subber") + encode_command("SUBSCRIBE", "i1", "i2") +
           encode_command("PSUBSCRIBE", "i*") + encode_command("SSUBSCRIBE", "is"))
    frames(c, 5)
    me = [cl for cl in admin.client_list() if cl["name"] == "subber"][0]
    assert (me["sub"], me["psub"], me["ssub"], me["flags"]) == ("2", "1", "1", "P")
    assert [cl["name"] for cl in admin.client_list(_type="pubsub")] == ["subber"]
    stats = admin.info("stats")
    assert (stats["pubsub_channels"], stats["pubsub_patterns"],
            stats["pubsubshard_channels"]) == (2, 1, 1)
    assert admin.info("clients")["pubsub_clients"] == 1
    c.cmd("UNSUBSCRIBE", "i1")
    me = [cl for cl in admin.client_list() if cl["name"] == "subber"][0]
    assert me["sub"] == "1"
    c.cmd("RESET")
    assert admin.info("stats")["pubsub_channels"] == 0
    me = [cl for cl in admin.client_list() if cl["id"] == me["id"]][0]
    assert (me["sub"], me["psub"], me["ssub"], me["flags"]) == ("0", "0", "0", "N")


def test_idle_timeout_spares_subscribers(start_server):
    s = start_server(timeout=1)
    sub = RawClient(s.port)
    idle = RawClient(s.port)
    sub.cmd("SUBSCRIBE", "t")
    assert idle.cmd("PING") == b"+PONG\r\n"
    assert idle.closed_by_peer(timeout=5)
    c = s.client()
    assert c.publish("t", "still here") == 1
    assert sub.read_reply_bytes() == arr("message", "t", "still here")
    c.close()
    sub.close()


# --- output-buffer limit --------------------------------------------------------------------------

def _slow_subscriber(port, channel):
    """A subscriber with a tiny receive buffer that never reads after subscribing."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", port))
    s.sendall(encode_command("SUBSCRIBE", channel))
    return s


def _rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_slow_subscriber_disconnected_publisher_continues(start_server):
    srv = start_server()
    pub = srv.client()
    assert pub.config_set("client-output-buffer-limit", "pubsub 64kb 32kb 1")
    slow = _slow_subscriber(srv.port, "flood")
    wait_for(lambda: pub.execute_command("PUBSUB", "NUMSUB", "flood")[1] == 1)
    rss_before = _rss_kb(srv.proc.pid)
    payload = b"x" * 16384
    batch = encode_command("PUBLISH", "flood", payload) * 64
    raw = RawClient(srv.port)
    published, gone_at = 0, None
    # 1 GiB at most if the limit never triggered; it triggers after a few MB of socket buffers.
    for _ in range(1024):
        raw.send(batch)
        replies = frames(raw, 64)
        published += 64
        if replies[-1] == b":0\r\n":
            gone_at = published
            break
    assert gone_at is not None, "slow subscriber was never disconnected"
    # The publisher keeps publishing after the disconnect.
    for _ in range(32):
        raw.send(batch)
        assert frames(raw, 64) == [b":0\r\n"] * 64
    stats = pub.info("stats")
    assert stats["client_output_buffer_limit_disconnections"] >= 1
    assert pub.execute_command("PUBSUB", "NUMSUB", "flood") == [b"flood", 0]
    assert "closed ASAP for overcoming of output buffer limits" in srv.log_text()
    # Memory stayed bounded: far less than what was published.
    grown_kb = _rss_kb(srv.proc.pid) - rss_before
    assert grown_kb < 64 * 1024, "RSS grew by %d KiB" % grown_kb
    # The subscriber sees the end of its stream after the buffered bytes.
    slow.settimeout(10)
    got = 0
    while True:
        try:
            chunk = slow.recv(1 << 20)
        except ConnectionResetError:
            break
        if not chunk:
            break
        got += len(chunk)
    slow.close()
    raw.close()
    pub.close()


def test_soft_limit_disconnects_after_its_time(start_server):
    srv = start_server()
    pub = srv.client()
    pub.config_set("client-output-buffer-limit", "pubsub 0 32kb 1")
    slow = _slow_subscriber(srv.port, "soft")
    wait_for(lambda: pub.execute_command("PUBSUB", "NUMSUB", "soft")[1] == 1)
    raw = RawClient(srv.port)
    t0 = time.time()
    batch = encode_command("PUBLISH", "soft", b"y" * 8192) * 16
    receivers = 1
    while receivers and time.time() - t0 < 20:
        raw.send(batch)
        receivers = int(frames(raw, 16)[-1][1:-2])
        time.sleep(0.01)
    assert receivers == 0
    # Over the soft limit for at least its 1 s (the kernel buffers take a moment to fill).
    assert time.time() - t0 >= 1.0
    slow.close()
    raw.close()
    pub.close()


def test_normal_limit_does_not_apply_to_subscribers(start_server):
    srv = start_server()
    pub = srv.client()
    # The normal class is tiny, the pubsub class unlimited: a subscriber survives a backlog.
    pub.config_set("client-output-buffer-limit", "normal 64kb 0 0 pubsub 0 0 0")
    slow = _slow_subscriber(srv.port, "nl")
    wait_for(lambda: pub.execute_command("PUBSUB", "NUMSUB", "nl")[1] == 1)
    raw = RawClient(srv.port)
    for _ in range(16):
        raw.send(encode_command("PUBLISH", "nl", b"z" * 65536) * 8)
        assert frames(raw, 8) == [b":1\r\n"] * 8
    assert pub.execute_command("PUBSUB", "NUMSUB", "nl") == [b"nl", 1]
    slow.close()
    raw.close()
    pub.close()
