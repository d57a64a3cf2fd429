using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Dockyard.Registry;

/// <summary>
/// A repository name, validated against the distribution spec's grammar:
/// <c>[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*</c>, at most 255 characters.
/// The grammar rules out <c>..</c>, uppercase, empty components and leading or trailing separators,
/// so a valid name is also a safe relative storage path.
/// </summary>
public readonly partial record struct RepositoryName
{
    /// <summary>Clients limit host + "/" + name to 255 characters; we hold the name alone to that bound.</summary>
    public const int MaxLength = 255;

    private RepositoryName(string value) => Value = value;

    public string Value { get; }

    /// <summary>The first path component: the user or organization that owns the repository.</summary>
    public string Namespace => Value.IndexOf('/') is var i and > 0 ? Value[..i] : Value;

    public override string ToString() => Value ?? string.Empty;

    public static bool TryParse([NotNullWhen(true)] string? value, out RepositoryName name)
    {
        name = default;
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength || !Grammar().IsMatch(value))
        {
            return false;
        }

        name = new RepositoryName(value);
        return true;
    }

    public static RepositoryName Parse(string value) =>
        TryParse(value, out var name) ? name : throw new FormatException($"'{value}' is not a valid repository name.");

    // \z, not $: $ also matches before a trailing "\n", which would let "name\n" through.
    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
