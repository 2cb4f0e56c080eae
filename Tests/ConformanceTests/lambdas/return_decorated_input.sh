#!/bin/sh
# lambda:return_decorated_input — the string f"input-event-{event}" (Python's str() of the event).
exec python3 -c 'import json,sys; e=json.load(sys.stdin); print(json.dumps(f"input-event-{e}"))'
