"""The geo family against a real dq-server with exact replies: Redis's documented examples,
geo sets as ordinary sorted sets (ZRANGE, ZSCORE, ZREM, TYPE, OBJECT ENCODING), RESP3
coordinates, STORE into the source key itself, wake-ups and WATCH through GEOADD and the
*STORE commands, MULTI and scripts, COMMAND metadata, and a large set (COUNT ANY stops early).

Byte-for-byte comparisons with redis-server live in tests/compat/test_diff_geo.py."""
import time

import pytest

from dqtest import encode_command, wait_for

SICILY = ["13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"]


def bulk(s):
    s = s.encode() if isinstance(s, str) else s
    return b"$%d\r\n%s\r\n" % (len(s), s)


@pytest.fixture
def raw3(server):
    c = server.raw()
    c.cmd("FLUSHALL")
    c.cmd("HELLO", "3")
    yield c
    c.close()


def test_documented_examples(r, raw):
    # The examples of Redis's GEOADD / GEODIST / GEOPOS / GEOHASH / GEORADIUS / GEOSEARCH pages.
    assert raw.cmd("GEOADD", "Sicily", *SICILY) == b":2\r\n"
    assert raw.cmd("GEODIST", "Sicily", "Palermo", "Catania") == bulk("166274.1516")
    assert raw.cmd("GEODIST", "Sicily", "Palermo", "Catania", "km") == bulk("166.2742")
    assert raw.cmd("GEODIST", "Sicily", "Palermo", "Catania", "mi") == bulk("103.3182")
    assert raw.cmd("GEODIST", "Sicily", "Foo", "Bar") == b"$-1\r\n"
    assert raw.cmd("GEOHASH", "Sicily", "Palermo", "Catania") == \
        b"*2\r\n" + bulk("sqc8b49rny0") + bulk("sqdtr74hyu0")
    assert raw.cmd("GEOPOS", "Sicily", "Palermo", "Catania", "NonExisting") == (
        b"*3\r\n*2\r\n" + bulk("13.36138933897018433") + bulk("38.11555639549629859") +
        b"*2\r\n" + bulk("15.08726745843887329") + bulk("37.50266842333162032") + b"*-1\r\n")
    assert raw.cmd("GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST") == (
        b"*2\r\n*2\r\n" + bulk("Palermo") + bulk("190.4424") +
        b"*2\r\n" + bulk("Catania") + bulk("56.4413"))
    assert raw.cmd("GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHHASH") == (
        b"*2\r\n*2\r\n" + bulk("Palermo") + b":3479099956230698\r\n" +
        b"*2\r\n" + bulk("Catania") + b":3479447370796909\r\n")
    assert raw.cmd("GEOADD", "Sicily", "12.758489", "38.788135", "edge1", "17.241510",
                   "38.222735", "edge2") == b":2\r\n"
    assert raw.cmd("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km",
                   "ASC") == b"*2\r\n" + bulk("Catania") + bulk("Palermo")
    assert raw.cmd("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km",
                   "ASC", "WITHCOORD", "WITHDIST", "WITHHASH") == (
        b"*4\r\n"
        b"*4\r\n" + bulk("Catania") + bulk("56.4413") + b":3479447370796909\r\n*2\r\n" +
        bulk("15.08726745843887329") + bulk("37.50266842333162032") +
        b"*4\r\n" + bulk("Palermo") + bulk("190.4424") + b":3479099956230698\r\n*2\r\n" +
        bulk("13.36138933897018433") + bulk("38.11555639549629859") +
        b"*4\r\n" + bulk("edge2") + bulk("239.7835") + b":3481148332768344\r\n*2\r\n" +
        bulk("17.24151045083999634") + bulk("38.22273454499778467") +
        b"*4\r\n" + bulk("edge1") + bulk("279.7405") + b":3479273021651468\r\n*2\r\n" +
        bulk("12.7584877610206604") + bulk("38.78813451624225195"))
    assert raw.cmd("GEORADIUSBYMEMBER", "Sicily", "Agrigento", "100", "km") == \
        b"-ERR could not decode requested zset member\r\n"
    assert raw.cmd("GEOADD", "Sicily", "13.583333", "37.316667", "Agrigento") == b":1\r\n"
    assert raw.cmd("GEORADIUSBYMEMBER", "Sicily", "Agrigento", "100", "km") == \
        b"*2\r\n" + bulk("Agrigento") + bulk("Palermo")


def test_geo_sets_are_sorted_sets(r, raw):
    raw.cmd("GEOADD", "g", *SICILY)
    assert raw.cmd("TYPE", "g") == b"+zset\r\n"
    assert raw.cmd("OBJECT", "ENCODING", "g") == bulk("listpack")
    assert raw.cmd("ZSCORE", "g", "Palermo") == bulk("3479099956230698")
    assert raw.cmd("ZRANGE", "g", "0", "-1") == b"*2\r\n" + bulk("Palermo") + bulk("Catania")
    assert raw.cmd("ZCARD", "g") == b":2\r\n"
    assert raw.cmd("ZREM", "g", "Palermo") == b":1\r\n"
    assert raw.cmd("GEOPOS", "g", "Palermo") == b"*1\r\n*-1\r\n"
    # A score written by ZADD decodes like any other: the cell it names.
    assert raw.cmd("ZADD", "g", "3479099956230698", "copy") == b":1\r\n"
    assert raw.cmd("GEOHASH", "g", "copy") == b"*1\r\n" + bulk("sqc8b49rny0")
    assert raw.cmd("ZREM", "g", "Catania", "copy") == b":2\r\n"
    assert raw.cmd("EXISTS", "g") == b":0\r\n"


def test_geoadd_options_and_errors(r, raw):
    assert raw.cmd("GEOADD", "g", "CH", *SICILY) == b":2\r\n"
    assert raw.cmd("GEOADD", "g", "CH", "13.4", "38.1", "Palermo", "1", "1", "x") == b":2\r\n"
    assert raw.cmd("GEOADD", "g", "NX", "0", "0", "Palermo") == b":0\r\n"
    assert raw.cmd("GEOADD", "g", "XX", "0", "0", "nope") == b":0\r\n"
    assert raw.cmd("EXISTS", "nope") == b":0\r\n"
    assert raw.cmd("GEOADD", "g", "XX", "NX", "0", "0", "a") == b"-ERR syntax error\r\n"
    assert raw.cmd("GEOADD", "g", "1", "2", "a", "3") == b"-ERR syntax error\r\n"
    assert raw.cmd("GEOADD", "g", "181", "2", "a") == \
        b"-ERR invalid longitude,latitude pair 181.000000,2.000000\r\n"
    assert raw.cmd("GEOADD", "g", "1", "-85.06", "a") == \
        b"-ERR invalid longitude,latitude pair 1.000000,-85.060000\r\n"
    assert raw.cmd("GEOADD", "g", "x", "2", "a") == b"-ERR value is not a valid float\r\n"
    # Every pair is checked before anything is added.
    assert raw.cmd("GEOADD", "g", "1", "1", "ok", "200", "1", "bad") == \
        b"-ERR invalid longitude,latitude pair 200.000000,1.000000\r\n"
    assert raw.cmd("ZSCORE", "g", "ok") == b"$-1\r\n"
    raw.cmd("SET", "s", "x")
    assert raw.cmd("GEOADD", "s", "1", "1", "a").startswith(b"-WRONGTYPE")
    assert raw.cmd("GEOADD", "s", "500", "1", "a").startswith(b"-ERR invalid longitude")


def test_resp3_coordinates_are_doubles(raw3):
    raw3.cmd("GEOADD", "g", *SICILY)
    assert raw3.cmd("GEOPOS", "g", "Palermo", "nope") == \
        b"*2\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n_\r\n"
    assert raw3.cmd("GEOHASH", "g", "nope") == b"*1\r\n_\r\n"
    assert raw3.cmd("GEODIST", "g", "Palermo", "nope") == b"_\r\n"
    assert raw3.cmd("GEODIST", "g", "Palermo", "Catania") == bulk("166274.1516")
    assert raw3.cmd("GEOSEARCH", "g", "FROMMEMBER", "Catania", "BYRADIUS", "1", "m", "WITHCOORD",
                    "WITHDIST") == (b"*1\r\n*3\r\n" + bulk("Catania") + bulk("0.0000") +
                                    b"*2\r\n,15.08726745843887329\r\n,37.50266842333162032\r\n")


def test_store_variants(r, raw):
    raw.cmd("GEOADD", "g", *SICILY)
    assert raw.cmd("GEORADIUS", "g", "15", "37", "200", "km", "STORE", "d") == b":2\r\n"
    assert r.zrange("d", 0, -1, withscores=True) == [
        (b"Palermo", 3479099956230698.0), (b"Catania", 3479447370796909.0)]
    assert raw.cmd("GEORADIUS", "g", "15", "37", "200", "km", "STOREDIST", "d") == b":2\r\n"
    assert [m for m, _ in r.zrange("d", 0, -1, withscores=True)] == [b"Catania", b"Palermo"]
    assert round(r.zscore("d", "Catania"), 4) == 56.4413
    assert raw.cmd("GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "mi",
                   "STOREDIST", "COUNT", "1") == b":1\r\n"
    assert round(r.zscore("d", "Catania"), 4) == 35.0711
    # An empty result deletes the destination.
    assert raw.cmd("GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1",
                   "km") == b":0\r\n"
    assert raw.cmd("EXISTS", "d") == b":0\r\n"
    # The source may be the destination: the result replaces it.
    assert raw.cmd("GEOSEARCHSTORE", "g", "g", "FROMMEMBER", "Palermo", "BYRADIUS", "10",
                   "km") == b":1\r\n"
    assert r.zrange("g", 0, -1) == [b"Palermo"]
    assert raw.cmd("GEORADIUSBYMEMBER", "g", "Palermo", "1", "km", "STORE", "g") == b":1\r\n"
    assert r.zscore("g", "Palermo") == 3479099956230698.0
    # Big results are skiplists, small ones listpacks, as after ZRANGESTORE.
    args = []
    for i in range(200):
        args += ["12.%03d" % i, "41.9", "m%d" % i]
    raw.cmd("GEOADD", "big", *args)
    assert raw.cmd("GEOSEARCHSTORE", "d", "big", "FROMLONLAT", "12.1", "41.9", "BYRADIUS",
                   "100", "km") == b":200\r\n"
    assert raw.cmd("OBJECT", "ENCODING", "d") == bulk("skiplist")
    assert raw.cmd("GEOSEARCHSTORE", "d", "big", "FROMLONLAT", "12.1", "41.9", "BYRADIUS",
                   "100", "km", "COUNT", "3") == b":3\r\n"
    assert raw.cmd("OBJECT", "ENCODING", "d") == bulk("listpack")
    assert r.zrange("d", 0, -1) == [b"m99", b"m100", b"m101"]


def test_store_wakes_blocked_pops_and_touches_watch(r, server):
    c = server.raw()
    w = server.raw()
    try:
        r.geoadd("g", (13.361389, 38.115556, "Palermo"))
        c.send(encode_command("BZPOPMIN", "dst", "0"))
        wait_for(lambda: r.info("clients")["blocked_clients"] == 1)
        w.cmd("GEOSEARCHSTORE", "dst", "g", "FROMLONLAT", "13", "38", "BYRADIUS", "100", "km")
        assert c.read_reply_bytes() == \
            b"*3\r\n" + bulk("dst") + bulk("Palermo") + bulk("3479099956230698")
        c.send(encode_command("BZPOPMIN", "g2", "0"))
        wait_for(lambda: r.info("clients")["blocked_clients"] == 1)
        r.geoadd("g2", (1, 2, "x"))
        assert c.read_reply_bytes().startswith(b"*3\r\n" + bulk("g2") + bulk("x"))
        # WATCH: GEOADD and GEORADIUS ... STORE dirty the keys they write.
        assert w.cmd("WATCH", "g", "d") == b"+OK\r\n"
        c.cmd("GEORADIUS", "g", "13", "38", "100", "km", "STORE", "d")
        assert w.cmd("MULTI") == b"+OK\r\n"
        w.cmd("PING")
        assert w.cmd("EXEC") == b"*-1\r\n"
        assert w.cmd("WATCH", "g") == b"+OK\r\n"
        r.geoadd("g", (15.087269, 37.502669, "Catania"))
        w.cmd("MULTI")
        assert w.cmd("EXEC") == b"*-1\r\n"
    finally:
        c.close()
        w.close()


def test_multi_and_scripts(r, raw):
    assert raw.cmd("MULTI") == b"+OK\r\n"
    assert raw.cmd("GEOADD", "g", *SICILY) == b"+QUEUED\r\n"
    assert raw.cmd("GEODIST", "g", "Palermo", "Catania", "km") == b"+QUEUED\r\n"
    assert raw.cmd("EXEC") == b"*2\r\n:2\r\n" + bulk("166.2742")
    assert raw.cmd("EVAL", "return redis.call('GEOSEARCH', KEYS[1], 'FROMLONLAT', 15, 37, "
                   "'BYRADIUS', 200, 'km', 'ASC', 'WITHDIST')", "1", "g") == (
        b"*2\r\n*2\r\n" + bulk("Catania") + bulk("56.4413") +
        b"*2\r\n" + bulk("Palermo") + bulk("190.4424"))
    assert raw.cmd("EVAL", "return redis.call('GEOADD', KEYS[1], 2, 3, 'x')", "1", "g") == \
        b":1\r\n"
    # Read-only scripts may search but not store.
    assert raw.cmd("EVAL_RO", "return redis.call('GEORADIUS_RO', KEYS[1], 15, 37, 200, 'km')",
                   "1", "g") == b"*2\r\n" + bulk("Palermo") + bulk("Catania")
    assert raw.cmd("EVAL_RO", "return redis.call('GEOADD', KEYS[1], 2, 3, 'y')", "1",
                   "g").startswith(b"-ERR Write commands are not allowed from read-only scripts")


def test_command_metadata(r, raw):
    names = raw.cmd("COMMAND", "LIST", "FILTERBY", "ACLCAT", "geo")
    assert names.startswith(b"*10\r\n")
    for n in ("geoadd", "geodist", "geohash", "geopos", "georadius", "georadius_ro",
              "georadiusbymember", "georadiusbymember_ro", "geosearch", "geosearchstore"):
        assert bulk(n) in names
    docs = raw.cmd("COMMAND", "DOCS", "geosearch")
    assert b"$5\r\ngroup\r\n$3\r\ngeo\r\n" in docs
    assert raw.cmd("COMMAND", "INFO", "georadius").startswith(
        b"*1\r\n*10\r\n" + bulk("georadius") + b":-6\r\n*3\r\n+write\r\n+denyoom\r\n"
        b"+movablekeys\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@write\r\n+@geo\r\n+@slow\r\n")
    assert raw.cmd("COMMAND", "GETKEYS", "GEORADIUS", "src", "1", "2", "3", "km", "STORE",
                   "dst") == b"*2\r\n" + bulk("src") + bulk("dst")
    assert raw.cmd("COMMAND", "GETKEYS", "GEOSEARCHSTORE", "dst", "src", "FROMMEMBER", "m",
                   "BYRADIUS", "1", "km") == b"*2\r\n" + bulk("dst") + bulk("src")


def test_large_set_searches_stay_local(r, raw):
    # 40,000 points on a 200 x 200 grid of 0.05 degrees around (10, 45).
    pipe = r.pipeline(transaction=False)
    for i in range(200):
        args = []
        for j in range(200):
            args += [5 + i * 0.05, 40 + j * 0.05, "p%d_%d" % (i, j)]
        pipe.execute_command("GEOADD", "grid", *args)
    pipe.execute()
    assert r.zcard("grid") == 40000
    t = time.monotonic()
    for _ in range(50):
        got = raw.cmd("GEOSEARCH", "grid", "FROMLONLAT", "10", "45", "BYRADIUS", "7", "km",
                      "ASC")
    elapsed = time.monotonic() - t
    assert got.startswith(b"*9\r\n" + bulk("p100_100"))  # the point and its 8 grid neighbours
    assert elapsed < 2.0, elapsed
    # COUNT ANY returns as soon as it has enough, from the first cells scanned.
    t = time.monotonic()
    for _ in range(50):
        any3 = raw.cmd("GEOSEARCH", "grid", "FROMLONLAT", "10", "45", "BYRADIUS", "500", "km",
                       "COUNT", "3", "ANY")
    assert any3.startswith(b"*3\r\n")
    assert time.monotonic() - t < 2.0
    assert raw.cmd("GEOSEARCH", "grid", "FROMLONLAT", "10", "45", "BYRADIUS", "500", "km",
                   "COUNT", "1") == b"*1\r\n" + bulk("p100_100")
