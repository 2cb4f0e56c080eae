// The BatonLocal module. See Package.swift for what it holds.
