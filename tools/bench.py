#!/usr/bin/python3
"""dq vs redis-server, side by side, as ratios.  (`make bench`; python3 stdlib only)

  tools/bench.py [--quick] [--rounds N] [--scale F] [--only SUBSTR] [--skip-memory|--only-memory]
  make bench [BUILD=dir] [BENCH_ARGS="--quick"]

Throughput/latency: both servers run pinned to one core (--server-cpu, default 1) and
redis-benchmark to another (--client-cpu, default 0).  Only one server is loaded at a time;
every workload is run on dq and on redis back to back (the order alternates each round), so
machine noise hits both alike.  Each figure is the median of N rounds.  Server CPU time per
operation comes from /proc/PID/task/*/schedstat (ns on CPU) deltas around each run.

Memory: fresh servers, 1M SETs (16-byte keys, 32-byte values), then 1M more with EX 3600;
RSS (VmRSS) growth per key.

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

TESTS = [  # (label, redis-benchmark -t name, csv test name)
    ("SET", "set", "SET"),
    ("GET", "get", "GET"),
    ("INCR", "incr", "INCR"),
    ("MSET", "mset", "MSET (10 keys)"),
    ("PING", "ping_mbulk", "PING_MBULK"),
]


class Workload:
    def __init__(self, test, clients, pipeline, size, keyspace, requests):
        self.label, self.tname, self.csvname = test
        self.clients, self.pipeline, self.size = clients, pipeline, size
        self.keyspace, self.requests = keyspace, requests

    @property
    def name(self):
        return f"{self.label} c={self.clients} P={self.pipeline} d={self.size}"


def make_workloads(scale):
    def n(x):
        return max(1000, int(x * scale))

    out = []
    # 32-byte values over 100k random keys: 50 and 500 clients, no pipeline and -P 16.
    for clients in (50, 500):
        for pipeline in (1, 16):
            for t in TESTS:
                req = 100_000 if pipeline == 1 else 1_000_000
                if t[0] == "MSET":  # 10 keys per command
                    req //= 2 if pipeline == 1 else 4
                out.append(Workload(t, clients, pipeline, 32, 100_000, n(req)))
    # 4 KiB values (same 100k keyspace), 50 clients.
    for pipeline in (1, 16):
        for t in TESTS[:2]:
            req = 100_000 if pipeline == 1 else 300_000
            out.append(Workload(t, 50, pipeline, 4096, 100_000, n(req)))
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


def pipe_load(port, payload, count):
    """Send `count` pre-encoded SET commands and check that every reply is +OK."""
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
    want = 5 * count  # b"+OK\r\n" each
    got = bytearray()
    try:
        while len(got) < want:
            d = s.recv(1 << 20)
            if not d:
                raise ConnectionError(f"server closed connection after {len(got) // 5} replies")
            got += d
            if b"-" in d:  # only "+OK\r\n" is expected: any '-' starts an error reply
                i = got.find(b"-")
                raise RuntimeError("server error while loading: "
                                   + got[i:got.find(b"\r\n", i)].decode(errors="replace"))
    finally:
        th.join(timeout=5)
        s.close()
    if err:
        raise err[0]
    if bytes(got) != b"+OK\r\n" * count:
        raise RuntimeError("unexpected replies while loading")


def build_sets(prefix, n, size, extra=()):
    """RESP for SET <prefix%012d> <value> [extra...], keys 0..n-1."""
    val = b"x" * size
    head = b"*%d\r\n$3\r\nSET\r\n" % (3 + len(extra))
    tail = b"".join(b"$%d\r\n%s\r\n" % (len(e), e) for e in extra)
    klen = len(prefix) + 12
    vpart = b"$%d\r\n%s\r\n" % (size, val)
    pre = head + b"$%d\r\n" % klen + prefix
    return b"".join([pre + b"%012d\r\n" % i + vpart + tail for i in range(n)])


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
    """The exact command redis-benchmark will send must not be an error on this server."""
    c = Conn(server.port)
    try:
        v = b"x" * w.size
        probe = {
            "SET": ("SET", "key:000000000000", v),
            "GET": ("GET", "key:000000000000"),
            "INCR": ("INCR", "counter:000000000000"),
            "MSET": ["MSET"] + [a for i in range(10) for a in (f"key:{i:012d}", v)],
            "PING": ("PING",),
        }[w.label]
        r = c.cmd(*probe)
        return str(r) if isinstance(r, Exception) else None
    finally:
        c.close()


def preload(server, size, keyspace, cache):
    c = Conn(server.port)
    r = c.cmd("FLUSHALL")
    c.close()
    if isinstance(r, Exception):
        raise RuntimeError(f"{server.kind}: FLUSHALL failed: {r}")
    key = (size, keyspace)
    if key not in cache:
        cache.clear()
        cache[key] = build_sets(b"key:", keyspace, size)
    pipe_load(server.port, cache[key], keyspace)


def run_one(server, w, args):
    cmd = ["redis-benchmark", "-h", "127.0.0.1", "-p", str(server.port), "-c", str(w.clients),
           "-n", str(w.requests), "-P", str(w.pipeline), "-d", str(w.size), "-r",
           str(w.keyspace), "-t", w.tname, "--csv"]
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


def bench(args, dq_argv, redis_argv, tmpdir):
    workloads = make_workloads(args.scale)
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
    loaded = {k: None for k in servers}  # value size each server is preloaded with
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
                    if loaded[kind] != (w.size, w.keyspace):
                        preload(srv, w.size, w.keyspace, cache)
                        loaded[kind] = (w.size, w.keyspace)
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
                r = run_one(srv, w, args)
                if "error" in r and not srv.alive():
                    srv.reported = True  # reported as this workload's error; not again
                if "error" in r:
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
    return workloads, results, errors, crashes


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
            pipe_load(s.port, plain, n)
            r1 = settled_rss(s.pid)
            t1 = time.monotonic() - t
            t = time.monotonic()
            pipe_load(s.port, withex, n)
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


def fmt_ratio(x):
    return "—" if not math.isfinite(x) else f"{x:.2f}"


def report(args, info, load_end, workloads, results, errors, crashes, mem):
    L = []
    L.append(f"### dq vs redis-server — {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}")
    L.append("")
    L.append(f"- machine: {info['nproc']} CPUs, {info['model']}, Linux {info['kernel']}; "
             f"load average at start {info['load']}, at end {load_end}")
    L.append(f"- redis-server {info['redis']} (--save '' --appendonly no); dq {info['commit']} "
             f"($DQ_BUILD={args.build})")
    pin = (f"servers on CPU {args.server_cpu}, redis-benchmark on CPU {args.client_cpu}"
           if args.server_cpu is not None else "no CPU pinning")
    L.append(f"- redis-benchmark, {pin}; one server loaded at a time, dq/redis alternating; "
             f"median of {args.rounds} round(s){' (--quick)' if args.quick else ''}; "
             f"-r 100000 (keys preloaded, so GETs hit); 32 B or 4 KiB values")
    L.append("- ratios are dq/redis (median over rounds of each back-to-back pair's ratio): "
             "throughput > 1 means dq is faster, CPU/op < 1 means dq uses less server CPU per "
             "command (CPU/op is the less noise-sensitive figure). *noise* = most CPUs' worth "
             "of other processes' work seen during any run of the row (0 = quiet machine)")
    L.append("")
    if workloads:
        L.append("| workload | clients | pipe | req | thr dq/redis | thr ratio range "
                 "| dq kops/s | redis kops/s | p50 ms dq / redis | p99 ms dq / redis "
                 "| CPU/op ns dq / redis | CPU/op dq/redis | noise |")
        L.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
        thr_r, cpu_r = [], []
        for w in workloads:
            d, r = results[(w.name, "dq")], results[(w.name, "redis")]
            cells = [w.label + (f" {w.size}B" if w.label in ("SET", "GET", "MSET") else ""),
                     str(w.clients), str(w.pipeline), f"{w.requests // 1000}k"]
            if not d or not r:
                why = "; ".join(f"{k}: {errors.get((w.name, k), 'no result')}"
                                for k, rs in (("dq", d), ("redis", r)) if not rs)
                why = why.replace("\n", " ").replace("|", "\\|")[:160]
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
            cells += [f"{fmt_ratio(tr)}{flag}", spread, f"{med(d, 'rps') / 1e3:,.0f}",
                      f"{med(r, 'rps') / 1e3:,.0f}",
                      f"{med(d, 'p50'):.3f} / {med(r, 'p50'):.3f}",
                      f"{med(d, 'p99'):.3f} / {med(r, 'p99'):.3f}",
                      f"{med(d, 'cpu_op'):,.0f} / {med(r, 'cpu_op'):,.0f}", fmt_ratio(cr),
                      f"{noise:.2f}"]
            L.append("| " + " | ".join(cells) + " |")
        L.append("")
        nf = sum(1 for w in workloads
                 if not results[(w.name, "dq")] or not results[(w.name, "redis")])
        L.append(f"**Geometric mean over {len(thr_r)} workloads** — throughput dq/redis: "
                 f"**{fmt_ratio(gmean(thr_r))}**, server CPU/op dq/redis: "
                 f"**{fmt_ratio(gmean(cpu_r))}**"
                 + (f" ({nf} workload(s) FAILED, excluded)" if nf else ""))
        L.append("")
    for c in crashes:
        L.append(f"**PROBLEM:** {c}".replace("\n", " "))
        L.append("")
    if mem:
        n = args.mem_keys
        L.append(f"Memory (fresh servers; RSS growth / keys; 16-byte keys, 32-byte values):")
        L.append("")
        L.append("| phase | dq B/key | redis B/key | dq/redis |")
        L.append("|---|--:|--:|--:|")
        rows = [("p1", f"{n // 1000:,}k SET"),
                ("p2", f"+{n // 1000:,}k SET … EX 3600 (all {2 * n // 1000:,}k keys)"),
                ("ex", f"marginal cost of a key with EX (second {n // 1000:,}k only)")]
        for key, label in rows:
            d, r = mem.get("dq", {}), mem.get("redis", {})
            if "error" in d or "error" in r or not d or not r:
                def cell(m):
                    if key in m:
                        return f"{m[key]:.1f}"
                    return "FAIL: " + m.get("error", "not run").replace("|", "\\|")[:100]
                L.append(f"| {label} | {cell(d)} | {cell(r)} | **FAIL** |")
                continue
            L.append(f"| {label} | {d[key]:.1f} | {r[key]:.1f} | {fmt_ratio(d[key] / r[key])} |")
        L.append("")
    return "\n".join(L) + "\n"


# --------------------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="~1 minute: 1 round, a quarter of the requests")
    ap.add_argument("--rounds", type=int, help="rounds per workload (median; default 3, quick 1)")
    ap.add_argument("--scale", type=float, help="multiply request counts (default 1, quick 0.25)")
    ap.add_argument("--only", action="append",
                    help="run only workloads whose name contains this (e.g. 'GET c=500'); repeatable")
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--only-memory", action="store_true")
    ap.add_argument("--mem-keys", type=int, default=1_000_000, help="keys per memory phase")
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
        args.scale = 0.25 if args.quick else 1.0
    if args.rounds < 1:
        ap.error("--rounds must be >= 1")

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
    workloads, results, errors, crashes, mem = [], {}, {}, [], None
    try:
        if not args.only_memory:
            workloads, results, errors, crashes = bench(args, [dq_bin], [args.redis], tmpdir)
        if not args.skip_memory and not args.only:
            mem = memory(args, [dq_bin], [args.redis], tmpdir)
    except KeyboardInterrupt:
        log("bench: interrupted")
        return 130
    finally:
        stop_all()
        shutil.rmtree(tmpdir, ignore_errors=True)
    with open("/proc/loadavg") as f:
        load_end = " ".join(f.read().split()[:3])
    md = report(args, info, load_end, workloads, results, errors, crashes, mem)
    md += f"\n_bench took {time.monotonic() - t0:.0f}s_\n"
    print(md)
    os.makedirs(build, exist_ok=True)
    out = os.path.join(build, "bench.md")
    with open(out, "w") as f:
        f.write(md)
    log(f"bench: written to {out}")
    failed = [k for k in errors if not results.get(k)] if workloads else []
    mem_failed = mem is not None and any("error" in v for v in mem.values())
    return 1 if failed or mem_failed or crashes else 0


if __name__ == "__main__":
    sys.exit(main())
