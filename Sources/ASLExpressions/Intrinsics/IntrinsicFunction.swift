// The 18 intrinsic functions of JSONPath-mode ASL, their arities and the types their arguments
// must have. The same table checks literal arguments when a definition loads and every argument
// when the call runs.

import BatonJSON

/// One of the `States.*` intrinsic functions.
enum IntrinsicFunction: String, Sendable, Hashable, CaseIterable {
    case format = "States.Format"
    case stringToJson = "States.StringToJson"
    case jsonToString = "States.JsonToString"
    case array = "States.Array"
    case arrayPartition = "States.ArrayPartition"
    case arrayContains = "States.ArrayContains"
    case arrayRange = "States.ArrayRange"
    case arrayGetItem = "States.ArrayGetItem"
    case arrayLength = "States.ArrayLength"
    case arrayUnique = "States.ArrayUnique"
    case base64Encode = "States.Base64Encode"
    case base64Decode = "States.Base64Decode"
    case hash = "States.Hash"
    case jsonMerge = "States.JsonMerge"
    case mathRandom = "States.MathRandom"
    case mathAdd = "States.MathAdd"
    case stringSplit = "States.StringSplit"
    case uuid = "States.UUID"

    /// The smallest and largest number of arguments (nil: no upper bound).
    var arity: (min: Int, max: Int?) {
        switch self {
        case .format: (1, nil)
        case .array: (0, nil)
        case .stringToJson, .jsonToString, .arrayLength, .arrayUnique, .base64Encode, .base64Decode: (1, 1)
        case .arrayPartition, .arrayContains, .arrayGetItem, .hash, .mathAdd, .stringSplit: (2, 2)
        case .arrayRange, .jsonMerge: (3, 3)
        case .mathRandom: (2, 3)
        case .uuid: (0, 0)
        }
    }

    /// The type argument `index` must have.
    func expectedKind(at index: Int) -> ArgumentKind {
        switch (self, index) {
        case (.format, 0): .string
        case (.format, _), (.array, _), (.jsonToString, _), (.arrayContains, 1): .any
        case (.stringToJson, _), (.base64Encode, _), (.base64Decode, _), (.hash, _), (.stringSplit, _): .string
        case (.arrayPartition, 0), (.arrayContains, _), (.arrayGetItem, 0), (.arrayLength, _), (.arrayUnique, _): .array
        case (.arrayPartition, _), (.arrayGetItem, _), (.arrayRange, _), (.mathRandom, _), (.mathAdd, _): .number
        case (.jsonMerge, 2): .boolean
        case (.jsonMerge, _): .object
        case (.uuid, _): .any
        }
    }
}

/// The JSON type an intrinsic argument must have.
enum ArgumentKind: String, Sendable {
    case any, string, number, boolean, array, object

    func accepts(_ value: JSON) -> Bool {
        switch (self, value) {
        case (.any, _), (.string, .string), (.number, .number), (.boolean, .bool), (.array, .array), (.object, .object): true
        default: false
        }
    }
}

/// The words for the n-th argument (0-based) in messages.
func ordinal(_ index: Int) -> String {
    let words = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
    return index < words.count ? words[index] : "\(index + 1)th"
}

/// `States.IntrinsicFailure` for a call whose arguments are wrong.
func intrinsicFailure(_ function: IntrinsicFunction, _ message: String) -> ASLError {
    ASLError(.intrinsicFailure, "Invalid arguments in \(function.rawValue): \(message)")
}
