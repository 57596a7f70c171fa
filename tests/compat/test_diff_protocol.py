"""Differential protocol tests: the same bytes go to dq and to redis-server; everything each
one sends back until it closes the connection (or goes quiet) must be equal, byte for byte.

Not compared: the HELLO reply itself (version and client id differ), and lines longer than
64 KiB that arrive at once (Redis's answer depends on its read sizes; dq always says
"too big ...", see protocol/resp_parser.h)."""
import random
import socket
import time

import pytest

from dqtest import REDIS_SERVER, DQ_SERVER, ServerProc, encode_command


SENTINEL = b"*1\r\n$12\r\n__SENTINEL__\r\n"
SENTINEL_REPLY = b"-ERR unknown command '__SENTINEL__', with args beginning with: \r\n"


def exchange(port, data, pieces=None, sentinel=True, quiet=None):
    """Sends data (optionally in pieces, pausing between them) and returns (bytes received,
    closed?). Reading stops when the peer closes, or when the reply to a sentinel command
    sent last arrives (an unknown command: answered in any state, even unauthenticated), or
    after `quiet` seconds of silence when given (for input that is never answered)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    pieces = list(pieces) if pieces else [data]
    if sentinel and quiet is None:
        pieces.append(SENTINEL)
    try:
        for p in pieces:
            s.sendall(p)
            if len(pieces) > 2:
                time.sleep(0.002)
    except (BrokenPipeError, ConnectionResetError):
        pass
    out = b""
    closed = False
    s.settimeout(quiet or 10)
    try:
        while not (sentinel and quiet is None and out.endswith(SENTINEL_REPLY)):
            chunk = s.recv(65536)
            if not chunk:
                closed = True
                break
            out += chunk
    except socket.timeout:
        if quiet is None:
            raise
    except ConnectionResetError:
        closed = True
    s.close()
    return out, closed


@pytest.fixture
def ports(server, redis_ref):
    for p in (server.port, redis_ref.port):
        exchange(p, encode_command("FLUSHALL"))
    return server.port, redis_ref.port


def same(ports, data, **kw):
    a = exchange(ports[0], data, **kw)
    b = exchange(ports[1], data, **kw)
    assert a == b, "dq %r != redis %r" % (a, b)
    return a


MALFORMED = [
    b"*abc\r\n", b"*\r\n", b"*01\r\n", b"*-\r\n", b"*3000000000\r\n", b"*1\r\n$-1\r\n",
    b"*1\r\n$abc\r\n", b"*1\r\n$\r\n", b"*1\r\n$01\r\n", b"*1\r\n$536870913\r\n",
    b"*1\r\nx3\r\nabc\r\n", b"*2\r\n$3\r\nGET\r\n:1\r\n", b"*1\r\n\r\n", b"*1\r\n\n\r\n",
    b"SET k \"unbalanced\r\n", b"SET k 'v'x\r\n", b"SET k \"v\"x\r\n", b"GET \"\\\"\r\n",
    b"x" * (64 * 1024 + 1), b"*" + b"1" * (64 * 1024 + 1),
    b"*1\r\n$" + b"1" * (64 * 1024 + 1),
]


@pytest.mark.parametrize("bad", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed(ports, bad):
    out, closed = same(ports, b"PING\r\n" + encode_command("SET", "a", "1") + bad,
                       sentinel=False)
    assert closed and out.startswith(b"+PONG\r\n+OK\r\n-ERR Protocol error")


def test_nul_in_header_never_completes(ports):
    # Redis searches header lines with strchr(): a NUL hides the CR, so nothing is answered.
    for data in (b"*1\x00\r\n$4\r\nPING\r\n", b"*1\r\n$4\x00\r\nPING\r\n", b"PI\x00NG\r\n"):
        out, closed = same(ports, b"PING\r\n" + data, quiet=0.2)
        assert out == b"+PONG\r\n" and not closed


def test_inline(ports):
    lines = [b"PING", b"ECHO hello", b"SET k \"a b\"", b"GET k", b"SET k 'x\\'y'", b"GET k",
             b"SET k \"\\x41\\x4a\\n\\t\\\\\"", b"GET k", b"ECHO \"\\xZZ\"", b"", b"   ",
             b"ECHO a\x0bb", b"ECHO \"a\"\x0b'b'", b"ECHO  \t spaced \t", b"NOPE x y",
             b"ECHO", b"SET k \"\"", b"STRLEN k", b"ECHO \"\\x00\"", b"get k"]
    same(ports, b"".join(l + b"\r\n" for l in lines))
    same(ports, b"".join(l + b"\n" for l in lines))


def test_empty_commands(ports):
    out, closed = same(ports, b"*0\r\n*-1\r\n*-100\r\n\r\n\n*1\r\n$4\r\nPING\r\n")
    assert out == b"+PONG\r\n" + SENTINEL_REPLY and not closed


def test_bulk_trailer_not_checked(ports):
    out, _ = same(ports, b"*1\r\n$4\r\nPINGxx*1\rX$4\rYPING\r\n")
    assert out == b"+PONG\r\n+PONG\r\n" + SENTINEL_REPLY


def test_pipelined_stream_random_splits(ports):
    rnd = random.Random(7)
    stream = b"".join([
        encode_command("SET", "a", "x\r\ny"), b"GET a\r\n", encode_command("MGET", "a", "b"),
        encode_command("INCR", "n"), b"INCRBY n 5\n", encode_command("APPEND", "a", "\x00"),
        encode_command("GETRANGE", "a", "0", "-1"), encode_command("LCS", "a", "a", "IDX"),
        encode_command("SET", "a", "v", "EX", "0"), b"*0\r\n",
        encode_command("GETEX", "a", "PERSIST"), b"ECHO 'done'\r\n",
    ] * 5)
    for _ in range(5):
        cuts = sorted(rnd.sample(range(1, len(stream)), 40))
        pieces = [stream[i:j] for i, j in zip([0] + cuts, cuts + [len(stream)])]
        out, closed = same(ports, None, pieces=pieces)
        assert out.endswith(SENTINEL_REPLY) and not closed


def test_resp3_replies(ports):
    cmds = [("SET", "k", "v", "XX"), ("GET", "nokey"), ("MGET", "k", "nokey"), ("SET", "k", "v"),
            ("SET", "k", "w", "GET"), ("GETDEL", "nokey"), ("GETEX", "nokey"),
            ("MSET", "a", "ohmytext", "b", "mynewtext"),
            ("LCS", "a", "b", "IDX", "WITHMATCHLEN"), ("LCS", "a", "b", "LEN"),
            ("INCRBYFLOAT", "f", "1.5"), ("INCR", "n"), ("HELLO", "4"), ("HELLO", "x"),
            ("ECHO", "x"), ("PING",), ("PING", "hi"), ("NOPE",), ("GET", "a", "b")]
    results = []
    for port in ports:
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        from dqtest import RawClient
        c = RawClient.__new__(RawClient)
        c.sock, c.buf = s, b""
        hello = c.cmd("HELLO", "3")
        assert hello.startswith(b"%7\r\n")
        results.append([c.cmd(*cmd) for cmd in cmds])
        s.close()
    for cmd, a, b in zip(cmds, *results):
        assert a == b, "%r: dq %r != redis %r" % (cmd, a, b)


def test_hello_errors(ports):
    for args in (("HELLO", "4"), ("HELLO", "1"), ("HELLO", "0"), ("HELLO", "x"),
                 ("HELLO", "-1"), ("HELLO", "3", "FOO")):
        same(ports, encode_command(*args))


@pytest.fixture(scope="module")
def auth_pair():
    try:
        pair = [ServerProc(DQ_SERVER, {"requirepass": "x"}),
                ServerProc(REDIS_SERVER, {"requirepass": "x"})]
    except OSError:
        pytest.skip("redis-server not available")
    yield pair[0].port, pair[1].port
    for s in pair:
        s.stop()


@pytest.mark.parametrize("data", [
    encode_command("GET", "k"),
    encode_command(*(["MSET"] + ["a"] * 9)),
    encode_command(*(["MSET"] + ["a"] * 10)),
    encode_command("ECHO", "x" * 16384),
    b"*2\r\n$4\r\nECHO\r\n$16385\r\n",
    b"*11\r\n",
    b"*1\r\n$-1\r\n",
    b"PING\r\nGET k\r\n",
    encode_command("AUTH", "wrong"),
    encode_command("AUTH", "x") + encode_command(*(["MSET"] + ["a", "b"] * 10)),
    encode_command("AUTH", "x") + encode_command("ECHO", "y" * 20000),
], ids=range(11))
def test_unauthenticated(auth_pair, data):
    same(auth_pair, data)


@pytest.fixture(scope="module")
def small_bulk_pair():
    d = {"proto-max-bulk-len": "1mb"}
    pair = [ServerProc(DQ_SERVER, d), ServerProc(REDIS_SERVER, d)]
    yield pair[0].port, pair[1].port
    for s in pair:
        s.stop()


def test_proto_max_bulk_len(small_bulk_pair):
    same(small_bulk_pair, b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n")
    same(small_bulk_pair, encode_command("SET", "k", "x" * 1048576) + encode_command("STRLEN", "k"))
    same(small_bulk_pair, encode_command("SETRANGE", "k", "1048576", "x") +
         encode_command("APPEND", "k", "x") + encode_command("SETRANGE", "k", "1048575", "y"))


def test_error_texts_are_one_line(ports):
    # Unknown-command errors quote the arguments (up to 128 chars); CR/LF become spaces.
    same(ports, encode_command("NOPE", "a\r\nb", "c") + encode_command("NOPE", "x" * 200) +
         b"NOPE " + b"y" * 200 + b"\r\n" + encode_command("GET") + encode_command("nope\r\n") +
         b"*1\r\n$0\r\n\r\n\"\"\r\nget \"\"\r\n")  # an empty command name
