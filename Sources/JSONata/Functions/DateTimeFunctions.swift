// Date and time functions: $now, $millis, $fromMillis, $toMillis. The current time comes from the
// evaluation's environment, never the clock.

func registerDateTimeFunctions(_ b: inout LibraryBuilder) {
    b.add("millis", "<:n>") { _, ctx throws(JSONataError) in
        .number((ctx.evaluator.environment.now.timeIntervalSince1970 * 1000).rounded(.down))
    }
    b.add("now", "<s?s?:s>") { args, ctx throws(JSONataError) in
        let millis = (ctx.evaluator.environment.now.timeIntervalSince1970 * 1000).rounded(.down)
        return .string(try formatDateTime(millis, picture: args[arg: 0]?.asString, timezone: args[arg: 1]?.asString))
    }
    b.add("fromMillis", "<n-s?s?:s>") { args, _ throws(JSONataError) in
        guard let millis = args[arg: 0]?.asNumber else { return nil }
        return .string(try formatDateTime(millis, picture: args[arg: 1]?.asString, timezone: args[arg: 2]?.asString))
    }
    b.add("toMillis", "<s-s?:n>") { args, ctx throws(JSONataError) in
        guard let s = args[arg: 0]?.asString else { return nil }
        if let picture = args[arg: 1]?.asString {
            return try parseDateTime(s, picture: picture, now: ctx.evaluator.environment.now).map(JValue.number)
        }
        guard let m = parseISO8601(s) else { throw jerr("D3110", .string(s)) }
        return .number(m)
    }
}
