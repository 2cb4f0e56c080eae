// The ASLDocument module. See Package.swift for what it holds.
