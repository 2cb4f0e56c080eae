// The BatonSchema module. See Package.swift for what it holds.
