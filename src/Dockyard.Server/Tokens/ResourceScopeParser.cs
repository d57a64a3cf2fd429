using System.Diagnostics.CodeAnalysis;
using Dockyard.Registry;

namespace Dockyard.Server.Tokens;

/// <summary>
/// Strict parser of scope strings: anything but a known resource type, a valid name and known actions is
/// rejected, never silently ignored, so a typo cannot turn into a broader or surprising grant. A repository name may
/// carry a registry host (<c>127.0.0.1:5000/team/app</c>, a notary GUN); the issuer decides whether that host is ours.
/// </summary>
internal static class ResourceScopeParser
{
    /// <summary>More scopes than this in one token request is refused (each one costs an authorization query).</summary>
    public const int MaxScopes = 32;

    private static readonly string[] RepositoryActionNames = ["pull", "push", "delete", ResourceScope.Wildcard];

    public static bool TryParse(string? value, [NotNullWhen(true)] out ResourceScope? scope)
    {
        scope = null;
        if (string.IsNullOrEmpty(value) || value.Length > 512)
        {
            return false;
        }

        var first = value.IndexOf(':', StringComparison.Ordinal);
        var last = value.LastIndexOf(':');
        if (first <= 0 || last == first)
        {
            return false;
        }

        var type = value[..first];
        var name = value[(first + 1)..last];
        var actionList = value[(last + 1)..];
        if (actionList.Length == 0)
        {
            return false;
        }

        var actions = actionList.Split(',');
        if (actions.Any(a => a.Length == 0))
        {
            return false;
        }

        switch (type)
        {
            case ResourceScope.RegistryType:
                if (name != ResourceScope.CatalogName || actions is not [ResourceScope.Wildcard])
                {
                    return false;
                }

                scope = ResourceScope.Catalog;
                return true;
            case ResourceScope.RepositoryType:
                if ((!RepositoryName.TryParse(name, out _) && !RegistryHostPrefix.TryParse(name, out _, out _)) || actions.Any(a => !RepositoryActionNames.Contains(a, StringComparer.Ordinal)))
                {
                    return false;
                }

                scope = new ResourceScope(type, name, [.. actions.Distinct(StringComparer.Ordinal)]);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Parses every <c>scope</c> value; a value may hold several scopes separated by spaces (the OAuth2 form).
    /// False when any of them is malformed or there are too many.
    /// </summary>
    public static bool TryParseAll(IEnumerable<string?> values, [NotNullWhen(true)] out IReadOnlyList<ResourceScope>? scopes)
    {
        var parsed = new List<ResourceScope>();
        scopes = null;
        foreach (var value in values)
        {
            foreach (var part in (value ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!TryParse(part, out var scope) || parsed.Count == MaxScopes)
                {
                    return false;
                }

                parsed.Add(scope);
            }
        }

        scopes = parsed;
        return true;
    }
}
