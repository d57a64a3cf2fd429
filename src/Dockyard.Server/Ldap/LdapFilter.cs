using System.Globalization;
using System.Text;

namespace Dockyard.Server.Ldap;

/// <summary>Building search filters from untrusted values (RFC 4515).</summary>
internal static class LdapFilter
{
    /// <summary>
    /// Escapes a value for use inside a filter: <c>* ( ) \ NUL</c> as RFC 4515 requires, and also every byte of
    /// the UTF-8 encoding outside printable ASCII, so no control character or multi-byte sequence reaches the
    /// server unescaped. The result can only ever match the value literally.
    /// </summary>
    public static string EscapeValue(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is < 0x20 or > 0x7e or (byte)'*' or (byte)'(' or (byte)')' or (byte)'\\')
            {
                builder.Append('\\').Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append((char)b);
            }
        }

        return builder.ToString();
    }

    /// <summary>Replaces every <c>{0}</c> in <paramref name="template"/> with the escaped <paramref name="value"/>.</summary>
    public static string Format(string template, string value) =>
        template.Replace("{0}", EscapeValue(value), StringComparison.Ordinal);

    /// <summary><c>(&amp;filter(attribute=value))</c> with the value escaped.</summary>
    public static string AndEquals(string filter, string attribute, string value)
    {
        var inner = filter.StartsWith('(') ? filter : $"({filter})";
        return $"(&{inner}({attribute}={EscapeValue(value)}))";
    }
}
