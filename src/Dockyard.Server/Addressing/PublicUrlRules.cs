using System.Net;

namespace Dockyard.Server.Addressing;

/// <summary>
/// The rules for <see cref="PublicUrlOptions"/>. The public URL is an absolute http(s) URL without credentials, path,
/// query or fragment. Unset, it is derived from the listen URLs when they are all loopback (only local clients, who
/// use that address); a server listening on any other address must be told its public URL, because the only other
/// source, the request's Host header, is chosen by the client.
/// </summary>
internal static class PublicUrlRules
{
    /// <summary>Host names always accepted besides the public URL's: they can only name this machine.</summary>
    public static readonly IReadOnlyList<string> LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>Why the options cannot work; null when they can.</summary>
    public static string? Error(PublicUrlOptions options)
    {
        if (options.Configured is { Length: > 0 } configured)
        {
            return TryParse(configured, out _)
                ? null
                : $"{PublicUrlOptions.Key} must be an absolute http:// or https:// URL without credentials, path, query or fragment (e.g. https://registry.example.com); got '{configured}'.";
        }

        var exposed = options.ListenUrls.Where(url => !IsLoopback(url)).ToList();
        return exposed.Count == 0
            ? null
            : $"{PublicUrlOptions.Key} is required when listening on non-loopback addresses ({string.Join(", ", exposed)}): set it to the URL clients use, e.g. https://registry.example.com.";
    }

    public static bool TryParse(string value, out Uri url)
    {
        url = null!;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            || parsed.UserInfo.Length > 0 || parsed.AbsolutePath != "/" || parsed.Query.Length > 0 || parsed.Fragment.Length > 0)
        {
            return false;
        }

        url = new Uri(parsed.GetLeftPart(UriPartial.Authority));
        return true;
    }

    /// <summary>Whether a listen URL binds only this machine (<c>localhost</c>, 127.0.0.0/8, ::1); <c>*</c>, <c>+</c>, 0.0.0.0 and names do not.</summary>
    public static bool IsLoopback(string listenUrl)
    {
        var start = listenUrl.IndexOf("://", StringComparison.Ordinal);
        var rest = start < 0 ? listenUrl : listenUrl[(start + 3)..];
        var end = rest.StartsWith('[') ? rest.IndexOf(']', StringComparison.Ordinal) + 1 : rest.IndexOfAny([':', '/']);
        var host = end <= 0 ? rest : rest[..end];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>The hosts host filtering admits: <c>AllowedHosts</c> when set, else the public URL's host and <see cref="LoopbackHosts"/>.</summary>
    public static IReadOnlyList<string> AllowedHosts(PublicUrlOptions options)
    {
        if (options.AllowedHosts is { Length: > 0 } configured)
        {
            return configured.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        }

        var hosts = new List<string>(LoopbackHosts);
        if (options.Configured is { } configuredUrl && TryParse(configuredUrl, out var url) && !hosts.Contains(url.Host, StringComparer.OrdinalIgnoreCase))
        {
            hosts.Add(url.Host);
        }

        return hosts;
    }
}
