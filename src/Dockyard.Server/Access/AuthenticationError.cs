using System.Runtime.ExceptionServices;

namespace Dockyard.Server.Access;

/// <summary>
/// A request feature: authenticating the request failed unexpectedly (the database or the directory broke, not the
/// credentials). The authentication handler runs before any surface's error translator, so it parks the failure here
/// and each surface rethrows it inside its own translator (<see cref="HttpContextPrincipal.ThrowIfAuthenticationFailed"/>):
/// an OCI <c>UNKNOWN</c> on <c>/v2</c>, a 500 ProblemDetails on <c>/api/v1</c>, the error page in the UI.
/// </summary>
internal sealed record AuthenticationError(ExceptionDispatchInfo Error);
