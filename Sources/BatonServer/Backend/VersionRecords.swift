// Published state machine versions and aliases as the API reports them (StateMachineVersionStore keeps them).
import Foundation

/// A published version of a state machine.
public struct VersionRecord: Sendable, Hashable {
    /// The version number.
    public var number: Int
    /// `…:stateMachine:NAME:NUMBER`.
    public var arn: String
    /// The description given when it was published.
    public var description: String?
    /// When it was published.
    public var creationDate: Date
    /// The revision it publishes.
    public var revisionId: String
    /// Its definition's JSON text.
    public var definition: String
    /// Its role ARN, if one was given.
    public var roleArn: String?

    /// A record with these values.
    public init(number: Int, arn: String, description: String?, creationDate: Date, revisionId: String, definition: String,
                roleArn: String?) {
        self.number = number
        self.arn = arn
        self.description = description
        self.creationDate = creationDate
        self.revisionId = revisionId
        self.definition = definition
        self.roleArn = roleArn
    }
}

/// An alias of a state machine.
public struct AliasRecord: Sendable {
    /// Its name.
    public var name: String
    /// `…:stateMachine:NAME:ALIAS`.
    public var arn: String
    /// Its description.
    public var description: String?
    /// Version numbers and the percentage of starts each gets.
    public var routes: [(version: Int, weight: Int)]
    /// When it was created.
    public var creationDate: Date
    /// When it was last updated.
    public var updateDate: Date

    /// A record with these values.
    public init(name: String, arn: String, description: String?, routes: [(version: Int, weight: Int)], creationDate: Date,
                updateDate: Date) {
        self.name = name
        self.arn = arn
        self.description = description
        self.routes = routes
        self.creationDate = creationDate
        self.updateDate = updateDate
    }

}
