using System.Text.RegularExpressions;

namespace Dockyard.Server.ServerStatus;

/// <summary>
/// Masks secrets in configuration shown to administrators. A key with a segment that names a password, secret,
/// token, key or credential (<c>Dockyard:Ldap:BindPassword</c>, <c>Dockyard:Storage:S3:SecretAccessKey</c>) shows
/// only that it is set; in any other value, a connection string's <c>Password=</c>/<c>Pwd=</c> and a URL's
/// <c>user:password@</c> are masked. Deliberately broad: a harmless setting masked costs less than a secret shown.
/// </summary>
internal static partial class ConfigurationMasker
{
    public const string Mask = "********";

    /// <summary>True when <paramref name="key"/> names a secret (any segment).</summary>
    public static bool IsSecretKey(string key) => SecretName().IsMatch(key);

    /// <summary>The value as shown, and whether anything was masked.</summary>
    public static (string Value, bool Masked) Apply(string key, string value)
    {
        if (IsSecretKey(key))
        {
            return (value.Length == 0 ? string.Empty : Mask, value.Length > 0);
        }

        var masked = ConnectionStringPassword().Replace(value, m => m.Groups["name"].Value + "=" + Mask);
        masked = UrlPassword().Replace(masked, m => m.Groups["prefix"].Value + ":" + Mask + "@");
        return (masked, !string.Equals(masked, value, StringComparison.Ordinal));
    }

    [GeneratedRegex("password|passwd|pwd|secret|token|key|credential", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();

    // Quoted values may hold ';' (Npgsql, SQLite): a quoted value ends at its closing quote, a plain one at ';'.
    [GeneratedRegex("""(?<name>\b(?:password|pwd))\s*=\s*(?:"(?:[^"]|"")*"|'(?:[^']|'')*'|[^;]*)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionStringPassword();

    [GeneratedRegex("""(?<prefix>\b[a-z][a-z0-9+.-]*://[^/\s:@]*):[^@/\s]*@""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPassword();
}
