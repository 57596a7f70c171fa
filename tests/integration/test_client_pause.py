"""CLIENT PAUSE / UNPAUSE, run against dq and against redis-server side by side: which
commands are held, for how long, in which order their replies come, and what INFO / CLIENT
LIST show meanwhile."""
import time

import pytest

from dqtest import RawClient, encode_command

PAUSE_MS = 700
HELD = 0.50      # a held command answers no sooner than this after it was sent (seconds)
PROMPT = 0.35    # an unaffected command answers sooner than this


@pytest.fixture(params=["dq", "redis"])
def port(request, server, redis_ref):
    srv = server if request.param == "dq" else redis_ref
    c = RawClient(srv.port)
    c.cmd("CLIENT", "UNPAUSE")
    c.cmd("FLUSHALL")
    c.close()
    yield srv.port
    c = RawClient(srv.port)
    c.cmd("CLIENT", "UNPAUSE")
    c.close()


def timed(c, *args):
    t = time.monotonic()
    reply = c.cmd(*args)
    return reply, time.monotonic() - t


def test_write_pause_holds_writes_only(port):
    admin, c = RawClient(port), RawClient(port)
    try:
        assert admin.cmd("CLIENT", "PAUSE", str(PAUSE_MS), "WRITE") == b"+OK\r\n"
        reply, dt = timed(c, "GET", "x")
        assert reply == b"$-1\r\n" and dt < PROMPT
        c.send(encode_command("SET", "x", "1"))
        time.sleep(0.1)
        assert b"blocked_clients:1\r\n" in admin.cmd("INFO", "clients")
        listing = admin.cmd("CLIENT", "LIST")
        assert b" flags=b " in listing and b" cmd=set " in listing
        t = time.monotonic()
        assert c.read_reply_bytes() == b"+OK\r\n"
        assert time.monotonic() - t + 0.1 >= HELD
        assert admin.cmd("GET", "x") == b"$1\r\n1\r\n"
        assert b"blocked_clients:0\r\n" in admin.cmd("INFO", "clients")
    finally:
        admin.close()
        c.close()


def test_all_pause_holds_everything_even_unpause(port):
    admin, c = RawClient(port), RawClient(port)
    try:
        assert admin.cmd("CLIENT", "PAUSE", str(PAUSE_MS), "ALL") == b"+OK\r\n"
        reply, dt = timed(c, "PING")
        assert reply == b"+PONG\r\n" and dt >= HELD
        assert admin.cmd("CLIENT", "PAUSE", str(PAUSE_MS)) == b"+OK\r\n"  # ALL by default
        reply, dt = timed(c, "CLIENT", "UNPAUSE")  # held as well: only the timeout ends it
        assert reply == b"+OK\r\n" and dt >= HELD
    finally:
        admin.close()
        c.close()


def test_unpause_releases_held_clients_in_order(port):
    admin, a, b = RawClient(port), RawClient(port), RawClient(port)
    try:
        assert admin.cmd("CLIENT", "PAUSE", "5000", "WRITE") == b"+OK\r\n"
        # a pipelines a write and a read: both wait, replies in order.
        a.send(encode_command("RPUSH", "q", "a1") + encode_command("LRANGE", "q", "0", "-1"))
        time.sleep(0.05)
        b.send(encode_command("RPUSH", "q", "b1"))
        time.sleep(0.1)
        assert admin.cmd("LLEN", "q") == b":0\r\n"
        reply, dt = timed(admin, "CLIENT", "UNPAUSE")
        assert reply == b"+OK\r\n" and dt < PROMPT
        assert a.read_reply_bytes() == b":1\r\n"
        assert a.read_reply_bytes() == b"*1\r\n$2\r\na1\r\n"
        assert b.read_reply_bytes() == b":2\r\n"
    finally:
        for c in (admin, a, b):
            c.close()


def test_transactions_under_write_pause(port):
    admin, c = RawClient(port), RawClient(port)
    try:
        assert admin.cmd("CLIENT", "PAUSE", str(PAUSE_MS), "WRITE") == b"+OK\r\n"
        assert timed(c, "MULTI")[0] == b"+OK\r\n"
        assert timed(c, "GET", "x")[0] == b"+QUEUED\r\n"
        reply, dt = timed(c, "EXEC")  # a read-only transaction runs at once
        assert reply == b"*1\r\n$-1\r\n" and dt < PROMPT
        assert c.cmd("MULTI") == b"+OK\r\n"
        reply, dt = timed(c, "SET", "x", "1")  # held before it is even queued
        assert reply == b"+QUEUED\r\n" and dt >= HELD
        assert c.cmd("EXEC") == b"*1\r\n+OK\r\n"
    finally:
        admin.close()
        c.close()


def test_pause_never_shortens_and_widens_to_all(port):
    admin, c = RawClient(port), RawClient(port)
    try:
        assert admin.cmd("CLIENT", "PAUSE", str(PAUSE_MS), "WRITE") == b"+OK\r\n"
        assert admin.cmd("CLIENT", "PAUSE", "10", "ALL") == b"+OK\r\n"
        reply, dt = timed(c, "PING")  # ALL now, until the first pause's end
        assert reply == b"+PONG\r\n" and dt >= HELD
    finally:
        admin.close()
        c.close()


def test_disconnect_while_held(port):
    admin, c = RawClient(port), RawClient(port)
    try:
        assert admin.cmd("CLIENT", "PAUSE", "5000", "WRITE") == b"+OK\r\n"
        c.send(encode_command("SET", "gone", "1"))
        time.sleep(0.05)
        c.close()
        time.sleep(0.05)
        assert admin.cmd("CLIENT", "UNPAUSE") == b"+OK\r\n"
        time.sleep(0.05)
        assert admin.cmd("EXISTS", "gone") == b":0\r\n"
        assert b"blocked_clients:0\r\n" in admin.cmd("INFO", "clients")
    finally:
        admin.close()
