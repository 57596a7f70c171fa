#!/usr/bin/env bash
# Layer rules: protocol/ and storage/ include neither libuv nor server/, nor each other.
cd "$(dirname "$0")/.."
bad=0
for layer in protocol storage; do
  if grep -rnE '#include *[<"](uv\.h|server/)' $layer; then bad=1; fi
done
grep -rnE '#include *"storage/' protocol && bad=1
grep -rnE '#include *"protocol/' storage && bad=1
[ $bad -eq 0 ] && echo "layers ok" || { echo "layer rule broken"; exit 1; }
