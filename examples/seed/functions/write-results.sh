#!/bin/sh
# write-results: stores the per-user records (appends them as JSON lines to $SEED_OUTPUT, default /dev/null).
exec python3 -c '
import json, os, sys
request = json.load(sys.stdin)
with open(os.environ.get("SEED_OUTPUT", "/dev/null"), "a") as out:
    for record in request["records"]:
        out.write(json.dumps(record) + "\n")
print(json.dumps({"count": len(request["records"]), "repository": request["repository"]}))
'
