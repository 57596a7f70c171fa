"""WRONGTYPE probes for the geo family (loaded by test_meta.py)."""
S = "string"
L = "list"
PROBES = {
    "geoadd": (["GEOADD", "{k}", "13.4", "38.1", "a"], S),
    "geopos": (["GEOPOS", "{k}", "a"], L),
    "geodist": (["GEODIST", "{k}", "a", "b"], S),
    "geohash": (["GEOHASH", "{k}", "a"], S),
    "georadius": (["GEORADIUS", "{k}", "15", "37", "200", "km"], S),
    "georadius_ro": (["GEORADIUS_RO", "{k}", "15", "37", "200", "km"], L),
    "georadiusbymember": (["GEORADIUSBYMEMBER", "{k}", "a", "200", "km"], S),
    "georadiusbymember_ro": (["GEORADIUSBYMEMBER_RO", "{k}", "a", "200", "km"], S),
    "geosearch": (["GEOSEARCH", "{k}", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km"], S),
    "geosearchstore": (["GEOSEARCHSTORE", "dst", "{k}", "FROMMEMBER", "a", "BYBOX", "1", "1",
                        "km"], S),
}
