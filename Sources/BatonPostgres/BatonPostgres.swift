// The BatonPostgres module. See Package.swift for what it holds.
