#!/usr/bin/env bash
# Baton's main job on an embedded default: build `baton` and run the canonical workflow locally, in one
# process, with no database: examples/seed (a webhook payload validated, a Map over its users with
# MaxConcurrency, the results written, a notification on success or on any error), its Task functions
# served by the shell scripts in examples/seed/functions.
#
#   scripts/demo.sh [extra `baton run` arguments…]      e.g. scripts/demo.sh --history
#   BATON_DEMO_INPUT=examples/seed/input-invalid.json scripts/demo.sh     # the error path
#
# The package links libpq even for local runs, so libpq-dev (and pkg-config, which finds it) are installed
# with apt-get when missing (as root; `apt-get update` only when something is missing).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEFINITION="${BATON_DEMO_DEFINITION:-examples/seed/workflow.asl.yaml}"
INPUT="${BATON_DEMO_INPUT:-examples/seed/input.json}"

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
FUNCTIONS=examples/seed/functions
exec .build/debug/baton run --definition "$DEFINITION" --input "$INPUT" \
    --function validate="$FUNCTIONS/validate.sh" \
    --function process-user="$FUNCTIONS/process-user.sh" \
    --function write-results="$FUNCTIONS/write-results.sh" \
    --function notify="$FUNCTIONS/notify.sh" \
    "$@"
