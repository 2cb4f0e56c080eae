import ASLExpressions

extension String {
    /// This JSON pointer extended by a member name or array index.
    func pointer(_ token: String) -> String { JSONPointer.appending(token, to: self) }

    /// This JSON pointer extended by an array index.
    func pointer(_ index: Int) -> String { self + "/" + String(index) }
}
