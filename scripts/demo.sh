#!/usr/bin/env bash
# Baton's main job on an embedded default: build `baton` and run an example state machine locally.
#
#   scripts/demo.sh [extra `baton run` arguments…]
#
# The package links libpq even for local runs, so libpq-dev (and pkg-config, which finds it) are installed
# with apt-get when missing (as root; `apt-get update` only when something is missing).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEFINITION="${BATON_DEMO_DEFINITION:-examples/hello.asl.json}"

missing=()
dpkg -s libpq-dev >/dev/null 2>&1 || missing+=(libpq-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "demo.sh: missing packages: ${missing[*]}; run as root or install them with apt-get" >&2
        exit 1
    fi
    echo "demo.sh: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cd "$ROOT"
swift build --product baton
exec .build/debug/baton run --definition "$DEFINITION" "$@"
