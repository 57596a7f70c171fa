"""Differential CLIENT TRACKING tests: the same multi-client scripts run against dq and against
Debian's redis-server over raw sockets; every byte each client receives (replies and
invalidation pushes / messages) must be equal.

A script is a list of steps (client index, what, [option]):
- what is a command (a tuple), or a list of commands sent in one write (one event-loop
  iteration: BCAST batches their keys into one message);
- "CLOSE" closes that client and waits until the server has forgotten it;
- "WAIT_EMPTY" waits until the database is empty (active expiry);
- "SLEEP" sleeps 0.15 s (a TTL passes).
After each step every live client is synced with `PING <token>` (allowed in every mode) and
everything it received before the token's reply is recorded, so pushes land in the transcript
where they arrive. Option "ids": the step's arguments may name client ids as "{id0}", "{id1}"
..., and ids in its replies (":<id>") are written back that way, since ids differ between the
servers. Option n (an int): inside MULTI, read exactly n frames instead of syncing.

HELLO's reply is not compared (version and id differ)."""
import itertools
import os
import time

import pytest

from dqtest import REDIS_SERVER, ServerProc, TranscriptConn, encode_command, wait_for


@pytest.fixture(scope="module")
def redis_ref():
    """The reference with DEBUG enabled (SET-ACTIVE-EXPIRE for the lazy expiry script)."""
    if not os.path.exists(REDIS_SERVER):
        pytest.skip("redis-server not installed: differential test skipped")
    s = ServerProc(REDIS_SERVER, {"enable-debug-command": "yes"})
    yield s
    s.stop()


Conn = TranscriptConn


def run_script(port, nclients, steps):
    tokens = itertools.count()  # the same tokens for both servers
    conns = [Conn(port) for _ in range(nclients)]
    ids = [int(c.cmd("CLIENT", "ID")[1:-2]) for c in conns]
    admin = Conn(port)

    def subst(args):
        out = []
        for a in args:
            for i, cid in enumerate(ids):
                a = a.replace("{id%d}" % i, str(cid))
            out.append(a)
        return tuple(out)

    def unsubst(data):
        for i, cid in enumerate(ids):
            data = data.replace(b":%d\r\n" % cid, b":{id%d}\r\n" % i)
        return data

    transcript = []
    try:
        for step in steps:
            idx, what = step[0], step[1]
            opt = step[2] if len(step) > 2 else None
            c = conns[idx]
            if what == "CLOSE":
                c.close()
                wait_for(lambda: admin.cmd("CLIENT", "LIST", "ID", str(ids[idx])) == b"$0\r\n\r\n")
            elif what == "WAIT_EMPTY":
                wait_for(lambda: admin.cmd("DBSIZE") == b":0\r\n")
            elif what == "SLEEP":
                time.sleep(0.15)
            else:
                cmds = what if isinstance(what, list) else [what]
                if opt == "ids":
                    cmds = [subst(a) for a in cmds]
                payload = b"".join(encode_command(*a) for a in cmds)
                if isinstance(opt, int):
                    c.sock.sendall(payload)
                    transcript.append((idx, what, b"".join(c.read_frame() for _ in range(opt))))
                    continue
                tok = "tok%d" % next(tokens)
                marker = b"%s\r\n" % tok.encode()
                c.sock.sendall(payload + encode_command("PING", tok))
                out = c.read_until(marker).replace(marker, b"T\r\n")
                if cmds[0][0].upper() == "HELLO":
                    out = b"<hello>"
                if opt == "ids":
                    out = unsubst(out)
                transcript.append((idx, what, out))
            for j, other in enumerate(conns):
                if j == idx or other.closed:
                    continue
                tok = "tok%d" % next(tokens)
                marker = b"%s\r\n" % tok.encode()
                other.sock.sendall(encode_command("PING", tok))
                out = unsubst(other.read_until(marker).replace(marker, b"T\r\n"))
                transcript.append((j, "sync", out))
    finally:
        for c in conns + [admin]:
            if not c.closed:
                c.close()
    return transcript


def compare(server, redis_ref, nclients, steps):
    for port in (server.port, redis_ref.port):
        run_script(port, 1, [(0, ("FLUSHALL",))])
    mine = run_script(server.port, nclients, steps)
    theirs = run_script(redis_ref.port, nclients, steps)
    for a, b in zip(mine, theirs):
        assert a == b, "dq %r\nredis %r" % (a, b)
    assert len(mine) == len(theirs)


T, W, X = 0, 1, 2  # tracking client, writer, a third client

ON = ("CLIENT", "TRACKING", "on")
HELLO3 = ("HELLO", "3")

SCRIPTS = {
    "default_mode_resp3": (2, [
        (T, HELLO3),
        (T, ON),
        (W, ("SET", "a", "1")),
        (T, ("GET", "a")),
        (T, ("MGET", "b", "c")),
        (T, ("EXISTS", "d")),
        (T, ("HGET", "h", "f")),
        (W, ("SET", "a", "2")),
        (W, ("SET", "a", "3")),  # forgotten after the first invalidation
        (W, ("MSET", "b", "1", "c", "2")),
        (W, ("HSET", "h", "f", "v")),
        (W, ("SET", "d", "1")),
        (W, ("DEL", "d")),
        (T, ("GET", "a")),
        (T, ("SET", "a", "mine")),  # own write: the push follows the reply
        (T, ("INCR", "counter")),  # a write does not track
        (W, ("INCR", "counter")),
        (T, ("STRLEN", "a")),
        (W, ("APPEND", "a", "x")),
        (T, ("GET", "e")),
        (W, ("RENAME", "a", "e")),
        (T, ("LRANGE", "l", "0", "-1")),
        (W, ("RPUSH", "l", "x")),
        (T, ("ZUNION", "2", "z1", "z2")),
        (W, ("ZADD", "z2", "1", "m")),
        (T, ("TYPE", "t")),
        (W, ("SELECT", "3")),
        (W, ("SET", "t", "other-db")),  # keys are global, not per database
        (T, ("CLIENT", "TRACKING", "off")),
        (T, ("GET", "f")),
        (W, ("SET", "f", "1")),
    ]),
    "two_trackers_one_key": (3, [
        (T, HELLO3),
        (X, HELLO3),
        (T, ON),
        (X, ON),
        (T, ("GET", "k")),
        (X, ("GET", "k")),
        (W, ("SET", "k", "1")),
        (T, ("GET", "k")),
        (X, ("SET", "k", "2")),
    ]),
    "bcast_prefixes": (3, [
        (T, HELLO3),
        (X, HELLO3),
        (T, ("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "user:", "PREFIX", "obj:")),
        (X, ("CLIENT", "TRACKING", "on", "BCAST")),
        (T, ("CLIENT", "TRACKINGINFO")),
        (X, ("CLIENT", "TRACKINGINFO")),
        (W, ("SET", "user:1", "a")),
        (W, ("MSET", "user:2", "x", "obj:9", "y", "other", "z")),
        (W, [("SET", "user:9", "1"), ("SET", "user:3", "1"), ("DEL", "obj:9"),
             ("SET", "user:9", "2"), ("GET", "user:1")]),
        (T, ("GET", "other")),
        (W, ("SET", "other", "2")),
        (T, ("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "ob")),
        (T, ("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "new:")),
        (W, ("SET", "new:1", "1")),
        (T, ("CLIENT", "TRACKINGINFO")),
        (T, ("CLIENT", "TRACKING", "off")),
        (W, ("SET", "user:1", "b")),
        (X, ("CLIENT", "TRACKING", "off")),
        (W, ("SET", "user:1", "c")),
    ]),
    "bcast_noloop": (3, [
        (T, HELLO3),
        (X, HELLO3),
        (T, ("CLIENT", "TRACKING", "on", "BCAST", "NOLOOP")),
        (X, ("CLIENT", "TRACKING", "on", "BCAST")),
        (T, ("SET", "a", "1")),
        (W, ("SET", "b", "1")),
        (T, [("SET", "c", "1"), ("SET", "d", "1")]),
        (T, ("EVAL", "redis.call('set', KEYS[1], '1')", "1", "e")),
        (T, ("PING",)),  # the script's write is not T's own (Redis: the script client's)
        (T, ("MULTI",), 1),
        (T, ("SET", "f", "1"), 1),
        (T, ("EXEC",)),
    ]),
    "redirect_to_resp2_subscriber": (3, [
        (W, ("SUBSCRIBE", "__redis__:invalidate")),
        (T, ("CLIENT", "TRACKING", "on", "REDIRECT", "{id1}"), "ids"),
        (T, ("CLIENT", "GETREDIR"), "ids"),
        (T, ("CLIENT", "TRACKINGINFO"), "ids"),
        (T, ("GET", "k")),
        (T, ("GET", "j")),
        (X, ("SET", "k", "1")),
        (T, ("GET", "k")),
        (T, ("SET", "k", "2")),
        (T, ("GET", "k")),
        (X, ("FLUSHALL",)),
        (T, ("CLIENT", "TRACKING", "on", "BCAST", "REDIRECT", "{id1}"), "ids"),
        (T, ("CLIENT", "TRACKING", "off")),
        (T, ("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "p", "REDIRECT", "{id1}"), "ids"),
        (X, ("MSET", "p1", "1", "q1", "1", "p2", "2")),
    ]),
    "redirect_targets_not_listening": (3, [
        # RESP2 target not subscribed: nothing is sent; RESP3 target: pushes.
        (T, ("CLIENT", "TRACKING", "on", "REDIRECT", "{id1}"), "ids"),
        (T, ("GET", "k")),
        (X, ("SET", "k", "1")),
        (W, HELLO3),
        (T, ("GET", "k")),
        (X, ("SET", "k", "2")),
        (T, ("GET", "k")),
        (W, ("SUBSCRIBE", "other")),  # RESP3 subscriber: still a push
        (X, ("SET", "k", "3")),
        (T, ("CLIENT", "TRACKING", "on", "REDIRECT", "{id0}"), "ids"),  # to itself
        (T, ("GET", "k")),
        (X, ("SET", "k", "4")),
    ]),
    "resp2_without_redirect": (2, [
        (T, ON),
        (T, ("GET", "k")),
        (W, ("SET", "k", "1")),
        (T, ("SET", "k", "2")),
        (W, ("FLUSHALL",)),
        (T, ("CLIENT", "TRACKINGINFO")),
    ]),
    "noloop_default_mode": (2, [
        (T, HELLO3),
        (T, ("CLIENT", "TRACKING", "on", "NOLOOP")),
        (T, ("GET", "a")),
        (T, ("SET", "a", "1")),
        (T, ("GET", "a")),
        (W, ("SET", "a", "2")),
        (T, ("GET", "a")),
        (T, ("FLUSHALL",)),
        (T, ("CLIENT", "TRACKINGINFO")),
    ]),
    "optin_optout_caching": (3, [
        (T, HELLO3),
        (X, HELLO3),
        (T, ("CLIENT", "TRACKING", "on", "OPTIN")),
        (T, ("GET", "a")),
        (T, ("CLIENT", "CACHING", "yes")),
        (T, ("CLIENT", "TRACKINGINFO")),
        (T, ("GET", "b")),
        (T, ("GET", "c")),
        (W, ("MSET", "a", "1", "b", "1", "c", "1")),
        (T, ("CLIENT", "CACHING", "yes")),
        (T, ("CLIENT", "ID"), "ids"),  # CLIENT commands keep the flag
        (T, ("GET", "d")),
        (T, ("CLIENT", "CACHING", "yes")),
        (T, ("PING",)),  # any other command clears it
        (T, ("GET", "e")),
        (T, ("CLIENT", "CACHING", "yes")),
        (T, ("MULTI",), 1),
        (T, ("GET", "f"), 1),
        (T, ("GET", "g"), 1),
        (T, ("EXEC",), 1),
        (T, ("GET", "h")),
        (W, ("MSET", "d", "1", "e", "1", "f", "1", "g", "1", "h", "1")),
        (T, ("CLIENT", "CACHING", "no")),
        (X, ("CLIENT", "TRACKING", "on", "OPTOUT")),
        (X, ("GET", "x")),
        (X, ("CLIENT", "CACHING", "no")),
        (X, ("CLIENT", "TRACKINGINFO")),
        (X, ("GET", "y")),
        (X, ("GET", "z")),
        (W, ("MSET", "x", "1", "y", "1", "z", "1")),
        (X, ("CLIENT", "CACHING", "yes")),
        (X, ("CLIENT", "TRACKING", "on", "OPTIN")),
        (X, ("CLIENT", "TRACKING", "on", "OPTOUT", "NOLOOP")),
        (X, ("CLIENT", "TRACKINGINFO")),
    ]),
    "flush": (2, [
        (T, HELLO3),
        (T, ON),
        (T, ("GET", "a")),
        (W, ("FLUSHALL",)),
        (W, ("SET", "a", "1")),  # the table was emptied
        (T, ("GET", "a")),
        (W, ("FLUSHDB",)),
        (T, ("FLUSHDB",)),  # an empty db still sends the null, after the reply
        (W, ("FLUSHALL", "ASYNC")),
        (W, ("SELECT", "5")),
        (W, ("FLUSHDB", "SYNC")),
    ]),
    "lazy_expiry": (2, [
        (T, ("DEBUG", "SET-ACTIVE-EXPIRE", "0")),
        (T, HELLO3),
        (T, ON),
        (W, ("SET", "k", "v")),
        (T, ("GET", "k")),
        (W, ("PEXPIRE", "k", "100")),
        (T, ("GET", "k")),
        (T, ("GET", "k2")),
        (W, ("SET", "k2", "v", "PX", "100")),
        (T, ("GET", "k2")),
        (T, "SLEEP"),
        (W, ("GET", "k")),  # another client's read expires it
        (T, ("GET", "k2")),  # its own read: the invalidation follows the reply
        (T, ("DEBUG", "SET-ACTIVE-EXPIRE", "1")),
    ]),
    "active_expiry": (2, [
        (T, HELLO3),
        (T, ON),
        (W, ("SET", "k", "v", "PX", "50")),
        (T, ("GET", "k")),
        (T, "WAIT_EMPTY"),
    ]),
    "multi_exec": (2, [
        (T, HELLO3),
        (T, ON),
        (T, ("MGET", "a", "b", "c")),
        (T, ("MULTI",), 1),
        (T, ("SET", "a", "1"), 1),
        (T, ("GET", "x"), 1),
        (T, ("SET", "b", "1"), 1),
        (T, ("EXEC",)),  # the reply, then a and b
        (T, ("GET", "a")),
        (W, ("MULTI",), 1),
        (W, ("SET", "a", "2"), 1),
        (W, ("SET", "c", "2"), 1),
        (W, ("SET", "x", "2"), 1),
        (W, ("EXEC",)),
        (T, ("MULTI",), 1),
        (T, ("GET", "y"), 1),
        (T, ("EXEC",)),
        (W, ("SET", "y", "1")),
    ]),
    "scripts": (2, [
        (T, HELLO3),
        (T, ON),
        (T, ("EVAL", "return redis.call('get', KEYS[1])", "1", "s1")),
        (W, ("EVAL", "redis.call('set', KEYS[1], 'x')", "1", "s1")),
        (T, ("EVAL_RO", "return redis.call('get', KEYS[1])", "1", "s2")),
        (T, ("EVAL", "redis.call('set', KEYS[1], 'y') return 1", "1", "s2")),
        (T, ("EVAL_RO", "return 1", "1", "s3")),  # the script's own keys are not tracked
        (W, ("SET", "s3", "1")),
        (T, ("GET", "s4")),
        (W, ("EVAL", "redis.call('del', KEYS[1]) redis.call('set', KEYS[1], 'z')", "1", "s4")),
    ]),
    "redirect_client_disconnects": (3, [
        (T, HELLO3),
        (T, ("CLIENT", "TRACKING", "on", "REDIRECT", "{id1}"), "ids"),
        (T, ("GET", "a")),
        (T, ("GET", "b")),
        (W, "CLOSE"),
        (X, ("SET", "a", "1")),
        (T, ("CLIENT", "TRACKINGINFO"), "ids"),
        (T, ("CLIENT", "GETREDIR"), "ids"),
        (X, ("SET", "b", "1")),
        (X, ("FLUSHALL",)),
        (T, ("CLIENT", "TRACKING", "off")),
        (T, ("CLIENT", "TRACKINGINFO")),
    ]),
    "redirect_disconnect_resp2": (3, [
        (T, ("CLIENT", "TRACKING", "on", "REDIRECT", "{id1}"), "ids"),
        (T, ("GET", "a")),
        (W, "CLOSE"),
        (X, ("SET", "a", "1")),
        (T, ("CLIENT", "TRACKINGINFO"), "ids"),
    ]),
    # Writes that change nothing must not invalidate, and those that do must, as Redis
    # (signalModifiedKey only on a real change).
    "noop_and_real_writes": (2, [
        (T, HELLO3),
        (T, ON),
        (T, ("MGET", "a", "b", "c", "l", "h", "s", "z", "n")),
        (W, ("DEL", "a")),
        (W, ("SET", "b", "1", "NX")),
        (W, ("SET", "b", "2", "NX")),
        (W, ("SET", "c", "1", "XX")),
        (W, ("EXPIRE", "c", "100")),
        (W, ("PERSIST", "c")),
        (W, ("LPOP", "l")),
        (W, ("RPUSHX", "l", "x")),
        (W, ("HDEL", "h", "f")),
        (W, ("SREM", "s", "m")),
        (W, ("ZREM", "z", "m")),
        (W, ("INCRBY", "n", "0")),
        (T, ("GET", "n")),
        (W, ("INCRBY", "n", "0")),
        (W, ("RENAME", "missing", "a")),
        (W, ("SETRANGE", "a", "0", "")),
        (W, ("APPEND", "a", "")),
        (T, ("MGET", "a", "b")),
        (W, ("SET", "a", "1", "XX")),
        (W, ("SET", "b", "2", "GET")),
        (T, ("GET", "b")),
        (W, ("GETDEL", "missing")),
        (W, ("GETEX", "b")),
        (W, ("GETEX", "b", "PERSIST")),
        (W, ("GETEX", "b", "EX", "100")),
        (T, ("GET", "b")),
        (W, ("EXPIRE", "b", "100", "NX")),
        (W, ("PERSIST", "b")),
        (W, ("LPUSH", "wl", "x")),
        (T, ("LLEN", "wl")),
        (W, ("LREM", "wl", "0", "nothing")),
        (W, ("LTRIM", "wl", "0", "-1")),
        (W, ("LSET", "wl", "0", "x")),
        (W, ("SWAPDB", "0", "1")),
        (W, ("SWAPDB", "0", "1")),
        (W, ("DEL", "wl")),
    ]),
    "reads_that_track": (2, [
        (T, HELLO3),
        (T, ON),
        (W, ("RPUSH", "lst", "x")),
        (T, ("GET", "lst")),  # WRONGTYPE: Redis still remembers the key
        (W, ("SET", "lst2", "y")),
        (T, ("OBJECT", "ENCODING", "lst2")),
        (T, ("SORT_RO", "lst", "ALPHA")),
        (W, ("RPUSH", "lst", "z")),
        (T, ("XREAD", "COUNT", "1", "STREAMS", "st1", "st2", "0", "0")),
        (W, ("XADD", "st2", "1-1", "f", "v")),
        (T, ("SINTERCARD", "2", "s1", "s2")),
        (W, ("SADD", "s2", "m")),
        (T, ("LCS", "l1", "l2")),
        (W, ("SET", "l2", "x")),
        (T, ("ZRANGE", "zz", "0", "-1")),
        (T, ("ZRANGESTORE", "zdst", "zz", "0", "-1")),  # a write: zz not re-tracked twice
        (W, ("ZADD", "zz", "1", "a")),
        (T, ("GEORADIUS_RO", "geo", "0", "0", "1", "km")),
        (W, ("GEOADD", "geo", "0", "0", "p")),
        (T, ("PFCOUNT", "hll")),  # not read-only (it may update its cache)
        (W, ("PFADD", "hll", "a")),
        (T, ("BITCOUNT", "bits")),
        (W, ("SETBIT", "bits", "1", "1")),
        (T, ("SSUBSCRIBE", "shardch")),  # pub/sub commands never track
    ]),
    "blocking_and_reply_off": (3, [
        (T, HELLO3),
        (T, ON),
        (T, ("LLEN", "q")),
        (X, ("BLPOP", "q", "0"), 0),
        (W, ("RPUSH", "q", "job")),
        (X, ("PING",)),
        (T, ("GET", "r")),
        # No reply to SET, but its push is sent.
        (T, [("CLIENT", "REPLY", "OFF"), ("SET", "r", "1"), ("CLIENT", "REPLY", "ON")]),
    ]),
    "reset_turns_tracking_off": (2, [
        (T, HELLO3),
        (T, ("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a")),
        (T, ("RESET",)),
        (T, ("CLIENT", "TRACKINGINFO")),
        (W, ("SET", "a1", "1")),
        (T, HELLO3),
        (T, ("CLIENT", "TRACKING", "on", "OPTIN")),
        (T, ("CLIENT", "CACHING", "yes")),
        (T, ("RESET",)),
        (T, ("CLIENT", "TRACKING", "on", "OPTOUT")),
        (T, ("CLIENT", "TRACKINGINFO")),
    ]),
    "caching_flag_lifetime": (2, [
        (T, HELLO3),
        (T, ("CLIENT", "TRACKING", "on", "OPTIN")),
        (T, ("CLIENT", "CACHING", "yes")),
        (T, ("CLIENT", "NOSUCH")),  # an unknown subcommand clears it
        (T, ("GET", "a")),
        (T, ("CLIENT", "CACHING", "yes")),
        (T, ("CLIENT", "ID", "extra")),  # a CLIENT subcommand, even failing, keeps it
        (T, ("GET", "b")),
        (T, ("CLIENT", "CACHING", "yes")),
        (T, ("NOSUCHCOMMAND",)),
        (T, ("GET", "c")),
        (T, ("CLIENT", "CACHING", "yes")),
        (T, ("GET", "x", "y")),  # wrong arity clears it
        (T, ("GET", "d")),
        (W, ("MSET", "a", "1", "b", "1", "c", "1", "d", "1")),
    ]),
    "flush_null_across_protocols": (3, [
        (W, ("SUBSCRIBE", "__redis__:invalidate")),
        (X, HELLO3),
        # A RESP3 tracking client redirecting to a RESP2 subscriber: the null is RESP3's, as
        # Redis writes it (shared.null of the tracking client's protocol).
        (T, HELLO3),
        (T, ("CLIENT", "TRACKING", "on", "REDIRECT", "{id1}"), "ids"),
        (T, ("FLUSHALL",)),
        (T, ("CLIENT", "TRACKING", "off")),
        (T, ("HELLO", "2")),
        (T, ("CLIENT", "TRACKING", "on", "REDIRECT", "{id2}"), "ids"),
        (W, ("FLUSHALL",)),
        (T, ("FLUSHDB",)),
    ]),
    "errors": (2, [
        (T, ("CLIENT", "TRACKING", "on", "PREFIX", "a")),
        (T, ("CLIENT", "TRACKING", "on", "OPTIN", "OPTOUT")),
        (T, ("CLIENT", "TRACKING", "on", "BCAST", "OPTIN")),
        (T, ("CLIENT", "TRACKING", "on", "BCAST", "OPTOUT")),
        (T, ("CLIENT", "TRACKING", "on", "REDIRECT", "0")),
        (T, ("CLIENT", "TRACKING", "on", "REDIRECT", "-5")),
        (T, ("CLIENT", "TRACKING", "on", "REDIRECT", "999999")),
        (T, ("CLIENT", "TRACKING", "on", "REDIRECT", "x")),
        (T, ("CLIENT", "TRACKING", "on", "REDIRECT", "{id1}", "REDIRECT", "{id1}"), "ids"),
        (T, ("CLIENT", "TRACKING", "on", "REDIRECT")),
        (T, ("CLIENT", "TRACKING", "on", "PREFIX")),
        (T, ("CLIENT", "TRACKING", "on", "foo")),
        (T, ("CLIENT", "TRACKING", "maybe")),
        (T, ("CLIENT", "TRACKING", "maybe", "foo")),
        (T, ("CLIENT", "TRACKING", "off", "REDIRECT", "x")),
        (T, ("CLIENT", "TRACKING")),
        (T, ("CLIENT", "CACHING", "yes")),
        (T, ("CLIENT", "CACHING")),
        (T, ("CLIENT", "CACHING", "yes", "x")),
        (T, ("CLIENT", "GETREDIR", "x")),
        (T, ("CLIENT", "TRACKINGINFO", "x")),
        (T, ("CLIENT", "TRACKINGINFO")),
        (T, ("CLIENT", "GETREDIR")),
        (T, ("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "ab", "PREFIX", "a")),
        (T, ("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "x", "PREFIX", "y", "PREFIX", "xy")),
        (T, ("CLIENT", "TRACKINGINFO")),
        (T, ("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a")),
        (T, ("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "abc")),
        (T, ("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "")),
        (T, ("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a")),  # the same prefix again
        (T, ("CLIENT", "TRACKING", "on")),
        (T, ("CLIENT", "TRACKINGINFO")),
        (T, ("CLIENT", "TRACKING", "off")),
        (T, ("CLIENT", "TRACKING", "on", "BCAST")),
        (T, ("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a")),
        (T, ("CLIENT", "TRACKING", "off")),
        (T, ("CLIENT", "TRACKING", "on", "OPTIN")),
        (T, ("CLIENT", "CACHING", "no")),
        (T, ("CLIENT", "CACHING", "maybe")),
        (T, ("CLIENT", "TRACKING", "on", "OPTOUT")),
        (T, ("CLIENT", "TRACKING", "on", "BCAST")),
        (T, ("CLIENT", "TRACKING", "on")),  # OPTIN dropped: plain tracking again
        (T, ("CLIENT", "TRACKINGINFO")),
        (T, ("CLIENT", "TRACKING", "off")),
        (T, ("CLIENT", "TRACKING", "off")),
        (T, ("CLIENT", "TRACKING", "ON", "noloop", "Redirect", "{id1}"), "ids"),
        (T, ("CLIENT", "TRACKINGINFO"), "ids"),
        (T, ("HELLO", "3")),
        (T, ("CLIENT", "TRACKINGINFO"), "ids"),
        (T, ("CLIENT", "TRACKING", "off")),
        (T, ("CLIENT", "TRACKINGINFO")),
    ]),
}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_tracking_transcript(server, redis_ref, name):
    nclients, steps = SCRIPTS[name]
    compare(server, redis_ref, nclients, steps)
