"""WRONGTYPE probes for the HyperLogLog family (loaded by test_meta.py): each command, given a
key that holds a list, must answer the usual WRONGTYPE. (A string that is not an HLL answers
Redis's own "WRONGTYPE Key is not a valid HyperLogLog string value.": see
test_hyperloglog.py and tests/compat/test_diff_hyperloglog.py.)"""
LIST_KEY = "list"

PROBES = {
    "pfadd": (["PFADD", "{k}", "a"], LIST_KEY),
    "pfcount": (["PFCOUNT", "{k}"], LIST_KEY),
    "pfmerge": (["PFMERGE", "dst", "{k}"], LIST_KEY),
    "pfdebug": (["PFDEBUG", "ENCODING", "{k}"], LIST_KEY),
}
