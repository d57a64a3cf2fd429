namespace Dockyard.Server.Addressing;

/// <summary>
/// Whether a request's <c>Origin</c> header names this server. A WebSocket handshake is not covered by the same-origin
/// policy, and a browser attaches the site's cookie or cached Basic credentials to one opened by any page, so each
/// terminal socket refuses (403) an <c>Origin</c> that is not Dockyard's own.
/// </summary>
internal static class OwnOrigin
{
    /// <summary>
    /// The Origin header is present and names this server: the request's own scheme and host, or the configured
    /// public URL (<see cref="PublicUrl"/>).
    /// </summary>
    public static bool IsOwn(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || !Uri.TryCreate(origin, UriKind.Absolute, out var originUri))
        {
            return false;
        }

        var request = context.Request;
        if (string.Equals(originUri.GetLeftPart(UriPartial.Authority), $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return context.RequestServices.GetRequiredService<PublicUrl>().Url is { } publicUrl
            && string.Equals(originUri.GetLeftPart(UriPartial.Authority), publicUrl.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>No Origin header (a client that is not a browser page), or this server's own.</summary>
    public static bool IsAbsentOrOwn(HttpContext context) =>
        context.Request.Headers.Origin.Count == 0 || IsOwn(context);
}
