"""Smoke: the server starts, answers PING, stores a string, and reports errors as Redis."""


def test_ping(r):
    assert r.ping() is True


def test_set_get(r):
    assert r.set("k", "v") is True
    assert r.get("k") == b"v"


def test_unknown_command(raw):
    assert raw.cmd("NOPE", "a", "b") == \
        b"-ERR unknown command 'NOPE', with args beginning with: 'a' 'b' \r\n"


def test_wrong_arity(raw):
    assert raw.cmd("GET") == b"-ERR wrong number of arguments for 'get' command\r\n"
