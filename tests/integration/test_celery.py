"""Celery (Debian's python3-celery, unmodified) with dq as broker AND result backend (issue 5).

A real `celery worker` process (solo pool) runs the tasks of tests/clients/celery_app/tasks.py;
the test submits with delay() / apply_async() / group / chord and waits with .get(timeout=...).
Along the way kombu's Redis transport takes a redis-py Lock (EVALSHA), runs WATCH/MULTI
pipelines, BRPOPs over several queues, keeps unacked messages in a hash + zset, and the worker's
remote control (pidbox) is a PSUBSCRIBE'd fanout. The result backend SUBSCRIBEs to each task's
channel and uses MULTI pipelines for chords.

DQ_CLIENTS_AGAINST=redis runs the same tests against Debian's redis-server."""
import gc
import os
import signal
import sys
import time

import pytest

from dqclients import CLIENTS_DIR, Worker, client_server
from dqtest import wait_for

APP_DIR = os.path.join(CLIENTS_DIR, "celery_app")

celery = pytest.importorskip("celery", reason="python3-celery not installed (make deps)")

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def target():
    s = client_server()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def tasks(target):
    url = "redis://127.0.0.1:%d/0" % target.port
    os.environ["DQ_CELERY_URL"] = url
    sys.path.insert(0, APP_DIR)
    try:
        import tasks as mod
    finally:
        sys.path.remove(APP_DIR)
    mod.app.conf.broker_url = url
    mod.app.conf.result_backend = url
    yield mod
    # Results still referenced unsubscribe when collected: do it while the server is up (a
    # result collected at exit would retry its connection for 20 s).
    gc.collect()
    mod.app.close()


@pytest.fixture(scope="module")
def stale_unacked(target, tasks):
    """A task message a consumer took (kombu's QoS.append: into the 'unacked' hash and the
    'unacked_index' zset) and never acked, as if its worker had died an hour ago. The worker
    restores it at startup: under kombu's redis-py lock, WATCH unacked / HGET / MULTI / ZREM +
    HDEL + LPUSH / EXEC."""
    res = tasks.echo.apply_async(("restored after a crash",))
    with tasks.app.connection_for_write() as conn:
        ch = conn.default_channel
        ch.qos.restore_at_shutdown = False  # a crashed consumer restores nothing
        msg = ch.basic_get("celery", no_ack=False)
        assert msg is not None and msg.headers["id"] == res.id
        c = target.client()
        assert c.hlen("unacked") == 1
        (tag,) = c.zrange("unacked_index", 0, -1)
        c.zadd("unacked_index", {tag: time.time() - 3600}, xx=True)
        c.close()
    return res.id


@pytest.fixture(scope="module")
def worker(target, tasks, stale_unacked):
    w = Worker([sys.executable, "-m", "celery", "-A", "tasks", "worker", "--pool=solo",
                "--loglevel=INFO", "-n", "dqtest@%h", "--without-heartbeat"],
               cwd=APP_DIR, env={"DQ_CELERY_URL": "redis://127.0.0.1:%d/0" % target.port},
               name="celery")
    try:
        w.wait_output(" ready.", timeout=20)
        yield w
    finally:
        w.stop()
        if not target.alive():
            raise AssertionError("server died during the Celery tests:\n" + target.log_text())


def test_unacked_task_restored(worker, tasks, stale_unacked, target):
    assert tasks.app.AsyncResult(stale_unacked).get(timeout=10) == "restored after a crash"
    c = target.client()
    # The worker acks right after it has stored the result.
    wait_for(lambda: c.hlen("unacked") == 0 and c.zcard("unacked_index") == 0)
    c.close()


def test_delay_get(worker, tasks):
    res = tasks.add.delay(2, 3)
    assert res.get(timeout=10) == 5
    assert res.successful()
    assert res.state == "SUCCESS"


def test_many_tasks(worker, tasks):
    results = [tasks.add.delay(i, i) for i in range(20)]
    assert [r.get(timeout=10) for r in results] == [2 * i for i in range(20)]


def test_failing_task_raises(worker, tasks):
    res = tasks.fail.delay("boom from the worker")
    with pytest.raises(ValueError, match="boom from the worker"):
        res.get(timeout=10)
    assert res.state == "FAILURE"
    assert isinstance(res.result, ValueError)


def test_countdown_eta(worker, tasks):
    start = time.time()
    res = tasks.echo.apply_async(("later",), countdown=1)
    assert res.get(timeout=10) == "later"
    assert time.time() - start >= 0.9


def test_task_retries_itself(worker, tasks):
    # self.retry() republishes the task with an ETA; the third run succeeds.
    assert tasks.flaky.delay(2).get(timeout=10) == 2
    with pytest.raises(RuntimeError, match="flaky"):
        tasks.flaky.delay(10).get(timeout=10)  # max_retries=3: the 4th failure is final


def test_other_queue(worker, tasks):
    # The worker consumes several queues: BRPOP over all of them.
    res = tasks.add.apply_async((40, 2), queue="celery")
    assert res.get(timeout=10) == 42


def test_group(worker, tasks):
    from celery import group
    res = group(tasks.add.s(i, 1) for i in range(5)).apply_async()
    assert res.get(timeout=10) == [1, 2, 3, 4, 5]


def test_chord(worker, tasks):
    from celery import chord
    res = chord(tasks.add.s(i, i) for i in range(4))(tasks.tsum.s())
    assert res.get(timeout=10) == 12


def test_control_ping(worker, tasks):
    # Remote control: a PUBLISH on the pidbox fanout the worker PSUBSCRIBEd, reply by list.
    replies = tasks.app.control.ping(timeout=5, limit=1)
    assert len(replies) == 1
    (name, reply), = replies[0].items()
    assert name.startswith("dqtest@")
    assert reply == {"ok": "pong"}


def error_lines(out):
    # The only error lines allowed are the failing task's own.
    return [l for l in out.splitlines() if ("ERROR/" in l or "CRITICAL/" in l or "WARNING/" in l)
            and "raised unexpected: " not in l and "RuntimeError('flaky')" not in l]


def test_worker_survived(worker, target):
    assert worker.proc.poll() is None, worker.output()[-4000:]
    assert not error_lines(worker.output()), worker.output()[-6000:]


def test_worker_warm_shutdown(worker, target):
    # SIGTERM: warm shutdown (kombu restores unacked messages under its redis-py lock).
    worker.proc.send_signal(signal.SIGTERM)
    assert worker.wait_exit(15) == 0, worker.output()[-6000:]
    assert not error_lines(worker.output()), worker.output()[-6000:]
    c = target.client()
    assert c.hlen("unacked") == 0
    assert c.zcard("unacked_index") == 0
    assert c.exists("unacked_mutex") == 0
    c.close()
