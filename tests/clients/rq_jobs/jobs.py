"""Job functions run by RQ workers in tests/integration/test_rq.py (imported by name: jobs.add)."""


def add(x, y):
    return x + y


def fail(message):
    raise ValueError(message)


def echo(value):
    return value
