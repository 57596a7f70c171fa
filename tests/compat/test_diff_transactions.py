"""Differential tests for MULTI/EXEC/DISCARD/WATCH/UNWATCH: the same steps go to dq and to
redis-server (one or two connections each) and every raw reply must be equal."""
import time

import pytest

from dqtest import diff_stream


STREAMS = {
    "basic": [
        ("EXEC",), ("DISCARD",), ("MULTI",), ("SET", "k", "v"), ("INCR", "k"),
        ("LPUSH", "k", "x"), ("GET", "k"), ("RPUSH", "l", "a"), ("LPOP", "l"), ("EXEC",),
        ("GET", "k"), ("MULTI",), ("EXEC",), ("MULTI",), ("DISCARD",), ("DISCARD",),
    ],
    "queue_errors": [
        ("MULTI",), ("SET", "k"), ("SET", "k", "v"), ("EXEC",), ("GET", "k"),
        ("MULTI",), ("NOSUCH", "a", "b"), ("SET", "k", "w"), ("EXEC",), ("GET", "k"),
        ("MULTI",), ("CLIENT", "NOSUCH"), ("EXEC",),
        ("MULTI",), ("GET",), ("DISCARD",), ("EXEC",),
    ],
    "control_errors": [
        ("MULTI",), ("MULTI",), ("WATCH", "k"), ("SET", "k", "z"), ("EXEC",),
        ("WATCH",), ("UNWATCH", "x"), ("MULTI", "x"), ("EXEC", "x"), ("DISCARD", "x"),
        ("MULTI",), ("EXEC", "x"), ("SET", "k", "q"), ("EXEC",), ("GET", "k"),
        ("MULTI",), ("DISCARD", "x"), ("EXEC",),
        ("MULTI",), ("UNWATCH",), ("PING",), ("ECHO", "e"), ("EXEC",),
    ],
    "watch_self": [
        ("WATCH", "k"), ("SET", "k", "1"), ("MULTI",), ("INCR", "k"), ("EXEC",), ("GET", "k"),
        ("WATCH", "k", "k", "other"), ("MULTI",), ("INCR", "k"), ("EXEC",), ("GET", "k"),
        ("WATCH", "k"), ("UNWATCH",), ("SET", "k", "9"), ("MULTI",), ("INCR", "k"), ("EXEC",),
        ("WATCH", "nokey"), ("LPOP", "nokey"), ("MULTI",), ("PING",), ("EXEC",),
        ("WATCH", "k"), ("SET", "k", "x", "NX"), ("MULTI",), ("PING",), ("EXEC",),
        ("WATCH", "k"), ("MULTI",), ("DISCARD",), ("SET", "k", "y"), ("MULTI",), ("PING",),
        ("EXEC",),
    ],
    "runtime_errors_inline": [
        ("SET", "s", "x"), ("MULTI",), ("INCR", "s"), ("LPUSH", "s", "a"), ("SET", "k", "v"),
        ("LPOP", "s"), ("LSET", "nokey", "0", "v"), ("RPUSH", "l", "1"), ("LPOS", "l", "1", "RANK", "0"),
        ("EXEC",), ("GET", "k"),
    ],
    "select_in_multi": [
        ("MULTI",), ("SELECT", "1"), ("SET", "k", "db1"), ("SELECT", "0"), ("EXEC",), ("GET", "k"),
        ("SELECT", "1"), ("GET", "k"), ("DEL", "k"), ("SELECT", "0"),
    ],
    "blocking_inside": [
        ("MULTI",), ("BLPOP", "q", "0"), ("BRPOP", "q", "0"), ("BLMOVE", "q", "d", "LEFT", "LEFT", "0"),
        ("BRPOPLPUSH", "q", "d", "0"), ("BLMPOP", "0", "1", "q", "LEFT"), ("RPUSH", "q", "a", "b"),
        ("BLPOP", "q", "0"), ("BRPOPLPUSH", "q", "d", "0"), ("EXEC",), ("LRANGE", "d", "0", "-1"),
    ],
}


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_stream(pair, name):
    diff_stream(pair, STREAMS[name])


def test_resp3_exec_and_null(pair):
    for c in pair:
        c.cmd("HELLO", "3")
    diff_stream(pair, [
        ("MULTI",), ("SET", "k", "v"), ("LPOP", "nokey", "1"), ("EXEC",),
        ("WATCH", "k"), ("SET", "k", "w"), ("MULTI",), ("PING",), ("EXEC",),
    ])


def two_conn(srv, steps):
    """Runs (conn, cmd...) steps on two raw connections "a" and "b"; returns the replies."""
    conns = {"a": srv.raw(), "b": srv.raw()}
    conns["a"].cmd("FLUSHALL")
    out = []
    try:
        for st in steps:
            if st[0] == "sleep":
                time.sleep(st[1])
                continue
            if st[1] == "DEBUG":  # the reference may refuse DEBUG: its reply is not compared
                conns[st[0]].cmd(*st[1:])
                continue
            out.append(conns[st[0]].cmd(*st[1:]))
    finally:
        conns["a"].cmd("DEBUG", "SET-ACTIVE-EXPIRE", "1")  # (refused by the reference)
        for c in conns.values():
            c.close()
    return out


TWO_CONN = {
    "watch_other_writes": [
        ("a", "SET", "k", "1"), ("a", "WATCH", "k"), ("b", "SET", "k", "2"), ("a", "MULTI"),
        ("a", "SET", "k", "3"), ("a", "EXEC"), ("a", "GET", "k"),
        ("a", "MULTI"), ("a", "SET", "k", "3"), ("a", "EXEC"),
    ],
    "watch_other_list_ops": [
        ("a", "RPUSH", "l", "x"), ("a", "WATCH", "l"), ("b", "LPOP", "l"), ("a", "MULTI"),
        ("a", "PING"), ("a", "EXEC"), ("a", "WATCH", "l"), ("b", "LPOP", "l"), ("a", "MULTI"),
        ("a", "PING"), ("a", "EXEC"), ("a", "WATCH", "l"), ("b", "RPUSHX", "l", "y"),
        ("a", "MULTI"), ("a", "PING"), ("a", "EXEC"),
    ],
    "watch_flush_and_swap": [
        ("a", "WATCH", "nokey"), ("b", "FLUSHALL"), ("a", "MULTI"), ("a", "PING"), ("a", "EXEC"),
        ("a", "SET", "x", "1"), ("a", "WATCH", "x"), ("b", "FLUSHDB"), ("a", "MULTI"),
        ("a", "PING"), ("a", "EXEC"), ("a", "SET", "x", "1"), ("a", "WATCH", "x"),
        ("b", "SWAPDB", "0", "1"), ("a", "MULTI"), ("a", "PING"), ("a", "EXEC"),
        ("b", "FLUSHALL"),
    ],
    "watch_expiry": [
        ("a", "DEBUG", "SET-ACTIVE-EXPIRE", "0"),
        ("a", "SET", "k", "v", "PX", "30"), ("a", "WATCH", "k"), ("a", "MULTI"), ("a", "PING"),
        ("sleep", 0.08), ("a", "EXEC"),
        ("a", "SET", "k2", "v", "PX", "10"), ("sleep", 0.05), ("a", "WATCH", "k2"),
        ("a", "MULTI"), ("a", "PING"), ("a", "EXEC"),
        ("a", "SET", "k3", "v", "PX", "100000"), ("a", "WATCH", "k3"), ("b", "PERSIST", "k3"),
        ("a", "MULTI"), ("a", "PING"), ("a", "EXEC"),
    ],
    "queued_then_other_writes": [
        ("a", "MULTI"), ("a", "INCR", "n"), ("b", "SET", "n", "10"), ("a", "EXEC"),
        ("b", "GET", "n"),
    ],
}


@pytest.mark.parametrize("name", sorted(TWO_CONN))
def test_two_connections(server, redis_ref, name):
    assert two_conn(server, TWO_CONN[name]) == two_conn(redis_ref, TWO_CONN[name])
