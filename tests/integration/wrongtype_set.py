"""WRONGTYPE probes for the set family and SORT (loaded by test_meta.py): each command, given a key
that holds a string, must answer WRONGTYPE."""
STRING_KEY = "string"

PROBES = {
    "sadd": (["SADD", "{k}", "a"], STRING_KEY),
    "srem": (["SREM", "{k}", "a"], STRING_KEY),
    "smembers": (["SMEMBERS", "{k}"], STRING_KEY),
    "sismember": (["SISMEMBER", "{k}", "a"], STRING_KEY),
    "smismember": (["SMISMEMBER", "{k}", "a"], STRING_KEY),
    "scard": (["SCARD", "{k}"], STRING_KEY),
    "spop": (["SPOP", "{k}"], STRING_KEY),
    "srandmember": (["SRANDMEMBER", "{k}"], STRING_KEY),
    "smove": (["SMOVE", "{k}", "dst", "a"], STRING_KEY),
    "sinter": (["SINTER", "{k}"], STRING_KEY),
    "sintercard": (["SINTERCARD", "1", "{k}"], STRING_KEY),
    "sinterstore": (["SINTERSTORE", "dst", "{k}"], STRING_KEY),
    "sunion": (["SUNION", "{k}"], STRING_KEY),
    "sunionstore": (["SUNIONSTORE", "dst", "{k}"], STRING_KEY),
    "sdiff": (["SDIFF", "{k}"], STRING_KEY),
    "sdiffstore": (["SDIFFSTORE", "dst", "{k}"], STRING_KEY),
    "sscan": (["SSCAN", "{k}", "0"], STRING_KEY),
    # SORT (server/commands/sort.cpp) works on lists, sets and sorted sets.
    "sort": (["SORT", "{k}"], STRING_KEY),
    "sort_ro": (["SORT_RO", "{k}"], STRING_KEY),
}
