#!/bin/sh
# lambda:return_hello_world — ignores its input.
cat >/dev/null
printf '{"Return": "HelloWorld"}'
