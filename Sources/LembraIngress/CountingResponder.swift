import Hummingbird

/// Counts every answer by route and status code for `IngressMetrics`. It wraps the router, so
/// an answer no handler wrote (404 for an unknown path, 405 for a wrong method) is counted too.
struct CountingResponder<Wrapped: HTTPResponder>: HTTPResponder where Wrapped.Context == BasicRequestContext {
    /// The paths the ingress serves; any other is counted as `other`, so a scanner trying paths
    /// cannot add a time series per path.
    static var routes: Set<String> { ["/healthz", "/payments", "/pix", "/pix/pix", "/promise"] }

    let wrapped: Wrapped
    let metrics: any IngressMetrics

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let route = Self.routes.contains(request.uri.path) ? request.uri.path : "other"
        do {
            let response = try await wrapped.respond(to: request, context: context)
            metrics.ingressResponse(route: route, status: response.status.code)
            return response
        } catch let error as HTTPResponseError {
            metrics.ingressResponse(route: route, status: error.status.code)
            throw error
        } catch {
            // Hummingbird answers any other error with a 500.
            metrics.ingressResponse(route: route, status: 500)
            throw error
        }
    }
}
