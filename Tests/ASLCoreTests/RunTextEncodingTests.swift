import ASLCore
import BatonJSON
import Foundation
import Testing

/// The coordinator stores runs with BatonJSON's streaming `JSONTextEncoder` and reads them with `JSONDecoder`:
/// every run state met while driving these machines must encode to the same JSON as Foundation's JSONEncoder
/// writes (member order aside) and decode back to a run that encodes the same again.
@Suite struct RunTextEncodingTests {
    static let machines: [String] = [
        // Task with Retry and Catch, a Choice and a Wait.
        #"""
        {"StartAt":"T","States":{
          "T":{"Type":"Task","Resource":"baton:function:f","TimeoutSeconds":5,"HeartbeatSeconds":2,
               "Retry":[{"ErrorEquals":["Boom"],"MaxAttempts":2,"IntervalSeconds":1,"JitterStrategy":"FULL"}],
               "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"C"}],"Next":"C"},
          "C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":1,"Next":"W"}],"Default":"W"},
          "W":{"Type":"Wait","Seconds":3,"Assign":{"seen.$":"$.n"},"End":true}}}
        """#,
        // Map over items with a Parallel inside, results selected.
        #"""
        {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,
          "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
            {"StartAt":"A","States":{"A":{"Type":"Task","Resource":"baton:function:a","End":true}}},
            {"StartAt":"B","States":{"B":{"Type":"Pass","Result":{"b":"\u00e9\n\"q\""},"End":true}}}]}}},
          "ResultSelector":{"all.$":"$"},"End":true}}}
        """#,
    ]

    @Test(arguments: machines.indices)
    func everyRunStateEncodesLikeJSONEncoder(_ index: Int) throws {
        var failures = 0
        var driver = try TestDriver(.parse(Self.machines[index]), input: ["n": 2, "items": [1, 2.5, "x", ["k": nil]]]) { task in
            task.attempt == 0 && task.stateName == "T"
                ? .taskFailed(taskId: task.id, failure: RunFailure(error: "Boom", cause: "first try")) : .taskSucceeded(taskId: task.id, output: task.input)
        }
        var compared = 0
        driver.observe = { run in
            compared += 1
            do {
                let streamed = try JSONTextEncoder().encode(run)
                let foundation = try JSONEncoder().encode(run)
                if try JSON(parsing: streamed).serialized(.sortedKeys) != JSON(parsing: foundation).serialized(.sortedKeys) {
                    failures += 1
                }
                let again = try JSONDecoder().decode(Run.self, from: Data(streamed))
                if try JSONTextEncoder().encode(again) != streamed { failures += 1 }
            } catch {
                Issue.record("\(error)")
            }
        }
        guard case .succeeded = driver.run() else { Issue.record("the machine did not succeed"); return }
        #expect(compared > 3)
        #expect(failures == 0)
    }
}
