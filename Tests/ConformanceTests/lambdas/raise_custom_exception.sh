#!/bin/sh
# lambda:raise_custom_exception — a user-defined exception class with an empty message.
cat >/dev/null
printf '%s' '{"errorMessage": "", "errorType": "CustomException", "requestId": "'"$(cat /proc/sys/kernel/random/uuid)"'", "stackTrace": ["  File \"/var/task/handler.py\", line 9, in handler\n    raise CustomException()\n"]}'
exit 1
