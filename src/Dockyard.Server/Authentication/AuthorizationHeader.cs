using System.Text;

namespace Dockyard.Server.Authentication;

/// <summary>
/// The <c>Authorization</c> header's credentials, <c>&lt;scheme&gt; &lt;parameter&gt;</c> (scheme in any case,
/// whitespace around the parameter ignored), read the way <c>AuthenticationHeaderValue</c> reads them but by hand: one
/// grammar for <c>/v2</c> (on every registry request, so without that parser's allocations), <c>/api/v1</c> and
/// <c>/auth/token</c>.
/// </summary>
internal static class AuthorizationHeader
{
    /// <summary>The token of <c>Bearer &lt;token&gt;</c>; null for another scheme or no token.</summary>
    public static string? Bearer(string header) =>
        Parameter(header, "Bearer") is { IsEmpty: false } token ? token.ToString() : null;

    /// <summary>
    /// The username and password of <c>Basic base64(username:password)</c>; false for another scheme, bad base64, or
    /// no colon after a non-empty username.
    /// </summary>
    public static bool TryBasic(string header, out string username, out string password)
    {
        username = password = string.Empty;
        var parameter = Parameter(header, "Basic");
        if (parameter.IsEmpty)
        {
            return false;
        }

        // TryFromBase64Chars rather than FromBase64String: a flood of garbage headers costs no exceptions.
        var bytes = new byte[((parameter.Length + 3) / 4) * 3];
        if (!Convert.TryFromBase64Chars(parameter, bytes, out var written))
        {
            return false;
        }

        var decoded = Encoding.UTF8.GetString(bytes, 0, written);
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        username = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }

    /// <summary>The parameter after <paramref name="scheme"/> and whitespace, trimmed; empty when the scheme differs.</summary>
    private static ReadOnlySpan<char> Parameter(string header, string scheme)
    {
        var value = header.AsSpan().Trim();
        if (value.Length <= scheme.Length || !value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || !char.IsWhiteSpace(value[scheme.Length]))
        {
            return [];
        }

        return value[scheme.Length..].Trim();
    }
}
