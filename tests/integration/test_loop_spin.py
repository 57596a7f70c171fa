"""loop-spin-us (dq): under request/response load the event loop polls for a few microseconds
before sleeping (server/idle_spin.h). It must never cost an idle server CPU, keep timers
(blocking timeouts) running, and leave replies exactly as they are."""
import threading
import time

import redis

from dqtest import DQ_SERVER, ServerProc


def cpu_ns(pid):
    with open("/proc/%d/schedstat" % pid) as f:
        return int(f.read().split()[0])


def test_config(raw):
    assert raw.cmd("CONFIG", "GET", "loop-spin-us") == b"*2\r\n$12\r\nloop-spin-us\r\n$2\r\n10\r\n"
    assert raw.cmd("CONFIG", "SET", "loop-spin-us", "1001") == (
        b"-ERR CONFIG SET failed (possibly related to argument 'loop-spin-us') - argument must "
        b"be between 0 and 1000 inclusive\r\n")
    assert raw.cmd("CONFIG", "SET", "loop-spin-us", "0") == b"+OK\r\n"
    assert raw.cmd("PING") == b"+PONG\r\n"
    assert raw.cmd("CONFIG", "SET", "loop-spin-us", "10") == b"+OK\r\n"


def hammer(port, n, key):
    c = redis.Redis(host="127.0.0.1", port=port, socket_timeout=10)
    for _ in range(n):
        c.incr(key)
    c.close()


def test_spinning_server_under_load_then_idle():
    s = ServerProc(DQ_SERVER, {"loop-spin-us": 1000})  # the longest spin
    try:
        r = s.client()
        threads = [threading.Thread(target=hammer, args=(s.port, 1500, "n")) for _ in range(4)]
        t0 = time.time()
        for t in threads:
            t.start()
        # A blocking timeout (a libuv timer) fires on time while the loop spins.
        assert r.blpop(["q"], timeout=0.2) is None
        assert time.time() - t0 < 2
        for t in threads:
            t.join(30)
        assert r.get("n") == b"6000"
        r.close()
        # Idle: no requests, so no spinning; only the 10 Hz cron runs.
        time.sleep(0.2)
        before = cpu_ns(s.proc.pid)
        time.sleep(1.0)
        assert cpu_ns(s.proc.pid) - before < 50_000_000  # < 5% of a core
    finally:
        s.stop()


def test_sigterm_while_spinning_exits():
    """The spin's idle handle must not keep the loop alive after a shutdown."""
    for _ in range(3):
        s = ServerProc(DQ_SERVER, {"loop-spin-us": 1000})
        try:
            stop = threading.Event()

            def load():
                c = redis.Redis(host="127.0.0.1", port=s.port, socket_timeout=5)
                try:
                    while not stop.is_set():
                        c.ping()
                except (redis.ConnectionError, redis.TimeoutError):
                    pass

            t = threading.Thread(target=load, daemon=True)
            t.start()
            time.sleep(0.3)
            s.proc.terminate()
            assert s.proc.wait(5) == 0
            stop.set()
            t.join(10)
        finally:
            s.stop()
