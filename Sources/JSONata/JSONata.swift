// The JSONata module. See Package.swift for what it holds.
