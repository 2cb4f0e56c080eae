// Aggregation functions over arrays of numbers: $sum, $count, $max, $min, $average.

func registerAggregationFunctions(_ b: inout LibraryBuilder) {
    b.add("sum", "<a<n>:n>") { args, _ throws(JSONataError) in
        guard let a = args[arg: 0] else { return nil }
        return .number(a.asList.reduce(0) { $0 + ($1.asNumber ?? 0) })
    }
    b.add("count", "<a:n>") { args, _ throws(JSONataError) in
        guard let a = args[arg: 0] else { return .number(0) }
        return .number(Double(a.asList.count))
    }
    b.add("max", "<a<n>:n>") { args, _ throws(JSONataError) in
        guard let a = args[arg: 0], !a.asList.isEmpty else { return nil }
        return .number(a.asList.compactMap(\.asNumber).reduce(-Double.infinity) { Swift.max($0, $1) })
    }
    b.add("min", "<a<n>:n>") { args, _ throws(JSONataError) in
        guard let a = args[arg: 0], !a.asList.isEmpty else { return nil }
        return .number(a.asList.compactMap(\.asNumber).reduce(Double.infinity) { Swift.min($0, $1) })
    }
    b.add("average", "<a<n>:n>") { args, _ throws(JSONataError) in
        guard let a = args[arg: 0], !a.asList.isEmpty else { return nil }
        let items = a.asList
        return .number(items.reduce(0) { $0 + ($1.asNumber ?? 0) } / Double(items.count))
    }
}

// Boolean functions: $boolean, $not, $exists.
func registerBooleanFunctions(_ b: inout LibraryBuilder) {
    b.add("boolean", "<x-:b>") { args, _ throws(JSONataError) in booleanValue(args[arg: 0]).map(JValue.bool) }
    b.add("not", "<x-:b>") { args, _ throws(JSONataError) in booleanValue(args[arg: 0]).map { .bool(!$0) } }
    b.add("exists", "<x:b>") { args, _ throws(JSONataError) in .bool(args[arg: 0] != nil) }
}
