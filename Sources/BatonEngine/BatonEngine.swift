// The BatonEngine module. See Package.swift for what it holds.
