// Assembling the HTTP server: a Hummingbird application over APIResponder, run as a Service (it stops
// gracefully with the service group on SIGTERM), with a warning at start when authentication is off.
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `baton server`'s HTTP application.
public enum APIServer {
    /// The application serving `backend` with `configuration`. `onListening` is called with the bound port
    /// once the server accepts connections (useful with port 0).
    public static func application(
        configuration: ServerConfiguration, backend: any StepFunctionsBackend, logger: Logger,
        services: [any Service] = [], now: @escaping @Sendable () -> Date = Date.init,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> Application<APIResponder> {
        switch configuration.auth {
        case .none:
            logger.warning(
                "authentication is OFF (--auth none): anyone who can reach this port can run state machines; use only for local development")
        case .sigV4(let verifier):
            if verifier.credentials.count == 0 {
                logger.warning(
                    "no access keys are configured (BATON_ACCESS_KEY_ID/BATON_SECRET_ACCESS_KEY or --credentials-file): every API request will be refused")
            } else {
                logger.info("SigV4 authentication on", metadata: ["auth.access_key_ids": "\(verifier.credentials.accessKeyIds.joined(separator: ","))"])
            }
        }
        let responder = APIResponder(configuration: configuration, backend: backend, now: now)
        return Application(
            responder: responder,
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "Baton"),
            services: services,
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }
}
