// CreateStateMachine, UpdateStateMachine, DescribeStateMachine, DescribeStateMachineForExecution,
// ListStateMachines, DeleteStateMachine and ValidateStateMachineDefinition.
import ASLDocument
import BatonJSON
import Foundation

enum StateMachineOperations {
    static let handlers: [String: OperationHandler] = [
        "CreateStateMachine": create,
        "UpdateStateMachine": update,
        "DescribeStateMachine": describe,
        "DescribeStateMachineForExecution": describeForExecution,
        "ListStateMachines": list,
        "DeleteStateMachine": delete,
        "ValidateStateMachineDefinition": validateDefinition,
    ]

    static let types = ["STANDARD", "EXPRESS"]

    static func create(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let name = try input.requiredString("name", max: 80)
        let definitionText = try input.requiredString("definition", max: 1_048_576)
        let roleArn = try input.requiredString("roleArn", max: 256)
        let type = try input.enumeration("type", types) ?? "STANDARD"
        let publish = try input.boolean("publish") ?? false
        let versionDescription = try input.string("versionDescription", max: 256)
        if versionDescription != nil && !publish {
            throw APIError.validation("versionDescription can only be set when publish is true")
        }
        let tags = try TagOperations.tags(input, "tags") ?? []
        try AWSNames.check(name, field: "name")
        let definition = try Definitions.parseValid(definitionText)
        let record = try await context.backend.createStateMachine(
            name: name, definition: definition, roleArn: roleArn, type: type)
        if !tags.isEmpty { try await context.backend.tagResource(arn: record.arn, tags: tags) }
        var object: JSONObject = ["stateMachineArn": .string(record.arn), "creationDate": AWSTimestamp.json(record.creationDate)]
        if publish {
            let version = try await context.backend.publishVersion(stateMachine: name, revisionId: nil, description: versionDescription)
            object["stateMachineVersionArn"] = .string(version.arn)
        }
        return .object(object)
    }

    static func update(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let name = try context.unqualifiedStateMachine(try input.requiredString("stateMachineArn", max: 256), field: "stateMachineArn")
        let definitionText = try input.string("definition", min: 1, max: 1_048_576)
        let roleArn = try input.string("roleArn", min: 1, max: 256)
        let publish = try input.boolean("publish") ?? false
        let versionDescription = try input.string("versionDescription", max: 256)
        if versionDescription != nil && !publish {
            throw APIError.validation("versionDescription can only be set when publish is true")
        }
        let other = input.members["loggingConfiguration"] != nil || input.members["tracingConfiguration"] != nil
            || input.members["encryptionConfiguration"] != nil
        guard definitionText != nil || roleArn != nil || other else {
            throw APIError(
                "MissingRequiredParameter",
                "Either the definition, the roleArn, the loggingConfiguration or the tracingConfiguration must be specified")
        }
        let definition = try definitionText.map { text throws(APIError) in try Definitions.parseValid(text) }
        let record: StateMachineRecord
        if definition == nil && roleArn == nil {
            // Only logging/tracing/encryption settings, which Baton accepts and does not use.
            guard let existing = try await context.backend.describeStateMachine(name: name) else {
                throw APIError.stateMachineDoesNotExist(context.arns.stateMachine(name))
            }
            record = existing
        } else {
            record = try await context.backend.updateStateMachine(name: name, definition: definition, roleArn: roleArn)
        }
        var object: JSONObject = ["updateDate": AWSTimestamp.json(record.updateDate), "revisionId": .string(record.revisionId)]
        if publish {
            let version = try await context.backend.publishVersion(stateMachine: name, revisionId: nil, description: versionDescription)
            object["stateMachineVersionArn"] = .string(version.arn)
        }
        return .object(object)
    }

    static func describe(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let arnText = try input.requiredString("stateMachineArn", max: 256)
        _ = try input.enumeration("includedData", ["ALL_DATA", "METADATA_ONLY"])
        let (name, qualifier) = try context.qualifiedStateMachine(arnText, field: "stateMachineArn")
        guard let record = try await context.backend.describeStateMachine(name: name) else {
            throw APIError.stateMachineDoesNotExist(arnText)
        }
        if let qualifier {
            // A version ARN describes that version; an alias has DescribeStateMachineAlias.
            guard let number = Int(qualifier) else {
                throw APIError.validation("stateMachineArn: '\(arnText)' names an alias; use DescribeStateMachineAlias")
            }
            guard let version = try await context.backend.describeVersion(stateMachine: name, number: number) else {
                throw APIError.stateMachineDoesNotExist(arnText)
            }
            var object: JSONObject = [
                "stateMachineArn": .string(version.arn), "name": .string(record.name), "status": .string(record.status),
                "definition": .string(version.definition), "roleArn": .string(roleArn(version.roleArn, context)),
                "type": .string(record.type), "creationDate": AWSTimestamp.json(version.creationDate),
                "loggingConfiguration": ["level": "OFF", "includeExecutionData": false],
                "tracingConfiguration": ["enabled": false], "revisionId": .string(version.revisionId),
            ]
            if let description = version.description { object["description"] = .string(description) }
            return .object(object)
        }
        var object: JSONObject = [
            "stateMachineArn": .string(record.arn), "name": .string(record.name), "status": .string(record.status),
            "definition": .string(record.definition), "roleArn": .string(roleArn(record, context)),
            "type": .string(record.type), "creationDate": AWSTimestamp.json(record.creationDate),
        ]
        object["loggingConfiguration"] = ["level": "OFF", "includeExecutionData": false]
        object["tracingConfiguration"] = ["enabled": false]
        object["revisionId"] = .string(record.revisionId)
        return .object(object)
    }

    static func describeForExecution(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let arnText = try input.requiredString("executionArn", max: 256)
        _ = try input.enumeration("includedData", ["ALL_DATA", "METADATA_ONLY"])
        _ = try context.executionArn(arnText, field: "executionArn")
        guard let record = try await context.backend.stateMachineForExecution(arn: arnText) else {
            throw APIError.executionDoesNotExist(arnText)
        }
        return [
            "stateMachineArn": .string(record.arn), "name": .string(record.name),
            "definition": .string(record.definition), "roleArn": .string(roleArn(record, context)),
            "updateDate": AWSTimestamp.json(record.updateDate),
            "loggingConfiguration": ["level": "OFF", "includeExecutionData": false],
            "tracingConfiguration": ["enabled": false], "revisionId": .string(record.revisionId),
        ]
    }

    static func list(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let (page, next) = try await Pagination.byName(input, operation: "ListStateMachines", name: \.name) { after, limit in
            try await context.backend.listStateMachines(afterName: after, limit: limit)
        }
        var object: JSONObject = [
            "stateMachines": .array(page.map { record in
                [
                    "stateMachineArn": .string(record.arn), "name": .string(record.name), "type": .string(record.type),
                    "creationDate": AWSTimestamp.json(record.creationDate),
                ]
            })
        ]
        if let next { object["nextToken"] = .string(next) }
        return .object(object)
    }

    static func delete(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let name = try context.unqualifiedStateMachine(try input.requiredString("stateMachineArn", max: 256), field: "stateMachineArn")
        try await context.backend.deleteStateMachine(name: name)
        return .object([:])
    }

    static func validateDefinition(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let text = try input.requiredString("definition", max: 1_048_576)
        _ = try input.enumeration("type", types)
        let severity = try input.enumeration("severity", ["ERROR", "WARNING"]) ?? "ERROR"
        let maxResults = try input.integer("maxResults", min: 0, max: 100) ?? 0
        let limit = maxResults == 0 ? 100 : maxResults
        var diagnostics: [JSON] = []
        do {
            let definition = try DefinitionLoader.parse(text: text, format: .json)
            let options = ValidationOptions(includeWarnings: severity == "WARNING")
            for diagnostic in DefinitionValidator.validate(definition, options: options) {
                diagnostics.append([
                    "severity": .string(diagnostic.severity.rawValue), "code": .string(Definitions.code(of: diagnostic)),
                    "message": .string(diagnostic.message), "location": .string(diagnostic.location),
                ])
            }
        } catch {
            var location = "/"
            if let line = error.line, let column = error.column { location = "line \(line), column \(column)" }
            diagnostics.append([
                "severity": "ERROR", "code": "INVALID_JSON_DESCRIPTION", "message": .string(error.message),
                "location": .string(location),
            ])
        }
        let failed = diagnostics.contains { $0["severity"]?.stringValue == "ERROR" }
        return [
            "result": .string(failed ? "FAIL" : "OK"), "diagnostics": .array(Array(diagnostics.prefix(limit))),
            "truncated": .bool(diagnostics.count > limit),
        ]
    }

    private static func roleArn(_ record: StateMachineRecord, _ context: OperationContext) -> String {
        roleArn(record.roleArn, context)
    }

    /// The role ARN given, or the one executions report when none was.
    private static func roleArn(_ role: String?, _ context: OperationContext) -> String {
        role ?? "arn:aws:iam::\(context.arns.account):role/baton-execution-role"
    }
}

/// Parsing and checking definitions sent to the API.
enum Definitions {
    /// The definition text parsed as JSON and validated; InvalidDefinition with AWS's message shape otherwise.
    static func parseValid(_ text: String) throws(APIError) -> JSON {
        let definition: JSON
        do {
            definition = try DefinitionLoader.parse(text: text, format: .json)
        } catch {
            throw APIError("InvalidDefinition", "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: \(error.message)'")
        }
        let errors = DefinitionValidator.validate(definition).filter { $0.severity == .error }
        if !errors.isEmpty {
            let listed = errors.prefix(5).map { "\($0.message) at \($0.location)" }.joined(separator: ", ")
            let more = errors.count > 5 ? " (and \(errors.count - 5) more)" : ""
            throw APIError("InvalidDefinition", "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: \(listed)\(more)'")
        }
        return definition
    }

    /// AWS's diagnostic code for a validator diagnostic.
    static func code(of diagnostic: Diagnostic) -> String {
        if diagnostic.severity == .error { return "SCHEMA_VALIDATION_FAILED" }
        if diagnostic.message.hasPrefix("Result is static") { return "PASS_RESULT_IS_STATIC" }
        return "NO_DOLLAR"
    }
}

/// AWS's naming rule for state machines, executions and activities.
enum AWSNames {
    static let forbidden = Set(" \t\n\r<>{}[]?*\"#%\\^|~`$&,;:/")

    /// Throws InvalidName when `name` (the value of `field`) breaks the rule.
    static func check(_ name: String, field: String) throws(APIError) {
        if let bad = name.first(where: { character in
            forbidden.contains(character)
                || character.unicodeScalars.contains { $0.properties.generalCategory == .control }
        }) {
            throw APIError(
                "InvalidName",
                "Invalid Name: '\(name)' (\(field) may not contain white space, brackets, wildcards, control characters or any of \" # % \\ ^ | ~ ` $ & , ; : /; found \"\(bad)\")")
        }
    }
}

/// Page sizes.
enum Pagination {
    /// The page size for `maxResults` (absent or 0 means AWS's default of 100).
    static func pageSize(_ maxResults: Int?) -> Int {
        guard let maxResults, maxResults > 0 else { return 100 }
        return maxResults
    }

    /// One page of a short listing held whole (`maxResults`, `nextToken` as an offset into `all`); returns the
    /// page and the token for the next one, if there is more.
    static func byOffset<Record>(_ input: RequestFields, operation: String, scope: String, _ all: [Record])
        throws(APIError) -> (page: ArraySlice<Record>, nextToken: String?)
    {
        let limit = pageSize(try input.integer("maxResults", min: 0, max: 1000))
        var offset = 0
        if let token = try input.string("nextToken", min: 1, max: 1024) {
            guard let position = try PageToken.decode(token, operation: operation, scope: scope).intValue, position >= 0 else {
                throw APIError.invalidToken("Invalid Token: '\(token.prefix(64))'")
            }
            offset = position
        }
        let page = all.dropFirst(offset).prefix(limit)
        let next = offset + page.count < all.count
            ? PageToken.encode(operation: operation, scope: scope, position: .int(offset + page.count)) : nil
        return (page, next)
    }

    /// One page of a listing in name order (`maxResults`, `nextToken`): `fetch(afterName, limit)` reads rows
    /// after a name; returns the page and the token for the next one, if there is more.
    static func byName<Record: Sendable>(
        _ input: RequestFields, operation: String, name: (Record) -> String,
        fetch: (String?, Int) async throws -> [Record]
    ) async throws -> (page: [Record], nextToken: String?) {
        let limit = pageSize(try input.integer("maxResults", min: 0, max: 1000))
        var after: String?
        if let token = try input.string("nextToken", min: 1, max: 1024) {
            after = try PageToken.decode(token, operation: operation, scope: "").stringValue
        }
        let records = try await fetch(after, limit + 1)
        let page = Array(records.prefix(limit))
        guard records.count > limit, let last = page.last else { return (page, nil) }
        return (page, PageToken.encode(operation: operation, scope: "", position: .string(name(last))))
    }
}
