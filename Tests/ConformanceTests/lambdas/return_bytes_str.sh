#!/bin/sh
# lambda:return_bytes_str — the JSON string "HelloWorld!".
cat >/dev/null
printf '"HelloWorld!"'
