using System.Net;

namespace Dockyard.Server.Install;

/// <summary>Facts about the <c>urls</c> setting the unit depends on.</summary>
internal static class ListenUrls
{
    /// <summary>The URLs, parsed; throws <see cref="InstallException"/> for one that is not an absolute http(s) URL.</summary>
    public static IReadOnlyList<Uri> Parse(string urls) =>
        [.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(url =>
            // Kestrel's wildcard hosts (http://*:80, http://+:80) are not valid URI hosts; only the port matters here.
            Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                && uri.Scheme is "http" or "https"
                ? uri
                : throw new InstallException($"--urls: '{url}' is not an http:// or https:// URL."))];

    /// <summary>True when a URL's port is below 1024, which needs <c>CAP_NET_BIND_SERVICE</c> for a non-root user.</summary>
    public static bool NeedsPrivilegedPort(IReadOnlyList<Uri> urls) => urls.Any(u => u.Port < 1024);

    /// <summary>True when every URL is on a loopback address (no public URL needed then).</summary>
    public static bool LoopbackOnly(IReadOnlyList<Uri> urls) =>
        urls.All(u => u.Host == "localhost" || (IPAddress.TryParse(u.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)));
}
