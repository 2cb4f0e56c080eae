// Helpers shared by the integration test targets.
