"""Celery tasks run by tests/integration/test_celery.py with dq as broker and result backend.

The worker and the test import this module; both read the server's URL from DQ_CELERY_URL.
"""
import os

from celery import Celery

URL = os.environ.get("DQ_CELERY_URL", "redis://127.0.0.1:6379/0")

app = Celery("dq_celery_tasks", broker=URL, backend=URL)
app.conf.update(
    broker_connection_retry_on_startup=False,
    broker_connection_max_retries=3,
    worker_hijack_root_logger=False,
    worker_prefetch_multiplier=4,
    worker_send_task_events=False,
    result_expires=600,
    task_acks_late=False,
    broker_transport_options={"visibility_timeout": 60},
)


@app.task
def add(x, y):
    return x + y


@app.task
def fail(message):
    raise ValueError(message)


@app.task
def tsum(values):
    return sum(values)


@app.task
def echo(value):
    return value


@app.task(bind=True, max_retries=3, default_retry_delay=0.1)
def flaky(self, fail_times):
    """Fails (and retries itself) fail_times times, then returns how many retries it took."""
    if self.request.retries < fail_times:
        raise self.retry(exc=RuntimeError("flaky"))
    return self.request.retries
