"""Streams: exact replies of every command (RESP2 bytes, RESP3 shapes), how a stream behaves as
a key (TYPE, OBJECT ENCODING, SCAN TYPE, COPY, RENAME, EXPIRE, UNLINK), the node-size
directives, the 7.2 behaviours the 7.0 reference cannot show, and blocking reads across
several connections. Byte-for-byte comparisons with redis-server live in
tests/compat/test_diff_streams.py; blocking edge cases in test_streams_blocking.py."""
import threading
import time

import pytest

from dqtest import encode_command, wait_for

ENTRY = b"*2\r\n$3\r\n1-1\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n"


@pytest.fixture
def c(server):
    cl = server.raw()
    cl.cmd("FLUSHALL")
    yield cl
    cl.close()


@pytest.fixture
def c3(server):
    cl = server.raw()
    cl.cmd("FLUSHALL")
    cl.cmd("HELLO", "3")
    yield cl
    cl.close()


# ---- XADD / XLEN / XRANGE / XREVRANGE ------------------------------------------------------

def test_xadd_explicit_and_partial_ids(c):
    assert c.cmd("XADD", "s", "1-1", "a", "1", "b", "2") == b"$3\r\n1-1\r\n"
    assert c.cmd("XADD", "s", "1-*", "a", "3") == b"$3\r\n1-2\r\n"
    assert c.cmd("XADD", "s", "5", "a", "4") == b"$3\r\n5-0\r\n"
    assert c.cmd("XADD", "s", "5-0", "a", "4") == \
        b"-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n"
    assert c.cmd("XADD", "s", "0-0", "a", "1") == \
        b"-ERR The ID specified in XADD must be greater than 0-0\r\n"
    assert c.cmd("XADD", "s", "x-1", "a", "1") == \
        b"-ERR Invalid stream ID specified as stream command argument\r\n"
    assert c.cmd("XADD", "s", "+", "a", "1") == \
        b"-ERR Invalid stream ID specified as stream command argument\r\n"
    assert c.cmd("XADD", "s", "*", "a") == b"-ERR wrong number of arguments for 'xadd' command\r\n"
    assert c.cmd("XLEN", "s") == b":3\r\n"
    assert c.cmd("XRANGE", "s", "-", "+", "COUNT", "1") == b"*1\r\n" + ENTRY


def test_xadd_auto_id_is_the_clock(c):
    before = int(time.time() * 1000)
    ms, seq = c.cmd("XADD", "s", "*", "f", "v").split(b"\r\n")[1].split(b"-")
    assert before - 5 <= int(ms) <= int(time.time() * 1000) + 5 and seq == b"0"
    # An ID in the future: "*" keeps increasing the sequence of the last ID.
    c.cmd("XADD", "t", "99999999999999-5", "f", "v")
    assert c.cmd("XADD", "t", "*", "f", "v") == b"$16\r\n99999999999999-6\r\n"


def test_xadd_exhausted_sequence_is_edom_in_72(c):
    # 7.2 sets errno for the partial ID whose sequence is exhausted (#11424); 7.0 answered
    # whatever errno held ("Elements are too large to be stored").
    c.cmd("XADD", "s", "7-18446744073709551615", "a", "1")
    assert c.cmd("XADD", "s", "7-*", "a", "1") == \
        b"-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n"
    c.cmd("XADD", "m", "18446744073709551615-18446744073709551615", "a", "1")
    assert c.cmd("XADD", "m", "*", "a", "1") == \
        b"-ERR The stream has exhausted the last possible ID, unable to add more items\r\n"


def test_xadd_nomkstream_and_options(c):
    assert c.cmd("XADD", "s", "NOMKSTREAM", "*", "a", "1") == b"$-1\r\n"
    assert c.cmd("EXISTS", "s") == b":0\r\n"
    assert c.cmd("XADD", "s", "MAXLEN", "-1", "*", "a", "1") == \
        b"-ERR The MAXLEN argument must be >= 0.\r\n"
    assert c.cmd("XADD", "s", "MAXLEN", "1", "MINID", "1", "*", "a", "1") == \
        b"-ERR syntax error, MAXLEN and MINID options at the same time are not compatible\r\n"
    assert c.cmd("XADD", "s", "LIMIT", "5", "*", "a", "1") == \
        b"-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n"
    assert c.cmd("XADD", "s", "MAXLEN", "5", "LIMIT", "5", "*", "a", "1") == \
        b"-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n"
    assert c.cmd("XADD", "s", "MAXLEN", "~", "5", "LIMIT", "-1", "*", "a", "1") == \
        b"-ERR The LIMIT argument must be >= 0.\r\n"
    for i in range(1, 11):
        c.cmd("XADD", "s", "MAXLEN", "=", "3", "%d-0" % i, "a", str(i))
    assert c.cmd("XLEN", "s") == b":3\r\n"
    assert c.cmd("XRANGE", "s", "-", "+", "COUNT", "1").startswith(b"*1\r\n*2\r\n$3\r\n8-0\r\n")


def test_approximate_trim_removes_whole_blocks(c):
    # 100 entries per block (stream-node-max-entries): MAXLEN ~ 10 keeps the last block.
    for i in range(1, 251):
        c.cmd("XADD", "s", "MAXLEN", "~", "10", "%d-0" % i, "f", "v")
    assert c.cmd("XLEN", "s") == b":50\r\n"
    assert c.cmd("XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "10") == b":0\r\n"
    assert c.cmd("XTRIM", "s", "MAXLEN", "~", "0") == b":50\r\n"
    assert c.cmd("EXISTS", "s") == b":1\r\n"  # an emptied stream stays
    assert c.cmd("XLEN", "s") == b":0\r\n"


def test_xrange_bounds_and_count(c):
    for i in range(1, 6):
        c.cmd("XADD", "s", "%d-1" % i, "f", str(i))
    ids = lambda rep: [l for l in rep.split(b"\r\n") if b"-1" in l and not l.startswith(b"$")]
    assert ids(c.cmd("XRANGE", "s", "(2-1", "4")) == [b"3-1", b"4-1"]
    assert ids(c.cmd("XRANGE", "s", "2", "(4-1")) == [b"2-1", b"3-1"]
    assert ids(c.cmd("XREVRANGE", "s", "+", "-", "COUNT", "2")) == [b"5-1", b"4-1"]
    assert ids(c.cmd("XREVRANGE", "s", "(5-1", "(1-1")) == [b"4-1", b"3-1", b"2-1"]
    assert c.cmd("XRANGE", "s", "-", "+", "COUNT", "0") == b"*-1\r\n"
    assert c.cmd("XRANGE", "s", "3", "2") == b"*0\r\n"
    assert c.cmd("XRANGE", "nokey", "-", "+") == b"*0\r\n"
    assert c.cmd("XRANGE", "s", "(-", "+") == \
        b"-ERR Invalid stream ID specified as stream command argument\r\n"
    assert c.cmd("XRANGE", "s", "(18446744073709551615-18446744073709551615", "+") == \
        b"-ERR invalid start ID for the interval\r\n"
    assert c.cmd("XRANGE", "s", "-", "(0-0") == b"-ERR invalid end ID for the interval\r\n"
    assert c.cmd("XRANGE", "s", "-", "+", "COUNT") == b"-ERR syntax error\r\n"


def test_xrange_resp3_shape(c3):
    c3.cmd("XADD", "s", "1-1", "a", "1", "b", "2")
    assert c3.cmd("XRANGE", "s", "-", "+") == b"*1\r\n" + ENTRY
    assert c3.cmd("XRANGE", "s", "-", "+", "COUNT", "0") == b"_\r\n"
    assert c3.cmd("XADD", "n", "NOMKSTREAM", "*", "a", "1") == b"_\r\n"


# ---- XDEL / XTRIM / XSETID -------------------------------------------------------------------

def test_xdel_and_xinfo_counters(c, r):
    for i in range(1, 6):
        c.cmd("XADD", "s", "%d-0" % i, "f", str(i))
    assert c.cmd("XDEL", "s", "1-0", "3-0", "9-0") == b":2\r\n"
    assert c.cmd("XDEL", "s", "x") == b"-ERR Invalid stream ID specified as stream command argument\r\n"
    assert c.cmd("XDEL", "nokey", "x") == b":0\r\n"
    info = r.xinfo_stream("s")
    assert info["length"] == 3
    assert info["max-deleted-entry-id"] == b"3-0"
    assert info["recorded-first-entry-id"] == b"2-0"
    assert info["entries-added"] == 5
    assert info["first-entry"][0] == b"2-0" and info["last-entry"][0] == b"5-0"


def test_xtrim_minid_and_errors(c):
    for i in range(1, 11):
        c.cmd("XADD", "s", "%d-0" % i, "f", "v")
    assert c.cmd("XTRIM", "s", "MINID", "5") == b":4\r\n"
    assert c.cmd("XTRIM", "s", "MINID", "=", "7-0") == b":2\r\n"
    assert c.cmd("XTRIM", "s", "LIMIT", "1") == \
        b"-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n"
    assert c.cmd("XTRIM", "s", "FOO", "1") == b"-ERR syntax error\r\n"
    assert c.cmd("XTRIM", "nokey", "MAXLEN", "0") == b":0\r\n"
    assert c.cmd("XLEN", "s") == b":4\r\n"


def test_xsetid_72_rules(c):
    c.cmd("XADD", "s", "1-1", "a", "1")
    c.cmd("XADD", "s", "2-1", "a", "1")
    c.cmd("XDEL", "s", "2-1")
    assert c.cmd("XSETID", "s", "1-5") == \
        b"-ERR The ID specified in XSETID is smaller than current max_deleted_entry_id\r\n"
    assert c.cmd("XSETID", "s", "5-0", "MAXDELETEDID", "6-0") == \
        b"-ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id\r\n"
    assert c.cmd("XSETID", "s", "5-0", "ENTRIESADDED", "0") == \
        b"-ERR The entries_added specified in XSETID is smaller than the target stream length\r\n"
    assert c.cmd("XSETID", "s", "5-0", "ENTRIESADDED", "-1") == \
        b"-ERR entries_added must be positive\r\n"
    assert c.cmd("XSETID", "nokey", "5-0") == b"-ERR no such key\r\n"
    assert c.cmd("XSETID", "s", "5-0", "ENTRIESADDED", "9", "MAXDELETEDID", "3-0") == b"+OK\r\n"
    assert c.cmd("XADD", "s", "4-0", "a", "1").startswith(b"-ERR The ID specified in XADD")
    assert c.cmd("XADD", "s", "*", "a", "1").startswith(b"$")


# ---- streams as keys ------------------------------------------------------------------------

def test_type_encoding_scan_copy_rename_expire(c):
    c.cmd("XADD", "s", "1-1", "a", "1", "b", "2")
    c.cmd("XGROUP", "CREATE", "s", "g", "0")
    c.cmd("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">")
    c.cmd("SET", "str", "x")
    assert c.cmd("TYPE", "s") == b"+stream\r\n"
    assert c.cmd("OBJECT", "ENCODING", "s") == b"$6\r\nstream\r\n"
    assert c.cmd("SCAN", "0", "TYPE", "stream") == b"*2\r\n$1\r\n0\r\n*1\r\n$1\r\ns\r\n"
    assert c.cmd("COPY", "s", "t") == b":1\r\n"
    assert c.cmd("XRANGE", "t", "-", "+") == b"*1\r\n" + ENTRY
    # The copy has its own groups and PEL.
    assert c.cmd("XACK", "t", "g", "1-1") == b":1\r\n"
    assert c.cmd("XPENDING", "s", "g").startswith(b"*4\r\n:1\r\n")
    assert c.cmd("RENAME", "t", "u") == b"+OK\r\n"
    assert c.cmd("XPENDING", "u", "g").startswith(b"*4\r\n:0\r\n")
    assert c.cmd("PEXPIRE", "u", "50") == b":1\r\n"
    wait_for(lambda: c.cmd("EXISTS", "u") == b":0\r\n")
    assert c.cmd("UNLINK", "s") == b":1\r\n"
    assert c.cmd("LPUSH", "str2", "x") == b":1\r\n"
    assert c.cmd("XADD", "str", "*", "a", "1") == \
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"


def test_unlink_big_stream(c):
    c.send(b"".join(encode_command("XADD", "big", "%d-0" % i, "f", "v") for i in range(1, 20001)))
    for _ in range(20000):
        c.read_reply_bytes()
    assert c.cmd("XLEN", "big") == b":20000\r\n"
    assert c.cmd("UNLINK", "big") == b":1\r\n"
    assert c.cmd("EXISTS", "big") == b":0\r\n"


def test_node_directives(r, c):
    assert r.config_get("stream-node-max-*") == {"stream-node-max-entries": "100",
                                                 "stream-node-max-bytes": "4096"}
    assert c.cmd("CONFIG", "SET", "stream-node-max-bytes", "4kb") == b"+OK\r\n"
    assert c.cmd("CONFIG", "SET", "stream-node-max-entries", "3") == b"+OK\r\n"
    try:
        for i in range(1, 11):
            c.cmd("XADD", "s", "%d-0" % i, "f", "v")
        info = c.cmd("XINFO", "STREAM", "s")
        assert b"$15\r\nradix-tree-keys\r\n:4\r\n" in info
    finally:
        c.cmd("CONFIG", "SET", "stream-node-max-entries", "100")


def test_getkeys(c):
    assert c.cmd("COMMAND", "GETKEYS", "XREAD", "COUNT", "2", "STREAMS", "a", "b", "0", "0") == \
        b"*2\r\n$1\r\na\r\n$1\r\nb\r\n"
    assert c.cmd("COMMAND", "GETKEYS", "XREADGROUP", "GROUP", "g", "c", "NOACK", "STREAMS", "k",
                 ">") == b"*1\r\n$1\r\nk\r\n"
    assert c.cmd("COMMAND", "GETKEYS", "XADD", "s", "*", "f", "v") == b"*1\r\n$1\r\ns\r\n"
    assert c.cmd("COMMAND", "GETKEYS", "XINFO", "STREAM", "s") == b"*1\r\n$1\r\ns\r\n"


def test_watch_dirtied_only_where_redis_signals(server, c):
    c.cmd("XADD", "s", "1-0", "f", "v")
    c.cmd("XGROUP", "CREATE", "s", "g", "0")
    other = server.raw()

    def watched(*cmd):
        c.cmd("WATCH", "s")
        other.cmd(*cmd)
        c.cmd("MULTI")
        c.cmd("PING")
        return c.cmd("EXEC")

    # Group bookkeeping does not touch the key for WATCH (as Redis: no signalModifiedKey).
    assert watched("XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", ">") == b"*1\r\n+PONG\r\n"
    assert watched("XACK", "s", "g", "1-0") == b"*1\r\n+PONG\r\n"
    assert watched("XGROUP", "SETID", "s", "g", "0") == b"*1\r\n+PONG\r\n"
    # Entries changing does.
    assert watched("XADD", "s", "2-0", "f", "v") == b"*-1\r\n"
    assert watched("XDEL", "s", "2-0") == b"*-1\r\n"
    assert watched("XDEL", "s", "2-0") == b"*1\r\n+PONG\r\n"  # nothing deleted
    other.close()


# ---- groups ---------------------------------------------------------------------------------

def test_group_lifecycle(c):
    assert c.cmd("XGROUP", "CREATE", "s", "g", "$") == \
        b"-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may " \
        b"want to use the MKSTREAM option to create an empty stream automatically.\r\n"
    assert c.cmd("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM") == b"+OK\r\n"
    assert c.cmd("XGROUP", "CREATE", "s", "g", "$") == b"-BUSYGROUP Consumer Group name already exists\r\n"
    assert c.cmd("XGROUP", "SETID", "s", "nog", "0") == \
        b"-NOGROUP No such consumer group 'nog' for key name 's'\r\n"
    assert c.cmd("XGROUP", "CREATECONSUMER", "s", "g", "alice") == b":1\r\n"
    assert c.cmd("XGROUP", "CREATECONSUMER", "s", "g", "alice") == b":0\r\n"
    c.cmd("XADD", "s", "1-0", "f", "v")
    c.cmd("XADD", "s", "2-0", "f", "v")
    c.cmd("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">")
    assert c.cmd("XGROUP", "DELCONSUMER", "s", "g", "alice") == b":2\r\n"
    assert c.cmd("XPENDING", "s", "g") == b"*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n"
    assert c.cmd("XGROUP", "DESTROY", "s", "g") == b":1\r\n"
    assert c.cmd("XGROUP", "DESTROY", "s", "g") == b":0\r\n"
    assert c.cmd("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM", "MKSTREAM", "MKSTREAM",
                 "MKSTREAM") == \
        b"-ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.\r\n"


def test_xreadgroup_creates_consumer_even_when_nothing_is_read(c, r):
    # 7.2: the consumer exists (and is seen) after any XREADGROUP; 7.0 created it on delivery.
    c.cmd("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    assert c.cmd("XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">") == b"*-1\r\n"
    assert b"$3\r\nbob\r\n" in c.cmd("XINFO", "CONSUMERS", "s", "g")
    # XCLAIM / XAUTOCLAIM too, whether they claim or not.
    c.cmd("XCLAIM", "s", "g", "carol", "0", "1-0")
    c.cmd("XAUTOCLAIM", "s", "g", "dave", "0", "0")
    assert r.xinfo_groups("s")[0]["consumers"] == 3


def test_xreadgroup_history_and_pending(c, r):
    for i in range(1, 4):
        c.cmd("XADD", "s", "%d-0" % i, "f", str(i))
    c.cmd("XGROUP", "CREATE", "s", "g", "0")
    assert c.cmd("XREADGROUP", "GROUP", "g", "a", "COUNT", "2", "STREAMS", "s", ">") == (
        b"*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\n1\r\n"
        b"*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n")
    c.cmd("XDEL", "s", "1-0")
    # History: pending entries, a deleted one as [id, nil]; delivery counts grow.
    assert c.cmd("XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", "0") == (
        b"*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*-1\r\n"
        b"*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n")
    pending = r.xpending_range("s", "g", "-", "+", 10)
    assert [(p["message_id"], p["times_delivered"]) for p in pending] == \
        [(b"1-0", 1), (b"2-0", 2)]
    assert c.cmd("XPENDING", "s", "g") == \
        b"*4\r\n:2\r\n$3\r\n1-0\r\n$3\r\n2-0\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n2\r\n"
    assert c.cmd("XACK", "s", "g", "1-0", "2-0", "2-0") == b":2\r\n"
    assert c.cmd("XACK", "s", "g", "x") == \
        b"-ERR Invalid stream ID specified as stream command argument\r\n"
    assert c.cmd("XACK", "s", "nog", "x") == b":0\r\n"


def test_xreadgroup_resp3(c3):
    c3.cmd("XADD", "s", "1-1", "a", "1", "b", "2")
    c3.cmd("XGROUP", "CREATE", "s", "g", "0")
    assert c3.cmd("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">") == \
        b"%1\r\n$1\r\ns\r\n*1\r\n" + ENTRY
    assert c3.cmd("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">") == b"_\r\n"
    assert c3.cmd("XPENDING", "s", "g", "-", "+", "10", "nobody") == b"*0\r\n"


def test_xclaim_and_xautoclaim(c):
    for i in range(1, 5):
        c.cmd("XADD", "s", "%d-0" % i, "f", str(i))
    c.cmd("XGROUP", "CREATE", "s", "g", "0")
    c.cmd("XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", ">")
    assert c.cmd("XCLAIM", "s", "g", "b", "3600000", "1-0") == b"*0\r\n"
    assert c.cmd("XCLAIM", "s", "g", "b", "0", "1-0", "JUSTID") == b"*1\r\n$3\r\n1-0\r\n"
    assert c.cmd("XCLAIM", "s", "g", "b", "0", "2-0", "RETRYCOUNT", "7", "IDLE", "5000000") == \
        b"*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n"
    assert c.cmd("XCLAIM", "s", "g", "b", "0", "2-0", "FOO") == \
        b"-ERR Unrecognized XCLAIM option 'FOO'\r\n"
    assert c.cmd("XCLAIM", "s", "g", "b", "x", "2-0") == \
        b"-ERR Invalid min-idle-time argument for XCLAIM\r\n"
    assert c.cmd("XCLAIM", "s", "nog", "b", "0", "2-0") == \
        b"-NOGROUP No such key 's' or consumer group 'nog'\r\n"
    # FORCE creates a PEL entry for an existing entry nobody had.
    c.cmd("XADD", "s", "5-0", "f", "5")
    assert c.cmd("XCLAIM", "s", "g", "c", "0", "5-0", "FORCE", "JUSTID", "LASTID", "5-0") == \
        b"*1\r\n$3\r\n5-0\r\n"
    c.cmd("XDEL", "s", "3-0")
    # XAUTOCLAIM walks the PEL from start: 2-0 was aged by IDLE, the deleted 3-0 is dropped.
    assert c.cmd("XAUTOCLAIM", "s", "g", "d", "3600000", "0", "JUSTID") == \
        b"*3\r\n$3\r\n0-0\r\n*1\r\n$3\r\n2-0\r\n*1\r\n$3\r\n3-0\r\n"
    assert c.cmd("XAUTOCLAIM", "s", "g", "d", "0", "0", "COUNT", "2") == (
        b"*3\r\n$3\r\n4-0\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\n1\r\n"
        b"*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n*0\r\n")
    assert c.cmd("XAUTOCLAIM", "s", "g", "d", "0", "0", "COUNT", "0") == \
        b"-ERR COUNT must be > 0\r\n"


def test_xinfo_groups_lag_and_resp3(c, c3):
    for i in range(1, 6):
        c.cmd("XADD", "s", "%d-0" % i, "f", "v")
    c.cmd("XGROUP", "CREATE", "s", "g", "0")
    c.cmd("XREADGROUP", "GROUP", "g", "a", "COUNT", "2", "STREAMS", "s", ">")
    assert c.cmd("XINFO", "GROUPS", "s") == (
        b"*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:2\r\n"
        b"$17\r\nlast-delivered-id\r\n$3\r\n2-0\r\n$12\r\nentries-read\r\n:2\r\n"
        b"$3\r\nlag\r\n:3\r\n")
    c.cmd("XDEL", "s", "4-0")  # a tombstone ahead of the group: lag unknown
    assert c3.cmd("XINFO", "GROUPS", "s").endswith(b"$3\r\nlag\r\n_\r\n")
    assert c3.cmd("XINFO", "STREAM", "s").startswith(b"%10\r\n$6\r\nlength\r\n:4\r\n")
    assert c.cmd("XINFO", "STREAM", "nokey") == b"-ERR no such key\r\n"


# ---- blocking -------------------------------------------------------------------------------

def blocked_count(c):
    info = c.cmd("INFO", "clients").decode()
    return int(info.split("blocked_clients:")[1].split("\r\n")[0])


def test_xread_block_dollar_several_clients(server, c):
    c.cmd("XADD", "s", "1-0", "f", "old")
    readers = [server.raw() for _ in range(3)]
    for rd in readers:
        rd.send(b"*6\r\n$5\r\nXREAD\r\n$5\r\nBLOCK\r\n$1\r\n0\r\n$7\r\nSTREAMS\r\n$1\r\ns\r\n$1\r\n$\r\n")
    wait_for(lambda: blocked_count(c) == 3)
    c.cmd("XADD", "s", "2-0", "f", "new")
    want = b"*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$3\r\nnew\r\n"
    for rd in readers:
        assert rd.read_reply_bytes() == want
        rd.close()


def test_xreadgroup_block_serves_one_consumer_per_entry(server, c):
    c.cmd("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    readers = [server.raw() for _ in range(2)]
    for i, rd in enumerate(readers):
        args = ["XREADGROUP", "GROUP", "g", "c%d" % i, "BLOCK", "0", "STREAMS", "s", ">"]
        rd.send(b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a.encode())
                                                  for a in args))
    wait_for(lambda: blocked_count(c) == 2)
    c.cmd("XADD", "s", "1-0", "f", "a")
    first = readers[0].read_reply_bytes()
    assert b"1-0" in first
    assert blocked_count(c) == 1
    c.cmd("XADD", "s", "2-0", "f", "b")
    assert b"2-0" in readers[1].read_reply_bytes()
    assert c.cmd("XPENDING", "s", "g") == (
        b"*4\r\n:2\r\n$3\r\n1-0\r\n$3\r\n2-0\r\n*2\r\n*2\r\n$2\r\nc0\r\n$1\r\n1\r\n"
        b"*2\r\n$2\r\nc1\r\n$1\r\n1\r\n")
    for rd in readers:
        rd.close()


def test_xreadgroup_block_group_destroyed_gets_nogroup(server, c):
    c.cmd("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
    rd = server.raw()
    args = ["XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"]
    rd.send(b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a.encode())
                                              for a in args))
    wait_for(lambda: blocked_count(c) == 1)
    c.cmd("XGROUP", "DESTROY", "s", "g")
    assert rd.read_reply_bytes() == \
        b"-NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option\r\n"
    rd.close()


def test_xread_block_timeout_ms(server, c):
    t0 = time.monotonic()
    assert c.cmd("XREAD", "BLOCK", "100", "STREAMS", "s", "$") == b"*-1\r\n"
    assert 0.09 <= time.monotonic() - t0 < 2
    assert c.cmd("XREAD", "BLOCK", "1.5", "STREAMS", "s", "$") == \
        b"-ERR timeout is not an integer or out of range\r\n"


def test_producer_consumer_threads(server):
    """A producer thread and two group consumers: every entry acknowledged exactly once."""
    import redis
    prod = server.client()
    prod.flushall()
    prod.xgroup_create("jobs", "workers", id="$", mkstream=True)
    seen = []
    lock = threading.Lock()

    def work(name):
        cl = server.client()
        while True:
            rep = cl.xreadgroup("workers", name, {"jobs": ">"}, count=5, block=1000)
            if not rep:
                return
            for eid, fields in rep[0][1]:
                with lock:
                    seen.append(fields[b"n"])
                cl.xack("jobs", "workers", eid)

    threads = [threading.Thread(target=work, args=("w%d" % i,)) for i in range(2)]
    for t in threads:
        t.start()
    for i in range(300):
        prod.xadd("jobs", {"n": str(i)})
    for t in threads:
        t.join(timeout=10)
    assert sorted(int(x) for x in seen) == list(range(300))
    assert prod.xpending("jobs", "workers")["pending"] == 0
    assert isinstance(prod, redis.Redis)
