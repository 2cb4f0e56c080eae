#!/bin/sh
# lambda:raise_exception — the Python 3.12 runtime's error object for `raise Exception("Some exception was raised.")`.
cat >/dev/null
printf '%s' '{"errorMessage": "Some exception was raised.", "errorType": "Exception", "requestId": "'"$(cat /proc/sys/kernel/random/uuid)"'", "stackTrace": ["  File \"/var/task/handler.py\", line 2, in handler\n    raise Exception(\"Some exception was raised.\")\n"]}'
exit 1
