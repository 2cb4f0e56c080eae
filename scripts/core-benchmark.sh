#!/bin/bash
# Compiles scripts/core-benchmark.swift with -O against the release build's modules and objects and runs it.
# (The benchmark is not a test target in release mode because other test targets use @testable imports.)
# Usage: swift build -c release --product baton && scripts/core-benchmark.sh [PASS_STATES]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
release=$root/.build/release
objects=()
for module in BatonJSON ASLExpressions ASLChoice ASLDocument ASLCore OrderedCollections InternalCollectionsUtilities \
              Crypto CCryptoBoringSSL CCryptoBoringSSLShims CryptoBoringWrapper Yams CYaml; do
  while IFS= read -r -d '' f; do objects+=("$f"); done < <(find "$release/$module.build" -name '*.o' -print0)
done
includes=(-I "$release/Modules" -I "$root/.build/checkouts/Yams/Sources/CYaml/include")
while IFS= read -r d; do includes+=(-I "$d"); done < <(find "$root/.build/checkouts/swift-crypto" -name module.modulemap -path '*include*' -exec dirname {} \;)
out=$(mktemp -d)/core-benchmark
swiftc -O "${includes[@]}" "$root/scripts/core-benchmark.swift" "${objects[@]}" -lstdc++ -o "$out"
"$out" "$@"
