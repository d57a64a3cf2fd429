using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Dockyard.Registry;

namespace Dockyard.Server.Tokens;

/// <summary>
/// Repository names prefixed by a registry host, <c>host[:port]/repository</c>: how a notary server names a trust
/// collection (its GUN), e.g. <c>127.0.0.1:5000/team/app</c>, and so what the docker CLI asks the token server for
/// when notary-server challenges it. The host is the first component when it looks like one to docker (it holds a
/// <c>.</c> or a <c>:</c>, is <c>localhost</c>, or is a bracketed IPv6 address); hosts compare case-insensitively,
/// ports exactly.
/// </summary>
internal static class RegistryHostPrefix
{
    /// <summary>Splits <paramref name="name"/> into a host and a valid repository name; false when it has no host prefix or the rest is not a repository name.</summary>
    public static bool TryParse(string name, [NotNullWhen(true)] out string? host, out RepositoryName repository)
    {
        host = null;
        repository = default;
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !TryParseAuthority(name[..slash], out _, out _) || !RepositoryName.TryParse(name[(slash + 1)..], out repository))
        {
            return false;
        }

        host = name[..slash];
        return true;
    }

    /// <summary>Whether <paramref name="host"/> (<c>host[:port]</c>) is one of <paramref name="authorities"/> (each <c>host[:port]</c>).</summary>
    public static bool IsOneOf(string host, IEnumerable<string?> authorities)
    {
        if (!TryParseAuthority(host, out var hostName, out var port))
        {
            return false;
        }

        foreach (var authority in authorities)
        {
            if (authority is { Length: > 0 } && TryParseAuthority(authority, out var otherName, out var otherPort, requireHostLike: false)
                && port == otherPort && string.Equals(hostName, otherName, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>name[:port]</c> or <c>[ipv6][:port]</c>. With <paramref name="requireHostLike"/>, a plain name counts only if
    /// docker would read it as a host (a dot, a port, or <c>localhost</c>), else it is a repository's first component.
    /// </summary>
    private static bool TryParseAuthority(string value, out string hostName, out int? port, bool requireHostLike = true)
    {
        hostName = string.Empty;
        port = null;
        string rest;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !IPAddress.TryParse(value[1..close], out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            hostName = address.ToString();
            rest = value[(close + 1)..];
        }
        else
        {
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            hostName = colon < 0 ? value : value[..colon];
            rest = colon < 0 ? string.Empty : value[colon..];
            if (hostName.Length is 0 or > 253 || !hostName.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-')
                || hostName.StartsWith('.') || hostName.EndsWith('.') || hostName.Contains("..", StringComparison.Ordinal))
            {
                return false;
            }

            if (requireHostLike && rest.Length == 0 && !hostName.Contains('.', StringComparison.Ordinal)
                && !hostName.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        if (rest.Length == 0)
        {
            return true;
        }

        if (rest[0] != ':' || rest.Length is < 2 or > 6 || !rest[1..].All(char.IsAsciiDigit)
            || !int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            return false;
        }

        port = number;
        return true;
    }
}
