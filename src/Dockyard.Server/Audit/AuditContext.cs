using Dockyard.Server.Access;

namespace Dockyard.Server.Audit;

/// <summary>
/// Who is acting and from where, captured once per request: the principal (<c>HttpContext.User</c>), source address, user agent and request id. Outside a request (CLI, schedules) the actor is
/// <see cref="AuditActor.System"/>.
/// </summary>
internal sealed record AuditContext(AuditActor Actor, string? AuthMethod, string? SourceIp, string? UserAgent, string? RequestId)
{
    /// <summary>Longest user agent kept; the rest is cut.</summary>
    public const int MaxUserAgentLength = 512;

    public static readonly AuditContext System = new(AuditActor.System, null, null, null, null);

    public static AuditContext From(HttpContext context, TrustedProxies proxies)
    {
        var principal = context.GetPrincipal();
        var userAgent = context.Request.Headers.UserAgent.ToString();
        return new AuditContext(
            AuditActor.From(principal),
            principal.IsAuthenticated ? principal.AuthMethod : AuthMethods.Anonymous,
            proxies.ClientAddress(context)?.ToString(),
            userAgent.Length == 0 ? null : userAgent.Length > MaxUserAgentLength ? userAgent[..MaxUserAgentLength] : userAgent,
            context.TraceIdentifier);
    }
}
