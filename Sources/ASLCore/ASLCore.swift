// The ASLCore module. See Package.swift for what it holds.
