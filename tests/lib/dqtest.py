"""Test harness for dq: real servers on free ports, real clients, exact replies.

Fixtures (pytest):
  server      a dq-server started once per test module (default config)
  r           redis-py client to `server`, FLUSHALL'ed before each test
  raw         a RawClient (raw socket, exact RESP bytes) to `server`
  redis_ref   Debian's redis-server started once per module (skips if not installed)
  ref         redis-py client to `redis_ref`, FLUSHALL'ed
  start_server(**directives) -> ServerProc   a fresh dq-server with extra directives

Helpers: RawClient.cmd(*args) -> raw reply bytes; RawClient.send(bytes); read_reply_bytes();
cli(port, *args) runs redis-cli; diff_stream((dq, ref), commands) pipelines the same commands
to two RawClients and asserts equal reply bytes one by one.
"""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest
import redis

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DQ_SERVER = os.environ.get("DQ_SERVER", os.path.join(ROOT, "build", "dq-server"))
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
REDIS_CLI = shutil.which("redis-cli") or "/usr/bin/redis-cli"

__all__ = [
    "server", "r", "raw", "redis_ref", "ref", "start_server", "ServerProc", "RawClient",
    "free_port", "cli", "TranscriptConn", "encode_command", "start_either", "diff_stream", "wait_for", "DQ_SERVER", "REDIS_SERVER",
    "REDIS_CLI",
]


def free_port():
    while True:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        if port != 6379:
            return port


def wait_for(pred, timeout=5.0, interval=0.01):
    """Polls pred() until it is truthy; returns its value or raises AssertionError."""
    deadline = time.time() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.time() > deadline:
            raise AssertionError("condition not met within %.1fs" % timeout)
        time.sleep(interval)


class ServerProc:
    def __init__(self, binary, directives=None, config_file=None, port=None):
        self.binary = binary
        self.port = port or free_port()
        self.dir = tempfile.mkdtemp(prefix="dqtest-")
        args = [binary]
        if config_file:
            args.append(config_file)
        d = {"port": str(self.port), "bind": "127.0.0.1", "save": "", "appendonly": "no",
             "dir": self.dir}
        if binary == REDIS_SERVER:
            d["daemonize"] = "no"
        d.update({k: str(v) for k, v in (directives or {}).items()})
        for k, v in d.items():
            args.append("--" + k.replace("_", "-"))
            args.extend(v.split(" ") if k in ("bind", "client-output-buffer-limit") else [v])
        self.args = args
        self.log = open(os.path.join(self.dir, "server.log"), "w+")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, cwd=self.dir)
        deadline = time.time() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                if self.proc.poll() is not None or time.time() > deadline:
                    self.log.seek(0)
                    raise RuntimeError("server did not start: %s\n%s" % (args, self.log.read()))
                time.sleep(0.02)

    def client(self, **kw):
        kw.setdefault("socket_timeout", 10)
        return redis.Redis(host="127.0.0.1", port=self.port, **kw)

    def raw(self):
        return RawClient(self.port)

    def log_text(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def encode_command(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, str):
            a = a.encode()
        elif isinstance(a, int):
            a = str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def diff_stream(pair, stream, resp3=False, same=None):
    """Sends every command of stream to both RawClients of pair (dq, reference), pipelined in
    one write each (so replies must also come back in order), and asserts the raw replies are
    equal command by command, or same(dq_reply, ref_reply) when given. resp3: HELLO 3 first."""
    a, b = pair
    if resp3:
        for c in (a, b):
            c.cmd("HELLO", "3")
    payload = b"".join(encode_command(*c) for c in stream)
    a.send(payload)
    b.send(payload)
    for c in stream:
        ra, rb = a.read_reply_bytes(), b.read_reply_bytes()
        ok = same(ra, rb) if same else ra == rb
        assert ok, "%r: dq %r != redis %r" % (c, ra, rb)


class RawClient:
    """A raw RESP connection: exact bytes in, exact bytes out."""

    def __init__(self, port, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""

    def close(self):
        self.sock.close()

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        self.buf += chunk

    def _line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        i = self.buf.index(b"\r\n")
        line, self.buf = self.buf[:i + 2], self.buf[i + 2:]
        return line

    def _exact(self, n):
        while len(self.buf) < n:
            self._fill()
        d, self.buf = self.buf[:n], self.buf[n:]
        return d

    def read_reply_bytes(self):
        """Returns the raw bytes of one complete RESP2/RESP3 reply."""
        line = self._line()
        t = line[:1]
        if t in (b"+", b"-", b":", b",", b"#", b"_", b"("):
            return line
        if t in (b"$", b"=", b"!"):
            n = int(line[1:-2])
            if n < 0:
                return line
            return line + self._exact(n + 2)
        if t in (b"*", b"~", b">", b"%", b"|"):
            n = int(line[1:-2])
            if n < 0:
                return line
            if t in (b"%", b"|"):
                n *= 2
            parts = [line]
            for _ in range(n):
                parts.append(self.read_reply_bytes())
            out = b"".join(parts)
            if t == b"|":  # attribute: followed by the real reply
                out += self.read_reply_bytes()
            return out
        raise ValueError("bad reply line %r" % line)

    def cmd(self, *args):
        self.send(encode_command(*args))
        return self.read_reply_bytes()

    def closed_by_peer(self, timeout=2.0):
        """True if the server closes the connection (after any pending bytes)."""
        self.sock.settimeout(timeout)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return True
                self.buf += chunk
        except socket.timeout:
            return False
        except ConnectionResetError:
            return True



class TranscriptConn(RawClient):
    """A raw connection for multi-client transcripts (the pub/sub and tracking differential
    tests): read_until(marker) returns everything up to and including marker, or what came
    before the server closed the connection followed by b"<closed>"."""

    def __init__(self, port):
        super().__init__(port)
        self.closed = False

    def read_until(self, marker):
        try:
            while marker not in self.buf:
                self._fill()
        except (ConnectionError, ConnectionResetError):
            self.closed = True
            out, self.buf = self.buf, b""
            return out + b"<closed>"
        i = self.buf.index(marker) + len(marker)
        out, self.buf = self.buf[:i], self.buf[i:]
        return out

    def read_frame(self):
        return self.read_reply_bytes()

    def close(self):
        self.closed = True
        super().close()

def cli(port, *args, input=None, timeout=30):
    p = subprocess.run([REDIS_CLI, "-p", str(port)] + [str(a) for a in args], input=input,
                       capture_output=True, timeout=timeout)
    return p.stdout.decode(errors="replace"), p.returncode


def watch_then(r, key, action):
    """Runs action (on another connection) between WATCH key and EXEC on r; True if EXEC ran,
    False if the WATCH aborted it."""
    with r.pipeline() as p:
        p.watch(key)
        action()
        p.multi()
        p.ping()
        try:
            p.execute()
            return True
        except redis.WatchError:
            return False


def both_raw(server, ref, setup=(), teardown=(), resp=2):
    """For a differential fixture: raw connections to dq and to the reference, both servers
    flushed, `setup` commands run on both (then HELLO 3 when resp=3); yields (dq, ref), then
    runs `teardown` on both and closes them."""
    a, b = server.raw(), ref.raw()
    for c in (a, b):
        c.cmd("FLUSHALL")
        for cmd in setup:
            c.cmd(*cmd)
        if resp == 3:
            c.cmd("HELLO", "3")
    try:
        yield a, b
    finally:
        for c in (a, b):
            for cmd in teardown:
                c.cmd(*cmd)
            c.close()


def start_either(which, directives=None):
    """Starts dq ("dq") or Debian's redis-server ("redis") with directives: for tests that run
    the same scenario against both (params=["dq", "redis"]). Skips if redis is missing."""
    if which == "redis" and not os.path.exists(REDIS_SERVER):
        pytest.skip("redis-server not installed")
    return ServerProc(DQ_SERVER if which == "dq" else REDIS_SERVER, directives)


@pytest.fixture(scope="module")
def server():
    s = ServerProc(DQ_SERVER)
    yield s
    s.stop()


@pytest.fixture
def r(server):
    c = server.client()
    c.flushall()
    yield c
    c.close()


@pytest.fixture
def raw(server):
    c = server.raw()
    yield c
    c.close()


@pytest.fixture(scope="module")
def redis_ref():
    if not os.path.exists(REDIS_SERVER):
        pytest.skip("redis-server not installed: differential test skipped")
    s = ServerProc(REDIS_SERVER)
    yield s
    s.stop()


@pytest.fixture
def ref(redis_ref):
    c = redis_ref.client()
    c.flushall()
    yield c
    c.close()


@pytest.fixture
def start_server():
    started = []

    def _start(**directives):
        s = ServerProc(DQ_SERVER, directives)
        started.append(s)
        return s

    yield _start
    for s in started:
        s.stop()
