// The BatonQueue module. See Package.swift for what it holds.
