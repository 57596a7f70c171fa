"""WRONGTYPE probes for commands added with scripting (issue 5): DELIFEQ, the native
compare-and-delete for locks (a string command, dq extension as Valkey)."""
PROBES = {
    "delifeq": (["DELIFEQ", "{k}", "v"], "list"),
}
