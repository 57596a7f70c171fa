"""WRONGTYPE probes for the hashes family (loaded by test_meta.py): each command, run against
a string key, must answer WRONGTYPE."""
STRING_KEY = "string"

PROBES = {
    "hset": (["HSET", "{k}", "f", "v"], STRING_KEY),
    "hsetnx": (["HSETNX", "{k}", "f", "v"], STRING_KEY),
    "hmset": (["HMSET", "{k}", "f", "v"], STRING_KEY),
    "hget": (["HGET", "{k}", "f"], STRING_KEY),
    "hmget": (["HMGET", "{k}", "f", "g"], STRING_KEY),
    "hdel": (["HDEL", "{k}", "f"], STRING_KEY),
    "hexists": (["HEXISTS", "{k}", "f"], STRING_KEY),
    "hlen": (["HLEN", "{k}"], STRING_KEY),
    "hstrlen": (["HSTRLEN", "{k}", "f"], STRING_KEY),
    "hkeys": (["HKEYS", "{k}"], STRING_KEY),
    "hvals": (["HVALS", "{k}"], STRING_KEY),
    "hgetall": (["HGETALL", "{k}"], STRING_KEY),
    "hincrby": (["HINCRBY", "{k}", "f", "1"], STRING_KEY),
    "hincrbyfloat": (["HINCRBYFLOAT", "{k}", "f", "1.5"], STRING_KEY),
    "hrandfield": (["HRANDFIELD", "{k}", "2", "WITHVALUES"], STRING_KEY),
    "hscan": (["HSCAN", "{k}", "0"], STRING_KEY),
}
