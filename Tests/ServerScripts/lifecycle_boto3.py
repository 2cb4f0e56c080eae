"""The Step Functions lifecycle through boto3 and the aws CLI against a running `baton server`.

Run by EndToEndTests with BATON_ENDPOINT, BATON_ACCESS_KEY_ID and BATON_SECRET_ACCESS_KEY set; a coordinator
and a worker serving `echo` (with `cat`) run on the same database. Prints OK and exits 0 when every check holds.
"""
import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["BATON_ENDPOINT"]
KEY = os.environ["BATON_ACCESS_KEY_ID"]
SECRET = os.environ["BATON_SECRET_ACCESS_KEY"]
ROLE = "arn:aws:iam::123456789012:role/baton-test"


def client(secret=SECRET, **config):
    return boto3.client(
        "stepfunctions", endpoint_url=ENDPOINT, region_name="us-east-1", aws_access_key_id=KEY,
        aws_secret_access_key=secret, config=Config(retries={"max_attempts": 1}, **config))


def expect_error(code, call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as error:
        got = error.response["Error"]["Code"]
        assert got == code, f"expected {code}, got {got}: {error}"
        return error
    raise AssertionError(f"expected {code}, but the call succeeded")


def wait_done(sfn, arn, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        described = sfn.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING":
            return described
        time.sleep(0.05)
    raise AssertionError(f"still running after {timeout}s: {arn}")


def explain(sfn, described):
    """An execution's description and history, for an assertion that failed on it."""
    events = sfn.get_execution_history(executionArn=described["executionArn"], maxResults=1000)["events"]
    lines = [f"{e['id']} {e['type']} " + json.dumps({k: v for k, v in e.items() if k.endswith('Details')}, default=str)
             for e in events]
    return f"{described}\nhistory:\n" + "\n".join(lines)


def scheduled_token(sfn, execution_arn, count=1, timeout=60):
    """The task tokens in the execution's TaskScheduled parameters, once `count` are there."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        events = sfn.get_execution_history(executionArn=execution_arn, maxResults=1000)["events"]
        tokens = [json.loads(e["taskScheduledEventDetails"]["parameters"])["token"]
                  for e in events if e["type"] == "TaskScheduled"]
        # The worker's own result (echo) must have been applied first: TaskStarted, and still running.
        started = [e for e in events if e["type"] == "TaskStarted"]
        if len(tokens) >= count and len(started) >= count:
            return tokens[count - 1]
        time.sleep(0.05)
    raise AssertionError(f"no task token scheduled in {execution_arn}")


def callbacks(sfn):
    """A .waitForTaskToken task: the echo worker runs it, the state waits for SendTaskSuccess/Failure."""
    machine = {"StartAt": "Ask", "States": {
        "Ask": {"Type": "Task", "Resource": "baton:function:echo.waitForTaskToken", "HeartbeatSeconds": 60,
                "Parameters": {"token.$": "$$.Task.Token", "pr.$": "$.pr"},
                "Catch": [{"ErrorEquals": ["Rejected"], "ResultPath": "$.rejection", "Next": "Handled"}],
                "End": True},
        "Handled": {"Type": "Pass", "End": True}}}
    machine_arn = sfn.create_state_machine(name="callback", definition=json.dumps(machine), roleArn=ROLE)["stateMachineArn"]

    run = sfn.start_execution(stateMachineArn=machine_arn, input='{"pr": 1}')["executionArn"]
    token = scheduled_token(sfn, run)
    assert sfn.describe_execution(executionArn=run)["status"] == "RUNNING", "the echo result must not end the state"
    sfn.send_task_heartbeat(taskToken=token)
    sfn.send_task_success(taskToken=token, output='{"approved": "yes"}')
    done = wait_done(sfn, run)
    assert done["status"] == "SUCCEEDED" and json.loads(done["output"]) == {"approved": "yes"}, done
    expect_error("TaskTimedOut", sfn.send_task_success, taskToken=token, output="{}")
    expect_error("TaskDoesNotExist", sfn.send_task_success, taskToken=token[:-4] + "0000", output="{}")

    run = sfn.start_execution(stateMachineArn=machine_arn, input='{"pr": 2}')["executionArn"]
    token = scheduled_token(sfn, run)
    sfn.send_task_failure(taskToken=token, error="Rejected", cause="needs work")
    done = wait_done(sfn, run)
    assert done["status"] == "SUCCEEDED", done
    assert json.loads(done["output"])["rejection"] == {"Error": "Rejected", "Cause": "needs work"}, done
    expect_error("TaskTimedOut", sfn.send_task_heartbeat, taskToken=token)


def activities_and_tags(sfn, machine_arn):
    """Activities are stored: describe, list with pagination, delete; tags on state machines and activities."""
    created = [sfn.create_activity(name=f"act-{i}", tags=[{"key": "team", "value": "core"}])["activityArn"]
               for i in range(3)]
    assert sfn.create_activity(name="act-0")["activityArn"] == created[0], "CreateActivity is idempotent"
    described = sfn.describe_activity(activityArn=created[1])
    assert described["name"] == "act-1" and described["creationDate"].year >= 2024, described
    pages = sfn.get_paginator("list_activities").paginate(PaginationConfig={"PageSize": 2})
    names = [a["name"] for page in pages for a in page["activities"]]
    assert [n for n in names if n.startswith("act-")] == ["act-0", "act-1", "act-2"], names
    sfn.delete_activity(activityArn=created[2])
    expect_error("ActivityDoesNotExist", sfn.describe_activity, activityArn=created[2])
    expect_error("ActivityDoesNotExist", sfn.get_activity_task, activityArn=created[2])

    assert sfn.list_tags_for_resource(resourceArn=created[0])["tags"] == [{"key": "team", "value": "core"}]
    tagged = sfn.create_state_machine(name="tagged", definition=json.dumps({"StartAt": "P", "States": {
        "P": {"Type": "Pass", "End": True}}}), roleArn=ROLE, tags=[{"key": "env", "value": "test"}])["stateMachineArn"]
    sfn.tag_resource(resourceArn=tagged, tags=[{"key": "owner", "value": "baton"}, {"key": "env", "value": "prod"}])
    tags = sfn.list_tags_for_resource(resourceArn=tagged)["tags"]
    assert tags == [{"key": "env", "value": "prod"}, {"key": "owner", "value": "baton"}], tags
    sfn.untag_resource(resourceArn=tagged, tagKeys=["env"])
    assert sfn.list_tags_for_resource(resourceArn=tagged)["tags"] == [{"key": "owner", "value": "baton"}]
    expect_error("TooManyTags", sfn.tag_resource, resourceArn=tagged,
                 tags=[{"key": f"k{i}", "value": "v"} for i in range(50)])
    assert len(sfn.list_tags_for_resource(resourceArn=tagged)["tags"]) == 1, "a refused TagResource changes nothing"
    expect_error("ResourceNotFound", sfn.list_tags_for_resource, resourceArn=machine_arn + "-nope")
    expect_error("InvalidArn", sfn.tag_resource, resourceArn="arn:aws:states:us-east-1:123456789012:execution:a:b",
                 tags=[{"key": "a", "value": "b"}])
    sfn.delete_state_machine(stateMachineArn=tagged)


def redrive(sfn):
    """A Map whose item 2 is failed by its activity worker; after the fix, a redrive reruns only item 2."""
    activity = sfn.create_activity(name="fixme")["activityArn"]
    machine = {"StartAt": "Each", "States": {"Each": {
        "Type": "Map", "ItemsPath": "$.items", "End": True,
        "ItemProcessor": {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": activity, "End": True}}}}}}
    machine_arn = sfn.create_state_machine(name="fixme", definition=json.dumps(machine), roleArn=ROLE)["stateMachineArn"]
    run = sfn.start_execution(stateMachineArn=machine_arn, input='{"items": [1, 2, 3]}')["executionArn"]

    def take(count):
        tasks = {}
        deadline = time.time() + 60
        while len(tasks) < count and time.time() < deadline:
            task = sfn.get_activity_task(activityArn=activity, workerName="fixer")
            if task.get("taskToken"):
                tasks[json.loads(task["input"])] = task["taskToken"]
        assert len(tasks) == count, tasks
        return tasks

    first = take(3)
    for item in (1, 3):
        sfn.send_task_success(taskToken=first[item], output=json.dumps(item * 10))
    deadline = time.time() + 60
    while time.time() < deadline:
        events = sfn.get_execution_history(executionArn=run, maxResults=1000)["events"]
        if sum(e["type"] == "MapIterationSucceeded" for e in events) == 2:
            break
        time.sleep(0.05)
    sfn.send_task_failure(taskToken=first[2], error="Broken", cause="not fixed yet")
    failed = wait_done(sfn, run)
    assert failed["status"] == "FAILED" and failed["error"] == "Broken", failed
    assert failed["redriveStatus"] == "REDRIVABLE", failed

    redriven = sfn.redrive_execution(executionArn=run)
    assert redriven["redriveDate"], redriven
    second = take(1)
    assert list(second) == [2], f"only the failed item runs again: {list(second)}"
    sfn.send_task_success(taskToken=second[2], output="20")
    done = wait_done_after_redrive(sfn, run)
    assert done["status"] == "SUCCEEDED" and json.loads(done["output"]) == [10, 20, 30], done
    assert done["redriveCount"] == 1 and done["redriveDate"], done
    types = [e["type"] for e in sfn.get_execution_history(executionArn=run, maxResults=1000)["events"]]
    assert types.count("ExecutionRedriven") == 1 and types[-1] == "ExecutionSucceeded", types
    expect_error("ExecutionNotRedrivable", sfn.redrive_execution, executionArn=run)
    listed = sfn.list_executions(stateMachineArn=machine_arn, redriveFilter="REDRIVEN")["executions"]
    assert [e["executionArn"] for e in listed] == [run] and listed[0]["redriveDate"], listed


def wait_done_after_redrive(sfn, arn, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        described = sfn.describe_execution(executionArn=arn)
        if described["status"] not in ("RUNNING", "PENDING_REDRIVE") and described["redriveCount"] > 0:
            return described
        time.sleep(0.05)
    raise AssertionError(f"still running after {timeout}s: {arn}")


def map_runs(sfn):
    """A DISTRIBUTED Map's map run: ListMapRuns, DescribeMapRun and ListExecutions by mapRunArn."""
    processor = {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "Echo",
                 "States": {"Echo": {"Type": "Task", "Resource": "baton:function:echo", "End": True}}}
    definition = {"StartAt": "Fan", "States": {"Fan": {
        "Type": "Map", "Label": "Users", "ItemsPath": "$.items", "MaxConcurrency": 2, "ToleratedFailureCount": 1,
        "ItemProcessor": processor, "End": True}}}
    arn = sfn.create_state_machine(name="fan", definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]
    items = [{"n": i} for i in range(5)]
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"items": items}))["executionArn"]
    done = wait_done(sfn, execution)
    assert done["status"] == "SUCCEEDED" and json.loads(done["output"]) == items, explain(sfn, done)

    runs = sfn.list_map_runs(executionArn=execution)["mapRuns"]
    assert len(runs) == 1, runs
    run_arn = runs[0]["mapRunArn"]
    assert run_arn.startswith("arn:aws:states:us-east-1:123456789012:mapRun:fan/Users:"), run_arn
    assert runs[0]["executionArn"] == execution and runs[0]["stateMachineArn"] == arn and runs[0]["stopDate"], runs
    events = sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"]
    started = [e["mapRunStartedEventDetails"]["mapRunArn"] for e in events if e["type"] == "MapRunStarted"]
    assert started == [run_arn], started

    described = sfn.describe_map_run(mapRunArn=run_arn)
    assert described["status"] == "SUCCEEDED" and described["executionArn"] == execution, described
    assert described["maxConcurrency"] == 2 and described["toleratedFailureCount"] == 1, described
    assert described["startDate"] <= described["stopDate"] and described["redriveCount"] == 0, described
    counts = described["itemCounts"]
    assert (counts["succeeded"], counts["total"], counts["running"], counts["pending"], counts["failed"]) == (5, 5, 0, 0, 0), described
    assert described["executionCounts"] == counts, described

    pages = sfn.get_paginator("list_executions").paginate(mapRunArn=run_arn, PaginationConfig={"PageSize": 2})
    children = [e for page in pages for e in page["executions"]]
    assert len(children) == 5, children
    assert all(c["status"] == "SUCCEEDED" and c["mapRunArn"] == run_arn for c in children), children
    prefix = "arn:aws:states:us-east-1:123456789012:execution:fan/Users:"
    assert all(c["executionArn"].startswith(prefix) for c in children), children
    assert sfn.list_executions(mapRunArn=run_arn, statusFilter="FAILED")["executions"] == []
    # The map run's children are not the state machine's own executions.
    assert [e["executionArn"] for e in sfn.list_executions(stateMachineArn=arn)["executions"]] == [execution]

    # UpdateMapRun: a map run that has ended keeps its limits (a running one is covered by DistributedMapTests).
    sfn.update_map_run(mapRunArn=run_arn, maxConcurrency=5, toleratedFailureCount=0)
    assert sfn.describe_map_run(mapRunArn=run_arn)["maxConcurrency"] == 2

    unknown = run_arn[:-12] + "000000000000"
    expect_error("ResourceNotFound", sfn.update_map_run, mapRunArn=unknown, maxConcurrency=1)
    expect_error("ResourceNotFound", sfn.describe_map_run, mapRunArn=unknown)
    expect_error("ResourceNotFound", sfn.list_executions, mapRunArn=unknown)
    expect_error("InvalidArn", sfn.describe_map_run, mapRunArn=execution)
    expect_error("ValidationException", sfn.list_executions, stateMachineArn=arn, mapRunArn=run_arn)
    expect_error("ExecutionDoesNotExist", sfn.list_map_runs, executionArn=execution + "-nope")
    assert sfn.list_map_runs(executionArn=children[0]["executionArn"])["mapRuns"] == []


def versions_and_aliases(sfn):
    """Published versions and aliases: publish, describe, start by version and by alias, re-route, delete."""
    def machine(result):
        return json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": result, "End": True}}})
    created = sfn.create_state_machine(name="rollout", definition=machine("one"), roleArn=ROLE, publish=True,
                                       versionDescription="first")
    arn = created["stateMachineArn"]
    assert created["stateMachineVersionArn"] == arn + ":1", created
    updated = sfn.update_state_machine(stateMachineArn=arn, definition=machine("two"), publish=True)
    assert updated["stateMachineVersionArn"] == arn + ":2", updated
    again = sfn.publish_state_machine_version(stateMachineArn=arn, description="same revision")
    assert again["stateMachineVersionArn"] == arn + ":2", again  # the current revision is already version 2
    expect_error("ConflictException", sfn.publish_state_machine_version, stateMachineArn=arn,
                 revisionId="00000000-0000-0000-0000-000000000000")
    sfn.update_state_machine(stateMachineArn=arn, definition=machine("three"))
    listed = sfn.list_state_machine_versions(stateMachineArn=arn, maxResults=1)
    assert [v["stateMachineVersionArn"] for v in listed["stateMachineVersions"]] == [arn + ":2"] and "nextToken" in listed
    first = sfn.describe_state_machine(stateMachineArn=arn + ":1")
    assert first["stateMachineArn"] == arn + ":1" and first["description"] == "first", first
    assert json.loads(first["definition"])["States"]["P"]["Result"] == "one", first

    alias = sfn.create_state_machine_alias(name="live", description="production", routingConfiguration=[
        {"stateMachineVersionArn": arn + ":1", "weight": 100}])["stateMachineAliasArn"]
    assert alias == arn + ":live", alias
    described = sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    assert described["routingConfiguration"] == [{"stateMachineVersionArn": arn + ":1", "weight": 100}], described
    assert [a["stateMachineAliasArn"] for a in sfn.list_state_machine_aliases(stateMachineArn=arn)["stateMachineAliases"]] == [alias]
    expect_error("ValidationException", sfn.create_state_machine_alias, name="half", routingConfiguration=[
        {"stateMachineVersionArn": arn + ":1", "weight": 50}])

    outputs, started_with = {}, {}
    for target in (arn, arn + ":2", alias):
        started = started_with[target] = sfn.start_execution(stateMachineArn=target)["executionArn"]
        done = wait_done(sfn, started)
        assert done["status"] == "SUCCEEDED", explain(sfn, done)
        outputs[target] = (json.loads(done["output"]), done.get("stateMachineVersionArn"), done.get("stateMachineAliasArn"))
    assert outputs == {arn: ("three", None, None), arn + ":2": ("two", arn + ":2", None),
                       alias: ("one", arn + ":1", alias)}, outputs
    by_alias = [e["executionArn"] for e in sfn.list_executions(stateMachineArn=alias)["executions"]]
    assert by_alias == [started_with[alias]], by_alias

    expect_error("ConflictException", sfn.delete_state_machine_version, stateMachineVersionArn=arn + ":1")
    sfn.update_state_machine_alias(stateMachineAliasArn=alias, routingConfiguration=[
        {"stateMachineVersionArn": arn + ":1", "weight": 10}, {"stateMachineVersionArn": arn + ":2", "weight": 90}])
    routes = sfn.describe_state_machine_alias(stateMachineAliasArn=alias)["routingConfiguration"]
    assert sorted(r["weight"] for r in routes) == [10, 90], routes
    sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
    expect_error("ResourceNotFound", sfn.describe_state_machine_alias, stateMachineAliasArn=alias)
    sfn.delete_state_machine_version(stateMachineVersionArn=arn + ":1")
    expect_error("StateMachineDoesNotExist", sfn.start_execution, stateMachineArn=arn + ":1")
    assert [v["stateMachineVersionArn"] for v in sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]] == [arn + ":2"]


def main():
    sfn = client()
    echo = {"StartAt": "Echo", "States": {
        "Echo": {"Type": "Task", "Resource": "baton:function:echo", "Next": "Done"},
        "Done": {"Type": "Pass", "End": True}}}
    waiter = {"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 3600, "End": True}}}

    # State machines: create (twice: idempotent), refuse a bad definition, describe, list with pagination.
    arn = sfn.create_state_machine(name="echo", definition=json.dumps(echo), roleArn=ROLE)["stateMachineArn"]
    assert arn == "arn:aws:states:us-east-1:123456789012:stateMachine:echo", arn
    again = sfn.create_state_machine(name="echo", definition=json.dumps(echo), roleArn=ROLE)
    assert again["stateMachineArn"] == arn
    wait_arn = sfn.create_state_machine(name="waiter", definition=json.dumps(waiter), roleArn=ROLE)["stateMachineArn"]
    expect_error("InvalidDefinition", sfn.create_state_machine, name="bad",
                 definition='{"StartAt": "X", "States": {}}', roleArn=ROLE)
    expect_error("InvalidName", sfn.create_state_machine, name="bad name", definition=json.dumps(echo), roleArn=ROLE)
    described = sfn.describe_state_machine(stateMachineArn=arn)
    assert described["name"] == "echo" and described["status"] == "ACTIVE", described
    assert json.loads(described["definition"]) == echo
    assert described["creationDate"].year >= 2024
    pages = sfn.get_paginator("list_state_machines").paginate(PaginationConfig={"PageSize": 1})
    assert [m["name"] for page in pages for m in page["stateMachines"]] == ["echo", "waiter"]
    updated = sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(echo))
    assert updated["updateDate"] and updated["revisionId"]

    # Executions: by name twice (same execution), a conflicting input, more without names.
    first = sfn.start_execution(stateMachineArn=arn, name="first", input='{"n": 1}')
    assert sfn.start_execution(stateMachineArn=arn, name="first", input='{"n": 1}')["executionArn"] == first["executionArn"]
    expect_error("ExecutionAlreadyExists", sfn.start_execution, stateMachineArn=arn, name="first", input='{"n": 2}')
    expect_error("InvalidExecutionInput", sfn.start_execution, stateMachineArn=arn, input="{")
    others = [sfn.start_execution(stateMachineArn=arn, input=json.dumps({"n": i}))["executionArn"] for i in range(4)]
    done = wait_done(sfn, first["executionArn"])
    assert done["status"] == "SUCCEEDED", done
    assert json.loads(done["output"]) == {"n": 1}, done
    for other in others:
        finished = wait_done(sfn, other)
        assert finished["status"] == "SUCCEEDED", explain(sfn, finished)
    pages = sfn.get_paginator("list_executions").paginate(stateMachineArn=arn, PaginationConfig={"PageSize": 2})
    listed = [e["executionArn"] for page in pages for e in page["executions"]]
    assert sorted(listed) == sorted(others + [first["executionArn"]]), listed
    succeeded = sfn.list_executions(stateMachineArn=arn, statusFilter="SUCCEEDED")["executions"]
    assert len(succeeded) == 5

    # The definition an execution runs is the version it started with, even after an update.
    changed = dict(echo, Comment="second version")
    sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(changed))
    assert json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"]) == changed
    original = sfn.describe_state_machine_for_execution(executionArn=first["executionArn"])
    assert json.loads(original["definition"]) == echo and original["name"] == "echo", original

    # History: paginated, reversed, without data.
    pages = sfn.get_paginator("get_execution_history").paginate(
        executionArn=first["executionArn"], PaginationConfig={"PageSize": 2})
    events = [e for page in pages for e in page["events"]]
    types = [e["type"] for e in events]
    assert types[0] == "ExecutionStarted" and types[-1] == "ExecutionSucceeded", types
    assert "TaskSucceeded" in types, types
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    reverse = sfn.get_execution_history(executionArn=first["executionArn"], reverseOrder=True, maxResults=1)
    assert reverse["events"][0]["type"] == "ExecutionSucceeded" and "nextToken" in reverse
    bare = sfn.get_execution_history(executionArn=first["executionArn"], includeExecutionData=False)["events"]
    assert "input" not in bare[0]["executionStartedEventDetails"], bare[0]

    # Stop a waiting execution.
    waiting = sfn.start_execution(stateMachineArn=wait_arn, name="to-stop")["executionArn"]
    stopped = sfn.stop_execution(executionArn=waiting, error="Cancelled", cause="by the test")
    assert stopped["stopDate"]
    aborted = wait_done(sfn, waiting)
    assert aborted["status"] == "ABORTED", aborted

    # An EXPRESS state machine's executions have express ARNs (Baton describes them, as it keeps their history).
    fast = sfn.create_state_machine(name="fast", definition=json.dumps(echo), roleArn=ROLE, type="EXPRESS")["stateMachineArn"]
    quick = sfn.start_execution(stateMachineArn=fast, name="quick", input='{"n": 9}')["executionArn"]
    assert quick.startswith("arn:aws:states:us-east-1:123456789012:express:fast:quick:"), quick
    finished = wait_done(sfn, quick)
    assert finished["status"] == "SUCCEEDED" and json.loads(finished["output"]) == {"n": 9}, finished

    # StartSyncExecution answers with the finished execution. The service model gives it the host prefix
    # "sync-", which an SDK prepends to the endpoint's host unless told not to.
    sync = client(inject_host_prefix=False).start_sync_execution(stateMachineArn=arn, input='{"sync": true}')
    assert sync["status"] == "SUCCEEDED" and json.loads(sync["output"]) == {"sync": True}, sync

    # ValidateStateMachineDefinition.
    assert sfn.validate_state_machine_definition(definition=json.dumps(echo))["result"] == "OK"
    invalid = sfn.validate_state_machine_definition(definition='{"StartAt": "X", "States": {}}')
    assert invalid["result"] == "FAIL" and invalid["diagnostics"][0]["code"] == "SCHEMA_VALIDATION_FAILED", invalid

    # Not found, bad ARNs, unimplemented operations.
    expect_error("StateMachineDoesNotExist", sfn.describe_state_machine, stateMachineArn=arn + "-nope")
    expect_error("ExecutionDoesNotExist", sfn.describe_execution,
                 executionArn="arn:aws:states:us-east-1:123456789012:execution:echo:nope")
    expect_error("InvalidArn", sfn.describe_execution, executionArn="not-an-arn")
    expect_error("UnknownOperationException", client(inject_host_prefix=False).test_state, definition=json.dumps(echo["States"]["Echo"]), roleArn=ROLE)

    # Delete.
    temp = sfn.create_state_machine(name="temp", definition=json.dumps(waiter), roleArn=ROLE)["stateMachineArn"]
    sfn.delete_state_machine(stateMachineArn=temp)
    expect_error("StateMachineDoesNotExist", sfn.describe_state_machine, stateMachineArn=temp)

    # An activity served by a boto3 get_activity_task loop: heartbeat, success, then a failure.
    activity = sfn.create_activity(name="review")["activityArn"]
    assert activity == "arn:aws:states:us-east-1:123456789012:activity:review", activity
    reviewed = {"StartAt": "Review", "States": {
        "Review": {"Type": "Task", "Resource": activity, "TimeoutSeconds": 120, "End": True}}}
    reviewed_arn = sfn.create_state_machine(
        name="reviewed", definition=json.dumps(reviewed), roleArn=ROLE)["stateMachineArn"]

    def poll_activity():
        deadline = time.time() + 60
        while time.time() < deadline:
            task = sfn.get_activity_task(activityArn=activity, workerName="boto3-worker")
            if task.get("taskToken"):
                return task
        raise AssertionError("no activity task arrived")

    run = sfn.start_execution(stateMachineArn=reviewed_arn, input='{"pr": 7}')["executionArn"]
    task = poll_activity()
    assert json.loads(task["input"]) == {"pr": 7}, task
    sfn.send_task_heartbeat(taskToken=task["taskToken"])
    sfn.send_task_success(taskToken=task["taskToken"], output='{"approved": true}')
    finished = wait_done(sfn, run)
    assert finished["status"] == "SUCCEEDED" and json.loads(finished["output"]) == {"approved": True}, finished
    expect_error("TaskTimedOut", sfn.send_task_success, taskToken=task["taskToken"], output="{}")
    expect_error("InvalidToken", sfn.send_task_success, taskToken="forged-token", output="{}")
    expect_error("InvalidOutput", sfn.send_task_success, taskToken=task["taskToken"], output="{")
    run = sfn.start_execution(stateMachineArn=reviewed_arn, input='{"pr": 8}')["executionArn"]
    task = poll_activity()
    sfn.send_task_failure(taskToken=task["taskToken"], error="Rejected", cause="needs work")
    failed = wait_done(sfn, run)
    assert failed["status"] == "FAILED" and failed["error"] == "Rejected", failed

    callbacks(sfn)
    activities_and_tags(sfn, arn)
    redrive(sfn)
    map_runs(sfn)
    versions_and_aliases(sfn)

    # Authentication: a wrong secret, an unknown key, no signature at all.
    expect_error("InvalidSignatureException", client(secret="wrong-secret").list_state_machines)
    stranger = boto3.client("stepfunctions", endpoint_url=ENDPOINT, region_name="us-east-1",
                            aws_access_key_id="AKIDSTRANGER", aws_secret_access_key="x")
    expect_error("UnrecognizedClientException", stranger.list_state_machines)
    request = urllib.request.Request(ENDPOINT + "/", data=b"{}", method="POST", headers={
        "X-Amz-Target": "AWSStepFunctions.ListStateMachines", "Content-Type": "application/x-amz-json-1.0"})
    try:
        urllib.request.urlopen(request)
        raise AssertionError("an unsigned request was accepted")
    except urllib.error.HTTPError as error:
        assert error.code == 403, error.code
        assert json.loads(error.read())["__type"] == "MissingAuthenticationTokenException"

    # Webhooks (the server's --webhooks maps "github" to the echo machine): a delivery starts one execution,
    # its redelivery none, a wrong signature nothing.
    def deliver(body, signature, delivery):
        request = urllib.request.Request(ENDPOINT + "/webhooks/github", data=body, method="POST", headers={
            "Content-Type": "application/json", "X-Hub-Signature-256": signature, "X-GitHub-Delivery": delivery})
        try:
            with urllib.request.urlopen(request) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    body = json.dumps({"action": "opened", "number": 7}).encode()
    signature = "sha256=" + hmac.new(os.environ["BATON_WEBHOOK_SECRET"].encode(), body, hashlib.sha256).hexdigest()
    before = len(sfn.list_executions(stateMachineArn=arn)["executions"])
    status, answer = deliver(body, "sha256=" + "0" * 64, "delivery-bad")
    assert status == 401, (status, answer)
    status, answer = deliver(body, signature, "delivery-1")
    assert status == 201 and answer["started"] is True, (status, answer)
    assert answer["executionArn"] == "arn:aws:states:us-east-1:123456789012:execution:echo:delivery-1", answer
    status, again = deliver(body, signature, "delivery-1")
    assert status == 200 and again["started"] is False and again["executionArn"] == answer["executionArn"], again
    assert len(sfn.list_executions(stateMachineArn=arn)["executions"]) == before + 1
    delivered = wait_done(sfn, answer["executionArn"])
    assert delivered["status"] == "SUCCEEDED" and json.loads(delivered["output"]) == {"action": "opened", "number": 7}

    # Health and readiness for load balancers.
    for path in ("/health", "/ready"):
        with urllib.request.urlopen(ENDPOINT + path) as answer:
            assert answer.status == 200, (path, answer.status)

    # The aws CLI, unchanged but for the endpoint.
    environment = dict(os.environ, AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET, AWS_DEFAULT_REGION="us-east-1",
                       AWS_EC2_METADATA_DISABLED="true", AWS_PAGER="")
    cli = subprocess.run(["aws", "stepfunctions", "--endpoint-url", ENDPOINT, "list-state-machines", "--output", "json"],
                         env=environment, capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    assert [m["name"] for m in json.loads(cli.stdout)["stateMachines"]] == ["callback", "echo", "fan", "fast", "fixme", "reviewed", "rollout", "waiter"], cli.stdout
    cli = subprocess.run(["aws", "stepfunctions", "--endpoint-url", ENDPOINT, "describe-execution", "--execution-arn",
                          first["executionArn"], "--output", "json"], env=environment, capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["status"] == "SUCCEEDED"
    print("OK")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        raise
