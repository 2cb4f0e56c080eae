"""Load: N StartExecution calls from C concurrent boto3 clients against a running `baton server`; every call must
succeed and every execution must complete. Prints one JSON line with the latencies (ms) and the wall times.
The clients are built before the clock starts; the first call of each still opens its HTTP connection.

Environment: BATON_ENDPOINT, BATON_ACCESS_KEY_ID, BATON_SECRET_ACCESS_KEY; optional LOAD_EXECUTIONS (1000),
LOAD_CLIENTS (50).
"""
import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

ENDPOINT = os.environ["BATON_ENDPOINT"]
TOTAL = int(os.environ.get("LOAD_EXECUTIONS", "1000"))
CLIENTS = int(os.environ.get("LOAD_CLIENTS", "50"))
local = threading.local()


def client():
    if not hasattr(local, "sfn"):
        local.sfn = boto3.session.Session().client(
            "stepfunctions", endpoint_url=ENDPOINT, region_name="us-east-1",
            aws_access_key_id=os.environ["BATON_ACCESS_KEY_ID"],
            aws_secret_access_key=os.environ["BATON_SECRET_ACCESS_KEY"],
            config=Config(retries={"max_attempts": 1}, max_pool_connections=2))
    return local.sfn


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    definition = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": True}}}
    arn = client().create_state_machine(
        name="load", definition=json.dumps(definition), roleArn="arn:aws:iam::123456789012:role/load")["stateMachineArn"]

    def start(index):
        began = time.perf_counter()
        client().start_execution(stateMachineArn=arn, name=f"load-{index}", input=json.dumps({"i": index}))
        return (time.perf_counter() - began) * 1000

    # Each thread builds its boto3 client before the clock starts: building one loads the service model (about
    # 0.1 s of Python each, 50 of them at once under one GIL), which is the client's cost, not the API's. The
    # barrier makes every one of the CLIENTS threads build its own.
    ready = threading.Barrier(CLIENTS)

    def warm_up(_):
        client()
        ready.wait()

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        list(pool.map(warm_up, range(CLIENTS)))
        began = time.perf_counter()
        latencies = list(pool.map(start, range(TOTAL)))
    started = time.perf_counter() - began

    deadline = time.time() + 300
    succeeded = 0
    while time.time() < deadline:
        paginator = client().get_paginator("list_executions")
        succeeded = sum(len(page["executions"]) for page in paginator.paginate(
            stateMachineArn=arn, statusFilter="SUCCEEDED", PaginationConfig={"PageSize": 1000}))
        if succeeded == TOTAL:
            break
        time.sleep(0.2)
    completed = time.perf_counter() - began
    assert succeeded == TOTAL, f"only {succeeded} of {TOTAL} executions succeeded"
    print(json.dumps({
        "executions": TOTAL, "clients": CLIENTS, "p50_ms": round(percentile(latencies, 50), 1),
        "p99_ms": round(percentile(latencies, 99), 1), "max_ms": round(max(latencies), 1),
        "start_wall_s": round(started, 2), "start_per_s": round(TOTAL / started, 1),
        "all_complete_wall_s": round(completed, 2)}))


if __name__ == "__main__":
    main()
