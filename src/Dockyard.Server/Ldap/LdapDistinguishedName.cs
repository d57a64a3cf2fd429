using System.Text;

namespace Dockyard.Server.Ldap;

/// <summary>Comparing DNs as administrators type them and as servers return them.</summary>
internal static class LdapDistinguishedName
{
    /// <summary>
    /// A comparison key: RDNs split at unescaped commas, blanks around <c>,</c> <c>=</c> <c>+</c> removed, lower-cased.
    /// Attribute values in directories are almost always case-insensitive, and this is what makes
    /// <c>CN=Devs, OU=Groups,DC=corp</c> equal <c>cn=devs,ou=groups,dc=corp</c>.
    /// </summary>
    public static string Normalize(string dn)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < dn.Length; i++)
        {
            var c = dn[i];
            if (c == '\\' && i + 1 < dn.Length)
            {
                current.Append(c).Append(dn[++i]);
            }
            else if (c is ',' or ';')
            {
                parts.Add(NormalizeRdn(current.ToString()));
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        parts.Add(NormalizeRdn(current.ToString()));
        return string.Join(',', parts);
    }

    public static bool AreEqual(string a, string b) => string.Equals(Normalize(a), Normalize(b), StringComparison.Ordinal);

    private static string NormalizeRdn(string rdn) =>
        string.Join('+', rdn.Split('+').Select(pair =>
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            return equals < 0
                ? pair.Trim().ToLowerInvariant()
                : $"{pair[..equals].Trim().ToLowerInvariant()}={pair[(equals + 1)..].Trim().ToLowerInvariant()}";
        }));
}
