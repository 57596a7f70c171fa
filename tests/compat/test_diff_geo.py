"""Differential tests for the geo family: a few hundred points (real cities, seeded random
points, points near the poles, on the antimeridian, on the equator and the prime meridian,
tight clusters and duplicate positions) go to dq and to redis-server (7.0) with the same
GEOADD, then every geo command and option combination runs on both and the raw reply bytes
must be equal, in RESP2 and after HELLO 3.

Unsorted replies and COUNT ... ANY show the order in which Redis scans the 9 cells of a
search; COUNT without ANY and equal distances show its sorts (glibc's merge sort, Redis's
pqsort). Searches are centred on members, on cities and on awkward places, with radiuses and
boxes from 0 m to the whole Earth, in every unit.

Debian's 7.0.15 already computes geo results as 7.2 does (distances printed by
llrint(d * 10000) rather than %.4f, R * |dlat| for points of equal longitude): the "edges"
stream holds cases where the older ways would print another last digit.
STOREDIST scores are compared as %.17g strings through Lua, since ZSCORE's double
format is another 7.0 / 7.2 difference."""
import random

import pytest

from dqtest import both_raw, diff_stream

CITIES = [
    ("Palermo", 13.361389, 38.115556), ("Catania", 15.087269, 37.502669),
    ("Rome", 12.496366, 41.902782), ("Paris", 2.352222, 48.856613),
    ("London", -0.127758, 51.507351), ("Berlin", 13.404954, 52.520008),
    ("Madrid", -3.703790, 40.416775), ("Lisbon", -9.139337, 38.722252),
    ("Reykjavik", -21.817439, 64.126521), ("Oslo", 10.752245, 59.913869),
    ("Helsinki", 24.938379, 60.169856), ("Moscow", 37.617300, 55.755826),
    ("Istanbul", 28.978359, 41.008238), ("Cairo", 31.235712, 30.044420),
    ("Nairobi", 36.821946, -1.292066), ("Lagos", 3.379206, 6.524379),
    ("Kinshasa", 15.266293, -4.441931), ("Johannesburg", 28.047305, -26.204103),
    ("CapeTown", 18.424055, -33.924870), ("Dubai", 55.270783, 25.204849),
    ("Mumbai", 72.877656, 19.075984), ("Delhi", 77.102490, 28.704059),
    ("Singapore", 103.819836, 1.352083), ("Jakarta", 106.845599, -6.208763),
    ("Bangkok", 100.501765, 13.756331), ("HongKong", 114.109497, 22.396428),
    ("Shanghai", 121.473701, 31.230416), ("Beijing", 116.407396, 39.904200),
    ("Seoul", 126.977969, 37.566535), ("Tokyo", 139.691706, 35.689487),
    ("Sydney", 151.209296, -33.868820), ("Melbourne", 144.963058, -37.813628),
    ("Auckland", 174.763332, -36.848460), ("Suva", 178.441900, -18.141600),
    ("Apia", -171.751400, -13.833300), ("Honolulu", -157.858333, 21.306944),
    ("Anchorage", -149.900278, 61.218056), ("Vancouver", -123.120738, 49.282729),
    ("SanFrancisco", -122.419416, 37.774929), ("LosAngeles", -118.243685, 34.052234),
    ("MexicoCity", -99.133208, 19.432608), ("Chicago", -87.629798, 41.878114),
    ("NewYork", -74.005973, 40.712775), ("Toronto", -79.383184, 43.653226),
    ("Havana", -82.366592, 23.113592), ("Bogota", -74.072092, 4.710989),
    ("Quito", -78.467838, -0.180653), ("Lima", -77.042793, -12.046374),
    ("Santiago", -70.669265, -33.448890), ("BuenosAires", -58.381559, -34.603684),
    ("SaoPaulo", -46.633309, -23.550520), ("Ushuaia", -68.303950, -54.801912),
    ("Nuuk", -51.694138, 64.181410), ("Longyearbyen", 15.635000, 78.223200),
    ("Alert", -62.350000, 82.501400), ("McMurdo", 166.668200, -77.846300),
    ("Anadyr", 177.508900, 64.733700), ("Tromso", 18.955324, 69.649205),
    ("Kampala", 32.582520, 0.347596), ("Macapa", -51.066400, 0.034900),
    ("Greenwich", 0.0, 51.477928), ("Accra", -0.186964, 5.603717),
]


def _points():
    rnd = random.Random(20240611)
    pts = [("city:" + n, "%.6f" % lon, "%.6f" % lat) for n, lon, lat in CITIES]

    def add(prefix, n, lon_range, lat_range):
        for i in range(n):
            lon = rnd.uniform(*lon_range)
            lat = rnd.uniform(*lat_range)
            pts.append(("%s:%d" % (prefix, i), "%.6f" % lon, "%.6f" % lat))

    add("r", 120, (-180, 180), (-85.05112878, 85.05112878))
    add("north", 15, (-180, 180), (80, 85.05112878))
    add("south", 15, (-180, 180), (-85.05112878, -80))
    add("am", 15, (179.5, 180), (-60, 60))
    add("amw", 15, (-180, -179.5), (-60, 60))
    add("eq", 20, (-180, 180), (-0.05, 0.05))
    add("pm", 10, (-0.05, 0.05), (-60, 60))
    add("rome", 60, (12.3, 12.7), (41.7, 42.1))  # a cluster: COUNT sorts of > 40 items
    add("tiny", 12, (2.3520, 2.3525), (48.8564, 48.8568))
    exact = [("edge:np", "0", "85.05112878"), ("edge:sp", "0", "-85.05112878"),
             ("edge:e180", "180", "0"), ("edge:w180", "-180", "0"), ("edge:origin", "0", "0"),
             ("edge:ne", "180", "85.05112878"), ("edge:sw", "-180", "-85.05112878"),
             ("12345", "12.5", "41.9"), ("-7", "12.51", "41.91"), ("", "12.52", "41.92")]
    pts += exact
    # Duplicate positions: equal distances, so the sorts' order among ties shows.
    for i in range(8):
        pts.append(("dupRome:%d" % i, "12.496366", "41.902782"))
        pts.append(("dupPole:%d" % i, "45", "84.9"))
    return pts


POINTS = _points()
CENTRES = [(lon, lat) for _, lon, lat in POINTS[:: max(1, len(POINTS) // 40)]] + [
    ("0", "0"), ("180", "0"), ("-180", "0"), ("179.999", "0.001"), ("0", "85.05112878"),
    ("0", "-85.05112878"), ("12.496366", "41.902782"), ("45", "84.9"), ("-0.0001", "51.5"),
    ("100", "66.5"), ("-100", "-80.5"),
]
MEMBERS = ["city:Rome", "city:Sydney", "city:Apia", "city:Suva", "city:Alert", "city:McMurdo",
           "edge:np", "edge:e180", "edge:origin", "dupRome:0", "rome:3", "eq:1", "am:2",
           "north:1", "south:2", "12345"]
RADII = [("0", "m"), ("1", "m"), ("800", "m"), ("3", "km"), ("25", "km"), ("150", "km"),
         ("1200", "km"), ("700", "mi"), ("5000", "km"), ("30000", "ft"), ("12000", "km"),
         ("20037", "km"), ("40000", "km")]
BOXES = [("0", "0", "m"), ("2", "2", "km"), ("50", "10", "km"), ("10", "50", "km"),
         ("300", "300", "km"), ("1000", "100", "mi"), ("3000", "6000", "km"),
         ("20000", "20000", "km"), ("40000", "1000", "km"), ("1000", "40000", "km"),
         ("90000", "90000", "ft")]
OPTIONS = [(), ("WITHDIST",), ("WITHCOORD",), ("WITHHASH",), ("WITHDIST", "WITHHASH", "WITHCOORD"),
           ("ASC",), ("DESC", "WITHDIST"), ("COUNT", "1"), ("COUNT", "3", "DESC", "WITHDIST"),
           ("COUNT", "5", "ANY"), ("COUNT", "20", "ANY", "ASC", "WITHDIST"),
           ("COUNT", "7", "WITHCOORD"), ("COUNT", "50", "DESC"), ("COUNT", "1000", "WITHHASH")]


def _geoadd(key, pts, chunk=50):
    out = []
    for i in range(0, len(pts), chunk):
        args = ["GEOADD", key]
        for m, lon, lat in pts[i:i + chunk]:
            args += [lon, lat, m]
        out.append(tuple(args))
    return out


LOAD = _geoadd("g", POINTS)


@pytest.fixture
def pair(server, redis_ref):
    yield from both_raw(server, redis_ref,
                        setup=[("CONFIG", "SET", "zset-max-listpack-entries", "128")])


def _searches(rnd):
    """GEOSEARCH / GEORADIUS / GEORADIUSBYMEMBER over the loaded set, every option shape."""
    out = []
    for lon, lat in CENTRES:
        for r, unit in RADII:
            opts = rnd.sample(OPTIONS, 3)
            for o in opts:
                out.append(("GEOSEARCH", "g", "FROMLONLAT", lon, lat, "BYRADIUS", r, unit) + o)
            out.append(("GEORADIUS", "g", lon, lat, r, unit) + rnd.choice(OPTIONS))
            out.append(("GEORADIUS_RO", "g", lon, lat, r, unit) + rnd.choice(OPTIONS))
        for w, h, unit in BOXES:
            for o in rnd.sample(OPTIONS, 3):
                out.append(("GEOSEARCH", "g", "FROMLONLAT", lon, lat, "BYBOX", w, h, unit) + o)
    for m in MEMBERS:
        for r, unit in RADII:
            o = rnd.choice(OPTIONS)
            out.append(("GEOSEARCH", "g", "FROMMEMBER", m, "BYRADIUS", r, unit) + o)
            out.append(("GEORADIUSBYMEMBER", "g", m, r, unit) + rnd.choice(OPTIONS))
            out.append(("GEORADIUSBYMEMBER_RO", "g", m, r, unit) + rnd.choice(OPTIONS))
        for w, h, unit in BOXES:
            out.append(("GEOSEARCH", "g", "FROMMEMBER", m, "BYBOX", w, h, unit) +
                       rnd.choice(OPTIONS))
    return out


def _lookups():
    names = [m for m, _, _ in POINTS]
    out = [("GEOPOS", "g") + tuple(names[i:i + 40]) for i in range(0, len(names), 40)]
    out += [("GEOHASH", "g") + tuple(names[i:i + 40]) for i in range(0, len(names), 40)]
    out += [("GEOPOS", "g", "nope", "city:Rome", ""), ("GEOHASH", "g", "nope", "12345"),
            ("GEOPOS", "nokey", "a", "b"), ("GEOHASH", "nokey", "a"), ("GEOPOS", "g"),
            ("GEOHASH", "g")]
    rnd = random.Random(7)
    for _ in range(300):
        a, b = rnd.choice(names), rnd.choice(names)
        out.append(("GEODIST", "g", a, b) + ((rnd.choice(["m", "km", "ft", "mi", "KM"]),)
                                            if rnd.random() < 0.7 else ()))
    return out


def test_load_and_read_back(pair):
    diff_stream(pair, LOAD + [("ZCARD", "g"), ("TYPE", "g"), ("OBJECT", "ENCODING", "g"),
                              ("ZRANGE", "g", "0", "-1", "WITHSCORES")] + _lookups())


@pytest.mark.parametrize("resp3", [False, True], ids=["resp2", "resp3"])
def test_lookups(pair, resp3):
    diff_stream(pair, LOAD, resp3=resp3)
    diff_stream(pair, _lookups())


@pytest.mark.parametrize("resp3", [False, True], ids=["resp2", "resp3"])
def test_searches(pair, resp3):
    diff_stream(pair, LOAD, resp3=resp3)
    diff_stream(pair, _searches(random.Random(11 if resp3 else 12)))


def test_searches_small_set(pair):
    """A listpack-encoded geo set (the cells are read from the packed array)."""
    small = POINTS[:60] + POINTS[-16:]
    diff_stream(pair, _geoadd("g", small) + [("OBJECT", "ENCODING", "g")])
    diff_stream(pair, _searches(random.Random(13)))


SICILY = [("GEOADD", "s", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669",
           "Catania", "12.758489", "38.788135", "edge1", "17.241510", "38.222735", "edge2")]
# Every search error, in the order Redis checks them.
SEARCH_ERRORS = [
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "0"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "-1"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "x"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ANY"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ANY", "COUNT", "1"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "2", "ANY"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "furlong"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "-1", "km"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "x", "km"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "nan", "km"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "inf", "km"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "-0", "km"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "1e400", "km"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYBOX", "x", "1", "km"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYBOX", "1", "x", "km"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYBOX", "-1", "1", "km"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYBOX", "1", "-1", "km"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYBOX", "1", "1", "yd"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYBOX", "1", "1"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYBOX", "inf", "inf", "m"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km", "BYBOX", "1", "1", "km"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYBOX", "1", "1", "km", "BYRADIUS", "1", "km"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km"),
    ("GEOSEARCH", "s", "FROMMEMBER", "Palermo", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km"),
    ("GEOSEARCH", "s", "FROMMEMBER", "Palermo", "FROMMEMBER", "Catania", "BYRADIUS", "100", "km"),
    ("GEOSEARCH", "s", "BYRADIUS", "1", "km", "BYRADIUS", "200", "km", "FROMLONLAT", "15", "37"),
    ("GEOSEARCH", "s", "FROMMEMBER", "nope", "BYRADIUS", "1", "km"),
    ("GEOSEARCH", "s", "FROMLONLAT", "181", "37", "BYRADIUS", "1", "km"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "86", "BYRADIUS", "1", "km"),
    ("GEOSEARCH", "s", "FROMLONLAT", "x", "37", "BYRADIUS", "1", "km"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "WITHDIST", "WITHHASH", "WITHCOORD"),
    ("geosearch", "s", "FROMLONLAT", "15", "37", "WITHDIST", "WITHHASH", "WITHCOORD"),
    ("GeoSearch", "s", "BYRADIUS", "1", "km", "ASC", "WITHDIST"),
    ("GEOSEARCH", "s", "BYBOX", "1", "2", "km", "WITHDIST", "ANY"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STOREDIST"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STORE", "d"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "bogus"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "1"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "BYRADIUS", "1", "km"),
    ("GEOSEARCH", "s", "FROMMEMBER"), ("GEOSEARCH", "s"), ("GEOSEARCH",),
    ("GEOSEARCH", "s", "fromlonlat", "15", "37", "byradius", "200", "KM", "asc", "withdist"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC", "DESC"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "DESC", "ASC"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHDIST\x00x"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km\x00x", "WITHDIST"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "1", "COUNT",
     "2"),
    ("GEOSEARCH", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHDIST", "WITHDIST"),
    ("GEOSEARCH", "nokey", "FROMMEMBER", "x", "BYRADIUS", "1", "km"),
    ("GEOSEARCH", "nokey", "FROMMEMBER", "x", "WITHDIST", "ASC", "DESC"),
    ("GEOSEARCH", "nokey", "BYRADIUS", "1", "km", "WITHDIST", "ASC"),
    ("GEOSEARCH", "nokey", "FROMMEMBER", "x", "BYRADIUS", "1", "km", "COUNT", "1", "ANY"),
    ("GEOSEARCH", "nokey", "FROMLONLAT", "200", "0", "BYRADIUS", "1", "km"),
    ("GEOSEARCH", "nokey", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km", "ANY"),
    ("GEOSEARCH", "str", "FROMLONLAT", "200", "0", "BYRADIUS", "1", "km"),
    ("GEOSEARCHSTORE", "d", "str", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"),
    ("GEOSEARCHSTORE", "d", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHDIST"),
    ("GEOSEARCHSTORE", "d", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STORE", "x"),
    ("GEOSEARCHSTORE", "d", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STOREDIST",
     "x"),
    ("GEOSEARCHSTORE", "d", "s", "FROMLONLAT", "15", "37", "WITHHASH", "ASC"),
    ("geosearchstore", "d", "s", "BYRADIUS", "1", "km", "ASC", "DESC"),
    ("GEOSEARCHSTORE", "d", "nokey", "BYRADIUS", "1", "km", "WITHCOORD", "ASC"),
    ("GEORADIUS", "s", "15", "37", "200", "km", "STORE", "d", "WITHDIST"),
    ("GEORADIUS", "s", "15", "37", "200", "km", "WITHCOORD", "STOREDIST", "d"),
    ("GEORADIUS", "s", "15", "37", "200", "km", "STORE"),
    ("GEORADIUS", "s", "15", "37", "200", "km", "FROMMEMBER", "Palermo"),
    ("GEORADIUS", "s", "15", "37", "200", "km", "BYRADIUS", "1", "km"),
    ("GEORADIUS", "s", "15", "37", "200", "parsec"),
    ("GEORADIUS", "s", "15", "37", "-200", "km"),
    ("GEORADIUS", "s", "15", "37", "x", "km"),
    ("GEORADIUS", "s", "195", "37", "200", "km"),
    ("GEORADIUS", "s", "15", "-90", "x", "km"),
    ("GEORADIUS", "s", "15", "37", "200", "km", "COUNT", "0"),
    ("GEORADIUS", "nokey", "15", "37", "200", "km"),
    ("GEORADIUS", "nokey", "15", "37", "x", "km"),
    ("GEORADIUS", "nokey", "15", "37", "200", "km", "STORE", "d", "WITHDIST"),
    ("GEORADIUS", "str", "15", "37", "200", "km"),
    ("GEORADIUS_RO", "s", "15", "37", "200", "km", "STORE", "d"),
    ("GEORADIUS_RO", "s", "15", "37", "200", "km", "STOREDIST", "d"),
    ("GEORADIUS_RO", "s", "15", "37", "200", "km", "ANY"),
    ("GEORADIUSBYMEMBER", "s", "nope", "200", "km"),
    ("GEORADIUSBYMEMBER", "s", "nope", "x", "km"),
    ("GEORADIUSBYMEMBER", "s", "Palermo", "x", "km"),
    ("GEORADIUSBYMEMBER", "s", "Palermo", "200", "x"),
    ("GEORADIUSBYMEMBER", "s", "Palermo", "200", "km", "STORE", "d", "WITHHASH"),
    ("GEORADIUSBYMEMBER", "nokey", "m", "x", "y"),
    ("GEORADIUSBYMEMBER", "nokey", "m", "x", "y", "STORE", "d"),
    ("GEORADIUSBYMEMBER", "nokey", "m", "x", "y", "bogus"),
    ("GEORADIUSBYMEMBER", "nokey", "m", "x", "y", "ANY"),
    ("GEORADIUSBYMEMBER", "str", "m", "200", "km"),
    ("GEORADIUSBYMEMBER_RO", "s", "Palermo", "200", "km", "STORE", "d"),
    ("GEORADIUSBYMEMBER_RO", "nokey", "m", "x", "y"),
    ("GEORADIUS", "s", "15", "37"), ("GEORADIUSBYMEMBER", "s", "Palermo", "200"),
    ("GEOSEARCHSTORE", "d", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200"),
]


def _store_checks(dst):
    """The stored zset: members with %.17g scores (equal in 7.0 and 7.2), type, encoding."""
    return [("EVAL", "local r = {} for i, v in ipairs(redis.call('zrange', KEYS[1], 0, -1, "
             "'withscores')) do r[i] = (i % 2 == 0) and string.format('%.17g', v) or v end "
             "return r", "1", dst), ("EXISTS", dst), ("TYPE", dst),
            ("OBJECT", "ENCODING", dst)]


STREAMS = {
    "geoadd": [
        ("GEOADD", "k", "13.361389", "38.115556", "Palermo"),
        ("GEOADD", "k", "13.361389", "38.115556", "Palermo"),
        ("GEOADD", "k", "CH", "13.361389", "38.115556", "Palermo"),
        ("GEOADD", "k", "CH", "13.4", "38.1", "Palermo", "15", "37", "Catania"),
        ("GEOADD", "k", "NX", "1", "1", "Palermo", "2", "2", "new"),
        ("GEOADD", "k", "XX", "3", "3", "Palermo", "4", "4", "new2"),
        ("GEOADD", "k", "XX", "CH", "5", "5", "Palermo", "4", "4", "new3"),
        ("GEOADD", "k", "NX", "CH", "5", "5", "Palermo", "6", "6", "new4"),
        ("GEOADD", "k", "ch", "nx", "7", "7", "new5"), ("GEOADD", "k", "Nx", "Xx", "1", "1", "a"),
        ("GEOADD", "k", "NX", "XX", "CH"), ("GEOADD", "k", "CH", "CH", "CH"),
        ("GEOADD", "k", "GT", "1", "1", "a"), ("GEOADD", "k", "GT", "1", "1"),
        ("GEOADD", "k", "INCR", "1", "1", "a"), ("GEOADD", "k", "1", "1", "a", "2"),
        ("GEOADD", "k", "1", "1", "a", "2", "2"), ("GEOADD", "k", "1", "1"), ("GEOADD", "k"),
        ("GEOADD", "k", "x", "1", "a"), ("GEOADD", "k", "1", "y", "a"),
        ("GEOADD", "k", "180.0000001", "0", "a"), ("GEOADD", "k", "-180.0000001", "0", "a"),
        ("GEOADD", "k", "0", "85.05112879", "a"), ("GEOADD", "k", "0", "-85.05112879", "a"),
        ("GEOADD", "k", "0", "90", "a"), ("GEOADD", "k", "1e300", "1e300", "a"),
        ("GEOADD", "k", "inf", "0", "a"), ("GEOADD", "k", "-inf", "-inf", "a"),
        ("GEOADD", "k", "nan", "0", "a"), ("GEOADD", "k", "0", "", "a"),
        ("GEOADD", "k", " 1", "0", "a"), ("GEOADD", "k", "0x10", "0", "hex"),
        ("GEOADD", "k", "1", "1", "ok", "200", "1", "bad"), ("GEOPOS", "k", "ok"),
        ("GEOADD", "k", "180", "85.05112878", "ne", "-180", "-85.05112878", "sw", "0", "0", "o",
         "-0", "-0", "negzero", "1e-300", "-1e-300", "tiny"),
        ("GEOADD", "k", "nx\x00junk", "8", "8", "nul"),
        ("GEOADD", "k", "1", "1", "dup", "2", "2", "dup"), ("GEOPOS", "k", "dup", "tiny"),
        ("ZRANGE", "k", "0", "-1", "WITHSCORES"), ("TYPE", "k"), ("OBJECT", "ENCODING", "k"),
        ("SET", "str", "x"), ("GEOADD", "str", "1", "1", "a"), ("GEOADD", "str", "200", "1", "a"),
        ("GEOADD", "str", "NX", "XX", "1", "1", "a"), ("GEOPOS", "str", "a"),
        ("GEOHASH", "str", "a"), ("GEODIST", "str", "a", "b"), ("GEODIST", "str", "a", "b", "x"),
        ("GEOADD", "big", "1", "1", "m" * 70), ("OBJECT", "ENCODING", "big"),
    ],
    "lookups": SICILY + [
        ("GEOPOS", "s", "Palermo", "Catania", "nope", "edge1"), ("GEOPOS", "s"),
        ("GEOHASH", "s", "Palermo", "Catania", "nope", "edge2"), ("GEOHASH", "s"),
        ("GEODIST", "s", "Palermo", "Catania"), ("GEODIST", "s", "Palermo", "Catania", "km"),
        ("GEODIST", "s", "Palermo", "Catania", "KM"), ("GEODIST", "s", "Palermo", "Catania", "Mi"),
        ("GEODIST", "s", "Palermo", "Catania", "fT"), ("GEODIST", "s", "Palermo", "Catania", "M"),
        ("GEODIST", "s", "Palermo", "Catania", "yd"),
        ("GEODIST", "s", "Palermo", "Catania", "km", "x"),
        ("GEODIST", "s", "Palermo", "Palermo"), ("GEODIST", "s", "Palermo", "nope"),
        ("GEODIST", "s", "nope", "Palermo", "km"), ("GEODIST", "s", "nope", "Palermo", "yd"),
        ("GEODIST", "nokey", "a", "b"), ("GEODIST", "nokey", "a", "b", "yd"),
        ("GEODIST", "s", "Palermo"), ("GEOPOS", "nokey"), ("GEOHASH", "nokey", "x"),
        ("ZADD", "s", "-1", "neg", "1.5", "frac", "inf", "pinf", "-inf", "ninf", "1e19", "huge",
         "-1e30", "vneg", "4503599627370495", "max52", "4503599627370496", "over52"),
        ("GEOPOS", "s", "neg", "frac", "pinf", "ninf", "huge", "vneg", "max52", "over52"),
        ("GEOHASH", "s", "neg", "frac", "pinf", "ninf", "huge", "vneg", "max52", "over52"),
        ("GEODIST", "s", "neg", "huge"), ("GEODIST", "s", "max52", "Palermo", "mi"),
        ("GEORADIUS", "s", "0", "0", "50000", "km", "WITHHASH", "WITHDIST", "WITHCOORD"),
        ("GEORADIUS", "s", "0", "0", "50000", "km", "WITHHASH", "ASC"),
        ("ZREM", "s", "Palermo"), ("GEOPOS", "s", "Palermo"), ("ZSCORE", "s", "Catania"),
        ("ZCARD", "s"), ("TYPE", "s"),
    ],
    "errors": SICILY + [("SET", "str", "x")] + SEARCH_ERRORS,
    "store": SICILY + [
        ("GEORADIUS", "s", "15", "37", "200", "km", "STORE", "d1"), *_store_checks("d1"),
        ("GEORADIUS", "s", "15", "37", "200", "km", "STOREDIST", "d2"), *_store_checks("d2"),
        ("GEORADIUS", "s", "15", "37", "200", "km", "STORE", "d3", "STOREDIST", "d4"),
        *_store_checks("d3"), *_store_checks("d4"),
        ("GEORADIUS", "s", "15", "37", "200", "mi", "STOREDIST", "d5", "STORE", "d6"),
        *_store_checks("d5"), *_store_checks("d6"),
        ("GEORADIUS", "s", "15", "37", "200", "km", "STORE", "d7", "COUNT", "1", "DESC"),
        *_store_checks("d7"),
        ("GEORADIUS", "s", "15", "37", "200", "km", "STORE", "d8", "COUNT", "1", "ANY"),
        *_store_checks("d8"),
        ("GEORADIUSBYMEMBER", "s", "Palermo", "300", "km", "STOREDIST", "d9", "ASC"),
        *_store_checks("d9"),
        ("GEOSEARCHSTORE", "d10", "s", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km"),
        *_store_checks("d10"),
        ("GEOSEARCHSTORE", "d11", "s", "FROMMEMBER", "Catania", "BYRADIUS", "300", "km",
         "STOREDIST", "DESC", "COUNT", "2"), *_store_checks("d11"),
        ("GEOSEARCHSTORE", "d11", "s", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"),
        *_store_checks("d11"),
        ("SET", "d12", "x"), ("GEORADIUS", "s", "0", "0", "1", "km", "STORE", "d12"),
        ("EXISTS", "d12"), ("SET", "d12", "x"),
        ("GEORADIUS", "s", "15", "37", "200", "km", "STORE", "d12"), *_store_checks("d12"),
        ("SET", "d13", "x"), ("GEORADIUS", "nokey", "15", "37", "200", "km", "STORE", "d13"),
        ("EXISTS", "d13"), ("SET", "d13", "x"),
        ("GEORADIUSBYMEMBER", "nokey", "m", "x", "y", "STOREDIST", "d13"), ("EXISTS", "d13"),
        ("SET", "d13", "x"),
        ("GEOSEARCHSTORE", "d13", "nokey", "FROMMEMBER", "m", "BYRADIUS", "1", "km"),
        ("EXISTS", "d13"),
        ("GEOSEARCHSTORE", "s", "s", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km",
         "STOREDIST"), *_store_checks("s"),
        ("GEOADD", "big", *[x for i in range(200) for x in ("12.%03d" % i, "41.9", "m%d" % i)]),
        ("GEOSEARCHSTORE", "d14", "big", "FROMLONLAT", "12.1", "41.9", "BYRADIUS", "100", "km"),
        ("OBJECT", "ENCODING", "d14"), ("ZCARD", "d14"),
        ("GEOSEARCHSTORE", "d15", "big", "FROMLONLAT", "12.1", "41.9", "BYRADIUS", "100", "km",
         "COUNT", "10"), ("OBJECT", "ENCODING", "d15"), *_store_checks("d15"),
        ("GEOADD", "long", "1", "1", "x" * 100),
        ("GEOSEARCHSTORE", "d16", "long", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km"),
        ("OBJECT", "ENCODING", "d16"),
    ],
    # Distances whose last printed digit depends on 7.2's rules: llrint(d * 10000) differs
    # from %.4f for the first three (in feet), and a and b share a longitude (R * |dlat|).
    "edges": [
        ("GEOADD", "f", "13.361389", "38.115556", "Palermo", "36.102073", "24.075126", "a",
         "35.623506", "30.726521", "b", "-22.114026", "12.128155", "c"),
        ("GEODIST", "f", "Palermo", "a", "ft"), ("GEODIST", "f", "Palermo", "b", "ft"),
        ("GEODIST", "f", "Palermo", "c", "ft"),
        ("GEOSEARCH", "f", "FROMMEMBER", "Palermo", "BYRADIUS", "5000", "km", "WITHDIST", "ASC"),
        ("GEOADD", "e", "-53.38111053622811", "47.81897797268272", "a", "-53.38111053622811",
         "47.43455925954536", "b", "-90.7890057363507", "42.15542055751351", "c",
         "-90.7890057363507", "41.71918467457738", "d"),
        ("GEOSEARCHSTORE", "ed", "e", "FROMMEMBER", "a", "BYRADIUS", "200", "km", "STOREDIST"),
        *_store_checks("ed"),
        ("GEOSEARCHSTORE", "ed", "e", "FROMMEMBER", "c", "BYBOX", "200", "200", "km", "STOREDIST"),
        *_store_checks("ed"),
        ("GEODIST", "e", "a", "b", "km"), ("GEODIST", "e", "c", "d"),
    ],
    "getkeys": [
        ("COMMAND", "GETKEYS", "GEORADIUS", "k", "1", "2", "3", "km", "STORE", "d"),
        ("COMMAND", "GETKEYS", "GEORADIUS", "k", "1", "2", "3", "km", "STOREDIST", "d", "STORE",
         "e"),
        ("COMMAND", "GETKEYS", "GEORADIUS", "k", "1", "2", "3", "km", "STORE", "d", "STORE", "e"),
        ("COMMAND", "GETKEYS", "GEORADIUS", "k", "1", "2", "3", "km"),
        ("COMMAND", "GETKEYS", "GEORADIUS", "k", "1", "2", "3", "km", "WITHDIST", "STORE"),
        ("COMMAND", "GETKEYS", "GEORADIUS", "k", "store", "d", "3", "km"),
        ("COMMAND", "GETKEYS", "GEORADIUSBYMEMBER", "k", "m", "3", "km", "storedist", "d"),
        ("COMMAND", "GETKEYS", "GEORADIUSBYMEMBER", "k", "store", "d", "3", "km"),
        ("COMMAND", "GETKEYS", "GEORADIUS_RO", "k", "1", "2", "3", "km", "STORE", "d"),
        ("COMMAND", "GETKEYS", "GEOSEARCHSTORE", "d", "s", "FROMMEMBER", "m", "BYRADIUS", "1",
         "km"),
        ("COMMAND", "GETKEYS", "GEOSEARCH", "s", "FROMMEMBER", "m", "BYRADIUS", "1", "km"),
        ("COMMAND", "GETKEYS", "GEOADD", "k", "1", "2", "m"),
        ("COMMAND", "GETKEYS", "GEODIST", "k", "a", "b"),
        ("COMMAND", "GETKEYS", "GEOPOS", "k"), ("COMMAND", "GETKEYS", "GEOHASH", "k", "a"),
    ],
}


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_stream_resp2(pair, name):
    diff_stream(pair, STREAMS[name])


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_stream_resp3(pair, name):
    diff_stream(pair, STREAMS[name], resp3=True)


def _random_stream(rnd, n):
    """Random GEOADDs (some at repeated positions, some ZADDs of arbitrary scores, some
    removals) interleaved with random searches of every kind and shape."""
    def coord():
        pick = rnd.random()
        if pick < 0.2:
            return rnd.choice(POINTS)[1:]  # an existing position: ties
        if pick < 0.3:  # the awkward places
            return (rnd.choice(["180", "-180", "0", "179.99", "-179.99", "%.4f" % rnd.uniform(
                -180, 180)]), rnd.choice(["85.05112878", "-85.05112878", "0", "84.99", "%.4f" %
                                          rnd.uniform(-85, 85)]))
        return ("%.6f" % rnd.uniform(-180, 180), "%.6f" % rnd.uniform(-85.05112878, 85.05112878))

    def size():
        return rnd.choice(["0", "1", "%.3f" % rnd.uniform(0, 50), "%d" % rnd.randint(1, 500),
                           "%d" % rnd.randint(500, 25000)]), rnd.choice(["m", "km", "km", "mi",
                                                                         "ft"])

    def opts():
        groups = [(w,) for w in ("WITHDIST", "WITHHASH", "WITHCOORD") if rnd.random() < 0.3]
        if rnd.random() < 0.4:
            groups.append(("COUNT", str(rnd.choice([1, 2, 3, 5, 10, 50, 500]))))
            if rnd.random() < 0.4:
                groups.append(("ANY",))
        if rnd.random() < 0.5:
            groups.append((rnd.choice(["ASC", "DESC"]),))
        rnd.shuffle(groups)  # options come in any order
        return tuple(w for g in groups for w in g)

    names = [m for m, _, _ in POINTS]
    out = []
    for i in range(n):
        r = rnd.random()
        if r < 0.15:
            args = ["GEOADD", "g"] + rnd.choice([[], ["CH"], ["NX"], ["XX", "CH"]])
            for _ in range(rnd.randint(1, 5)):
                m = rnd.choice(names) if rnd.random() < 0.3 else "n%d" % rnd.randint(0, 400)
                args += list(coord()) + [m]
                names.append(m)
            out.append(tuple(args))
        elif r < 0.18:
            out.append(("ZREM", "g", rnd.choice(names), rnd.choice(names)))
        elif r < 0.19:
            out.append(("ZADD", "g", str(rnd.choice([-5, 0, 1, 2 ** 52 - 1, 2 ** 52, 3.5])),
                        "z%d" % rnd.randint(0, 5)))
        elif r < 0.45:
            lon, lat = coord()
            if rnd.random() < 0.5:
                out.append(("GEOSEARCH", "g", "FROMLONLAT", lon, lat, "BYRADIUS") + size() +
                           opts())
            else:
                w, unit = size()
                h, _ = size()
                out.append(("GEOSEARCH", "g", "FROMLONLAT", lon, lat, "BYBOX", w, h, unit) +
                           opts())
        elif r < 0.6:
            m = rnd.choice(names)
            if rnd.random() < 0.5:
                out.append(("GEOSEARCH", "g", "FROMMEMBER", m, "BYRADIUS") + size() + opts())
            else:
                out.append(("GEORADIUSBYMEMBER", "g", m) + size() + opts())
        elif r < 0.7:
            out.append(("GEORADIUS", "g") + coord() + size() + opts())
        elif r < 0.78:
            dst = "d%d" % rnd.randint(0, 3)
            lon, lat = coord()
            o = tuple(x for x in opts() if not x.startswith("WITH"))
            out.append(("GEOSEARCHSTORE", dst, "g", "FROMLONLAT", lon, lat, "BYRADIUS") +
                       size() + o)
            out.append(("ZRANGE", dst, "0", "-1"))
        elif r < 0.86:
            out.append(("GEODIST", "g", rnd.choice(names), rnd.choice(names),
                        rnd.choice(["m", "km", "mi", "ft"])))
        elif r < 0.93:
            out.append(("GEOPOS", "g") + tuple(rnd.choice(names) for _ in range(3)))
        else:
            out.append(("GEOHASH", "g") + tuple(rnd.choice(names) for _ in range(3)))
    return out


# A 16-member listpack limit so the set crosses the conversion while it grows.
@pytest.mark.parametrize("seed,limit", [(1, "128"), (2, "16"), (3, "128"), (4, "0")])
def test_random_stream(pair, seed, limit):
    for c in pair:
        c.cmd("CONFIG", "SET", "zset-max-listpack-entries", limit)
    rnd = random.Random(seed)
    stream = _geoadd("g", rnd.sample(POINTS, 40)) + _random_stream(rnd, 2500)
    diff_stream(pair, stream, resp3=seed == 3)
