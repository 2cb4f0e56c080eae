// The BatonServer module. See Package.swift for what it holds.
