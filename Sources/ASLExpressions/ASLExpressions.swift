// The ASLExpressions module. See Package.swift for what it holds.
