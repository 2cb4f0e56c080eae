// Pipeline mode: several statements sent in one round trip. libpq queues each statement's Bind/Execute,
// one Sync ends the batch, and the results are read back in order. Up to the Sync the statements form one
// implicit transaction, so the first failure aborts the rest (they report PGRES_PIPELINE_ABORTED).
// The connection stays in blocking mode, which is safe for the small batches Baton sends; very large
// batches could fill both socket buffers and would need non-blocking mode with interleaved reads.
import CLibPQ

extension LibPQConnection {
    /// Sends all statements in one round trip with libpq's pipeline mode. They run in one implicit
    /// transaction (unless they contain their own BEGIN/COMMIT): the first failure aborts the rest.
    func pipeline(_ statements: [PostgresStatement]) -> Result<[PostgresRows], PostgresError> {
        guard let conn = rawConnection else { return .failure(.closed()) }
        // Everything that can fail before sending is checked first, so a pipeline is never left half sent:
        // parameters are laid out (NUL check) and named statements prepared (a round trip the first time only).
        for statement in statements {
            let outcome = withParameterArrays(statement.parameters, statementName: statement.statementName) {
                count, types, _, _, _ -> Result<Void, PostgresError> in
                guard let name = statement.statementName else { return .success(()) }
                return ensurePrepared(name, sql: statement.sql, parameterCount: count, types: types)
            }
            if case .failure(let error) = outcome { return .failure(error) }
        }
        guard PQenterPipelineMode(conn) == 1 else { return .failure(connectionError()) }
        defer { PQexitPipelineMode(conn) }
        for statement in statements {
            let sent = withParameterArrays(statement.parameters, statementName: statement.statementName) {
                count, types, values, lengths, formats -> Result<Void, PostgresError> in
                let ok: Int32
                if let name = statement.statementName {
                    ok = PQsendQueryPrepared(conn, name, count, values, lengths, formats, 0)
                } else {
                    ok = PQsendQueryParams(conn, statement.sql, count, types, values, lengths, formats, 0)
                }
                return ok == 1 ? .success(()) : .failure(connectionError())
            }
            if case .failure(let error) = sent {
                // Part of the batch is on its way and the session's state is unknown: never reuse it.
                broken.withLock { $0 = true }
                return .failure(error)
            }
        }
        guard PQpipelineSync(conn) == 1 else { return .failure(connectionError()) }
        var results: [PostgresRows] = []
        var firstError: PostgresError?
        for statement in statements {
            guard let result = PQgetResult(conn) else {
                broken.withLock { $0 = true }
                return .failure(firstError ?? connectionError())
            }
            if PQresultStatus(result) == PGRES_PIPELINE_ABORTED {
                PQclear(result)
            } else {
                switch rows(from: result, statementName: statement.statementName) {
                case .success(let rows): results.append(rows)
                case .failure(let error): if firstError == nil { firstError = error }
                }
            }
            while let extra = PQgetResult(conn) { PQclear(extra) }  // the nil that ends this statement's results
        }
        // The PGRES_PIPELINE_SYNC result that ends the batch.
        while let result = PQgetResult(conn) {
            let status = PQresultStatus(result)
            PQclear(result)
            if status == PGRES_PIPELINE_SYNC { break }
        }
        if let firstError { return .failure(firstError) }
        return .success(results)
    }
}
