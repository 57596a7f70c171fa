"""Transactions against a real dq-server: MULTI/EXEC/DISCARD/WATCH/UNWATCH with exact
replies, queueing errors (EXECABORT), runtime errors inside EXEC, WATCH dirtied by other
connections, expiry and flushes, and the optimistic-locking counter from two threads.

Byte-for-byte comparisons with redis-server live in tests/compat/test_diff_transactions.py."""
import threading
import time

import pytest
import redis

from dqtest import encode_command, wait_for


def err(raw_reply):
    assert raw_reply.startswith(b"-"), raw_reply
    return raw_reply[1:-2].decode()


@pytest.fixture
def other(server):
    c = server.client()
    yield c
    c.close()


def test_multi_exec(r, raw):
    assert raw.cmd("MULTI") == b"+OK\r\n"
    assert raw.cmd("SET", "k", "v") == b"+QUEUED\r\n"
    assert raw.cmd("GET", "k") == b"+QUEUED\r\n"
    assert raw.cmd("RPUSH", "l", "a", "b") == b"+QUEUED\r\n"
    assert raw.cmd("EXEC") == b"*3\r\n+OK\r\n$1\r\nv\r\n:2\r\n"
    assert raw.cmd("GET", "k") == b"$1\r\nv\r\n"


def test_empty_exec(raw):
    assert raw.cmd("MULTI") == b"+OK\r\n"
    assert raw.cmd("EXEC") == b"*0\r\n"


def test_queued_commands_do_not_run_before_exec(r, raw):
    raw.cmd("MULTI")
    raw.cmd("SET", "k", "v")
    assert r.exists("k") == 0
    raw.cmd("EXEC")
    assert r.get("k") == b"v"


def test_discard(r, raw):
    assert raw.cmd("MULTI") == b"+OK\r\n"
    assert raw.cmd("SET", "k", "v") == b"+QUEUED\r\n"
    assert raw.cmd("DISCARD") == b"+OK\r\n"
    assert raw.cmd("GET", "k") == b"$-1\r\n"
    assert err(raw.cmd("EXEC")) == "ERR EXEC without MULTI"


def test_control_errors(raw):
    assert err(raw.cmd("EXEC")) == "ERR EXEC without MULTI"
    assert err(raw.cmd("DISCARD")) == "ERR DISCARD without MULTI"
    assert raw.cmd("MULTI") == b"+OK\r\n"
    assert err(raw.cmd("MULTI")) == "ERR MULTI calls can not be nested"
    assert err(raw.cmd("WATCH", "k")) == "ERR WATCH inside MULTI is not allowed"
    # Neither error dooms the transaction.
    assert raw.cmd("PING") == b"+QUEUED\r\n"
    assert raw.cmd("EXEC") == b"*1\r\n+PONG\r\n"


def test_unknown_command_aborts(r, raw):
    raw.cmd("MULTI")
    assert raw.cmd("SET", "k", "v") == b"+QUEUED\r\n"
    assert err(raw.cmd("NOSUCH", "a")) == \
        "ERR unknown command 'NOSUCH', with args beginning with: 'a' "
    assert raw.cmd("SET", "k2", "v") == b"+QUEUED\r\n"
    assert err(raw.cmd("EXEC")) == "EXECABORT Transaction discarded because of previous errors."
    assert r.exists("k", "k2") == 0
    assert err(raw.cmd("EXEC")) == "ERR EXEC without MULTI"


def test_wrong_arity_aborts(r, raw):
    raw.cmd("MULTI")
    assert err(raw.cmd("SET", "k")) == "ERR wrong number of arguments for 'set' command"
    assert raw.cmd("SET", "k", "v") == b"+QUEUED\r\n"
    assert err(raw.cmd("EXEC")) == "EXECABORT Transaction discarded because of previous errors."
    assert r.exists("k") == 0


def test_exec_with_arguments_aborts(r, raw):
    # A refused EXEC aborts the transaction at once (Redis's execCommandAbort).
    raw.cmd("MULTI")
    raw.cmd("SET", "k", "v")
    assert err(raw.cmd("EXEC", "x")) == \
        "EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command"
    assert raw.cmd("SET", "k", "w") == b"+OK\r\n"
    assert err(raw.cmd("EXEC")) == "ERR EXEC without MULTI"
    assert r.get("k") == b"w"
    assert err(raw.cmd("EXEC", "x")).startswith("EXECABORT Transaction discarded because of: ")


def test_not_allowed_in_multi(raw):
    raw.cmd("MULTI")
    assert err(raw.cmd("SHUTDOWN", "NOSAVE")) == "ERR Command not allowed inside a transaction"
    assert err(raw.cmd("EXEC")) == "EXECABORT Transaction discarded because of previous errors."


def test_runtime_errors_inline(r, raw):
    r.set("s", "x")
    raw.cmd("MULTI")
    raw.cmd("INCR", "s")
    raw.cmd("LPUSH", "s", "a")
    raw.cmd("SET", "k", "v")
    raw.cmd("LPOP", "s")
    assert raw.cmd("EXEC") == (
        b"*4\r\n-ERR value is not an integer or out of range\r\n"
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
        b"+OK\r\n"
        b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
    # The commands after the failing ones ran.
    assert r.get("k") == b"v"


def test_pipelined_multi_exec(r, raw):
    raw.send(b"".join(encode_command(*c) for c in [
        ("MULTI",), ("INCR", "n"), ("INCR", "n"), ("EXEC",), ("GET", "n")]))
    replies = [raw.read_reply_bytes() for _ in range(5)]
    assert replies == [b"+OK\r\n", b"+QUEUED\r\n", b"+QUEUED\r\n", b"*2\r\n:1\r\n:2\r\n",
                       b"$1\r\n2\r\n"]


def test_select_inside_multi(r, server, raw):
    raw.cmd("MULTI")
    raw.cmd("SELECT", "1")
    raw.cmd("SET", "k", "db1")
    assert raw.cmd("EXEC") == b"*2\r\n+OK\r\n+OK\r\n"
    assert raw.cmd("GET", "k") == b"$3\r\ndb1\r\n"  # the SELECT stays in effect
    assert r.exists("k") == 0


def test_multi_count_in_client_list(raw, r):
    cid = int(raw.cmd("CLIENT", "ID")[1:-2])
    raw.cmd("MULTI")
    raw.cmd("PING")
    raw.cmd("PING")
    line = r.execute_command("CLIENT", "LIST", "ID", cid).decode()
    assert " multi=2 " in line and " flags=x " in line
    raw.cmd("DISCARD")
    line = r.execute_command("CLIENT", "LIST", "ID", cid).decode()
    assert " multi=-1 " in line


# ---- WATCH ----------------------------------------------------------------------------------

def test_watch_unchanged_key_execs(r, raw):
    r.set("k", "1")
    assert raw.cmd("WATCH", "k") == b"+OK\r\n"
    raw.cmd("MULTI")
    raw.cmd("SET", "k", "2")
    assert raw.cmd("EXEC") == b"*1\r\n+OK\r\n"


def test_watch_modified_by_other_connection(r, raw, other):
    r.set("k", "1")
    assert raw.cmd("WATCH", "k") == b"+OK\r\n"
    other.set("k", "changed")
    raw.cmd("MULTI")
    raw.cmd("SET", "k", "mine")
    assert raw.cmd("EXEC") == b"*-1\r\n"
    assert r.get("k") == b"changed"
    # EXEC unwatches: the next transaction runs.
    raw.cmd("MULTI")
    raw.cmd("SET", "k", "mine")
    assert raw.cmd("EXEC") == b"*1\r\n+OK\r\n"


def test_watch_null_reply_resp3(server, other):
    c = server.raw()
    try:
        c.cmd("HELLO", "3")
        c.cmd("WATCH", "k")
        other.set("k", "x")
        c.cmd("MULTI")
        c.cmd("PING")
        assert c.cmd("EXEC") == b"_\r\n"
    finally:
        c.close()


@pytest.mark.parametrize("change", [
    lambda o: o.set("k", "x"), lambda o: o.delete("k"), lambda o: o.rpush("k", "a"),
    lambda o: o.expire("k", 100), lambda o: o.rename("k", "k2"),
    lambda o: o.lpop("k"), lambda o: o.flushall(), lambda o: o.flushdb(),
    lambda o: o.swapdb(0, 1),
], ids=["set", "del", "rpush", "expire", "rename-from", "lpop", "flushall", "flushdb", "swapdb"])
def test_watch_dirtied_by(r, raw, other, change):
    r.rpush("k", "a", "b")
    raw.cmd("WATCH", "k")
    change(other)
    raw.cmd("MULTI")
    raw.cmd("PING")
    assert raw.cmd("EXEC") == b"*-1\r\n"


def test_watch_missing_key_then_created(r, raw, other):
    raw.cmd("WATCH", "nokey")
    other.set("nokey", "now")
    raw.cmd("MULTI")
    raw.cmd("PING")
    assert raw.cmd("EXEC") == b"*-1\r\n"


def test_watch_failed_write_does_not_dirty(r, raw, other):
    r.set("k", "v")
    raw.cmd("WATCH", "k", "nokey")
    assert other.lpop("nokey") is None     # nothing changed
    assert other.set("k", "w", nx=True) is None
    with pytest.raises(redis.ResponseError):
        other.lpush("k", "x")              # WRONGTYPE: nothing changed
    raw.cmd("MULTI")
    raw.cmd("PING")
    assert raw.cmd("EXEC") == b"*1\r\n+PONG\r\n"


def test_watch_own_write_dirties(r, raw):
    raw.cmd("WATCH", "k")
    raw.cmd("SET", "k", "self")
    raw.cmd("MULTI")
    raw.cmd("PING")
    assert raw.cmd("EXEC") == b"*-1\r\n"


def test_watch_other_db_is_independent(r, raw, server):
    raw.cmd("WATCH", "k")
    c = server.client(db=1)
    c.set("k", "db1")
    c.close()
    raw.cmd("MULTI")
    raw.cmd("PING")
    assert raw.cmd("EXEC") == b"*1\r\n+PONG\r\n"


def test_unwatch(r, raw, other):
    raw.cmd("WATCH", "k")
    assert raw.cmd("UNWATCH") == b"+OK\r\n"
    other.set("k", "x")
    raw.cmd("MULTI")
    raw.cmd("PING")
    assert raw.cmd("EXEC") == b"*1\r\n+PONG\r\n"


def test_discard_unwatches(r, raw, other):
    raw.cmd("WATCH", "k")
    raw.cmd("MULTI")
    raw.cmd("DISCARD")
    other.set("k", "x")
    raw.cmd("MULTI")
    raw.cmd("PING")
    assert raw.cmd("EXEC") == b"*1\r\n+PONG\r\n"


def test_watch_then_expiry(r, raw):
    r.set("k", "v", px=50)
    raw.cmd("WATCH", "k")
    wait_for(lambda: r.exists("k") == 0)
    raw.cmd("MULTI")
    raw.cmd("PING")
    assert raw.cmd("EXEC") == b"*-1\r\n"


def test_watch_key_expiring_unseen(r, raw):
    # Redis 7: a watched key that expires before EXEC aborts it, even if nothing deleted it
    # yet (active expiry off, nobody read it).
    r.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "0")
    try:
        r.set("k", "v", px=30)
        raw.cmd("WATCH", "k")
        raw.cmd("MULTI")
        raw.cmd("PING")
        time.sleep(0.1)  # nothing may look at k (a read would expire it lazily)
        assert raw.cmd("EXEC") == b"*-1\r\n"
    finally:
        r.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "1")


def test_exec_aborted_by_queue_error_unwatches(r, raw, other):
    raw.cmd("WATCH", "k")
    raw.cmd("MULTI")
    raw.cmd("NOSUCH")
    assert err(raw.cmd("EXEC")).startswith("EXECABORT")
    other.set("k", "x")
    raw.cmd("MULTI")
    raw.cmd("PING")
    assert raw.cmd("EXEC") == b"*1\r\n+PONG\r\n"


def test_watch_count_in_client_list(r, raw):
    cid = int(raw.cmd("CLIENT", "ID")[1:-2])
    raw.cmd("WATCH", "a", "b", "a")
    line = r.execute_command("CLIENT", "LIST", "ID", cid).decode()
    assert " watch=2 " in line or " watch=" not in line  # Redis 7.2 shows watch=, 7.0 not
    raw.cmd("UNWATCH")


def test_disconnect_in_multi_and_watch(r, server, other):
    c = server.raw()
    c.cmd("WATCH", "k")
    c.cmd("MULTI")
    c.cmd("SET", "k", "never")
    c.close()
    other.set("k", "x")  # the watcher is gone: nothing dangles
    wait_for(lambda: other.info("clients")["connected_clients"] <= 3)
    assert other.get("k") == b"x"


def test_counter_retry_loop_two_threads(server, r):
    r.set("counter", 0)
    per_thread = 200
    retries = [0, 0]

    def worker(idx):
        c = server.client()
        done = 0
        while done < per_thread:
            with c.pipeline(transaction=True) as p:
                try:
                    p.watch("counter")
                    v = int(p.get("counter"))
                    p.multi()
                    p.set("counter", v + 1)
                    p.execute()
                    done += 1
                except redis.WatchError:
                    retries[idx] += 1
        c.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads)
    assert int(r.get("counter")) == 2 * per_thread
