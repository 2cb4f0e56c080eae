// The ASLChoice module. See Package.swift for what it holds.
