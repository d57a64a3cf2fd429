namespace Dockyard.Server.Access;

/// <summary>
/// A request feature: the credentials the request presented were refused, and why (for logs and audit). ASP.NET's
/// own authentication result feature is only set on success, so a refusal needs its own marker.
/// </summary>
/// <param name="Reason">Why, for logs and audit.</param>
/// <param name="RetryAfter">Set when the credentials were not checked because the source address is throttled.</param>
internal sealed record RejectedCredentials(string Reason, TimeSpan? RetryAfter = null);
