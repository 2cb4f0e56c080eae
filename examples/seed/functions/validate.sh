#!/bin/sh
# validate: checks the webhook payload. Fails with a Lambda-style error object (errorType ValidationError)
# when it has no repository or no users, so the workflow's Catch can route it to the error notification.
exec python3 -c '
import json, sys
event = json.load(sys.stdin)
problems = []
if not isinstance(event.get("repository"), dict) or "full_name" not in event["repository"]:
    problems.append("repository.full_name is missing")
if not isinstance(event.get("users"), list) or not event["users"]:
    problems.append("users must be a non-empty array")
if problems:
    print(json.dumps({"errorType": "ValidationError", "errorMessage": "; ".join(problems)}))
    sys.exit(1)
print(json.dumps({"valid": True, "users": len(event["users"])}))
'
