using System.Net;
using Dockyard.Server.Access;

namespace Dockyard.Server.Observability;

/// <summary>
/// Decides whether a request may read <c>/metrics</c> under <see cref="MetricsAccess"/> and answers a refusal itself
/// (401 with the Basic challenge, or 403, as plain text). The loopback rule reads the connection's remote address:
/// a forwarding header is whatever the client wrote, so it never counts.
/// </summary>
internal static class MetricsAccessGate
{
    /// <summary>True when the request may go on to the exporter; false when a refusal has been written.</summary>
    public static async Task<bool> AdmitAsync(HttpContext context, MetricsAccess access)
    {
        switch (access)
        {
            case MetricsAccess.Anyone:
                return true;
            case MetricsAccess.Loopback when IsLoopback(context.Connection.RemoteIpAddress):
                return true;
            case MetricsAccess.Loopback:
                await RefuseAsync(context, StatusCodes.Status403Forbidden, "Metrics are served to loopback connections only (Dockyard:Metrics:Access is Loopback).");
                return false;
            default:
                var principal = context.GetPrincipal();
                if (context.PresentedBadCredentials() || !principal.IsAuthenticated)
                {
                    context.Response.Headers.WWWAuthenticate = "Basic realm=\"dockyard\", charset=\"UTF-8\"";
                    await RefuseAsync(context, StatusCodes.Status401Unauthorized, "Metrics need a system administrator's credentials (Basic) or access token (Bearer).");
                    return false;
                }

                var authorizer = context.RequestServices.GetRequiredService<AccessAuthorizer>();
                if (!await authorizer.IsSystemAdministratorAsync(principal, context.RequestAborted))
                {
                    await RefuseAsync(context, StatusCodes.Status403Forbidden, "Only system administrators may read metrics.");
                    return false;
                }

                return true;
        }
    }

    /// <summary>127.0.0.0/8 and ::1, also written as IPv4-mapped IPv6 (a dual-stack socket's view). No address (a Unix socket) is not loopback.</summary>
    public static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    private static Task RefuseAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }
}
