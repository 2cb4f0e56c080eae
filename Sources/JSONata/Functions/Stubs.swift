import Foundation
func formatDateTime(_ millis: Double, picture: String?, timezone: String?) throws(JSONataError) -> String { "" }
func parseDateTime(_ s: String, picture: String, now: Date) throws(JSONataError) -> Double? { nil }
func parseISO8601(_ s: String) -> Double? { nil }
func registerFormatFunctions(_ b: inout LibraryBuilder) {}
