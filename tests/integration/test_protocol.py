"""The protocol layer against a real dq-server: pipelining, requests split at every byte,
inline commands, protocol errors (reply, then close), the unauthenticated caps, the query
buffer limit, proto-max-bulk-len, big and binary values, RESP3 via HELLO, and real clients
(redis-cli -3, redis-cli --pipe, redis-benchmark).

Byte-for-byte comparisons with redis-server: tests/compat/test_diff_protocol.py."""
import os
import socket
import subprocess
import time

import pytest

from dqtest import REDIS_CLI, cli, encode_command

REDIS_BENCHMARK = "/usr/bin/redis-benchmark"


def read_n_replies(c, n):
    return [c.read_reply_bytes() for _ in range(n)]


# ---- pipelining and splitting ---------------------------------------------------------------

def test_pipeline_thousands_in_one_write(raw):
    raw.cmd("DEL", "counter")
    n = 5000
    payload = b"".join(encode_command("INCR", "counter") for _ in range(n))
    payload += b"".join(encode_command("SET", "k:%d" % i, "v:%d" % i) for i in range(n))
    payload += b"".join(encode_command("GET", "k:%d" % i) for i in range(n))
    raw.send(payload)
    incrs = read_n_replies(raw, n)
    assert incrs == [b":%d\r\n" % (i + 1) for i in range(n)]
    assert read_n_replies(raw, n) == [b"+OK\r\n"] * n
    gets = read_n_replies(raw, n)
    assert gets == [b"$%d\r\nv:%d\r\n" % (len(b"v:%d" % i), i) for i in range(n)]


def test_pipeline_mixed_inline_and_multibulk(raw):
    payload = (b"PING\r\n" + encode_command("SET", "a", "1") + b"GET a\n" + b"\r\n" +
               b"*0\r\n" + b"*-1\r\n" + b"ECHO \"x y\"\r\n" + encode_command("INCR", "a"))
    raw.send(payload)
    assert read_n_replies(raw, 5) == [b"+PONG\r\n", b"+OK\r\n", b"$1\r\n1\r\n",
                                      b"$3\r\nx y\r\n", b":2\r\n"]
    raw.send(b"PING\r\n")
    assert raw.read_reply_bytes() == b"+PONG\r\n"  # the empty commands sent no reply


def test_request_split_byte_by_byte(server):
    c = server.raw()
    c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    stream = (encode_command("SET", "split", "a\r\nb") + b"GET split\r\n" +
              encode_command("APPEND", "split", "x" * 40) + encode_command("STRLEN", "split"))
    for i in range(len(stream)):
        c.send(stream[i:i + 1])
        if i % 4 == 0:
            time.sleep(0.0005)  # let the server read most bytes separately
    assert read_n_replies(c, 4) == [b"+OK\r\n", b"$4\r\na\r\nb\r\n", b":44\r\n", b":44\r\n"]
    c.close()


def test_big_bulk_in_pieces(raw):
    value = os.urandom(300000)
    msg = encode_command("SET", "big", value)
    for i in range(0, len(msg), 7777):
        raw.send(msg[i:i + 7777])
    assert raw.read_reply_bytes() == b"+OK\r\n"
    assert raw.cmd("GET", "big") == b"$300000\r\n" + value + b"\r\n"


def test_ten_megabyte_value_round_trip(r):
    value = os.urandom(10 * 1024 * 1024)
    assert r.set("ten", value)
    assert r.strlen("ten") == len(value)
    assert r.get("ten") == value
    assert r.getrange("ten", 5 * 1024 * 1024, 5 * 1024 * 1024 + 9) == value[5242880:5242890]


def test_binary_safe_keys_and_values(raw):
    key = b"k\x00\r\n*1\r\n$3\r\n"
    val = b"\x00\r\n\r\n$-1\r\n\xff\x00"
    assert raw.cmd("SET", key, val) == b"+OK\r\n"
    assert raw.cmd("GET", key) == b"$%d\r\n%s\r\n" % (len(val), val)
    assert raw.cmd("EXISTS", key) == b":1\r\n"
    assert raw.cmd("EXISTS", b"k") == b":0\r\n"
    assert raw.cmd("ECHO", val) == b"$%d\r\n%s\r\n" % (len(val), val)


# ---- inline commands ------------------------------------------------------------------------

def test_inline_commands(raw):
    raw.send(b"PING\r\n")
    assert raw.read_reply_bytes() == b"+PONG\r\n"
    raw.send(b"SET k \"hello world\"\r\n")
    assert raw.read_reply_bytes() == b"+OK\r\n"
    raw.send(b"GET k\n")  # LF alone ends a line too
    assert raw.read_reply_bytes() == b"$11\r\nhello world\r\n"
    raw.send(b"SET k2 'it\\'s'\r\nGET k2\r\n")
    assert read_n_replies(raw, 2) == [b"+OK\r\n", b"$4\r\nit's\r\n"]
    raw.send(b"SET k3 \"\\x00\\xff\\n\"\r\nSTRLEN k3\r\n")
    assert read_n_replies(raw, 2) == [b"+OK\r\n", b":3\r\n"]
    raw.send(b"\r\n\n   \r\nECHO   spaced    \r\n")  # empty lines are ignored
    assert raw.read_reply_bytes() == b"$6\r\nspaced\r\n"
    raw.send(b"NOPE a b\r\n")
    assert raw.read_reply_bytes() == \
        b"-ERR unknown command 'NOPE', with args beginning with: 'a' 'b' \r\n"


# ---- protocol errors: the error, then the connection closes ---------------------------------

PROTOCOL_ERRORS = [
    (b"*abc\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
    (b"*3000000000\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
    (b"*1\r\n$-1\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    (b"*1\r\n$abc\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    (b"*1\r\n$536870913\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    (b"*1\r\nx3\r\nabc\r\n", b"-ERR Protocol error: expected '$', got 'x'\r\n"),
    (b"*2\r\n$3\r\nGET\r\n:1\r\n", b"-ERR Protocol error: expected '$', got ':'\r\n"),
    (b"*1\r\n\r\n", b"-ERR Protocol error: expected '$', got ' '\r\n"),
    (b"SET k \"unbalanced\r\n", b"-ERR Protocol error: unbalanced quotes in request\r\n"),
    (b"SET k 'v'x\r\n", b"-ERR Protocol error: unbalanced quotes in request\r\n"),
    (b"x" * (64 * 1024 + 1), b"-ERR Protocol error: too big inline request\r\n"),
    (b"*" + b"1" * (64 * 1024 + 1), b"-ERR Protocol error: too big mbulk count string\r\n"),
    (b"*1\r\n$" + b"1" * (64 * 1024 + 1), b"-ERR Protocol error: too big bulk count string\r\n"),
]


@pytest.mark.parametrize("bad,reply", PROTOCOL_ERRORS, ids=range(len(PROTOCOL_ERRORS)))
def test_protocol_error_replies_then_closes(server, bad, reply):
    c = server.raw()
    # A good command first, in the same write: it is answered before the error.
    c.send(b"PING\r\n" + bad)
    assert c.read_reply_bytes() == b"+PONG\r\n"
    assert c.read_reply_bytes() == reply
    assert c.closed_by_peer()
    assert c.buf == b""
    c.close()
    # The server is fine.
    c2 = server.raw()
    assert c2.cmd("PING") == b"+PONG\r\n"
    c2.close()


def test_pending_replies_are_flushed_before_the_close(server):
    c = server.raw()
    c.send(b"".join(encode_command("ECHO", "x" * 1000) for _ in range(200)) + b"*x\r\n")
    for _ in range(200):
        assert c.read_reply_bytes() == b"$1000\r\n" + b"x" * 1000 + b"\r\n"
    assert c.read_reply_bytes() == b"-ERR Protocol error: invalid multibulk length\r\n"
    assert c.closed_by_peer()
    c.close()


def test_protocol_errors_counted_in_info(server):
    def err_count():
        c = server.raw()
        text = c.cmd("INFO", "errorstats").decode()
        c.close()
        for line in text.split("\r\n"):
            if line.startswith("errorstat_ERR:count="):
                return int(line.split("=")[1])
        return 0

    before = err_count()
    c = server.raw()
    c.send(b"*abc\r\n")
    c.read_reply_bytes()
    assert c.closed_by_peer()
    c.close()
    assert err_count() == before + 1


# ---- unauthenticated clients ----------------------------------------------------------------

@pytest.fixture
def auth_server(start_server):
    return start_server(requirepass="x")


def test_unauthenticated_caps(auth_server):
    c = auth_server.raw()
    assert c.cmd("GET", "k") == b"-NOAUTH Authentication required.\r\n"
    # Ten arguments are fine (and refused by the auth gate), eleven close the connection.
    assert c.cmd(*(["MSET"] + ["a"] * 9)) == b"-NOAUTH Authentication required.\r\n"
    c.send(encode_command(*(["MSET"] + ["a"] * 10)))
    assert c.read_reply_bytes() == b"-ERR Protocol error: unauthenticated multibulk length\r\n"
    assert c.closed_by_peer()
    c.close()

    c = auth_server.raw()
    assert c.cmd("ECHO", "x" * 16384) == b"-NOAUTH Authentication required.\r\n"
    c.send(b"*2\r\n$4\r\nECHO\r\n$16385\r\n")
    assert c.read_reply_bytes() == b"-ERR Protocol error: unauthenticated bulk length\r\n"
    assert c.closed_by_peer()
    c.close()


def test_authenticated_clients_have_no_caps(auth_server):
    c = auth_server.raw()
    assert c.cmd("AUTH", "x") == b"+OK\r\n"
    args = ["MSET"] + ["k%d" % (i // 2) if i % 2 == 0 else "v" for i in range(40)]
    assert c.cmd(*args) == b"+OK\r\n"
    assert c.cmd("ECHO", "x" * 100000) == b"$100000\r\n" + b"x" * 100000 + b"\r\n"
    c.close()


def test_auth_then_big_command_in_the_same_write(auth_server):
    c = auth_server.raw()
    c.send(encode_command("AUTH", "x") + encode_command("ECHO", "y" * 20000))
    assert c.read_reply_bytes() == b"+OK\r\n"
    assert c.read_reply_bytes() == b"$20000\r\n" + b"y" * 20000 + b"\r\n"
    c.close()


# ---- limits ---------------------------------------------------------------------------------

def test_client_query_buffer_limit(start_server):
    s = start_server(client_query_buffer_limit="1mb")
    c = s.raw()
    # A partial bulk bigger than the limit: the connection is closed (no reply).
    c.send(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000\r\n")
    try:
        c.send(b"x" * (1024 * 1024 + 100000))
    except (BrokenPipeError, ConnectionResetError):
        pass
    assert c.closed_by_peer(timeout=5)
    c.close()
    # Below the limit all is well.
    c = s.raw()
    assert c.cmd("SET", "k", "x" * 900000) == b"+OK\r\n"
    assert c.cmd("STRLEN", "k") == b":900000\r\n"
    c.close()


def test_proto_max_bulk_len(start_server):
    s = start_server(proto_max_bulk_len="1mb")
    c = s.raw()
    assert c.cmd("SET", "k", "x" * (1024 * 1024)) == b"+OK\r\n"
    c.send(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n")
    assert c.read_reply_bytes() == b"-ERR Protocol error: invalid bulk length\r\n"
    assert c.closed_by_peer()
    c.close()


# ---- RESP3 ----------------------------------------------------------------------------------

def test_hello_3_map(server):
    c = server.raw()
    reply = c.cmd("HELLO", "3")
    assert reply.startswith(b"%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n")
    assert b"$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:" in reply
    assert reply.endswith(b"$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
                          b"$7\r\nmodules\r\n*0\r\n")
    # RESP3 replies from now on.
    assert c.cmd("GET", "nokey") == b"_\r\n"
    assert c.cmd("MGET", "nokey", "nokey") == b"*2\r\n_\r\n_\r\n"
    c.cmd("DEL", "h3")
    assert c.cmd("SET", "h3", "v", "XX") == b"_\r\n"
    assert c.cmd("SET", "h3", "v") == b"+OK\r\n"
    assert c.cmd("SET", "h3", "w", "GET") == b"$1\r\nv\r\n"
    # Back to RESP2.
    reply = c.cmd("HELLO", "2")
    assert reply.startswith(b"*14\r\n$6\r\nserver\r\n")
    assert c.cmd("GET", "nokey") == b"$-1\r\n"
    c.close()


def test_hello_errors(raw):
    assert raw.cmd("HELLO", "4") == b"-NOPROTO unsupported protocol version\r\n"
    assert raw.cmd("HELLO", "1") == b"-NOPROTO unsupported protocol version\r\n"
    assert raw.cmd("HELLO", "x") == \
        b"-ERR Protocol version is not an integer or out of range\r\n"
    assert raw.cmd("GET", "nokey") == b"$-1\r\n"  # still RESP2


def test_redis_cli_resp3(server):
    out, rc = cli(server.port, "-3", "SET", "cli3", "v")
    assert rc == 0 and out.strip() == "OK"
    out, rc = cli(server.port, "-3", "--no-raw", "GET", "cli3")
    assert rc == 0 and out.strip() == '"v"'
    out, rc = cli(server.port, "-3", "--no-raw", "GET", "nokey")
    assert rc == 0 and out.strip() == "(nil)"
    out, rc = cli(server.port, "-3", "--no-raw", "HELLO", "3")
    assert rc == 0
    assert '1# "server" => "redis"' in out and '3# "proto" => (integer) 3' in out


# ---- real clients at volume -----------------------------------------------------------------

def test_redis_cli_pipe_100k(start_server):
    s = start_server()
    payload = b"".join(encode_command("SET", "key:%d" % i, "value:%d" % i)
                       for i in range(100000))
    p = subprocess.run([REDIS_CLI, "-p", str(s.port), "--pipe"], input=payload,
                       capture_output=True, timeout=60)
    out = p.stdout.decode()
    assert p.returncode == 0, out + p.stderr.decode()
    assert "errors: 0, replies: 100000" in out
    out, rc = cli(s.port, "DBSIZE")
    assert out.strip() == "100000"
    out, rc = cli(s.port, "GET", "key:99999")
    assert out.strip() == "value:99999"


@pytest.mark.skipif(not os.path.exists(REDIS_BENCHMARK), reason="redis-benchmark not installed")
def test_redis_benchmark_quick(start_server):
    s = start_server()
    for extra in ([], ["-P", "16"]):
        p = subprocess.run([REDIS_BENCHMARK, "-p", str(s.port), "-n", "10000", "-q",
                            "-t", "ping,set,get,incr,mset"] + extra,
                           capture_output=True, timeout=120)
        out = p.stdout.decode() + p.stderr.decode()
        assert p.returncode == 0, out
        assert "ERR" not in out and "rror" not in out, out
        for name in ("PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "MSET"):
            assert name in out, out
    assert s.client().get("counter:__rand_int__") is not None
