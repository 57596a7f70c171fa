#!/usr/bin/python3
"""dq vs redis-server, side by side, as ratios.  (`make bench`; python3 stdlib only)

  tools/bench.py [--quick] [--groups core,queue,pubsub,collections,streams,memory] [--rounds N]
                 [--scale F] [--seconds S] [--only SUBSTR] [--skip-memory|--only-memory]
  make bench [BUILD=dir] [BENCH_ARGS="--quick --groups queue,pubsub"]

Throughput/latency: both servers run pinned to one core (--server-cpu, default 1) and the
client (redis-benchmark, or tools/bench/driver.c) to another (--client-cpu, default 0).  Only
one server is loaded at a time; every workload is run on dq and on redis back to back (the
order alternates each round), so machine noise hits both alike.  Each figure is the median of
N rounds.  Server CPU time per operation comes from /proc/PID/task/*/schedstat (ns on CPU)
deltas around each run.

Groups (one table each, with geometric means):
  core         redis-benchmark SET/GET/INCR/MSET/PING, 50 and 500 clients, -P 1 and 16
  queue        redis-benchmark LPUSH/RPOP/LPOP/LRANGE_100/LRANGE_600 (key "mylist", as
               redis-benchmark; pops get a pre-filled list), -P 1 and 16; blocking hand-off
               (driver: 4 producers RPUSH -> 4 queues <- 8 consumers BLPOP, items/s)
  pubsub       driver: 1 publisher, 50 subscribers (SUBSCRIBE, and PSUBSCRIBE), deliveries/s
  collections  redis-benchmark HSET/SADD/SPOP/ZADD/ZPOPMIN and HGET/HGETALL/SISMEMBER/ZRANGE
               as custom commands, with the data they need pre-loaded
  streams      redis-benchmark XADD of 5 fields to one stream and XRANGE of 100 entries (random
               start in a 10k-entry stream); driver: 2 producers XADD -> 4 consumers in one group
               looping XREADGROUP COUNT 10 + XACK (entries acknowledged/s); and, on fresh servers,
               RSS growth per entry for 1M 5-field entries in one stream (--mem-members)
  memory       fresh servers, RSS (VmRSS) growth: 1M SETs (16-byte keys, 32-byte values) then
               1M more with EX 3600, per key; 1M hash fields / set members / zset members over
               1,000 keys each, per member
The driver (tools/bench/driver.c) is compiled at bench time with cc against libhiredis.  A
command or type dq lacks gives a FAIL row carrying its error (exit status stays 0 for those);
crashes, wrong results and redis failures give exit status 1.

The markdown result goes to stdout and to $DQ_BUILD/bench.md (progress goes to stderr).
Servers are always killed at the end (normal exit, error, Ctrl-C, SIGTERM; and via
PR_SET_PDEATHSIG if this script itself is killed).
"""

import argparse
import contextlib
import csv
import ctypes
import datetime
import io
import math
import os
import platform
import re
import resource
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# --------------------------------------------------------------------------- workloads

GROUPS = ("core", "queue", "pubsub", "collections", "scripting", "streams", "memory")

# EVALSHA workload: one GET and one SET per call (issue: scripting bench). The sha is
# SHA-1 of the body, so every fresh server gets it with SCRIPT LOAD during preload.
SCRIPT_BODY = ("local v = redis.call('GET', KEYS[1]) "
               "redis.call('SET', KEYS[1], ARGV[1]) return v and 1 or 0")
SCRIPT_SHA = __import__("hashlib").sha1(SCRIPT_BODY.encode()).hexdigest()

TESTS = [  # (label, redis-benchmark -t name, csv test name)
    ("SET", "set", "SET"),
    ("GET", "get", "GET"),
    ("INCR", "incr", "INCR"),
    ("MSET", "mset", "MSET (10 keys)"),
    ("PING", "ping_mbulk", "PING_MBULK"),
]

HASH_KEYS, HASH_FIELDS = 10_000, 10  # HGET / HGETALL: 10k hashes h:<rand> of 10 fields
SET_MEMBERS = 100_000  # SISMEMBER: myset holds element:<0..99999>
ZSET_BIG = 200  # ZRANGE zset:big 0 99
XRANGE_ENTRIES = 10_000  # XRANGE bench:xr <rand> + COUNT 100: entries 1-1 .. 10000-1
# One stream entry of the streams group: 5 fields (names repeat, as Redis packs them), ~60 B.
STREAM_FIELDS = ("name", "user:00042", "email", "someone@example.com", "price", "1999",
                 "status", "pending", "payload", "0123456789abcdef0123456789abcdef")


class Workload:
    """One row: a redis-benchmark run (runner "rb") or a tools/bench/driver.c run ("driver").

    state: what the server must hold before the run (prepared once and reused while it stays
    the same); None = FLUSHALL and prepare before every run (the workload consumes/grows it).
    prep: loader specs (see LOADERS) run after FLUSHALL.  probe: a command that must not be an
    error reply (the row FAILs with it otherwise).  check(conn, w): correctness after a run.
    """

    def __init__(self, test, clients, pipeline, size, keyspace, requests, group="core",
                 rb=None, state="strings", prep=None, probe=None, check=None, driver=None,
                 seconds=None):
        self.label, self.tname, self.csvname = test
        self.clients, self.pipeline, self.size = clients, pipeline, size
        self.keyspace, self.requests = keyspace, requests
        self.group = group
        self.rb = rb if rb is not None else ["-t", self.tname]
        self.runner = "driver" if driver else "rb"
        self.driver, self.seconds = driver, seconds
        if state == "strings":
            state = ("strings", size, keyspace)
            prep = [("strings", keyspace, size)]
        self.state, self.prep = state, prep or []
        self.probe, self.check = probe, check

    @property
    def name(self):
        if self.runner == "driver":
            return f"{self.label} {self.tname} P={self.pipeline} d={self.size}"
        return f"{self.label} c={self.clients} P={self.pipeline} d={self.size}"


def _len_is(cmd, key, pred, what):
    def check(c, w):
        n = c.cmd(cmd, key)
        if isinstance(n, Exception) or not pred(n, w):
            return f"after the run {cmd} {key} = {n!r}, expected {what(w)}"
        return None
    return check


def make_workloads(scale, groups, seconds, quick=False):
    def n(x):
        return max(1000, int(x * scale))

    out = []
    if "core" in groups:
        # 32-byte values over 100k random keys: 50 and 500 clients, no pipeline and -P 16
        # (-P 1 runs are client-bound at ~80k requests/s: 200k requests make each run 2-3 s,
        # so a short disturbance of the VM weighs less in one round's ratio.)
        # (--quick: 50 clients and 32-byte values only).
        for clients in (50,) if quick else (50, 500):
            for pipeline in (1, 16):
                for t in TESTS:
                    req = 200_000 if pipeline == 1 else 1_000_000
                    if t[0] == "MSET":  # 10 keys per command
                        req //= 2 if pipeline == 1 else 4
                    out.append(Workload(t, clients, pipeline, 32, 100_000, n(req)))
        # 4 KiB values (same 100k keyspace), 50 clients.
        for pipeline in () if quick else (1, 16):
            for t in TESTS[:2]:
                req = 200_000 if pipeline == 1 else 300_000
                out.append(Workload(t, 50, pipeline, 4096, 100_000, n(req)))

    if "queue" in groups:
        # redis-benchmark's list tests all work on the one key "mylist".  RPOP/LPOP get a list
        # of -n elements first (so every pop returns an element); LRANGE_100/600 send exactly
        # what -t lrange_100/lrange_600 send, but against a list we pre-fill with 600
        # elements, so the timing (and CPU/op) is not mixed with -t lrange's LPUSH preamble.
        d = 32
        for label, tname, csvname, p1, p16 in (
                ("LPUSH", "lpush", "LPUSH", 200_000, 1_000_000),
                ("RPOP", "rpop", "RPOP", 200_000, 1_000_000),
                ("LPOP", "lpop", "LPOP", 200_000, 1_000_000),
                ("LRANGE_100", None, "LRANGE mylist 0 99", 100_000, 100_000),
                ("LRANGE_600", None, "LRANGE mylist 0 599", 40_000, 40_000)):
            for pipeline in (1, 16):
                req = n(p1 if pipeline == 1 else p16)
                t = (label, tname, csvname)
                if label == "LPUSH":
                    w = Workload(t, 50, pipeline, d, 100_000, req, "queue", state=None,
                                 probe=("LPUSH", "probe:list", "x"),
                                 check=_len_is("LLEN", "mylist", lambda v, w: v >= w.requests,
                                               lambda w: f">= {w.requests}"))
                elif label in ("RPOP", "LPOP"):
                    w = Workload(t, 50, pipeline, d, 100_000, req, "queue", state=None,
                                 prep=[("list", "mylist", req, d)], probe=(label, "probe:list"),
                                 check=_len_is("LLEN", "mylist", lambda v, w: v == 0,
                                               lambda w: 0))
                else:
                    w = Workload(t, 50, pipeline, d, 100_000, req, "queue",
                                 rb=csvname.split(), state=("mylist600", d),
                                 prep=[("list", "mylist", 600, d)], probe=tuple(csvname.split()))
                out.append(w)
        # Blocking hand-off: 4 producers pipelining RPUSH to 4 queues, 8 consumers looping
        # BLPOP q 1.  "hand-off": at most 16 items pushed but not consumed (consumers are
        # mostly parked in BLPOP, items are handed to a blocked client); "backlog": up to
        # 4096 (the queues are rarely empty, BLPOP mostly pops at once).
        for label, backlog in (("BLPOP hand-off", 16), ("BLPOP backlog", 4096)):
            out.append(Workload((label, "4p/8c/4q", label), 12, 16, d, None, None, "queue",
                                state=None, probe=("BLPOP", "probe:q", "0.01"),
                                driver=["handoff", "4", "8", "4", "16", str(d), str(backlog)],
                                seconds=seconds))

    if "pubsub" in groups:
        # 1 publisher pipelining PUBLISH (16 in flight), 50 subscribers; at most 64 messages
        # per subscriber outstanding.  Rate = messages delivered to subscribers per second.
        for label, extra in (("PUBLISH fan-out", []), ("PSUBSCRIBE fan-out", ["pattern"])):
            out.append(Workload((label, "1→50", label), 51, 16, 32, None, None, "pubsub",
                                state=None, probe=("PUBLISH", "probe:ch", "x"),
                                driver=["pubsub", "50", "16", "32", str(50 * 64)] + extra,
                                seconds=seconds))

    if "collections" in groups:
        d = 32
        specs = [  # label, -t name or None, custom command or None, state, prep, probe, check
            ("HSET", "hset", None, None, [], ("HSET", "probe:hash", "f", "v"),
             _len_is("HLEN", "myhash", lambda v, w: v > 0, lambda w: "> 0")),
            ("HGET", None, f"HGET h:__rand_int__ f3", ("hashes", d),
             [("hashes", "h:", HASH_KEYS, HASH_FIELDS, d)], ("HGET", "h:000000000000", "f3"),
             None),
            ("HGETALL", None, f"HGETALL h:__rand_int__", ("hashes", d),
             [("hashes", "h:", HASH_KEYS, HASH_FIELDS, d)], ("HGETALL", "h:000000000000"),
             None),
            ("SADD", "sadd", None, None, [], ("SADD", "probe:set", "m"),
             _len_is("SCARD", "myset", lambda v, w: v > 0, lambda w: "> 0")),
            ("SPOP", "spop", None, None, "REQ:set", ("SPOP", "probe:set"),
             _len_is("SCARD", "myset", lambda v, w: v == 0, lambda w: 0)),
            ("SISMEMBER", None, "SISMEMBER myset element:__rand_int__", ("myset",),
             [("set", "myset", SET_MEMBERS)], ("SISMEMBER", "myset", "element:000000000000"),
             None),
            ("ZADD", "zadd", None, None, [], ("ZADD", "probe:zset", "1", "m"),
             _len_is("ZCARD", "myzset", lambda v, w: v > 0, lambda w: "> 0")),
            ("ZRANGE", None, "ZRANGE zset:big 0 99", ("zset:big",),
             [("zset", "zset:big", ZSET_BIG)], ("ZRANGE", "zset:big", "0", "99"), None),
            ("ZPOPMIN", "zpopmin", None, None, "REQ:zset", ("ZPOPMIN", "probe:zset"),
             _len_is("ZCARD", "myzset", lambda v, w: v == 0, lambda w: 0)),
        ]
        for label, tname, custom, state, prep, probe, check in specs:
            for pipeline in (1, 16):
                heavy = label in ("HGETALL", "ZRANGE")
                req = n((100_000 if heavy else 200_000) if pipeline == 1
                        else (200_000 if heavy else 1_000_000))
                keyspace = HASH_KEYS if label.startswith("HGET") else SET_MEMBERS
                if prep == "REQ:set":  # SPOP: a set of -n members, so every pop finds one
                    p = [("set", "myset", req)]
                elif prep == "REQ:zset":
                    p = [("zset", "myzset", req)]
                else:
                    p = prep
                t = (label, tname, custom or label)
                out.append(Workload(t, 50, pipeline, d, keyspace, req, "collections",
                                    rb=custom.split() if custom else None, state=state,
                                    prep=p, probe=probe, check=check))

    if "scripting" in groups:
        custom = f"EVALSHA {SCRIPT_SHA} 1 key:__rand_int__ v"
        for pipeline in (1, 16):
            req = n(200_000 if pipeline == 1 else 1_000_000)
            out.append(Workload(("EVALSHA GET+SET", None, custom), 50, pipeline, 32, 100_000,
                                req, "scripting", rb=custom.split(), state=("script",),
                                prep=[("script",)],
                                probe=("EVALSHA", SCRIPT_SHA, "1", "probe:k", "v"),
                                check=None))
    if "streams" in groups:
        fields = " ".join(STREAM_FIELDS)
        xadd = f"XADD bench:stream * {fields}"
        xrange = "XRANGE bench:xr __rand_int__ + COUNT 100"
        for pipeline in (1, 16):
            req = n(200_000 if pipeline == 1 else 1_000_000)
            out.append(Workload(("XADD 5 fields", None, xadd), 50, pipeline, 32, 100_000, req,
                                "streams", rb=xadd.split(), state=None,
                                probe=("XADD", "probe:stream", "*", "f", "v"),
                                check=_len_is("XLEN", "bench:stream",
                                              lambda v, w: v >= w.requests,
                                              lambda w: f">= {w.requests}")))
        for pipeline in (1, 16):
            req = n(100_000 if pipeline == 1 else 200_000)
            # __rand_int__ < 9,900 (a zero-padded ID both servers parse): 100 entries follow.
            out.append(Workload(("XRANGE 100", None, xrange), 50, pipeline, 32,
                                XRANGE_ENTRIES - 100, req, "streams", rb=xrange.split(),
                                state=("xrange",), prep=[("stream", "bench:xr", XRANGE_ENTRIES)],
                                probe=("XRANGE", "bench:xr", "-", "+", "COUNT", "1")))
        # 2 producers pipelining XADD (16 in flight, at most 4096 entries not yet acked),
        # 4 consumers of one group: XREADGROUP COUNT 10 BLOCK 1000, then XACK of what came.
        out.append(Workload(("XREADGROUP+XACK", "2p/4c", "XREADGROUP+XACK"), 6, 16, 32, None,
                            None, "streams", state=None,
                            probe=("XGROUP", "CREATE", "probe:stream", "g", "$", "MKSTREAM"),
                            driver=["streams", "2", "4", "16", "10", "4096"], seconds=seconds))
    return out


# --------------------------------------------------------------------------- helpers


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def free_port():
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            p = s.getsockname()[1]
        if p != 6379:
            return p


_libc = ctypes.CDLL(None, use_errno=True)


def _child_setup():
    # Die with the parent, and don't take the terminal's Ctrl-C directly: we stop them.
    _libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    os.setpgrp()


def cpu_ns(pid):
    """Nanoseconds on CPU summed over all threads of pid (from schedstat)."""
    total = 0
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return None
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            pass
    return total


_HZ = os.sysconf("SC_CLK_TCK")


def busy_ns():
    """Non-idle CPU time of the whole machine (all CPUs), from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal ...
    return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) * 1_000_000_000 // _HZ


def children_cpu_ns():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)  # waited-for children: redis-benchmark
    return int((ru.ru_utime + ru.ru_stime) * 1e9)


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def settled_rss(pid, timeout=5.0):
    """VmRSS once it stops moving (redis rehashes incrementally in its cron)."""
    deadline = time.time() + timeout
    last = rss_bytes(pid)
    while time.time() < deadline:
        time.sleep(0.25)
        cur = rss_bytes(pid)
        if cur == last:
            return cur
        last = cur
    return last


def resp(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, str):
            a = a.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


class Conn:
    """Minimal RESP client (enough for simple/error/integer/bulk replies)."""

    def __init__(self, port, timeout=30):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""

    def close(self):
        self.s.close()

    def _line(self):
        while b"\r\n" not in self.buf:
            d = self.s.recv(1 << 16)
            if not d:
                raise ConnectionError("connection closed by server")
            self.buf += d
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _exact(self, n):
        while len(self.buf) < n + 2:
            d = self.s.recv(1 << 16)
            if not d:
                raise ConnectionError("connection closed by server")
            self.buf += d
        v, self.buf = self.buf[:n], self.buf[n + 2:]
        return v

    def reply(self):
        line = self._line()
        t, rest = line[:1], line[1:]
        if t == b"+":
            return rest.decode()
        if t == b"-":
            return RuntimeError(rest.decode())
        if t == b":":
            return int(rest)
        if t == b"$":
            n = int(rest)
            return None if n < 0 else self._exact(n)
        if t == b"*":
            n = int(rest)
            return None if n < 0 else [self.reply() for _ in range(n)]
        raise RuntimeError(f"unexpected reply {line[:80]!r}")

    def cmd(self, *args):
        self.s.sendall(resp(*args))
        return self.reply()


def build_sets(prefix, n, size, extra=()):
    """RESP for SET <prefix%012d> <value> [extra...], keys 0..n-1."""
    val = b"x" * size
    head = b"*%d\r\n$3\r\nSET\r\n" % (3 + len(extra))
    tail = b"".join(b"$%d\r\n%s\r\n" % (len(e), e) for e in extra)
    klen = len(prefix) + 12
    vpart = b"$%d\r\n%s\r\n" % (size, val)
    pre = head + b"$%d\r\n" % klen + prefix
    return b"".join([pre + b"%012d\r\n" % i + vpart + tail for i in range(n)])


def pipe_load_lines(port, payload, count, what="loading", bulk=False):
    """Send pre-encoded commands whose replies are one line each (integers, +OK), or with
    bulk=True one bulk string each (XADD's IDs): wait for `count` replies; an error reply
    raises RuntimeError with the server's message."""
    s = socket.create_connection(("127.0.0.1", port), timeout=120)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    err = []

    def sender():
        try:
            mv = memoryview(payload)
            for i in range(0, len(mv), 1 << 20):
                s.sendall(mv[i:i + (1 << 20)])
        except OSError as e:
            err.append(e)

    th = threading.Thread(target=sender, daemon=True)
    th.start()
    got, tail, skip = 0, b"", False
    try:
        while got < count:
            d = s.recv(1 << 20)
            if not d:
                raise ConnectionError(f"server closed connection after {got} replies")
            chunk = tail + d
            lines = chunk.split(b"\r\n")
            tail = lines.pop()
            for ln in lines:
                if skip:  # a bulk reply's payload line
                    skip = False
                    continue
                if ln[:1] == b"-":
                    raise RuntimeError(f"server error while {what}: "
                                       + ln[1:].decode(errors="replace"))
                if bulk and ln[:1] == b"$":
                    skip = True
                elif ln[:1] not in (b":", b"+"):
                    raise RuntimeError(f"unexpected reply while {what}: {ln[:60]!r}")
                got += 1
    finally:
        # Don't wait for the sender if the server refused: it may be blocked on a full socket.
        with contextlib.suppress(OSError):
            s.shutdown(socket.SHUT_RDWR)
        th.join(timeout=5)
        s.close()
    if err and got < count:
        raise err[0]


def _chunked(cmd, key, items, per=1000):
    """RESP for `cmd key item...` with `per` items (each a tuple of args) per command."""
    out, ncmd = [], 0
    for i in range(0, len(items), per):
        args = [cmd, key] + [a for it in items[i:i + per] for a in it]
        out.append(resp(*args))
        ncmd += 1
    return b"".join(out), ncmd


def build_loader(spec):
    """(payload, replies) for a loader spec; see Workload.prep."""
    kind = spec[0]
    if kind == "strings":  # keys key:<%012d>, as redis-benchmark's -r
        _, keyspace, size = spec
        return build_sets(b"key:", keyspace, size), keyspace
    if kind == "list":  # RPUSH key v... (n values of size bytes)
        _, key, n, size = spec
        return _chunked("RPUSH", key, [(b"x" * size,)] * n)
    if kind == "set":  # SADD key element:<%012d>, as redis-benchmark's SADD/SISMEMBER
        _, key, n = spec
        return _chunked("SADD", key, [(b"element:%012d" % i,) for i in range(n)])
    if kind == "zset":  # ZADD key i element:<%012d>
        _, key, n = spec
        return _chunked("ZADD", key, [(b"%d" % i, b"element:%012d" % i) for i in range(n)])
    if kind == "script":  # EVAL of the EVALSHA workload's body caches it (replies :0 or :1)
        return resp("EVAL", SCRIPT_BODY, "1", "preload:k", "v"), 1
    if kind == "stream":  # XADD key <i>-1 <STREAM_FIELDS>, i = 1..n (replies are bulk IDs)
        _, key, n = spec
        return b"".join(resp("XADD", key, "%d-1" % i, *STREAM_FIELDS)
                        for i in range(1, n + 1)), n
    if kind == "hashes":  # HSET prefix<%012d> f0 v ... f<nf-1> v
        _, prefix, nkeys, nf, size = spec
        v = b"x" * size
        fields = [a for j in range(nf) for a in (b"f%d" % j, v)]
        return b"".join(resp("HSET", prefix + "%012d" % i, *fields) for i in range(nkeys)), nkeys
    raise ValueError(kind)


# --------------------------------------------------------------------------- servers


class Server:
    def __init__(self, kind, argv, cpu, logdir):
        self.kind, self.argv, self.cpu, self.logdir = kind, argv, cpu, logdir
        self.proc = None
        self.port = None

    def start(self):
        self.port = free_port()
        cmd = list(self.argv) + ["--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        if self.kind == "redis":
            cmd += ["--appendonly", "no", "--daemonize", "no", "--logfile", "",
                    "--dir", self.logdir]
        if self.cpu is not None:
            cmd = ["taskset", "-c", str(self.cpu)] + cmd
        self.logpath = os.path.join(self.logdir, f"{self.kind}-{self.port}.log")
        self.logf = open(self.logpath, "wb")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self.logf,
                                     stderr=subprocess.STDOUT, preexec_fn=_child_setup,
                                     cwd=self.logdir)
        deadline = time.time() + 15
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited at startup (rc={self.proc.returncode}):\n"
                                   + self.tail_log())
            try:
                c = Conn(self.port, timeout=2)
                r = c.cmd("PING")
                c.close()
                if r == "PONG":
                    return self
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError(f"{self.kind} did not answer PING:\n" + self.tail_log())
            time.sleep(0.05)

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def tail_log(self, n=15):
        try:
            with open(self.logpath, "rb") as f:
                return "\n".join(f.read().decode(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self):
        p, self.proc = self.proc, None
        if p is None:
            return
        if p.poll() is None:
            try:
                p.terminate()
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        with contextlib.suppress(Exception):
            self.logf.close()


ALL_SERVERS = []


def new_server(kind, argv, args, tmpdir):
    s = Server(kind, argv, args.server_cpu, tmpdir)
    ALL_SERVERS.append(s)
    return s.start()


def stop_all():
    for s in ALL_SERVERS:
        with contextlib.suppress(Exception):
            s.stop()


# --------------------------------------------------------------------------- benchmark


def preflight(server, w):
    """The command the workload will send must not be an error on this server."""
    c = Conn(server.port)
    try:
        if w.probe is not None:
            probe = w.probe
        else:
            v = b"x" * w.size
            probe = {
                "SET": ("SET", "key:000000000000", v),
                "GET": ("GET", "key:000000000000"),
                "INCR": ("INCR", "counter:000000000000"),
                "MSET": ["MSET"] + [a for i in range(10) for a in (f"key:{i:012d}", v)],
                "PING": ("PING",),
            }[w.label]
        r = c.cmd(*probe)
        if isinstance(r, Exception):
            return str(r)
        if w.probe is not None:
            c.cmd("DEL", "probe:list", "probe:hash", "probe:set", "probe:zset", "probe:stream")
        return None
    finally:
        c.close()


def prepare(server, w, cache):
    """FLUSHALL, then load what w.prep says (payloads are cached across servers/rounds)."""
    c = Conn(server.port)
    r = c.cmd("FLUSHALL")
    c.close()
    if isinstance(r, Exception):
        raise RuntimeError(f"{server.kind}: FLUSHALL failed: {r}")
    for spec in w.prep:
        if spec not in cache:
            if sum(len(p) for p, _ in cache.values()) > 256 << 20:
                cache.clear()
            cache[spec] = build_loader(spec)
        payload, count = cache[spec]
        pipe_load_lines(server.port, payload, count,
                        f"loading {spec[0]} {spec[1] if len(spec) > 1 else ''}",
                        bulk=spec[0] == "stream")


def run_one(server, w, args):
    cmd = ["redis-benchmark", "-h", "127.0.0.1", "-p", str(server.port), "-c", str(w.clients),
           "-n", str(w.requests), "-P", str(w.pipeline), "-d", str(w.size), "-r",
           str(w.keyspace), "--csv"] + w.rb
    if args.client_cpu is not None:
        cmd = ["taskset", "-c", str(args.client_cpu)] + cmd
    c0 = cpu_ns(server.pid)
    b0, k0 = busy_ns(), children_cpu_ns()
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"redis-benchmark timed out after {args.timeout}s"}
    wall = time.monotonic() - t0
    c1 = cpu_ns(server.pid)
    b1, k1 = busy_ns(), children_cpu_ns()
    out = p.stdout.decode(errors="replace")
    errtxt = p.stderr.decode(errors="replace")
    if not server.alive():
        return {"error": f"server died (rc={server.proc.returncode}); log:\n{server.tail_log(5)}"}
    if p.returncode != 0:
        return {"error": f"redis-benchmark rc={p.returncode}: {(errtxt or out)[-500:]}"}
    if "Error from server" in out or "Error from server" in errtxt:
        return {"error": "server returned errors: " + (out + errtxt)[-300:]}
    rows = [r for r in csv.reader(io.StringIO(out)) if r]
    row = next((r for r in rows if r[0] == w.csvname), None)
    if row is None:
        return {"error": f"no csv row for {w.csvname!r} in output: {out[-300:]!r}"}
    hdr = rows[0]
    d = dict(zip(hdr, row))
    return {
        "rps": float(d["rps"]),
        "p50": float(d["p50_latency_ms"]),
        "p99": float(d["p99_latency_ms"]),
        "cpu_op": (c1 - c0) / w.requests if c0 is not None and c1 is not None else float("nan"),
        "wall": wall,
        # CPUs' worth of work by anything but this server and redis-benchmark: machine noise
        "other": max(0.0, ((b1 - b0) - (c1 - c0) - (k1 - k0)) / 1e9 / wall),
    }


DRIVER_SRC = os.path.join(ROOT, "tools", "bench", "driver.c")


def build_driver(tmpdir):
    """Compile tools/bench/driver.c against libhiredis; (path, None) or (None, error)."""
    cc = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc") or shutil.which("clang")
    if not cc:
        return None, "no C compiler (cc) found"
    out = os.path.join(tmpdir, "bench-driver")
    p = subprocess.run([cc, "-O2", "-o", out, DRIVER_SRC, "-lhiredis"], capture_output=True,
                       text=True)
    if p.returncode != 0:
        return None, f"compiling {DRIVER_SRC} failed: {(p.stderr or p.stdout)[-300:]}"
    return out, None


def run_driver(server, w, args):
    if not args.driver:
        return {"error": args.driver_error or "driver not built"}
    cmd = [args.driver, w.driver[0], str(server.port), f"{w.seconds:g}"] + w.driver[1:]
    if args.client_cpu is not None:
        cmd = ["taskset", "-c", str(args.client_cpu)] + cmd
    c0 = cpu_ns(server.pid)
    b0, k0 = busy_ns(), children_cpu_ns()
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=w.seconds + 30, preexec_fn=_child_setup)
    except subprocess.TimeoutExpired:
        return {"error": f"driver timed out after {w.seconds + 30:g}s"}
    wall = time.monotonic() - t0
    c1 = cpu_ns(server.pid)
    b1, k1 = busy_ns(), children_cpu_ns()
    out = p.stdout.decode(errors="replace")
    errtxt = p.stderr.decode(errors="replace").strip()
    if not server.alive():
        return {"error": f"server died (rc={server.proc.returncode}); log:\n{server.tail_log(5)}"}
    if p.returncode != 0:
        # "server replied: ERR ..." = the server refused a command (e.g. one it lacks)
        return {"error": f"driver rc={p.returncode}: {(errtxt or out)[-300:]}",
                "refused": "server replied:" in errtxt}
    try:
        d = dict(kv.split("=", 1) for kv in out.split())
        items, secs = int(d["items"]), float(d["seconds"])
    except (ValueError, KeyError):
        return {"error": f"unexpected driver output {out[-200:]!r}"}
    if items <= 0:
        return {"error": "no items went through"}
    r = {
        "rps": items / secs, "p50": float("nan"), "p99": float("nan"),
        "cpu_op": (c1 - c0) / items if c0 is not None and c1 is not None else float("nan"),
        "wall": wall,
        "other": max(0.0, ((b1 - b0) - (c1 - c0) - (k1 - k0)) / 1e9 / wall),
    }
    if int(d.get("short", 0)):
        r["warn"] = f"{d['short']} PUBLISH replies counted fewer than all subscribers"
    return r


def bench(args, dq_argv, redis_argv, tmpdir):
    workloads = make_workloads(args.scale, args.groups, args.seconds, args.quick)
    if args.only:
        workloads = [w for w in workloads if any(o.lower() in w.name.lower() for o in args.only)]
    servers = {"dq": new_server("dq", dq_argv, args, tmpdir),
               "redis": new_server("redis", redis_argv, args, tmpdir)}
    argv_of = {"dq": dq_argv, "redis": redis_argv}
    results = {(w.name, k): [] for w in workloads for k in servers}
    errors = {}  # (workload name, kind) -> message (first failure)
    unsupported = {}
    nfail = {}  # (workload name, kind) -> rounds that failed
    cache = {}
    loaded = {k: None for k in servers}  # the Workload.state each server holds
    crashes = []  # servers found dead between runs (deaths during a run are per-workload errors)

    def ensure_up(kind, w):
        if not servers[kind].alive():
            srv = servers[kind]
            rc = srv.proc.returncode if srv.proc else None
            if not getattr(srv, "reported", False):
                note = (f"{kind} was found dead (rc={rc}) before {w.name}, round {rnd + 1}; "
                        f"log tail: {srv.tail_log(3)}")
                crashes.append(note)
                log(f"  {note}")
            log(f"  restarting {kind}")
            servers[kind].stop()
            servers[kind] = new_server(kind, argv_of[kind], args, tmpdir)
            loaded[kind] = None

    for rnd in range(args.rounds):
        order = ["dq", "redis"] if rnd % 2 == 0 else ["redis", "dq"]
        log(f"round {rnd + 1}/{args.rounds} (order: {' then '.join(order)})")
        for w in workloads:
            for kind in order:
                if (w.name, kind) in unsupported:
                    continue
                ensure_up(kind, w)
                srv = servers[kind]
                try:
                    if w.state is None or loaded[kind] != w.state:
                        loaded[kind] = None
                        prepare(srv, w, cache)
                        loaded[kind] = w.state
                    e = preflight(srv, w)
                except (OSError, RuntimeError) as ex:
                    e = f"{type(ex).__name__}: {ex}"
                    loaded[kind] = None
                if e:
                    if srv.alive():  # a real error reply: don't retry in later rounds
                        unsupported[(w.name, kind)] = e
                    else:
                        e = f"server died (rc={srv.proc.returncode}): {e}; {srv.tail_log(3)}"
                        srv.reported = True
                    errors.setdefault((w.name, kind), e)
                    nfail[(w.name, kind)] = nfail.get((w.name, kind), 0) + 1
                    log(f"  {w.name:28s} {kind:5s} FAILED preflight: {e}")
                    continue
                r = (run_driver if w.runner == "driver" else run_one)(srv, w, args)
                if "error" not in r and w.check is not None:
                    try:
                        c = Conn(srv.port)
                        bad = w.check(c, w)
                        c.close()
                    except (OSError, RuntimeError) as ex:
                        bad = f"{type(ex).__name__}: {ex}"
                    if bad:
                        r["warn"] = bad
                if "warn" in r:
                    crashes.append(f"{kind}, {w.name}, round {rnd + 1}: {r['warn']}")
                    log(f"  {w.name:28s} {kind:5s} WARNING: {r['warn']}")
                if "error" in r and not srv.alive():
                    srv.reported = True  # reported as this workload's error; not again
                if "error" in r:
                    if r.get("refused") and srv.alive():  # as a preflight error reply
                        unsupported[(w.name, kind)] = r["error"]
                    errors.setdefault((w.name, kind), r["error"])
                    nfail[(w.name, kind)] = nfail.get((w.name, kind), 0) + 1
                    log(f"  {w.name:28s} {kind:5s} FAILED: {r['error']}")
                    if not srv.alive():
                        loaded[kind] = None
                    continue
                r["round"] = rnd
                results[(w.name, kind)].append(r)
                log(f"  {w.name:28s} {kind:5s} {r['rps']:>11,.0f} rps  p50 {r['p50']:.3f} "
                    f"p99 {r['p99']:.3f} ms  cpu/op {r['cpu_op']:,.0f} ns  ({r['wall']:.1f}s)")
    for s in servers.values():
        s.stop()
    for k, v in nfail.items():
        if results[k]:  # failed in some rounds only: keep the numbers, but say so
            crashes.append(f"{k[1]} failed {k[0]} in {v} of {args.rounds} rounds: {errors[k]}")
    return workloads, results, errors, crashes, unsupported


# --------------------------------------------------------------------------- memory


def memory(args, dq_argv, redis_argv, tmpdir):
    n = args.mem_keys
    log(f"memory: generating {n:,} + {n:,} SET commands")
    plain = build_sets(b"key:", n, 32)
    withex = build_sets(b"kex:", n, 32, extra=(b"EX", b"3600"))
    out = {}
    for kind, argv in (("dq", dq_argv), ("redis", redis_argv)):
        s = None
        try:
            s = new_server(kind, argv, args, tmpdir)
            r0 = settled_rss(s.pid)
            t = time.monotonic()
            pipe_load_lines(s.port, plain, n)
            r1 = settled_rss(s.pid)
            t1 = time.monotonic() - t
            t = time.monotonic()
            pipe_load_lines(s.port, withex, n)
            r2 = settled_rss(s.pid)
            t2 = time.monotonic() - t
            c = Conn(s.port)
            size = c.cmd("DBSIZE")
            c.close()
            if size != 2 * n:
                raise RuntimeError(f"DBSIZE is {size}, expected {2 * n}")
            out[kind] = {"base": r0, "p1": (r1 - r0) / n, "p2": (r2 - r0) / (2 * n),
                         "ex": (r2 - r1) / n, "t1": t1, "t2": t2}
            log(f"  {kind:5s} base RSS {r0 / 1e6:.1f} MB, +{n:,} keys: {(r1 - r0) / 1e6:.1f} MB "
                f"({t1:.1f}s), +{n:,} EX keys: {(r2 - r1) / 1e6:.1f} MB ({t2:.1f}s)")
        except (OSError, RuntimeError) as ex:
            out[kind] = {"error": f"{type(ex).__name__}: {ex}"}
            log(f"  {kind}: memory test FAILED: {ex}")
        finally:
            if s is not None:
                s.stop()
    return out


COLL_TYPES = (  # type, write command, count command
    ("hash", "HSET", "HLEN"),
    ("set", "SADD", "SCARD"),
    ("zset", "ZADD", "ZCARD"),
)


def build_collection(typ, nkeys, members):
    """RESP for `members` members spread over `nkeys` keys, 100 per command.
    hash: field:<%08d> (14 B) -> value:<%010d> (16 B); set: member:<%08d> (15 B);
    zset: member:<%08d> with an integer score."""
    per = members // nkeys
    out, ncmd = [], 0
    cmd = {"hash": b"HSET", "set": b"SADD", "zset": b"ZADD"}[typ]
    for k in range(nkeys):
        key = b"%s:%06d" % (typ.encode(), k)
        for i in range(0, per, 100):
            ids = range(k * per + i, k * per + min(per, i + 100))
            if typ == "hash":
                args = [a for j in ids for a in (b"field:%08d" % j, b"value:%010d" % j)]
            elif typ == "set":
                args = [b"member:%08d" % j for j in ids]
            else:
                args = [a for j in ids for a in (b"%d" % j, b"member:%08d" % j)]
            out.append(resp(cmd, key, *args))
            ncmd += 1
    return b"".join(out), ncmd


def memory_collections(args, dq_argv, redis_argv, tmpdir):
    nkeys, m = args.mem_coll_keys, args.mem_members
    m -= m % nkeys
    out = {}
    for typ, wcmd, ccmd in COLL_TYPES:
        log(f"memory: {m:,} {typ} members over {nkeys:,} keys")
        payload, ncmd = build_collection(typ, nkeys, m)
        out[typ] = {}
        for kind, argv in (("dq", dq_argv), ("redis", redis_argv)):
            s = None
            try:
                s = new_server(kind, argv, args, tmpdir)
                r0 = settled_rss(s.pid)
                t = time.monotonic()
                pipe_load_lines(s.port, payload, ncmd, f"loading {typ} members")
                r1 = settled_rss(s.pid)
                t1 = time.monotonic() - t
                c = Conn(s.port)
                size, card = c.cmd("DBSIZE"), c.cmd(ccmd, f"{typ}:000000")
                c.close()
                if size != nkeys or card != m // nkeys:
                    raise RuntimeError(f"DBSIZE {size!r} / {ccmd} {card!r}, expected {nkeys} / "
                                       f"{m // nkeys}")
                out[typ][kind] = {"bpm": (r1 - r0) / m, "t": t1}
                log(f"  {kind:5s} {typ}: +{(r1 - r0) / 1e6:.1f} MB for {m:,} members "
                    f"= {(r1 - r0) / m:.1f} B/member ({t1:.1f}s)")
            except (OSError, RuntimeError) as ex:
                out[typ][kind] = {"error": f"{type(ex).__name__}: {ex}"}
                log(f"  {kind}: {typ} memory test FAILED: {ex}")
            finally:
                if s is not None:
                    s.stop()
        del payload
    return out


def memory_stream(args, dq_argv, redis_argv, tmpdir):
    """RSS growth per entry for --mem-members 5-field entries (STREAM_FIELDS) in one stream,
    explicit IDs (10 entries per millisecond, as a busy producer's `*` would give)."""
    m = args.mem_members
    log(f"memory: {m:,} stream entries in one stream")
    base = 1_700_000_000_000
    payload = b"".join(resp("XADD", "mem:stream", "%d-%d" % (base + i // 10, i % 10),
                            *STREAM_FIELDS) for i in range(m))
    out = {}
    for kind, argv in (("dq", dq_argv), ("redis", redis_argv)):
        s = None
        try:
            s = new_server(kind, argv, args, tmpdir)
            r0 = settled_rss(s.pid)
            t = time.monotonic()
            pipe_load_lines(s.port, payload, m, "loading stream entries", bulk=True)
            r1 = settled_rss(s.pid)
            t1 = time.monotonic() - t
            c = Conn(s.port)
            n = c.cmd("XLEN", "mem:stream")
            c.close()
            if n != m:
                raise RuntimeError(f"XLEN {n!r}, expected {m}")
            out[kind] = {"bpe": (r1 - r0) / m, "t": t1}
            log(f"  {kind:5s} stream: +{(r1 - r0) / 1e6:.1f} MB for {m:,} entries "
                f"= {(r1 - r0) / m:.1f} B/entry ({t1:.1f}s)")
        except (OSError, RuntimeError) as ex:
            out[kind] = {"error": f"{type(ex).__name__}: {ex}"}
            log(f"  {kind}: stream memory test FAILED: {ex}")
        finally:
            if s is not None:
                s.stop()
    del payload
    return out


# --------------------------------------------------------------------------- report


def gmean(xs):
    xs = [x for x in xs if x and x > 0 and math.isfinite(x)]
    return math.exp(sum(map(math.log, xs)) / len(xs)) if xs else float("nan")


def med(rs, key):
    return statistics.median(r[key] for r in rs)


def machine_info():
    model = "?"
    with contextlib.suppress(OSError):
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    rv = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout
    rv = next((t.split("=", 1)[1] for t in rv.split() if t.startswith("v=")), rv.strip())
    bv = subprocess.run(["redis-benchmark", "--version"], capture_output=True, text=True)
    commit = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"],
                            capture_output=True, text=True).stdout.strip() or "?"
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    return {"nproc": os.cpu_count(), "model": model, "redis": rv, "commit": commit,
            "kernel": platform.release(), "load": load,
            "bench": (bv.stdout or bv.stderr).strip()}


def short_err(e):
    """One line, without the echo of the arguments in Redis's unknown-command message."""
    e = re.sub(r", with args beginning with:.*", "", str(e), flags=re.S)
    return e.replace("\n", " ").replace("|", "\\|")


def fmt_ratio(x):
    return "—" if not math.isfinite(x) else f"{x:.2f}"


GROUP_TITLES = {
    "core": "core — strings and PING (redis-benchmark -t …; -r 100000, keys preloaded so GETs "
            "hit)",
    "queue": "queue — lists (redis-benchmark -t lpush/rpop/lpop, LRANGE on a 600-element "
             "mylist; 32 B elements) and blocking hand-off (tools/bench/driver.c: 4 producers "
             "pipelining RPUSH to 4 queues, 8 consumers looping BLPOP q 1; rate = items "
             "consumed/s, CPU per item)",
    "pubsub": "pubsub — fan-out (tools/bench/driver.c: 1 publisher pipelining PUBLISH of 32 B, "
              "50 subscribers; rate = messages delivered/s summed over subscribers, CPU per "
              "delivered message)",
    "collections": "collections — hashes, sets, sorted sets (redis-benchmark -t hset/sadd/"
                   "spop/zadd/zpopmin and custom commands; SPOP/ZPOPMIN on a set/zset of -n "
                   "members; HGET/HGETALL over 10k 10-field hashes, SISMEMBER on a 100k set, "
                   "ZRANGE 0 99 of a 200-member zset)",
    "scripting": "scripting — EVALSHA of a script doing one GET and one SET (redis-benchmark "
                 "custom command over 100k random keys; the script is cached by one EVAL first)",
    "streams": "streams — XADD of 5 fields (~60 B of values) to one stream and XRANGE of 100 "
               "entries from a random start in a 10k-entry stream (redis-benchmark custom "
               "commands); consumer group (tools/bench/driver.c: 2 producers pipelining XADD, "
               "4 consumers looping XREADGROUP COUNT 10 + XACK; rate = entries acked/s)",
}


def group_table(L, group, workloads, results, errors):
    L.append(f"#### {GROUP_TITLES.get(group, group)}")
    L.append("")
    L.append("| workload | clients | pipe | req | thr dq/redis | thr ratio range "
             "| dq kops/s | redis kops/s | p50 ms dq / redis | p99 ms dq / redis "
             "| CPU/op ns dq / redis | CPU/op dq/redis | noise |")
    L.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    thr_r, cpu_r = [], []
    for w in workloads:
        d, r = results[(w.name, "dq")], results[(w.name, "redis")]
        if w.runner == "driver":
            label = f"{w.label} ({w.tname})"
            cells = [label, str(w.clients), str(w.pipeline), f"{w.seconds:g}s"]
        else:
            label = w.label + (f" {w.size}B" if w.label in ("SET", "GET", "MSET") else "")
            if w.rb[:1] != ["-t"]:
                label += f" (`{' '.join(w.rb)}`)"
            cells = [label, str(w.clients), str(w.pipeline), f"{w.requests // 1000}k"]
        if not d or not r:
            why = "; ".join(f"{k}: {short_err(errors.get((w.name, k), 'no result'))}"
                            for k, rs in (("dq", d), ("redis", r)) if not rs)[:160]
            cells += [f"**FAIL** ({why})"] + [""] * 8
            L.append("| " + " | ".join(cells) + " |")
            continue
        # Ratios: median over rounds of the back-to-back pair's ratio (cancels slow drift);
        # absolute numbers: plain medians.
        rd, rr = {x["round"]: x for x in d}, {x["round"]: x for x in r}
        pairs = [(rd[i], rr[i]) for i in sorted(rd) if i in rr]
        if pairs:
            tr = statistics.median(a["rps"] / b["rps"] for a, b in pairs)
            cr = statistics.median(a["cpu_op"] / b["cpu_op"] for a, b in pairs)
            lo = min(a["rps"] / b["rps"] for a, b in pairs)
            hi = max(a["rps"] / b["rps"] for a, b in pairs)
        else:
            tr = med(d, "rps") / med(r, "rps")
            cr = med(d, "cpu_op") / med(r, "cpu_op")
            lo = hi = tr
        noise = max(x["other"] for x in d + r)
        thr_r.append(tr)
        cpu_r.append(cr)
        flag = " ⚠" if tr < 0.7 or cr > 1.5 else ""
        spread = f"{lo:.2f}–{hi:.2f}" if len(pairs) > 1 else ""

        def lat(k):
            a, b = med(d, k), med(r, k)
            return "—" if not (math.isfinite(a) and math.isfinite(b)) else f"{a:.3f} / {b:.3f}"

        cells += [f"{fmt_ratio(tr)}{flag}", spread, f"{med(d, 'rps') / 1e3:,.0f}",
                  f"{med(r, 'rps') / 1e3:,.0f}", lat("p50"), lat("p99"),
                  f"{med(d, 'cpu_op'):,.0f} / {med(r, 'cpu_op'):,.0f}", fmt_ratio(cr),
                  f"{noise:.2f}"]
        L.append("| " + " | ".join(cells) + " |")
    L.append("")
    nf = sum(1 for w in workloads if not results[(w.name, "dq")] or not results[(w.name, "redis")])
    L.append(f"**{group}: geometric mean over {len(thr_r)} workloads** — throughput dq/redis: "
             f"**{fmt_ratio(gmean(thr_r))}**, server CPU/op dq/redis: "
             f"**{fmt_ratio(gmean(cpu_r))}**"
             + (f" ({nf} workload(s) FAILED, excluded)" if nf else ""))
    L.append("")


def report(args, info, load_end, workloads, results, errors, crashes, mem, cmem, smem=None):
    L = []
    L.append(f"### dq vs redis-server — {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}")
    L.append("")
    L.append(f"- machine: {info['nproc']} CPUs, {info['model']}, Linux {info['kernel']}; "
             f"load average at start {info['load']}, at end {load_end}")
    L.append(f"- redis-server {info['redis']} (--save '' --appendonly no); dq {info['commit']} "
             f"($DQ_BUILD={args.build}); groups: {','.join(args.groups)}")
    pin = (f"servers on CPU {args.server_cpu}, redis-benchmark / driver on CPU {args.client_cpu}"
           if args.server_cpu is not None else "no CPU pinning")
    L.append(f"- redis-benchmark, {pin}; one server loaded at a time, dq/redis alternating; "
             f"median of {args.rounds} round(s){' (--quick)' if args.quick else ''}; "
             f"50 clients unless stated; 32 B or 4 KiB values; driver rows run "
             f"{args.seconds:g}s each (req column) and count items, not commands")
    L.append("- ratios are dq/redis (median over rounds of each back-to-back pair's ratio): "
             "throughput > 1 means dq is faster, CPU/op < 1 means dq uses less server CPU per "
             "command (CPU/op is the less noise-sensitive figure). *noise* = most CPUs' worth "
             "of other processes' work seen during any run of the row (0 = quiet machine)")
    L.append("")
    for g in GROUPS:
        ws = [w for w in workloads if w.group == g]
        if ws:
            group_table(L, g, ws, results, errors)
    for c in crashes:
        L.append(f"**PROBLEM:** {c}".replace("\n", " "))
        L.append("")
    if mem or cmem or smem:
        n = args.mem_keys
        L.append("#### memory (fresh server per phase; RSS growth / keys or members)")
        L.append("")
        L.append("| phase | dq B/item | redis B/item | dq/redis |")
        L.append("|---|--:|--:|--:|")
        rows = []
        if mem:
            rows += [(mem, "p1", f"{n // 1000:,}k SET, 16 B keys, 32 B values (per key)"),
                     (mem, "p2", f"+{n // 1000:,}k SET … EX 3600 (all {2 * n // 1000:,}k keys)"),
                     (mem, "ex", f"marginal cost of a key with EX (second {n // 1000:,}k only)")]
        m, nk = args.mem_members, args.mem_coll_keys
        what = {"hash": "hash fields (14 B field, 16 B value)", "set": "set members (15 B)",
                "zset": "sorted-set members (15 B + score)"}
        for typ, _, _ in COLL_TYPES:
            if cmem and typ in cmem:
                rows.append((cmem[typ], "bpm", f"{m // 1000:,}k {what[typ]} in {nk:,} {typ} keys "
                                               f"(per member)"))
        if smem:
            rows.append((smem, "bpe", f"{args.mem_members // 1000:,}k 5-field entries (~60 B of "
                                      f"values) in one stream (per entry)"))
        ratios = []
        for src, key, label in rows:
            d, r = src.get("dq", {}), src.get("redis", {})
            if "error" in d or "error" in r or not d or not r:
                def cell(x):
                    if key in x:
                        return f"{x[key]:.1f}"
                    return "FAIL: " + short_err(x.get("error", "not run"))[:100]
                L.append(f"| {label} | {cell(d)} | {cell(r)} | **FAIL** |")
                continue
            ratios.append(d[key] / r[key])
            L.append(f"| {label} | {d[key]:.1f} | {r[key]:.1f} | {fmt_ratio(d[key] / r[key])} |")
        L.append("")
        nf = len(rows) - len(ratios)
        L.append(f"**memory: geometric mean over {len(ratios)} rows** — bytes dq/redis: "
                 f"**{fmt_ratio(gmean(ratios))}**" + (f" ({nf} row(s) FAILED)" if nf else ""))
        L.append("")
    return "\n".join(L) + "\n"


# --------------------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="~2 minutes: 1 round, 15%% of the requests, core rows at 50 clients "
                         "and 32 B only, 1.5 s driver runs, 250k-item memory phases (collections "
                         "over 250 keys)")
    ap.add_argument("--rounds", type=int, help="rounds per workload (median; default 3, quick 1)")
    ap.add_argument("--scale", type=float, help="multiply request counts (default 1, quick 0.15)")
    ap.add_argument("--only", action="append",
                    help="run only workloads whose name contains this (e.g. 'GET c=500'); repeatable")
    ap.add_argument("--groups", default=",".join(GROUPS),
                    help=f"comma-separated groups to run (default all: {','.join(GROUPS)})")
    ap.add_argument("--skip-memory", action="store_true", help="same as leaving out 'memory'")
    ap.add_argument("--only-memory", action="store_true", help="same as --groups memory")
    ap.add_argument("--seconds", type=float,
                    help="seconds per driver run (hand-off, pub/sub; default 5, quick 1.5)")
    ap.add_argument("--mem-keys", type=int, help="keys per memory phase (default 1M, quick 250k)")
    ap.add_argument("--mem-members", type=int,
                    help="members per collection type in the memory group (default 1M, "
                         "quick 250k)")
    ap.add_argument("--mem-coll-keys", type=int,
                    help="hashes / sets / sorted sets the members are spread over (default "
                         "1,000, quick 250: 1,000 members each either way, so the encodings "
                         "match)")
    ap.add_argument("--server-cpu", type=int, default=1)
    ap.add_argument("--client-cpu", type=int, default=0)
    ap.add_argument("--no-pin", action="store_true", help="don't use taskset")
    ap.add_argument("--timeout", type=int, default=180, help="per redis-benchmark run, seconds")
    ap.add_argument("--build", default=os.environ.get("DQ_BUILD", "build"),
                    help="dq build dir (default $DQ_BUILD or build)")
    ap.add_argument("--dq", help="dq-server binary (default BUILD/dq-server)")
    ap.add_argument("--redis", default="redis-server", help="redis-server binary")
    # `make bench BENCH_ARGS="--quick"`: make exports command-line variables to the recipe.
    args = ap.parse_args(shlex.split(os.environ.get("BENCH_ARGS", "")) + sys.argv[1:])
    if args.rounds is None:
        args.rounds = 1 if args.quick else 3
    if args.scale is None:
        args.scale = 0.15 if args.quick else 1.0
    if args.seconds is None:
        args.seconds = 1.5 if args.quick else 5.0
    if args.mem_keys is None:
        args.mem_keys = 250_000 if args.quick else 1_000_000
    if args.mem_members is None:
        args.mem_members = 250_000 if args.quick else 1_000_000
    if args.mem_coll_keys is None:
        args.mem_coll_keys = 250 if args.quick else 1_000
    if args.rounds < 1:
        ap.error("--rounds must be >= 1")
    args.groups = [g.strip() for g in args.groups.split(",") if g.strip()]
    bad = [g for g in args.groups if g not in GROUPS]
    if bad:
        ap.error(f"unknown group(s) {','.join(bad)}; known: {','.join(GROUPS)}")
    if args.only_memory:
        args.groups = ["memory"]
    if args.skip_memory or args.only:
        args.groups = [g for g in args.groups if g != "memory"]
    args.groups = [g for g in GROUPS if g in args.groups]
    if not args.groups:
        ap.error("no group left to run")

    build = args.build if os.path.isabs(args.build) else os.path.join(ROOT, args.build)
    dq_bin = args.dq or os.path.join(build, "dq-server")
    if not os.access(dq_bin, os.X_OK):
        sys.exit(f"bench: {dq_bin} not found (build first, or set DQ_BUILD)")
    for tool in ("redis-benchmark", args.redis, "taskset"):
        if not shutil.which(tool) and not (tool == "taskset" and args.no_pin):
            sys.exit(f"bench: {tool} not found")

    ncpu = len(os.sched_getaffinity(0))
    if args.no_pin or ncpu < 2:
        if not args.no_pin:
            log("bench: fewer than 2 CPUs available, not pinning")
        args.server_cpu = args.client_cpu = None
    else:
        avail = os.sched_getaffinity(0)
        if args.server_cpu not in avail or args.client_cpu not in avail:
            sys.exit(f"bench: CPUs {args.server_cpu}/{args.client_cpu} not in affinity {avail}")
        # This script (preloader, memory loader) shares the client's core.
        os.sched_setaffinity(0, {args.client_cpu})

    # 500 clients need fds on both sides; children inherit the raised limit.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, 65536) if hard != resource.RLIM_INFINITY else 65536
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))

    # SIGTERM/SIGHUP -> exception, so the finally below runs; Ctrl-C is KeyboardInterrupt.
    def on_signal(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    info = machine_info()
    log(f"bench: dq={dq_bin} redis={shutil.which(args.redis)} {info['redis']}; "
        f"rounds={args.rounds} scale={args.scale}; load avg {info['load']}")
    tmpdir = tempfile.mkdtemp(prefix="dq-bench-")
    t0 = time.monotonic()
    workloads, results, errors, crashes, mem, cmem, smem = [], {}, {}, [], None, None, None
    unsupported = {}
    args.driver, args.driver_error = None, None
    try:
        if any(g in args.groups for g in ("queue", "pubsub", "streams")):
            args.driver, args.driver_error = build_driver(tmpdir)
            if args.driver_error:
                log(f"bench: {args.driver_error}")
        if any(g != "memory" for g in args.groups):
            workloads, results, errors, crashes, unsupported = bench(args, [dq_bin], [args.redis],
                                                                     tmpdir)
        if "memory" in args.groups:
            mem = memory(args, [dq_bin], [args.redis], tmpdir)
            cmem = memory_collections(args, [dq_bin], [args.redis], tmpdir)
        if "streams" in args.groups and not args.only:
            smem = memory_stream(args, [dq_bin], [args.redis], tmpdir)
    except KeyboardInterrupt:
        log("bench: interrupted")
        return 130
    finally:
        stop_all()
        shutil.rmtree(tmpdir, ignore_errors=True)
    with open("/proc/loadavg") as f:
        load_end = " ".join(f.read().split()[:3])
    md = report(args, info, load_end, workloads, results, errors, crashes, mem, cmem, smem)
    md += f"\n_bench took {time.monotonic() - t0:.0f}s_\n"
    print(md)
    os.makedirs(build, exist_ok=True)
    out = os.path.join(build, "bench.md")
    with open(out, "w") as f:
        f.write(md)
    log(f"bench: written to {out}")
    # Exit 1 on anything but rows dq FAILs with an error reply (a command or type it lacks).
    failed = [k for k in errors if not results.get(k) and not (k[1] == "dq" and k in unsupported)]
    mems = ([mem] if mem else []) + (list(cmem.values()) if cmem else []) + ([smem] if smem else [])
    mem_failed = [e for m in mems for kind, v in m.items() if "error" in v
                  and not (kind == "dq" and "server error while loading" in v["error"])]
    if unsupported:
        log(f"bench: {len(unsupported)} row(s) FAIL because the server refused the command "
            "(exit status ignores these on dq)")
    return 1 if failed or mem_failed or crashes else 0


if __name__ == "__main__":
    sys.exit(main())
