"""RQ (Debian's python3-rq 1.13, unmodified) against dq (issue 6).

Jobs (tests/clients/rq_jobs/jobs.py) are enqueued by this process and run by a real
`rq worker --burst` process (forking a work horse per job, as RQ does by default). RQ >= 1.12
stores results in a stream per job (XADD ... MAXLEN ~ 10, read back with XREVRANGE) as soon as
INFO says redis_version >= 5, so every test that runs a job skips until dq has streams; the
registries and worker registration (CLIENT SETNAME, then CLIENT LIST parsed for name= and
addr=) are tested without them.

DQ_CLIENTS_AGAINST=redis runs the same tests against Debian's redis-server."""
import os
import subprocess
import sys
import time
import warnings
from datetime import datetime, timedelta, timezone

import pytest
import redis

from dqclients import CLIENTS_DIR, Worker, client_server, server_lacks

rq = pytest.importorskip("rq", reason="python3-rq not installed (make deps)")
from rq import Queue, Retry  # noqa: E402
from rq.command import send_shutdown_command  # noqa: E402
from rq.job import Job, JobStatus  # noqa: E402
from rq.results import Result  # noqa: E402
from rq.registry import (DeferredJobRegistry, FailedJobRegistry,  # noqa: E402
                         FinishedJobRegistry, ScheduledJobRegistry)

JOBS_DIR = os.path.join(CLIENTS_DIR, "rq_jobs")

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def target():
    s = client_server()
    yield s
    if not s.alive():
        raise AssertionError("server died during the RQ tests:\n" + s.log_text())
    s.stop()


@pytest.fixture
def conn(target):
    c = redis.Redis(host="127.0.0.1", port=target.port, socket_timeout=10)
    c.flushall()
    yield c
    c.close()


@pytest.fixture
def streams(target):
    missing = server_lacks(target.port, "xadd", "xrevrange")
    if missing:
        pytest.skip("streams not implemented yet (%s): RQ stores job results in streams"
                    % ", ".join(missing))


def run_burst_worker(target, *queues, scheduler=False, failures=0, timeout=20):
    """Runs `rq worker --burst` to completion; returns its output. Only the `failures` jobs
    that fail on purpose may log a traceback."""
    args = [sys.executable, "-m", "rq.cli", "worker", "--burst", "-u",
            "redis://127.0.0.1:%d/0" % target.port, "-P", JOBS_DIR, "-n", "dqtest-burst"]
    if scheduler:
        args.append("--with-scheduler")
    w = Worker(args + list(queues), cwd=JOBS_DIR, name="rq")
    try:
        rc = w.wait_exit(timeout)
        out = w.output()
    finally:
        w.stop()
    assert rc == 0, out[-6000:]
    assert out.count("Traceback") == failures, out[-6000:]
    assert out.count("ValueError: rq job failed on purpose") == failures, out[-6000:]
    return out


# --- Without running a job (no streams needed) -----------------------------------------

def test_worker_registration(conn):
    # Worker() calls CLIENT SETNAME, then finds its own address in CLIENT LIST by name.
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # RQ warns (and says 'unknown') if either fails
        w = rq.Worker(["default"], connection=conn, name="dqtest-reg")
    assert w.ip_address.startswith("127.0.0.1:")
    assert int(w.ip_address.rsplit(":", 1)[1]) > 0
    assert conn.client_getname() == "dqtest-reg"
    w.register_birth()
    try:
        assert [x.name for x in rq.Worker.all(connection=conn)] == ["dqtest-reg"]
        assert rq.Worker.count(connection=conn) == 1
        found = rq.Worker.find_by_key(w.key, connection=conn)
        assert found.name == "dqtest-reg"
        assert found.ip_address == w.ip_address
        assert found.hostname == w.hostname
        w.set_state("busy")
        assert rq.Worker.find_by_key(w.key, connection=conn).get_state() == "busy"
    finally:
        w.register_death()
    assert rq.Worker.all(connection=conn) == []


def test_enqueue_and_fetch(conn):
    q = Queue("default", connection=conn)
    job = q.enqueue("jobs.add", 2, 3, job_id="j-add")
    assert q.count == 1
    assert q.job_ids == ["j-add"]
    again = Job.fetch("j-add", connection=conn)
    assert again.func_name == "jobs.add"
    assert again.args == (2, 3)
    assert again.get_status() == JobStatus.QUEUED
    assert job.get_position() == 0
    assert Queue.all(connection=conn)[0].name == "default"


def test_deferred_registry(conn):
    q = Queue("default", connection=conn)
    parent = q.enqueue("jobs.add", 1, 1)
    child = q.enqueue("jobs.add", 2, 2, depends_on=parent)
    assert child.get_status() == JobStatus.DEFERRED
    assert DeferredJobRegistry(queue=q).get_job_ids() == [child.id]
    assert q.job_ids == [parent.id]
    assert parent.dependents_key in [k.decode() for k in conn.keys("rq:job:*:dependents")]


def test_scheduled_registry(conn):
    q = Queue("default", connection=conn)
    j1 = q.enqueue_in(timedelta(seconds=60), "jobs.echo", "later")
    when = datetime.now(timezone.utc) + timedelta(seconds=120)
    j2 = q.enqueue_at(when, "jobs.echo", "much later")
    reg = ScheduledJobRegistry(queue=q)
    assert reg.get_job_ids() == [j1.id, j2.id]
    assert j1.get_status() == JobStatus.SCHEDULED
    assert abs(reg.get_scheduled_time(j2).timestamp() - when.timestamp()) < 1.0
    assert q.count == 0


def test_shutdown_command_stops_idle_worker(target, conn):
    # A long-running worker BLPOPs its queues and listens on rq:pubsub:<name>; `rq`'s shutdown
    # command is a PUBLISH there. Then `rq info` lists queues and workers.
    args = [sys.executable, "-m", "rq.cli", "worker", "-u", "redis://127.0.0.1:%d/0" % target.port,
            "-P", JOBS_DIR, "-n", "dqtest-idle", "default"]
    w = Worker(args, cwd=JOBS_DIR, name="rq-idle")
    try:
        w.wait_output("Subscribing to channel rq:pubsub:dqtest-idle", timeout=15)
        w.wait_output("*** Listening on", timeout=15)
        info = subprocess.run([sys.executable, "-m", "rq.cli", "info", "-u",
                               "redis://127.0.0.1:%d/0" % target.port],
                              capture_output=True, text=True, timeout=15)
        assert info.returncode == 0, info.stdout + info.stderr
        assert "dqtest-idle" in info.stdout and "1 workers" in info.stdout, info.stdout
        send_shutdown_command(conn, "dqtest-idle")
        assert w.wait_exit(15) == 0, w.output()[-6000:]
        assert "Received shutdown command" in w.output()
        assert "Traceback" not in w.output(), w.output()[-6000:]
    finally:
        w.stop()
    assert rq.Worker.all(connection=conn) == []


# --- Running jobs (results are streams) --------------------------------------------------

def test_burst_worker_runs_jobs(target, conn, streams):
    q = Queue("default", connection=conn)
    jobs = [q.enqueue("jobs.add", i, i) for i in range(5)]
    out = run_burst_worker(target, "default")
    assert "done, quitting" in out
    for i, job in enumerate(jobs):
        job.refresh()
        assert job.get_status() == JobStatus.FINISHED
        assert job.result == 2 * i
        assert job.return_value() == 2 * i
        latest = job.latest_result()
        assert latest.type == latest.Type.SUCCESSFUL
        assert latest.return_value == 2 * i
    assert sorted(FinishedJobRegistry(queue=q).get_job_ids()) == sorted(j.id for j in jobs)
    assert q.count == 0
    # The result stream is capped: XADD ... MAXLEN ~ 10.
    assert conn.type("rq:results:%s" % jobs[0].id) == b"stream"


def test_failing_job_in_failed_registry(target, conn, streams):
    q = Queue("default", connection=conn)
    job = q.enqueue("jobs.fail", "rq job failed on purpose")
    run_burst_worker(target, "default", failures=1)
    job.refresh()
    assert job.get_status() == JobStatus.FAILED
    assert FailedJobRegistry(queue=q).get_job_ids() == [job.id]
    assert "ValueError: rq job failed on purpose" in job.exc_info
    latest = job.latest_result()
    assert latest.type == latest.Type.FAILED
    assert "ValueError" in latest.exc_string


def test_retry_then_failed(target, conn, streams):
    # Retry(max=2) without interval: the worker requeues the job at once, twice; the third
    # failure is final.
    q = Queue("default", connection=conn)
    job = q.enqueue("jobs.fail", "rq job failed on purpose", retry=Retry(max=2))
    run_burst_worker(target, "default", failures=3)
    job.refresh()
    assert job.get_status() == JobStatus.FAILED
    assert job.retries_left == 0
    assert FailedJobRegistry(queue=q).get_job_ids() == [job.id]
    assert [r.type for r in job.results()] == [Result.Type.FAILED]  # retries store none


def test_dependent_job_runs_after_parent(target, conn, streams):
    q = Queue("default", connection=conn)
    parent = q.enqueue("jobs.add", 20, 1)
    child = q.enqueue("jobs.echo", "after parent", depends_on=parent)
    assert DeferredJobRegistry(queue=q).get_job_ids() == [child.id]
    run_burst_worker(target, "default")
    child.refresh()
    assert child.get_status() == JobStatus.FINISHED
    assert child.result == "after parent"
    assert DeferredJobRegistry(queue=q).get_job_ids() == []


def test_scheduled_job_with_scheduler(target, conn, streams):
    q = Queue("default", connection=conn)
    job = q.enqueue_in(timedelta(seconds=1), "jobs.echo", "scheduled")
    assert ScheduledJobRegistry(queue=q).get_job_ids() == [job.id]
    time.sleep(1.1)
    # The burst worker's scheduler takes the queue's lock (SET NX EX), moves due jobs from the
    # ScheduledJobRegistry onto the queue, then the worker runs them.
    run_burst_worker(target, "default", scheduler=True)
    job.refresh()
    assert job.get_status() == JobStatus.FINISHED
    assert job.result == "scheduled"
    assert ScheduledJobRegistry(queue=q).get_job_ids() == []


def test_several_queues(target, conn, streams):
    high = Queue("high", connection=conn)
    low = Queue("low", connection=conn)
    a = low.enqueue("jobs.echo", "low")
    b = high.enqueue("jobs.echo", "high")
    run_burst_worker(target, "high", "low")
    a.refresh()
    b.refresh()
    assert (a.result, b.result) == ("low", "high")
    assert b.ended_at <= a.ended_at
