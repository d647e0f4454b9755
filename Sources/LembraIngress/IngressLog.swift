/// Where the ingress writes its events: the daemon's logfmt log. Fields carry ids only (debt,
/// txid, reference, reason), never a body, a name or a secret. `problem` marks a warning.
public typealias IngressLog = @Sendable (_ problem: Bool, _ event: String, _ fields: [(String, String)]) -> Void
