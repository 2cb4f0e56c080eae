#!/bin/sh
# notify: the success/error notification (stands in for an SNS e-mail): logs to stderr, echoes what it sent.
input=$(cat)
echo "notify: $input" >&2
printf '{"sent":true,"message":%s}\n' "$input"
