// Finding and killing server backends, to test what happens when a connection dies.
import BatonPostgres

extension TestDatabase {
    /// The PIDs of the backends connected to `database`, optionally only those whose `application_name`
    /// is `applicationName` or whose current query starts with `queryPrefix`. Excludes the asking connection.
    public static func backendPIDs(
        database: String, applicationName: String? = nil, queryPrefix: String? = nil
    ) async throws -> [Int32] {
        let admin = try await PostgresConnection.connect(serverConfiguration(), logger: logger)
        let rows: PostgresRows
        do {
            rows = try await admin.query(
                """
                SELECT pid FROM pg_stat_activity
                WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'
                  AND ($2::text IS NULL OR application_name = $2)
                  AND ($3::text IS NULL OR starts_with(query, $3))
                ORDER BY pid
                """, [database, applicationName, queryPrefix])
        } catch {
            await admin.close()
            throw error
        }
        await admin.close()
        return try rows.map { try $0.decode(0, as: Int32.self) }
    }

    /// Terminates backend `pid` with `pg_terminate_backend` and waits until it is gone.
    public static func terminateBackend(pid: Int32) async throws {
        let admin = try await PostgresConnection.connect(serverConfiguration(), logger: logger)
        do {
            let terminated = try await admin.query("SELECT pg_terminate_backend($1, 5000)", [pid]).first?
                .decode(0, as: Bool.self) ?? false
            guard terminated else {
                throw TestSupportError("pg_terminate_backend(\(pid)) did not terminate the backend")
            }
        } catch {
            await admin.close()
            throw error
        }
        await admin.close()
    }

    /// Terminates every backend connected to `database` with `application_name` = `applicationName`;
    /// returns the PIDs terminated.
    @discardableResult
    public static func terminateBackends(database: String, applicationName: String) async throws -> [Int32] {
        let pids = try await backendPIDs(database: database, applicationName: applicationName)
        for pid in pids { try await terminateBackend(pid: pid) }
        return pids
    }
}
