"""WRONGTYPE probes for the stream family (loaded by test_meta.py)."""
S = "string"
L = "list"
PROBES = {
    "xadd": (["XADD", "{k}", "*", "f", "v"], S),
    "xlen": (["XLEN", "{k}"], S),
    "xrange": (["XRANGE", "{k}", "-", "+"], S),
    "xrevrange": (["XREVRANGE", "{k}", "+", "-"], S),
    "xdel": (["XDEL", "{k}", "1-0"], S),
    "xtrim": (["XTRIM", "{k}", "MAXLEN", "0"], S),
    "xsetid": (["XSETID", "{k}", "1-0"], S),
    "xread": (["XREAD", "STREAMS", "{k}", "0"], S),
    "xreadgroup": (["XREADGROUP", "GROUP", "g", "c", "STREAMS", "{k}", ">"], L),
    "xack": (["XACK", "{k}", "g", "1-0"], S),
    "xpending": (["XPENDING", "{k}", "g"], S),
    "xclaim": (["XCLAIM", "{k}", "g", "c", "0", "1-0"], S),
    "xautoclaim": (["XAUTOCLAIM", "{k}", "g", "c", "0", "0"], S),
    "xgroup|create": (["XGROUP", "CREATE", "{k}", "g", "$"], S),
    "xgroup|setid": (["XGROUP", "SETID", "{k}", "g", "$"], S),
    "xgroup|destroy": (["XGROUP", "DESTROY", "{k}", "g"], S),
    "xgroup|createconsumer": (["XGROUP", "CREATECONSUMER", "{k}", "g", "c"], S),
    "xgroup|delconsumer": (["XGROUP", "DELCONSUMER", "{k}", "g", "c"], S),
    "xinfo|stream": (["XINFO", "STREAM", "{k}"], S),
    "xinfo|groups": (["XINFO", "GROUPS", "{k}"], L),
    "xinfo|consumers": (["XINFO", "CONSUMERS", "{k}", "g"], S),
}
