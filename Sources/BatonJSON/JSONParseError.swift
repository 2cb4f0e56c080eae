/// Why a text is not JSON, and where: byte offset, 1-based line and column.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, in words.
    public var message: String
    /// Byte offset into the text.
    public var offset: Int
    /// 1-based line of the offset.
    public var line: Int
    /// 1-based column (in bytes) of the offset.
    public var column: Int

    public init(message: String, offset: Int, line: Int, column: Int) {
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
    }

    public var description: String { "invalid JSON at line \(line), column \(column): \(message)" }
}
