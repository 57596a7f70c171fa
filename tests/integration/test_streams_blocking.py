"""Blocking XREAD and XREADGROUP with several real connections: service by XADD (also inside
MULTI/EXEC and scripts), FIFO among group readers, BLOCK 0 and timeouts in ms (RESP2 `*-1`,
RESP3 `_`), `$` taken at block time, BLOCK acting non-blocking inside MULTI (and refused in
scripts, as 7.0 and 7.2 do), the key deleted / retyped / its group destroyed under a waiting
XREADGROUP, CLIENT UNBLOCK, disconnects.

Every test runs against dq AND against Debian's redis-server (the `srv` fixture is
parametrized): a test that fails on redis-server is wrong. Where Redis 7.2 changed the
behaviour of a woken reader (7.2 re-runs the blocked command, #11012), the expectation follows
the server's redis_version: 7.0.x answers its old errors, dq (7.2) must answer 7.2's.

A blocked client is driven on a raw socket: send the command, poll INFO blocked_clients
(never sleep to "let it block"), act from another connection, then read the exact reply."""
import time

import pytest

from dqtest import encode_command, start_either, wait_for


@pytest.fixture(scope="module", params=["dq", "redis"])
def srv(request):
    s = start_either(request.param)
    c = s.client()
    version = c.info("server")["redis_version"]
    c.close()
    s.v72 = tuple(int(x) for x in str(version).split(".")[:2]) >= (7, 2)
    yield s
    s.stop()


@pytest.fixture
def r(srv):
    c = srv.client()
    c.flushall()
    yield c
    c.close()


@pytest.fixture
def raw(srv):
    c = srv.raw()
    yield c
    c.close()


@pytest.fixture
def clients(srv):
    opened = []

    def _open(resp3=False):
        c = srv.raw()
        if resp3:
            c.cmd("HELLO", "3")
        opened.append(c)
        return c

    yield _open
    for c in opened:
        c.close()


def blocked_clients(r):
    return r.info("clients")["blocked_clients"]


def wait_blocked(r, n):
    wait_for(lambda: blocked_clients(r) == n, timeout=5)


def block(c, *args):
    c.send(encode_command(*args))


def bulk(s):
    s = s.encode() if isinstance(s, str) else s
    return b"$%d\r\n%s\r\n" % (len(s), s)


def entry(id_, *fv):
    return b"*2\r\n" + bulk(id_) + b"*%d\r\n" % len(fv) + b"".join(bulk(x) for x in fv)


def reply(key, *entries, resp3=False):
    """An XREAD/XREADGROUP reply with one stream: RESP2 [[key, [entries]]], RESP3 {key: [entries]}."""
    head = b"%1\r\n" if resp3 else b"*1\r\n*2\r\n"
    return head + bulk(key) + b"*%d\r\n" % len(entries) + b"".join(entries)


def err(raw_reply):
    assert raw_reply.startswith(b"-"), raw_reply
    return raw_reply[1:-2].decode()


def nogroup72(key, group):
    return "NOGROUP No such key '%s' or consumer group '%s' in XREADGROUP with GROUP option" % (key, group)


# ---- service by XADD ------------------------------------------------------------------------

def test_xread_served_by_xadd(r, clients):
    r.xadd("s", {"f": "v"}, id="5-0")
    c = clients()
    block(c, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    wait_blocked(r, 1)
    assert r.xadd("s", {"f": "w"}, id="6-0") == b"6-0"
    assert c.read_reply_bytes() == reply("s", entry("6-0", "f", "w"))
    assert blocked_clients(r) == 0


def test_xread_served_resp3_map(r, clients):
    c = clients(resp3=True)
    block(c, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    wait_blocked(r, 1)
    r.xadd("s", {"a": "1"}, id="1-1")
    assert c.read_reply_bytes() == reply("s", entry("1-1", "a", "1"), resp3=True)


def test_xread_on_missing_key_served_when_created(r, clients):
    c = clients()
    block(c, "XREAD", "BLOCK", "0", "STREAMS", "nokey", "$")
    wait_blocked(r, 1)
    r.xadd("nokey", {"a": "1"}, id="1-0")
    assert c.read_reply_bytes() == reply("nokey", entry("1-0", "a", "1"))


def test_dollar_is_last_id_at_block_time(r, clients):
    r.xadd("s", {"f": "old"}, id="5-0")
    c = clients()
    block(c, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    wait_blocked(r, 1)
    # Two adds in one transaction: the reader sees both, and nothing from before it blocked.
    p = r.pipeline(transaction=True)
    p.xadd("s", {"f": "a"}, id="6-0")
    p.xadd("s", {"f": "b"}, id="7-0")
    p.execute()
    assert c.read_reply_bytes() == reply("s", entry("6-0", "f", "a"), entry("7-0", "f", "b"))


def test_explicit_id_waits_for_a_greater_entry(r, clients):
    r.xadd("s", {"f": "v"}, id="1-0")
    c = clients()
    block(c, "XREAD", "BLOCK", "0", "STREAMS", "s", "10-0")
    wait_blocked(r, 1)
    r.xadd("s", {"f": "v"}, id="5-0")            # not greater than 10-0: keeps waiting
    r.xdel("s", "1-0")
    r.xtrim("s", maxlen=0)
    assert blocked_clients(r) == 1
    r.xadd("s", {"f": "x"}, id="11-0")
    assert c.read_reply_bytes() == reply("s", entry("11-0", "f", "x"))


def test_count_limits_served_entries(r, clients):
    c = clients()
    block(c, "XREAD", "COUNT", "2", "BLOCK", "0", "STREAMS", "s", "$")
    wait_blocked(r, 1)
    p = r.pipeline(transaction=True)
    for i in range(1, 5):
        p.xadd("s", {"n": str(i)}, id="%d-0" % i)
    p.execute()
    assert c.read_reply_bytes() == reply("s", entry("1-0", "n", "1"), entry("2-0", "n", "2"))


def test_several_streams_only_the_ready_one_replies(r, clients):
    r.xadd("s1", {"f": "v"}, id="1-0")
    c = clients()
    block(c, "XREAD", "BLOCK", "0", "STREAMS", "s1", "s2", "$", "$")
    wait_blocked(r, 1)
    r.xadd("s2", {"g": "w"}, id="3-0")
    assert c.read_reply_bytes() == reply("s2", entry("3-0", "g", "w"))


def test_one_xadd_serves_every_reader(r, clients):
    r.xgroup_create("s", "g1", id="$", mkstream=True)
    r.xgroup_create("s", "g2", id="$")
    readers = [clients() for _ in range(4)]
    block(readers[0], "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    block(readers[1], "XREAD", "BLOCK", "0", "STREAMS", "s", "0")
    block(readers[2], "XREADGROUP", "GROUP", "g1", "a", "BLOCK", "0", "STREAMS", "s", ">")
    block(readers[3], "XREADGROUP", "GROUP", "g2", "b", "BLOCK", "0", "STREAMS", "s", ">")
    wait_blocked(r, 4)
    r.xadd("s", {"k": "v"}, id="1-0")
    for c in readers:
        assert c.read_reply_bytes() == reply("s", entry("1-0", "k", "v"))
    assert blocked_clients(r) == 0
    assert r.xpending("s", "g1")["pending"] == 1
    assert r.xpending("s", "g2")["pending"] == 1


def test_group_readers_served_first_come_first_served(r, clients):
    r.xgroup_create("s", "g", id="$", mkstream=True)
    cs = [clients() for _ in range(3)]
    for i, c in enumerate(cs):
        block(c, "XREADGROUP", "GROUP", "g", "c%d" % i, "COUNT", "1", "BLOCK", "0", "STREAMS", "s", ">")
        wait_blocked(r, i + 1)
    for i, c in enumerate(cs):
        r.xadd("s", {"n": str(i)}, id="%d-0" % (i + 1))
        assert c.read_reply_bytes() == reply("s", entry("%d-0" % (i + 1), "n", str(i)))
        assert blocked_clients(r) == 2 - i
    pel = r.xpending_range("s", "g", "-", "+", 10)
    assert [(p["message_id"], p["consumer"]) for p in pel] == [
        (b"1-0", b"c0"), (b"2-0", b"c1"), (b"3-0", b"c2")]


def test_group_readers_share_a_batch_in_order(r, clients):
    r.xgroup_create("s", "g", id="$", mkstream=True)
    cs = [clients() for _ in range(3)]
    for i, c in enumerate(cs):
        block(c, "XREADGROUP", "GROUP", "g", "c%d" % i, "COUNT", "1", "BLOCK", "0", "STREAMS", "s", ">")
        wait_blocked(r, i + 1)
    p = r.pipeline(transaction=True)
    p.xadd("s", {"n": "a"}, id="1-0")
    p.xadd("s", {"n": "b"}, id="2-0")
    p.execute()
    assert cs[0].read_reply_bytes() == reply("s", entry("1-0", "n", "a"))
    assert cs[1].read_reply_bytes() == reply("s", entry("2-0", "n", "b"))
    assert blocked_clients(r) == 1
    r.xadd("s", {"n": "c"}, id="3-0")
    assert cs[2].read_reply_bytes() == reply("s", entry("3-0", "n", "c"))


def test_noack_reader_leaves_no_pending(r, clients):
    r.xgroup_create("s", "g", id="$", mkstream=True)
    c = clients()
    block(c, "XREADGROUP", "GROUP", "g", "alice", "NOACK", "BLOCK", "0", "STREAMS", "s", ">")
    wait_blocked(r, 1)
    r.xadd("s", {"f": "v"}, id="1-0")
    assert c.read_reply_bytes() == reply("s", entry("1-0", "f", "v"))
    assert r.xpending("s", "g")["pending"] == 0
    assert r.xinfo_groups("s")[0]["last-delivered-id"] == b"1-0"
    assert r.xinfo_consumers("s", "g")[0]["name"] == b"alice"


def test_served_group_reader_owns_the_entry(r, clients):
    r.xgroup_create("s", "g", id="$", mkstream=True)
    c = clients()
    block(c, "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">")
    wait_blocked(r, 1)
    r.xadd("s", {"f": "v"}, id="1-0")
    assert c.read_reply_bytes() == reply("s", entry("1-0", "f", "v"))
    info = r.xinfo_groups("s")[0]
    assert (info["consumers"], info["pending"], info["last-delivered-id"]) == (1, 1, b"1-0")
    assert info["entries-read"] == 1 and info["lag"] == 0


def test_xreadgroup_with_explicit_id_does_not_block(r, raw):
    r.xgroup_create("s", "g", id="$", mkstream=True)
    assert raw.cmd("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", "0") == reply("s")
    r.xadd("s", {"f": "v"}, id="1-0")
    assert raw.cmd("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", "0") == reply("s")
    assert raw.cmd("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">") == \
        reply("s", entry("1-0", "f", "v"))
    assert raw.cmd("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", "0") == \
        reply("s", entry("1-0", "f", "v"))


def test_xread_block_with_data_answers_at_once(r, raw):
    r.xadd("s", {"f": "v"}, id="1-0")
    t0 = time.time()
    assert raw.cmd("XREAD", "BLOCK", "0", "STREAMS", "s", "0") == reply("s", entry("1-0", "f", "v"))
    assert time.time() - t0 < 1.0


# ---- transactions and scripts -------------------------------------------------------------

def test_xadd_in_multi_serves_after_exec(r, clients):
    c = clients()
    block(c, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    wait_blocked(r, 1)
    w = clients()
    assert w.cmd("MULTI") == b"+OK\r\n"
    assert w.cmd("XADD", "s", "1-0", "a", "1") == b"+QUEUED\r\n"
    assert w.cmd("XADD", "s", "2-0", "b", "2") == b"+QUEUED\r\n"
    assert blocked_clients(r) == 1
    assert w.cmd("EXEC") == b"*2\r\n" + bulk("1-0") + bulk("2-0")
    assert c.read_reply_bytes() == reply("s", entry("1-0", "a", "1"), entry("2-0", "b", "2"))


def test_xadd_in_script_serves_after_script(r, clients):
    c = clients()
    block(c, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    wait_blocked(r, 1)
    r.eval("redis.call('XADD', KEYS[1], '1-0', 'a', '1'); redis.call('XADD', KEYS[1], '2-0', 'b', '2')",
           1, "s")
    assert c.read_reply_bytes() == reply("s", entry("1-0", "a", "1"), entry("2-0", "b", "2"))


def test_block_inside_multi_does_not_block(r, raw):
    r.xgroup_create("s", "g", id="$", mkstream=True)
    assert raw.cmd("MULTI") == b"+OK\r\n"
    assert raw.cmd("XREAD", "BLOCK", "0", "STREAMS", "s", "$") == b"+QUEUED\r\n"
    assert raw.cmd("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">") == b"+QUEUED\r\n"
    assert raw.cmd("XREAD", "BLOCK", "100", "STREAMS", "nokey", "0") == b"+QUEUED\r\n"
    t0 = time.time()
    assert raw.cmd("EXEC") == b"*3\r\n*-1\r\n*-1\r\n*-1\r\n"
    assert time.time() - t0 < 0.5


def test_block_inside_multi_resp3(r, clients):
    c = clients(resp3=True)
    assert c.cmd("MULTI") == b"+OK\r\n"
    c.cmd("XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    assert c.cmd("EXEC") == b"*1\r\n_\r\n"


def test_block_inside_script_is_refused(r, raw):
    """Redis 7.0 and 7.2 refuse XREAD/XREADGROUP BLOCK from a script (7.4 lets it run
    non-blocking); without BLOCK the script reads normally."""
    for script in ("return redis.call('XREAD', 'BLOCK', '0', 'STREAMS', KEYS[1], '$')",
                   "return redis.call('XREAD', 'BLOCK', '0', 'STREAMS', KEYS[1], '0')"):
        assert err(raw.cmd("EVAL", script, "1", "s")).startswith(
            "ERR XREAD command is not allowed with BLOCK option from scripts script: ")
    r.xgroup_create("s", "g", id="$", mkstream=True)
    assert err(raw.cmd("EVAL", "return redis.call('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', "
                       "'STREAMS', KEYS[1], '>')", "1", "s")).startswith(
        "ERR XREADGROUP command is not allowed with BLOCK option from scripts script: ")
    assert raw.cmd("EVAL", "return redis.call('XREAD', 'STREAMS', KEYS[1], '0')", "1", "s") == b"$-1\r\n"
    r.xadd("s", {"f": "v"}, id="1-0")
    assert raw.cmd("EVAL", "return redis.call('XREAD', 'STREAMS', KEYS[1], '0')", "1", "s") == \
        reply("s", entry("1-0", "f", "v"))


# ---- timeouts --------------------------------------------------------------------------------

def test_xread_timeout_resp2(r, raw):
    t0 = time.time()
    assert raw.cmd("XREAD", "BLOCK", "100", "STREAMS", "s", "$") == b"*-1\r\n"
    assert 0.09 <= time.time() - t0 < 1.5
    assert blocked_clients(r) == 0


def test_xread_timeout_resp3(r, clients):
    c = clients(resp3=True)
    t0 = time.time()
    assert c.cmd("XREAD", "BLOCK", "50", "STREAMS", "s", "nokey", "0", "$") == b"_\r\n"
    assert 0.045 <= time.time() - t0 < 1.5


def test_xreadgroup_timeout(r, clients):
    r.xgroup_create("s", "g", id="$", mkstream=True)
    c2, c3 = clients(), clients(resp3=True)
    t0 = time.time()
    assert c2.cmd("XREADGROUP", "GROUP", "g", "c", "BLOCK", "60", "STREAMS", "s", ">") == b"*-1\r\n"
    assert c3.cmd("XREADGROUP", "GROUP", "g", "c", "BLOCK", "60", "STREAMS", "s", ">") == b"_\r\n"
    assert 0.11 <= time.time() - t0 < 2.0


def test_timeout_is_in_milliseconds(r, raw):
    t0 = time.time()
    assert raw.cmd("XREAD", "BLOCK", "1", "STREAMS", "s", "$") == b"*-1\r\n"
    assert time.time() - t0 < 0.5


def test_timeout_keeps_other_waiters(r, clients):
    short, forever = clients(), clients()
    block(forever, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    block(short, "XREAD", "BLOCK", "50", "STREAMS", "s", "$")
    wait_blocked(r, 2)
    assert short.read_reply_bytes() == b"*-1\r\n"
    assert blocked_clients(r) == 1
    r.xadd("s", {"f": "v"}, id="1-0")
    assert forever.read_reply_bytes() == reply("s", entry("1-0", "f", "v"))


def test_block_zero_is_forever(r, clients):
    c = clients()
    block(c, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    wait_blocked(r, 1)
    time.sleep(0.3)
    assert blocked_clients(r) == 1
    r.xadd("s", {"f": "v"}, id="1-0")
    assert c.read_reply_bytes() == reply("s", entry("1-0", "f", "v"))


def test_block_errors(raw):
    assert err(raw.cmd("XREAD", "BLOCK", "-1", "STREAMS", "s", "$")) == "ERR timeout is negative"
    assert err(raw.cmd("XREAD", "BLOCK", "x", "STREAMS", "s", "$")) == \
        "ERR timeout is not an integer or out of range"
    assert err(raw.cmd("XREAD", "BLOCK", "1.5", "STREAMS", "s", "$")) == \
        "ERR timeout is not an integer or out of range"
    assert err(raw.cmd("XREADGROUP", "GROUP", "g", "c", "BLOCK", "-5", "STREAMS", "s", ">")) == \
        "ERR timeout is negative"


# ---- what happens to the waited key --------------------------------------------------------

def test_entry_added_then_deleted_in_multi(srv, r, clients):
    """7.0 answers the XREAD with an empty entry list; 7.2 re-runs it and keeps waiting."""
    r.xadd("s", {"f": "v"}, id="5-0")
    c = clients()
    block(c, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    wait_blocked(r, 1)
    p = r.pipeline(transaction=True)
    p.xadd("s", {"f": "v"}, id="6-0")
    p.xdel("s", "6-0")
    p.execute()
    if srv.v72:
        time.sleep(0.1)
        assert blocked_clients(r) == 1
        r.xadd("s", {"f": "w"}, id="7-0")
        assert c.read_reply_bytes() == reply("s", entry("7-0", "f", "w"))
    else:
        assert c.read_reply_bytes() == reply("s")


def test_xread_survives_key_deletion(r, clients):
    r.xadd("s", {"f": "v"}, id="5-0")
    c = clients()
    block(c, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    wait_blocked(r, 1)
    r.delete("s")
    r.set("s", "string")
    r.delete("s")
    r.xadd("s", {"f": "v"}, id="1-0")            # below the ID it waits after (5-0)
    assert blocked_clients(r) == 1
    r.xadd("s", {"f": "w"}, id="6-0")
    assert c.read_reply_bytes() == reply("s", entry("6-0", "f", "w"))


def test_xreadgroup_key_deleted(srv, r, clients):
    r.xadd("s", {"f": "v"}, id="5-0")
    r.xgroup_create("s", "g", id="$")
    c = clients()
    block(c, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")
    wait_blocked(r, 1)
    r.delete("s")
    expected = nogroup72("s", "g") if srv.v72 else "UNBLOCKED the stream key no longer exists"
    assert err(c.read_reply_bytes()) == expected
    assert blocked_clients(r) == 0


def test_xreadgroup_key_flushed(srv, r, clients):
    r.xgroup_create("s", "g", id="$", mkstream=True)
    c = clients()
    block(c, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")
    wait_blocked(r, 1)
    r.flushall()
    expected = nogroup72("s", "g") if srv.v72 else "UNBLOCKED the stream key no longer exists"
    assert err(c.read_reply_bytes()) == expected


def test_xreadgroup_key_renamed_away(srv, r, clients):
    r.xgroup_create("s", "g", id="$", mkstream=True)
    c = clients()
    block(c, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")
    wait_blocked(r, 1)
    r.rename("s", "t")
    expected = nogroup72("s", "g") if srv.v72 else "UNBLOCKED the stream key no longer exists"
    assert err(c.read_reply_bytes()) == expected


def test_xreadgroup_key_expired(srv, r, clients):
    r.xgroup_create("s", "g", id="$", mkstream=True)
    c = clients()
    block(c, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")
    wait_blocked(r, 1)
    r.pexpire("s", 50)
    expected = nogroup72("s", "g") if srv.v72 else "UNBLOCKED the stream key no longer exists"
    assert err(c.read_reply_bytes()) == expected     # active expiry, no access needed


@pytest.mark.parametrize("other", ["empty", "list", "stream-without-group"])
def test_xreadgroup_db_swapped(srv, r, clients, other):
    r.xgroup_create("s", "g", id="$", mkstream=True)
    r1 = srv.client(db=1)
    r1.flushdb()
    if other == "list":
        r1.rpush("s", "x")
    elif other == "stream-without-group":
        r1.xadd("s", {"f": "v"}, id="1-0")
    c = clients()
    block(c, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")
    wait_blocked(r, 1)
    assert r.swapdb(0, 1)
    r1.close()
    if other == "list" and srv.v72:
        expected = "WRONGTYPE Operation against a key holding the wrong kind of value"
    elif srv.v72:
        expected = nogroup72("s", "g")
    elif other == "stream-without-group":
        expected = "NOGROUP the consumer group this client was blocked on no longer exists"
    else:
        expected = "UNBLOCKED the stream key no longer exists"
    assert err(c.read_reply_bytes()) == expected


def test_xreadgroup_key_overwritten_by_string(srv, r, clients):
    r.xgroup_create("s", "g", id="$", mkstream=True)
    c = clients()
    block(c, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")
    wait_blocked(r, 1)
    r.set("s", "x")
    expected = ("WRONGTYPE Operation against a key holding the wrong kind of value" if srv.v72
                else "UNBLOCKED the stream key no longer exists")
    assert err(c.read_reply_bytes()) == expected


def test_xreadgroup_group_destroyed(srv, r, clients):
    r.xgroup_create("s", "g", id="$", mkstream=True)
    c = clients()
    block(c, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")
    wait_blocked(r, 1)
    assert r.xgroup_destroy("s", "g") == 1
    expected = (nogroup72("s", "g") if srv.v72
                else "NOGROUP the consumer group this client was blocked on no longer exists")
    assert err(c.read_reply_bytes()) == expected
    assert blocked_clients(r) == 0


def test_xreadgroup_renamed_onto_stream_with_group(r, clients):
    r.xgroup_create("s", "g", id="$", mkstream=True)
    r.xadd("t", {"a": "1"}, id="1-0")
    r.xgroup_create("t", "g", id="0")
    c = clients()
    block(c, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")
    wait_blocked(r, 1)
    r.rename("t", "s")
    assert c.read_reply_bytes() == reply("s", entry("1-0", "a", "1"))


def test_delconsumer_keeps_reader_blocked(r, clients):
    r.xgroup_create("s", "g", id="$", mkstream=True)
    c = clients()
    block(c, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")
    wait_blocked(r, 1)
    assert r.xgroup_delconsumer("s", "g", "c") == 0
    time.sleep(0.05)
    assert blocked_clients(r) == 1
    r.xadd("s", {"f": "v"}, id="1-0")
    assert c.read_reply_bytes() == reply("s", entry("1-0", "f", "v"))
    assert r.xpending("s", "g")["consumers"] == [{"name": b"c", "pending": 1}]


# ---- unblock and disconnect ----------------------------------------------------------------

def test_client_unblock(r, clients):
    c = clients()
    cid = int(c.cmd("CLIENT", "ID")[1:-2])
    assert r.client_unblock(cid) is False
    block(c, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    wait_blocked(r, 1)
    assert r.execute_command("CLIENT", "UNBLOCK", cid) == 1
    assert c.read_reply_bytes() == b"*-1\r\n"
    r.xgroup_create("s", "g", id="$", mkstream=True)
    block(c, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")
    wait_blocked(r, 1)
    assert r.execute_command("CLIENT", "UNBLOCK", cid, "ERROR") == 1
    assert err(c.read_reply_bytes()) == "UNBLOCKED client unblocked via CLIENT UNBLOCK"
    assert blocked_clients(r) == 0
    assert c.cmd("PING") == b"+PONG\r\n"


def test_client_unblock_resp3(r, clients):
    c = clients(resp3=True)
    cid = int(c.cmd("CLIENT", "ID")[1:-2])
    block(c, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    wait_blocked(r, 1)
    assert r.execute_command("CLIENT", "UNBLOCK", cid, "TIMEOUT") == 1
    assert c.read_reply_bytes() == b"_\r\n"


def test_disconnect_while_blocked(srv, r):
    r.xgroup_create("s", "g", id="$", mkstream=True)
    gone, gone2 = srv.raw(), srv.raw()
    block(gone, "XREADGROUP", "GROUP", "g", "ghost", "BLOCK", "0", "STREAMS", "s", ">")
    block(gone2, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    wait_blocked(r, 2)
    gone.close()
    gone2.close()
    wait_blocked(r, 0)
    r.xadd("s", {"f": "v"}, id="1-0")
    info = r.xinfo_groups("s")[0]
    assert (info["pending"], info["last-delivered-id"]) == (0, b"0-0")
    live = srv.raw()
    try:
        assert live.cmd("XREADGROUP", "GROUP", "g", "alive", "BLOCK", "0", "STREAMS", "s", ">") == \
            reply("s", entry("1-0", "f", "v"))
    finally:
        live.close()


def test_pipelined_commands_after_blocked_xread(r, clients):
    c = clients()
    c.send(encode_command("XREAD", "BLOCK", "0", "STREAMS", "s", "$") + encode_command("XLEN", "s"))
    wait_blocked(r, 1)
    r.xadd("s", {"f": "v"}, id="1-0")
    assert c.read_reply_bytes() == reply("s", entry("1-0", "f", "v"))
    assert c.read_reply_bytes() == b":1\r\n"


def test_waiter_in_other_db(r, srv, clients):
    c = clients()
    assert c.cmd("SELECT", "3") == b"+OK\r\n"
    block(c, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    wait_blocked(r, 1)
    r.xadd("s", {"db": "0"}, id="1-0")
    assert blocked_clients(r) == 1
    r3 = srv.client(db=3)
    r3.xadd("s", {"db": "3"}, id="2-0")
    r3.close()
    assert c.read_reply_bytes() == reply("s", entry("2-0", "db", "3"))


def test_stream_renamed_onto_waited_key(r, clients):
    c = clients()
    block(c, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    wait_blocked(r, 1)
    r.xadd("t", {"f": "v"}, id="1-0")
    r.rename("t", "s")
    assert c.read_reply_bytes() == reply("s", entry("1-0", "f", "v"))


def test_waiter_on_two_keys_served_by_the_first_written(srv, r, clients):
    c = clients()
    block(c, "XREAD", "BLOCK", "0", "STREAMS", "a", "b", "$", "$")
    wait_blocked(r, 1)
    p = r.pipeline(transaction=True)
    p.xadd("b", {"f": "1"}, id="1-0")
    p.xadd("a", {"f": "2"}, id="2-0")
    p.execute()
    if srv.v72:
        # 7.2 re-runs the XREAD once both keys are ready: every stream with data, in the
        # order the command named them.
        expected = (b"*2\r\n*2\r\n" + bulk("a") + b"*1\r\n" + entry("2-0", "f", "2") +
                    b"*2\r\n" + bulk("b") + b"*1\r\n" + entry("1-0", "f", "1"))
    else:
        # 7.0 answers with the key that became ready first.
        expected = reply("b", entry("1-0", "f", "1"))
    assert c.read_reply_bytes() == expected


def test_group_reader_on_two_keys(r, clients):
    r.xgroup_create("a", "g", id="$", mkstream=True)
    r.xgroup_create("b", "g", id="$", mkstream=True)
    c = clients()
    block(c, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "a", "b", ">", ">")
    wait_blocked(r, 1)
    r.xadd("b", {"f": "v"}, id="1-0")
    assert c.read_reply_bytes() == reply("b", entry("1-0", "f", "v"))
    assert r.xpending("b", "g")["pending"] == 1 and r.xpending("a", "g")["pending"] == 0


def test_client_kill_while_blocked(r, clients):
    c = clients()
    cid = int(c.cmd("CLIENT", "ID")[1:-2])
    block(c, "XREAD", "BLOCK", "0", "STREAMS", "s", "$")
    wait_blocked(r, 1)
    assert r.execute_command("CLIENT", "KILL", "ID", cid) == 1
    wait_blocked(r, 0)
    assert c.closed_by_peer()
