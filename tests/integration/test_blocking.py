"""Blocking pops against a real dq-server, with several real connections: BLPOP, BRPOP,
BLMOVE, BRPOPLPUSH, BLMPOP; key priority, FIFO service, timeouts, disconnects, CLIENT
UNBLOCK, chains, MULTI, pipelining, key deletion/rename/expiry while waiting, idle CPU.

A blocked client is driven on a raw socket: send the command, poll INFO blocked_clients
(never sleep to "let it block"), act from another connection, then read the exact reply."""
import os
import threading
import time

import pytest

from dqtest import encode_command, wait_for


def err(raw_reply):
    assert raw_reply.startswith(b"-"), raw_reply
    return raw_reply[1:-2].decode()


def kv(key, value):
    return b"*2\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(key), key.encode(), len(value),
                                                  value.encode())


def blocked_clients(r):
    return r.info("clients")["blocked_clients"]


def wait_blocked(r, n):
    wait_for(lambda: blocked_clients(r) == n, timeout=5)


@pytest.fixture
def clients(server):
    """Opens raw connections on demand; closes them all afterwards."""
    opened = []

    def _open():
        c = server.raw()
        opened.append(c)
        return c

    yield _open
    for c in opened:
        c.close()


def block(c, *args):
    c.send(encode_command(*args))


# ---- basic service --------------------------------------------------------------------------

def test_blpop_immediate(r, raw):
    r.rpush("l", "a", "b")
    assert raw.cmd("BLPOP", "l", "0") == kv("l", "a")
    assert raw.cmd("BRPOP", "l", "0") == kv("l", "b")
    assert r.exists("l") == 0


def test_blpop_served_by_push(r, clients):
    c = clients()
    block(c, "BLPOP", "l", "0")
    wait_blocked(r, 1)
    assert r.rpush("l", "x") == 1
    assert c.read_reply_bytes() == kv("l", "x")
    assert blocked_clients(r) == 0
    assert r.exists("l") == 0


def test_brpop_takes_tail(r, clients):
    c = clients()
    block(c, "BRPOP", "l", "0")
    wait_blocked(r, 1)
    r.rpush("l", "a", "b", "c")
    assert c.read_reply_bytes() == kv("l", "c")
    assert r.lrange("l", 0, -1) == [b"a", b"b"]


def test_key_order_is_priority(r, raw):
    r.rpush("k2", "two")
    r.rpush("k3", "three")
    assert raw.cmd("BLPOP", "k1", "k3", "k2", "0") == kv("k3", "three")
    assert raw.cmd("BLPOP", "k1", "k3", "k2", "0") == kv("k2", "two")


def test_first_pushed_key_serves_multi_key_waiter(r, clients):
    c = clients()
    block(c, "BLPOP", "a", "b", "0")
    wait_blocked(r, 1)
    r.rpush("b", "from-b")
    assert c.read_reply_bytes() == kv("b", "from-b")


def test_fifo_service_of_waiters(r, clients):
    cs = [clients() for _ in range(5)]
    for i, c in enumerate(cs):
        block(c, "BLPOP", "q", "0")
        wait_blocked(r, i + 1)
    for i, c in enumerate(cs):
        r.rpush("q", "item%d" % i)
        assert c.read_reply_bytes() == kv("q", "item%d" % i)
    assert blocked_clients(r) == 0


def test_one_push_serves_n_waiters(r, clients):
    cs = [clients() for _ in range(4)]
    for i, c in enumerate(cs):
        block(c, "BRPOP", "q", "0")
        wait_blocked(r, i + 1)
    assert r.lpush("q", "a", "b", "c") == 3  # list is c b a; BRPOP takes a, b, c in turn
    assert [c.read_reply_bytes() for c in cs[:3]] == [kv("q", "a"), kv("q", "b"), kv("q", "c")]
    assert blocked_clients(r) == 1
    assert r.exists("q") == 0
    r.rpush("q", "d")
    assert cs[3].read_reply_bytes() == kv("q", "d")


def test_push_to_other_type_does_not_wake(r, clients):
    c = clients()
    block(c, "BLPOP", "k", "0")
    wait_blocked(r, 1)
    r.set("k", "string")
    r.delete("k")
    assert blocked_clients(r) == 1
    r.rpush("k", "v")
    assert c.read_reply_bytes() == kv("k", "v")


def test_waiter_in_other_db(r, server, clients):
    c = clients()
    assert c.cmd("SELECT", "2") == b"+OK\r\n"
    block(c, "BLPOP", "k", "0")
    wait_blocked(r, 1)
    r.rpush("k", "db0")  # db 0: not the key it waits on
    assert blocked_clients(r) == 1
    r2 = server.client(db=2)
    r2.rpush("k", "db2")
    assert c.read_reply_bytes() == kv("k", "db2")
    assert r.lrange("k", 0, -1) == [b"db0"]
    r2.close()


# ---- timeouts -------------------------------------------------------------------------------

def test_timeout_replies(r, raw):
    t0 = time.time()
    assert raw.cmd("BLPOP", "k", "0.1") == b"*-1\r\n"
    assert 0.08 <= time.time() - t0 < 1.5
    assert raw.cmd("BRPOP", "k", "0.05") == b"*-1\r\n"
    # Redis 7.0 quirk: a timed-out BLMOVE/BRPOPLPUSH answers a null array too.
    assert raw.cmd("BLMOVE", "k", "d", "LEFT", "LEFT", "0.05") == b"*-1\r\n"
    assert raw.cmd("BRPOPLPUSH", "k", "d", "0.05") == b"*-1\r\n"
    assert raw.cmd("BLMPOP", "0.05", "1", "k", "LEFT") == b"*-1\r\n"
    assert blocked_clients(r) == 0


def test_timeout_resp3(server):
    c = server.raw()
    try:
        c.cmd("HELLO", "3")
        assert c.cmd("BLPOP", "k", "0.02") == b"_\r\n"
        assert c.cmd("BLMOVE", "k", "d", "LEFT", "LEFT", "0.02") == b"_\r\n"
    finally:
        c.close()


def test_tiny_timeout_is_not_forever(raw):
    t0 = time.time()
    assert raw.cmd("BLPOP", "k", "0.0001") == b"*-1\r\n"
    assert raw.cmd("BLPOP", "k", "1e-10") == b"*-1\r\n"
    assert time.time() - t0 < 1.0


def test_zero_timeout_is_forever(r, clients):
    c = clients()
    block(c, "BLPOP", "k", "0")
    wait_blocked(r, 1)
    time.sleep(0.3)
    assert blocked_clients(r) == 1
    r.rpush("k", "late")
    assert c.read_reply_bytes() == kv("k", "late")


def test_timeout_errors(raw):
    for cmd in (("BLPOP", "k"), ("BRPOP", "k")):
        assert err(raw.cmd(*cmd, "-1")) == "ERR timeout is negative"
        assert err(raw.cmd(*cmd, "-inf")) == "ERR timeout is negative"
        assert err(raw.cmd(*cmd, "abc")) == "ERR timeout is not a float or out of range"
        assert err(raw.cmd(*cmd, "")) == "ERR timeout is not a float or out of range"
        assert err(raw.cmd(*cmd, "nan")) == "ERR timeout is not a float or out of range"
        assert err(raw.cmd(*cmd, " 1")) == "ERR timeout is not a float or out of range"
        # Redis 7.0 casts seconds*1000 to long long: huge values come out negative.
        assert err(raw.cmd(*cmd, "1e17")) == "ERR timeout is negative"
        assert err(raw.cmd(*cmd, "inf")) == "ERR timeout is negative"
    assert err(raw.cmd("BLMOVE", "a", "b", "LEFT", "LEFT", "-1")) == "ERR timeout is negative"
    assert err(raw.cmd("BRPOPLPUSH", "a", "b", "x")) == \
        "ERR timeout is not a float or out of range"
    assert err(raw.cmd("BLMPOP", "-0.5", "1", "a", "LEFT")) == "ERR timeout is negative"
    assert err(raw.cmd("BLMPOP", "x", "1", "a", "LEFT")) == \
        "ERR timeout is not a float or out of range"
    # The timeout is checked before the keys are looked at.
    assert err(raw.cmd("BLPOP", "k", "-1")) == "ERR timeout is negative"


def test_timeout_keeps_fifo_for_others(r, clients):
    a, b = clients(), clients()
    block(a, "BLPOP", "q", "0.1")
    wait_blocked(r, 1)
    block(b, "BLPOP", "q", "0")
    wait_blocked(r, 2)
    assert a.read_reply_bytes() == b"*-1\r\n"
    assert blocked_clients(r) == 1
    r.rpush("q", "x")
    assert b.read_reply_bytes() == kv("q", "x")


# ---- disconnects, CLIENT KILL, CLIENT UNBLOCK -----------------------------------------------

def test_disconnect_while_blocked_leaves_no_trace(r, server):
    c = server.raw()
    block(c, "BLPOP", "q", "0")
    wait_blocked(r, 1)
    c.close()
    wait_blocked(r, 0)
    r.rpush("q", "kept")
    assert r.lrange("q", 0, -1) == [b"kept"]


def test_client_kill_while_blocked(r, clients):
    a, b = clients(), clients()
    a_id = int(a.cmd("CLIENT", "ID")[1:-2])
    block(a, "BLPOP", "q", "0")
    block(b, "BLPOP", "q", "0")
    wait_blocked(r, 2)
    assert r.execute_command("CLIENT", "KILL", "ID", a_id) == 1
    assert a.closed_by_peer()
    wait_blocked(r, 1)
    r.rpush("q", "x", "y")
    assert b.read_reply_bytes() == kv("q", "x")
    assert r.lrange("q", 0, -1) == [b"y"]


def test_client_list_flags(r, clients):
    c = clients()
    cid = int(c.cmd("CLIENT", "ID")[1:-2])
    block(c, "BLPOP", "q", "0")
    wait_blocked(r, 1)
    line = r.execute_command("CLIENT", "LIST", "ID", cid).decode()
    assert " flags=b " in line and " cmd=blpop " in line
    r.rpush("q", "x")
    assert c.read_reply_bytes() == kv("q", "x")
    line = r.execute_command("CLIENT", "LIST", "ID", cid).decode()
    assert " flags=N " in line


def test_client_unblock(r, clients):
    c = clients()
    cid = int(c.cmd("CLIENT", "ID")[1:-2])
    block(c, "BLPOP", "q", "0")
    wait_blocked(r, 1)
    assert r.execute_command("CLIENT", "UNBLOCK", cid) == 1
    assert c.read_reply_bytes() == b"*-1\r\n"
    assert blocked_clients(r) == 0
    assert r.execute_command("CLIENT", "UNBLOCK", cid) == 0
    block(c, "BLMOVE", "q", "d", "LEFT", "LEFT", "0")
    wait_blocked(r, 1)
    assert r.execute_command("CLIENT", "UNBLOCK", cid, "TIMEOUT") == 1
    assert c.read_reply_bytes() == b"*-1\r\n"
    block(c, "BRPOP", "q", "0")
    wait_blocked(r, 1)
    assert r.execute_command("CLIENT", "UNBLOCK", cid, "ERROR") == 1
    assert err(c.read_reply_bytes()) == "UNBLOCKED client unblocked via CLIENT UNBLOCK"
    assert c.cmd("PING") == b"+PONG\r\n"
    assert r.execute_command("CLIENT", "UNBLOCK", 999999) == 0
    with pytest.raises(Exception, match="CLIENT UNBLOCK reason should be TIMEOUT or ERROR"):
        r.execute_command("CLIENT", "UNBLOCK", cid, "FOO")
    # A later push is not lost to the unblocked client.
    r.rpush("q", "x")
    assert r.lrange("q", 0, -1) == [b"x"]


# ---- BLMOVE / BRPOPLPUSH / BLMPOP -----------------------------------------------------------

def test_blmove_served(r, clients):
    c = clients()
    block(c, "BLMOVE", "src", "dst", "RIGHT", "LEFT", "0")
    wait_blocked(r, 1)
    r.rpush("src", "a", "b")
    assert c.read_reply_bytes() == b"$1\r\nb\r\n"
    assert r.lrange("src", 0, -1) == [b"a"]
    assert r.lrange("dst", 0, -1) == [b"b"]


def test_brpoplpush_served(r, clients):
    c = clients()
    block(c, "BRPOPLPUSH", "src", "dst", "0")
    wait_blocked(r, 1)
    r.rpush("dst", "old")
    assert blocked_clients(r) == 1
    r.rpush("src", "new")
    assert c.read_reply_bytes() == b"$3\r\nnew\r\n"
    assert r.lrange("dst", 0, -1) == [b"new", b"old"]
    assert r.exists("src") == 0


def test_blmove_chain_wakes_next_waiters(r, clients):
    ab, bc, cwait = clients(), clients(), clients()
    block(ab, "BLMOVE", "A", "B", "LEFT", "RIGHT", "0")
    wait_blocked(r, 1)
    block(bc, "BLMOVE", "B", "C", "LEFT", "RIGHT", "0")
    wait_blocked(r, 2)
    block(cwait, "BLPOP", "C", "0")
    wait_blocked(r, 3)
    r.rpush("A", "token")
    assert ab.read_reply_bytes() == b"$5\r\ntoken\r\n"
    assert bc.read_reply_bytes() == b"$5\r\ntoken\r\n"
    assert cwait.read_reply_bytes() == kv("C", "token")
    assert blocked_clients(r) == 0
    assert r.exists("A", "B", "C") == 0


def test_blmove_wrongtype_destination_when_served(r, clients):
    c = clients()
    block(c, "BLMOVE", "src", "str", "LEFT", "LEFT", "0")
    wait_blocked(r, 1)
    r.set("str", "x")
    r.rpush("src", "v")
    assert err(c.read_reply_bytes()).startswith("WRONGTYPE")
    assert r.lrange("src", 0, -1) == [b"v"]
    assert blocked_clients(r) == 0


def test_blmpop_served(r, clients):
    c = clients()
    block(c, "BLMPOP", "0", "2", "a", "b", "RIGHT", "COUNT", "2")
    wait_blocked(r, 1)
    r.rpush("b", "1", "2", "3")
    assert c.read_reply_bytes() == \
        b"*2\r\n$1\r\nb\r\n*2\r\n$1\r\n3\r\n$1\r\n2\r\n"
    assert r.lrange("b", 0, -1) == [b"1"]


def test_blmpop_immediate(r, raw):
    r.rpush("b", "1", "2")
    assert raw.cmd("BLMPOP", "0", "2", "a", "b", "LEFT", "COUNT", "5") == \
        b"*2\r\n$1\r\nb\r\n*2\r\n$1\r\n1\r\n$1\r\n2\r\n"
    assert err(raw.cmd("BLMPOP", "0", "0", "a", "LEFT")) == "ERR numkeys should be greater than 0"
    assert err(raw.cmd("BLMPOP", "0", "1", "a", "LEFT", "COUNT", "0")) == \
        "ERR count should be greater than 0"


# ---- MULTI, pipelining ----------------------------------------------------------------------

def test_push_in_multi_wakes_after_exec(r, clients):
    w, tx = clients(), clients()
    block(w, "BLPOP", "q", "0")
    wait_blocked(r, 1)
    assert tx.cmd("MULTI") == b"+OK\r\n"
    assert tx.cmd("RPUSH", "q", "a") == b"+QUEUED\r\n"
    assert tx.cmd("LPOP", "q") == b"+QUEUED\r\n"
    assert tx.cmd("RPUSH", "q", "b") == b"+QUEUED\r\n"
    assert blocked_clients(r) == 1
    # Inside EXEC the pushes and the pop see each other; the waiter gets what is left after.
    assert tx.cmd("EXEC") == b"*3\r\n:1\r\n$1\r\na\r\n:1\r\n"
    assert w.read_reply_bytes() == kv("q", "b")
    assert r.exists("q") == 0


def test_blocking_in_multi_does_not_block(r, raw):
    assert raw.cmd("MULTI") == b"+OK\r\n"
    for cmd in (("BLPOP", "q", "0"), ("BRPOP", "q", "0"), ("BLMOVE", "q", "d", "LEFT", "LEFT", "0"),
                ("BRPOPLPUSH", "q", "d", "0"), ("BLMPOP", "0", "1", "q", "LEFT"),
                ("RPUSH", "q", "x"), ("BLPOP", "q", "0")):
        assert raw.cmd(*cmd) == b"+QUEUED\r\n"
    assert raw.cmd("EXEC") == \
        b"*7\r\n*-1\r\n*-1\r\n$-1\r\n$-1\r\n*-1\r\n:1\r\n" + kv("q", "x")
    assert blocked_clients(r) == 0


def test_pipelined_commands_after_blpop_run_after_it(r, clients):
    c = clients()
    c.send(encode_command("BLPOP", "q", "0") + encode_command("RPUSH", "after", "1") +
           encode_command("LLEN", "q"))
    wait_blocked(r, 1)
    assert r.exists("after") == 0
    r.rpush("q", "a", "b")
    assert c.read_reply_bytes() == kv("q", "a")
    assert c.read_reply_bytes() == b":1\r\n"
    assert c.read_reply_bytes() == b":1\r\n"
    assert r.lrange("after", 0, -1) == [b"1"]


def test_pipelined_after_timeout(r, clients):
    c = clients()
    c.send(encode_command("BLPOP", "q", "0.05") + encode_command("PING"))
    assert c.read_reply_bytes() == b"*-1\r\n"
    assert c.read_reply_bytes() == b"+PONG\r\n"


# ---- the key changes while clients wait -----------------------------------------------------

def test_key_deleted_while_waiting(r, clients):
    c = clients()
    r.set("q", "x")  # a string: BLPOP answers WRONGTYPE at once
    assert err(c.cmd("BLPOP", "q", "0")).startswith("WRONGTYPE")
    r.delete("q")
    block(c, "BLPOP", "q", "0")
    wait_blocked(r, 1)
    r.rpush("q", "a")
    r2 = clients()
    # Served by the push; a second push then a delete before anyone waits leaves nothing.
    assert c.read_reply_bytes() == kv("q", "a")
    block(c, "BLPOP", "q", "0")
    wait_blocked(r, 1)
    assert r2.cmd("MULTI") == b"+OK\r\n"
    r2.cmd("RPUSH", "q", "gone")
    r2.cmd("DEL", "q")
    assert r2.cmd("EXEC") == b"*2\r\n:1\r\n:1\r\n"
    assert blocked_clients(r) == 1
    r.rpush("q", "b")
    assert c.read_reply_bytes() == kv("q", "b")


def test_key_renamed_onto_waited_key(r, clients):
    c = clients()
    block(c, "BLPOP", "dst", "0")
    wait_blocked(r, 1)
    r.rpush("src", "moved")
    r.rename("src", "dst")
    assert c.read_reply_bytes() == kv("dst", "moved")
    assert r.exists("src", "dst") == 0


def test_waited_key_renamed_away(r, clients):
    c, tx = clients(), clients()
    block(c, "BLPOP", "q", "0")
    wait_blocked(r, 1)
    # Pushed then renamed away inside one EXEC: when waiters are served, q is gone.
    assert tx.cmd("MULTI") == b"+OK\r\n"
    tx.cmd("RPUSH", "q", "x")
    tx.cmd("RENAME", "q", "elsewhere")
    assert tx.cmd("EXEC") == b"*2\r\n:1\r\n+OK\r\n"
    assert blocked_clients(r) == 1
    assert r.lrange("elsewhere", 0, -1) == [b"x"]
    r.rename("elsewhere", "q")
    assert c.read_reply_bytes() == kv("q", "x")


def test_key_expiring_while_waiting(r, clients):
    c = clients()
    block(c, "BLPOP", "q", "0")
    wait_blocked(r, 1)
    # A MULTI pushes and sets a TTL at once: the waiter is served before the key expires.
    p = r.pipeline(transaction=True)
    p.rpush("q", "a")
    p.pexpire("q", 50)
    p.execute()
    assert c.read_reply_bytes() == kv("q", "a")
    block(c, "BLPOP", "q2", "0")
    wait_blocked(r, 1)
    p = r.pipeline(transaction=True)
    p.rpush("q3", "a")
    p.pexpire("q3", 30)
    p.execute()
    wait_for(lambda: r.exists("q3") == 0)
    assert blocked_clients(r) == 1
    r.rpush("q2", "b")
    assert c.read_reply_bytes() == kv("q2", "b")


# ---- threads, many clients ------------------------------------------------------------------

def test_threaded_consumers(server, r):
    n = 8
    results = []
    lock = threading.Lock()

    def consumer():
        c = server.client()
        v = c.blpop(["jobs"], timeout=5)
        with lock:
            results.append(v)
        c.close()

    threads = [threading.Thread(target=consumer) for _ in range(n)]
    for t in threads:
        t.start()
    wait_blocked(r, n)
    r.rpush("jobs", *range(n))
    for t in threads:
        t.join(5)
    assert sorted(int(v[1]) for v in results) == list(range(n))
    assert blocked_clients(r) == 0


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def test_many_idle_blocked_clients_cost_no_cpu(start_server):
    s = start_server(maxclients=2000)
    r = s.client()
    socks = []
    try:
        payload_forever = encode_command("BLPOP", "idle", "0")
        payload_timeout = encode_command("BLPOP", "idle2", "3600")
        for i in range(1000):
            c = s.raw()
            c.send(payload_forever if i % 2 else payload_timeout)
            socks.append(c)
        wait_for(lambda: blocked_clients(r) == 1000, timeout=20)
        hz = os.sysconf("SC_CLK_TCK")
        t0 = cpu_ticks(s.proc.pid)
        time.sleep(1.0)
        used = (cpu_ticks(s.proc.pid) - t0) / hz
        assert used < 0.1, "idle blocked clients used %.2fs of CPU in 1s" % used
        r.rpush("idle", *range(500))
        wait_for(lambda: blocked_clients(r) == 500)
        assert r.exists("idle") == 0
    finally:
        for c in socks:
            c.close()
        r.close()
