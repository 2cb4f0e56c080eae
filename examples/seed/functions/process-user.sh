#!/bin/sh
# process-user: the per-user work — here, a summary line for one user of the push.
exec python3 -c '
import json, sys
item = json.load(sys.stdin)
user = item["UserDetails"]
print(json.dumps({
    "login": user["login"],
    "email": user.get("email"),
    "summary": "%s pushed %d commit(s) to %s" % (user["login"], user.get("commits", 0), item["Repository"]),
}))
'
