"""WRONGTYPE probes for the bitmap family (loaded by test_meta.py): each command, run against
a key that holds a list, must answer WRONGTYPE."""
LIST_KEY = "list"

PROBES = {
    "setbit": (["SETBIT", "{k}", "0", "1"], LIST_KEY),
    "getbit": (["GETBIT", "{k}", "0"], LIST_KEY),
    "bitcount": (["BITCOUNT", "{k}"], LIST_KEY),
    "bitpos": (["BITPOS", "{k}", "1"], LIST_KEY),
    "bitop": (["BITOP", "AND", "dst", "{k}"], LIST_KEY),
    "bitfield": (["BITFIELD", "{k}", "GET", "u8", "0"], LIST_KEY),
    "bitfield_ro": (["BITFIELD_RO", "{k}", "GET", "u8", "0"], LIST_KEY),
}
