// Published state machine versions and aliases: PublishStateMachineVersion, ListStateMachineVersions,
// DeleteStateMachineVersion, and Create/Describe/List/Update/DeleteStateMachineAlias, in AWS's shapes. (Create
// and UpdateStateMachine publish with `publish: true`; DescribeStateMachine describes a version ARN;
// StartExecution runs a version or alias ARN: StateMachineOperations, ExecutionOperations.)
import BatonJSON
import Foundation

enum VersionOperations {
    static let handlers: [String: OperationHandler] = [
        "PublishStateMachineVersion": publish,
        "ListStateMachineVersions": listVersions,
        "DeleteStateMachineVersion": deleteVersion,
        "CreateStateMachineAlias": createAlias,
        "DescribeStateMachineAlias": describeAlias,
        "ListStateMachineAliases": listAliases,
        "UpdateStateMachineAlias": updateAlias,
        "DeleteStateMachineAlias": deleteAlias,
    ]

    static func publish(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let arnText = try input.requiredString("stateMachineArn", max: 256)
        let revisionId = try input.string("revisionId", max: 256)
        let description = try input.string("description", max: 256)
        let name = try context.unqualifiedStateMachine(arnText, field: "stateMachineArn")
        let version = try await context.backend.publishVersion(stateMachine: name, revisionId: revisionId, description: description)
        return ["creationDate": AWSTimestamp.json(version.creationDate), "stateMachineVersionArn": .string(version.arn)]
    }

    static func listVersions(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let arnText = try input.requiredString("stateMachineArn", max: 256)
        let name = try context.unqualifiedStateMachine(arnText, field: "stateMachineArn")
        guard let versions = try await context.backend.listVersions(stateMachine: name) else {
            throw APIError.stateMachineDoesNotExist(arnText)
        }
        let (page, next) = try Pagination.byOffset(input, operation: "ListStateMachineVersions", scope: arnText, versions)
        var object: JSONObject = [
            "stateMachineVersions": .array(page.map {
                ["stateMachineVersionArn": .string($0.arn), "creationDate": AWSTimestamp.json($0.creationDate)]
            })
        ]
        if let next { object["nextToken"] = .string(next) }
        return .object(object)
    }

    static func deleteVersion(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let (name, number) = try context.stateMachineVersion(
            try input.requiredString("stateMachineVersionArn", max: 256), field: "stateMachineVersionArn")
        try await context.backend.deleteVersion(stateMachine: name, number: number)
        return .object([:])
    }

    static func createAlias(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let name = try input.requiredString("name", max: 80)
        let description = try input.string("description", max: 256)
        guard case let (machine?, routes?) = try self.routes(input, context, required: true) else {
            throw APIError.validation("routingConfiguration: Member must not be null")
        }
        try AWSNames.check(name, field: "name")
        guard Int(name) == nil else { throw APIError.validation("name: an alias name cannot be a number ('\(name)')") }
        let alias = try await context.backend.createAlias(stateMachine: machine, name: name, description: description, routes: routes)
        return ["stateMachineAliasArn": .string(alias.arn), "creationDate": AWSTimestamp.json(alias.creationDate)]
    }

    static func describeAlias(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let arnText = try input.requiredString("stateMachineAliasArn", max: 256)
        let (machine, name) = try context.stateMachineAlias(arnText, field: "stateMachineAliasArn")
        guard let alias = try await context.backend.describeAlias(stateMachine: machine, name: name) else {
            throw APIError.resourceNotFound(arnText)
        }
        let base = context.arns.stateMachine(machine)
        var object: JSONObject = [
            "stateMachineAliasArn": .string(alias.arn), "name": .string(alias.name),
            "routingConfiguration": .array(alias.routes.map {
                ["stateMachineVersionArn": .string("\(base):\($0.version)"), "weight": .int($0.weight)]
            }),
            "creationDate": AWSTimestamp.json(alias.creationDate), "updateDate": AWSTimestamp.json(alias.updateDate),
        ]
        if let description = alias.description { object["description"] = .string(description) }
        return .object(object)
    }

    static func listAliases(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let arnText = try input.requiredString("stateMachineArn", max: 256)
        let name = try context.unqualifiedStateMachine(arnText, field: "stateMachineArn")
        guard let aliases = try await context.backend.listAliases(stateMachine: name) else {
            throw APIError.stateMachineDoesNotExist(arnText)
        }
        let (page, next) = try Pagination.byOffset(input, operation: "ListStateMachineAliases", scope: arnText, aliases)
        var object: JSONObject = [
            "stateMachineAliases": .array(page.map {
                ["stateMachineAliasArn": .string($0.arn), "creationDate": AWSTimestamp.json($0.creationDate)]
            })
        ]
        if let next { object["nextToken"] = .string(next) }
        return .object(object)
    }

    static func updateAlias(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let arnText = try input.requiredString("stateMachineAliasArn", max: 256)
        let description = try input.string("description", max: 256)
        let (machine, name) = try context.stateMachineAlias(arnText, field: "stateMachineAliasArn")
        let (routedMachine, routes) = try self.routes(input, context, required: false)
        if let routedMachine, routedMachine != machine {
            throw APIError.validation("routingConfiguration: the versions must be of \(machine), the alias's state machine")
        }
        guard description != nil || routes != nil else {
            throw APIError.validation("Either the description or the routingConfiguration must be specified")
        }
        guard let alias = try await context.backend.updateAlias(stateMachine: machine, name: name, description: description, routes: routes)
        else { throw APIError.resourceNotFound(arnText) }
        return ["updateDate": AWSTimestamp.json(alias.updateDate)]
    }

    static func deleteAlias(_ input: RequestFields, _ context: OperationContext) async throws -> JSON {
        let (machine, name) = try context.stateMachineAlias(
            try input.requiredString("stateMachineAliasArn", max: 256), field: "stateMachineAliasArn")
        try await context.backend.deleteAlias(stateMachine: machine, name: name)
        return .object([:])
    }

    /// `routingConfiguration`: one or two `{stateMachineVersionArn, weight}` of one state machine; that state
    /// machine's name and the version numbers with their weights (nil, nil when absent and not required).
    static func routes(_ input: RequestFields, _ context: OperationContext, required: Bool)
        throws(APIError) -> (machine: String?, routes: [(version: Int, weight: Int)]?)
    {
        guard let entries = try input.objectList("routingConfiguration") else {
            if required { throw APIError.validation("routingConfiguration: Member must not be null") }
            return (nil, nil)
        }
        guard (1...2).contains(entries.count) else {
            throw APIError.validation("routingConfiguration: Member must have length between 1 and 2, not \(entries.count)")
        }
        var machine: String?
        var routes: [(version: Int, weight: Int)] = []
        for (index, entry) in entries.enumerated() {
            let fields = RequestFields(entry)
            let field = "routingConfiguration.\(index + 1)"
            let (name, number) = try context.stateMachineVersion(
                try fields.requiredString("stateMachineVersionArn", max: 256), field: "\(field).stateMachineVersionArn")
            guard let weight = try fields.integer("weight", min: 0, max: 100) else {
                throw APIError.validation("\(field).weight: Member must not be null")
            }
            if let machine, machine != name {
                throw APIError.validation("routingConfiguration: the versions must be of one state machine (\(machine), \(name))")
            }
            machine = name
            routes.append((number, weight))
        }
        return (machine, routes)
    }
}
