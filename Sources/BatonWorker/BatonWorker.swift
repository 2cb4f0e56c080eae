// The BatonWorker module. See Package.swift for what it holds.
