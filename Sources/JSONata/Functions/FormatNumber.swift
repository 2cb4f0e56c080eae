// `$formatNumber` (XPath F&O 3.1 `format-number`): pictures with decimal and grouping separators,
// optional and mandatory digits, percent and per-mille, exponents, and a negative sub-picture.
func registerFormatNumber(_ b: inout LibraryBuilder) {
}
