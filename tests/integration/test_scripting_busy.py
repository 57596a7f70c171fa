"""Long-running scripts (issue 5): after busy-reply-threshold other clients get BUSY, SCRIPT KILL
stops a script that has not written, a script that wrote is UNKILLABLE and only SHUTDOWN NOSAVE
ends it. Every scenario runs against dq and against Debian's redis-server side by side, and the
raw replies must be identical (the reference proves the test, dq must match it)."""
import hashlib
import threading
import time

import pytest

from dqtest import DQ_SERVER, RawClient, ServerProc, start_either, wait_for

THRESHOLD_MS = 200
SPIN = "local i = 0 while true do i = i + 1 end"
BUSY = (b"-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN "
        b"NOSAVE.\r\n")
UNKILLABLE = (b"-UNKILLABLE Sorry the script already executed write commands against the dataset. "
              b"You can either wait the script termination or kill the server in a hard way using "
              b"the SHUTDOWN NOSAVE command.\r\n")


def _start(which):
    return start_either(which, {"busy-reply-threshold": THRESHOLD_MS})


@pytest.fixture(scope="module", params=["dq", "redis"])
def srv(request):
    s = _start(request.param)
    yield s
    s.stop()


class Eval:
    """Runs one EVAL on its own connection in a thread; .reply holds the raw reply."""

    def __init__(self, port, *args):
        self.conn = RawClient(port, timeout=30)
        self.reply = None
        self.thread = threading.Thread(target=self._run, args=args, daemon=True)
        self.thread.start()

    def _run(self, *args):
        try:
            self.reply = self.conn.cmd(*args)
        except (ConnectionError, OSError) as e:
            self.reply = e

    def join(self, timeout=10):
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "EVAL did not return"
        self.conn.close()
        return self.reply


def wait_busy(port):
    """Waits until a fresh connection gets BUSY for PING; returns that connection."""
    def busy():
        c = RawClient(port)
        try:
            return c.cmd("PING").startswith(b"-BUSY ")
        finally:
            c.close()
    assert wait_for(busy, timeout=10, interval=0.05)
    return RawClient(port)


def test_busy_then_script_kill(srv):
    ev = Eval(srv.port, "EVAL", SPIN, "0")
    other = wait_busy(srv.port)  # a connection accepted while the script runs
    try:
        assert other.cmd("GET", "x") == BUSY
        assert other.cmd("SCRIPT", "EXISTS", "a") == BUSY
        # allow-busy commands still run
        assert other.cmd("WATCH", "x") == b"+OK\r\n"
        assert other.cmd("UNWATCH") == b"+OK\r\n"
        assert other.cmd("SHUTDOWN", "ABORT") == b"-ERR No shutdown in progress.\r\n"
        assert other.cmd("SHUTDOWN") == BUSY  # only NOSAVE while a script is busy
        assert other.cmd("SCRIPT", "KILL", "x") == (
            b"-ERR wrong number of arguments for 'script|kill' command\r\n")
        assert other.cmd("SCRIPT", "KILL") == b"+OK\r\n"
        reply = ev.join()
        sha = hashlib.sha1(SPIN.encode()).hexdigest().encode()
        assert reply == (b"-ERR Script killed by user with SCRIPT KILL... script: " + sha +
                         b", on @user_script:1.\r\n")
        assert other.cmd("SCRIPT", "KILL") == b"-NOTBUSY No scripts in execution right now.\r\n"
        assert other.cmd("PING") == b"+PONG\r\n"
    finally:
        other.close()


def test_transaction_during_busy_script(srv):
    ev = Eval(srv.port, "EVAL", SPIN, "0")
    other = wait_busy(srv.port)
    try:
        assert other.cmd("MULTI") == b"+OK\r\n"
        assert other.cmd("SET", "k", "v") == BUSY  # refused, not queued: dooms the MULTI
        # EXEC itself is refused by the busy gate, which aborts the transaction.
        assert other.cmd("EXEC") == b"-EXECABORT Transaction discarded because of: " + BUSY[1:]
        assert other.cmd("DISCARD") == b"-ERR DISCARD without MULTI\r\n"
        assert other.cmd("SCRIPT", "KILL") == b"+OK\r\n"
        assert ev.join().startswith(b"-ERR Script killed by user with SCRIPT KILL...")
    finally:
        other.close()


def test_pcall_cannot_swallow_the_kill(srv):
    script = ("local ok = pcall(function() while true do end end) "
              "while true do pcall(function() end) end")
    ev = Eval(srv.port, "EVAL", script, "0")
    other = wait_busy(srv.port)
    try:
        assert other.cmd("SCRIPT", "KILL") == b"+OK\r\n"
        assert ev.join().startswith(b"-ERR Script killed by user with SCRIPT KILL...")
        assert other.cmd("EVAL", "return 1", "0") == b":1\r\n"
    finally:
        other.close()


def test_script_that_ends_by_itself(srv):
    """A slow script that finishes: others got BUSY meanwhile, its reply is intact."""
    c = RawClient(srv.port)
    c.cmd("DEL", "n")
    script = ("local t = redis.call('TIME') local s = t[1] * 1000 + t[2] / 1000 "
              "repeat local n = redis.call('TIME') until n[1] * 1000 + n[2] / 1000 - s > 600 "
              "return redis.call('INCR', KEYS[1])")
    ev = Eval(srv.port, "EVAL", script, "1", "n")
    other = wait_busy(srv.port)
    try:
        assert other.cmd("GET", "n") == BUSY
        assert ev.join() == b":1\r\n"
        assert other.cmd("GET", "n") == b"$1\r\n1\r\n"
    finally:
        other.close()
        c.close()


def test_reply_made_just_before_a_busy_script_leaves(srv):
    """A client served in the same loop iteration as the EVAL that turns busy gets its reply
    while the script runs, not after it (the CI failure of session 2)."""
    a, b, staller = RawClient(srv.port), RawClient(srv.port), RawClient(srv.port)
    try:
        assert a.cmd("PING") == b.cmd("PING") == staller.cmd("PING") == b"+PONG\r\n"
        # A short script (under the threshold) holds the server while A's PING and B's spinning
        # EVAL arrive, so both are read in one loop iteration: PING first, then the EVAL.
        stall = ("local t = redis.call('TIME') local s = t[1] * 1000 + t[2] / 1000 "
                 "repeat local n = redis.call('TIME') until n[1] * 1000 + n[2] / 1000 - s > 150")
        staller.send(b"*3\r\n$4\r\nEVAL\r\n$%d\r\n%s\r\n$1\r\n0\r\n"
                     % (len(stall), stall.encode()))
        time.sleep(0.05)
        a.send(b"*1\r\n$4\r\nPING\r\n")
        time.sleep(0.02)
        b.send(b"*3\r\n$4\r\nEVAL\r\n$%d\r\n%s\r\n$1\r\n0\r\n" % (len(SPIN), SPIN.encode()))
        a.sock.settimeout(3)
        assert a.read_reply_bytes() == b"+PONG\r\n"
        assert staller.read_reply_bytes() == b"$-1\r\n"
        other = wait_busy(srv.port)
        assert other.cmd("SCRIPT", "KILL") == b"+OK\r\n"
        other.close()
        b.sock.settimeout(10)
        assert b.read_reply_bytes().startswith(b"-ERR Script killed by user with SCRIPT KILL...")
    finally:
        for c in (a, b, staller):
            c.close()


def test_busy_script_does_not_wake_waiters_early(srv):
    waiter = RawClient(srv.port, timeout=20)
    waiter.send(b"*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n")
    ctl = RawClient(srv.port)
    assert wait_for(lambda: b"blocked_clients:1" in ctl.cmd("INFO", "clients"))
    ctl.close()
    script = ("redis.call('RPUSH', 'q', 'job') local t = redis.call('TIME') "
              "local s = t[1] * 1000 + t[2] / 1000 repeat local n = redis.call('TIME') "
              "until n[1] * 1000 + n[2] / 1000 - s > 600 return redis.call('LLEN', 'q')")
    ev = Eval(srv.port, "EVAL", script, "0")
    other = wait_busy(srv.port)
    try:
        waiter.sock.settimeout(0.2)
        with pytest.raises(OSError):  # timeout: nothing delivered while the script runs
            waiter.read_reply_bytes()
        waiter.sock.settimeout(20)
        assert ev.join() == b":1\r\n"  # the waiter is served after the script
        assert waiter.read_reply_bytes() == b"*2\r\n$1\r\nq\r\n$3\r\njob\r\n"
    finally:
        other.close()
        waiter.close()


def test_unkillable_then_shutdown_nosave():
    for which in ("dq", "redis"):
        s = _start(which)
        try:
            ev = Eval(s.port, "EVAL", "redis.call('SET', 'x', '1') " + SPIN, "0")
            other = wait_busy(s.port)
            assert other.cmd("SCRIPT", "KILL") == UNKILLABLE
            assert other.cmd("SHUTDOWN") == BUSY
            other.send(b"*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n")
            assert other.closed_by_peer(5)
            assert isinstance(ev.join(), (ConnectionError, OSError))
            s.proc.wait(5)
            assert not s.alive()
            other.close()
        finally:
            s.stop()


def test_threshold_config_and_alias():
    s = ServerProc(DQ_SERVER)
    try:
        c = s.client()
        assert c.config_get("busy-reply-threshold") == {"busy-reply-threshold": "5000"}
        assert c.config_get("lua-time-limit") == {"lua-time-limit": "5000"}
        c.config_set("lua-time-limit", 100)
        assert c.config_get("busy-reply-threshold") == {"busy-reply-threshold": "100"}
        c.config_set("busy-reply-threshold", 0)  # 0: never busy
        t0 = time.time()
        assert c.eval("local t = redis.call('TIME') local s = t[1] * 1000 + t[2] / 1000 "
                      "repeat local n = redis.call('TIME') "
                      "until n[1] * 1000 + n[2] / 1000 - s > 300 return 1", 0) == 1
        assert time.time() - t0 >= 0.3
        c.close()
        raw = s.raw()
        assert raw.cmd("SCRIPT", "KILL") == b"-NOTBUSY No scripts in execution right now.\r\n"
        raw.close()
    finally:
        s.stop()


BUSY_FUNCTION = (b"-BUSY Redis is busy running a script. You can only call FUNCTION KILL or "
                 b"SHUTDOWN NOSAVE.\r\n")
SPIN_LIBRARY = ("#!lua name=spinlib\n"
                "redis.register_function('spin', function(keys, args)\n"
                "  local i = 0 while true do i = i + 1 end\n"
                "end)\n")


def test_function_kill(srv):
    c = RawClient(srv.port)
    assert c.cmd("FUNCTION", "LOAD", "REPLACE", SPIN_LIBRARY) == b"$7\r\nspinlib\r\n"
    assert c.cmd("FUNCTION", "KILL") == b"-NOTBUSY No scripts in execution right now.\r\n"
    ev = Eval(srv.port, "FCALL", "spin", "0")
    other = wait_busy(srv.port)
    try:
        assert other.cmd("GET", "x") == BUSY_FUNCTION
        assert other.cmd("SCRIPT", "KILL") == BUSY_FUNCTION  # SCRIPT KILL cannot end a function
        stats = other.cmd("FUNCTION", "STATS")
        assert stats.startswith(b"*4\r\n$14\r\nrunning_script\r\n*6\r\n$4\r\nname\r\n$4\r\nspin"
                                b"\r\n$7\r\ncommand\r\n*3\r\n$5\r\nFCALL\r\n$4\r\nspin\r\n$1\r\n0"
                                b"\r\n$11\r\nduration_ms\r\n:")
        assert other.cmd("FUNCTION", "KILL") == b"+OK\r\n"
        assert ev.join() == (b"-ERR Script killed by user with SCRIPT KILL... script: spin, on "
                             b"@user_function:3.\r\n")
        assert other.cmd("FCALL", "spin", "x") == b"-ERR Bad number of keys provided\r\n"
    finally:
        other.close()
        c.cmd("FUNCTION", "FLUSH")
        c.close()


def test_function_commands_during_busy_eval(srv):
    ev = Eval(srv.port, "EVAL", SPIN, "0")
    other = wait_busy(srv.port)
    try:
        assert other.cmd("FUNCTION", "KILL") == BUSY  # FUNCTION KILL cannot end an EVAL
        assert other.cmd("FUNCTION", "STATS") == BUSY
        assert other.cmd("SCRIPT", "KILL") == b"+OK\r\n"
        assert ev.join().startswith(b"-ERR Script killed by user with SCRIPT KILL...")
    finally:
        other.close()
