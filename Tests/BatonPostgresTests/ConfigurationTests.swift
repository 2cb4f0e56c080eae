import BatonPostgres
import Testing

/// Parsing URLs and conninfo strings, redaction, and the environment. No server needed.
@Suite struct ConfigurationTests {
    @Test func parsesAURLIntoLibpqKeywords() throws {
        let configuration = try PostgresConfiguration(url: "postgresql://alice:s%40cret@db.example:6543/baton?sslmode=disable&application_name=w1")
        #expect(configuration.user == "alice")
        #expect(configuration["password"] == "s@cret")
        #expect(configuration.host == "db.example")
        #expect(configuration.port == 6543)
        #expect(configuration.database == "baton")
        #expect(configuration["sslmode"] == "disable")
        #expect(configuration["application_name"] == "w1")
    }

    @Test func parsesAConninfoString() throws {
        let configuration = try PostgresConfiguration(url: "host=/tmp port=5433 dbname=x user=bob password='p w'")
        #expect(configuration.host == "/tmp")
        #expect(configuration.port == 5433)
        #expect(configuration["password"] == "p w")
        #expect(!configuration.redactedDescription.contains("p w"))
        #expect(configuration.redactedDescription == "postgresql://bob:***@/x?host=/tmp&port=5433")
    }

    @Test func redactsThePassword() throws {
        let configuration = try PostgresConfiguration(url: "postgres://alice:hunter2@localhost:5432/db")
        #expect(configuration.redactedDescription == "postgresql://alice:***@localhost:5432/db")
        #expect("\(configuration)" == configuration.redactedDescription)
        #expect(!String(reflecting: configuration).contains("hunter2"))
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains("hunter2"))
    }

    @Test func withDatabaseKeepsEverythingElse() throws {
        let configuration = try PostgresConfiguration(url: "postgresql://u:pw@h:1/a?sslmode=disable").withDatabase("b")
        #expect(configuration.database == "b")
        #expect(configuration.host == "h")
        #expect(configuration["sslmode"] == "disable")
    }

    @Test(arguments: [
        "mysql://root:topsecret@localhost/db",
        "postgresql://root:topsecret@localhost:notaport/db",
        "postgresql://root:topsecret@localhost/db?nonsense_option=1",
        "host=localhost password=topsecret bogus",
    ])
    func aBadURLIsOneClearLineWithoutThePassword(url: String) throws {
        let error = try #require(throws: PostgresError.self) { try PostgresConfiguration(url: url) }
        #expect(error.kind == .invalidConfiguration)
        #expect(!error.description.contains("topsecret"))
        #expect(!error.description.contains("\n"))
        #expect(error.description.contains("invalid database URL"))
    }

    @Test func environmentPrefersDatabaseURL() throws {
        let fromURL = try PostgresConfiguration.fromEnvironment(["DATABASE_URL": "postgresql://u@h/d", "PGHOST": "other"])
        #expect(fromURL.host == "h")
        let fromPG = try PostgresConfiguration.fromEnvironment(["PGHOST": "pghost", "PGPORT": "7000", "PGDATABASE": "pgdb", "PGPASSWORD": "x"])
        #expect(fromPG.host == "pghost")
        #expect(fromPG.port == 7000)
        #expect(fromPG.database == "pgdb")
        #expect(fromPG.redactedDescription == "postgresql://:***@pghost:7000/pgdb")
        let empty = try PostgresConfiguration.fromEnvironment([:])
        #expect(empty.parameters.isEmpty)
    }
}
