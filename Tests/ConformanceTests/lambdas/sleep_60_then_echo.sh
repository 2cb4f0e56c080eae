#!/bin/sh
# lambda:sleep_60_then_echo — sleeps 60 seconds, then returns its input.
input=$(cat)
sleep 60
printf '%s' "$input"
