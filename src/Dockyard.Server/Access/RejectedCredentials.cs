namespace Dockyard.Server.Access;

/// <summary>
/// A request feature: the credentials the request presented were refused, and why (for logs and audit). ASP.NET's
/// own authentication result feature is only set on success, so a refusal needs its own marker.
/// </summary>
internal sealed record RejectedCredentials(string Reason);
