#!/bin/sh
# Runs `baton run` with every Lambda function a conformance case names served by the handler scripts in this
# folder (the case's meta.json says which handler each function name needs):
#   run-conformance --with-lambda -- Tests/ConformanceTests/lambdas/run-with-lambdas.sh BATON {case} [ARGUMENTS…]
# Further ARGUMENTS go to `baton run` too: with `--database URL` the case runs through the distributed engine,
# whose workers (`baton worker --function NAME --exec HANDLER`) the caller runs; the --function options then
# only tell the validator which functions are served.
here=$(cd "$(dirname "$0")" && pwd)
baton=$1; case=$2
shift 2
for mapping in $(python3 -c '
import json, sys
meta = json.load(open(sys.argv[1] + "/meta.json"))
for f in meta.get("lambda_functions") or []:
    print(f["function_name"] + "=" + f["needs"].split(":", 1)[1])
' "$case"); do
  name=${mapping%%=*}; handler=${mapping#*=}
  [ -x "$here/$handler.sh" ] && set -- "$@" --function "$name=$here/$handler.sh"
done
exec "$baton" run --definition "$case/definition.json" --input "$case/input.json" --fast-timers "$@"
