using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Dockyard.Server.Access.Collections;

/// <summary>
/// Where a control-plane resource lives: an absolute path such as <c>/orgs/acme/payments</c> (UCP 2.2+ collections).
/// Grants on a collection reach everything below it, never above or beside it. Components are
/// <c>[A-Za-z0-9][A-Za-z0-9._-]*</c> (at most 64 characters); <c>/</c> is the root; paths compare ordinally.
/// </summary>
internal sealed partial record CollectionPath
{
    public const int MaxLength = 255;

    public static readonly CollectionPath Root = new("/");

    private CollectionPath(string value) => Value = value;

    public string Value { get; }

    public bool IsRoot => Value.Length == 1;

    /// <summary>The enclosing collection, or null for the root.</summary>
    public CollectionPath? Parent => IsRoot ? null : new(Value.LastIndexOf('/') is var i and > 0 ? Value[..i] : "/");

    /// <summary>This collection, then each ancestor up to and including the root.</summary>
    public IEnumerable<CollectionPath> SelfAndAncestors()
    {
        for (var path = this; path is not null; path = path.Parent)
        {
            yield return path;
        }
    }

    /// <summary>True when this collection is <paramref name="ancestor"/> or nested (at any depth) inside it.</summary>
    public bool IsWithin(CollectionPath ancestor) =>
        ancestor.IsRoot
        || Value == ancestor.Value
        || (Value.StartsWith(ancestor.Value, StringComparison.Ordinal) && Value[ancestor.Value.Length] == '/');

    public static CollectionPath Parse(string value) =>
        TryParse(value, out var path) ? path : throw new FormatException($"'{value}' is not a collection path such as /orgs/acme/payments.");

    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out CollectionPath? path)
    {
        path = null;
        if (value is null || value.Length > MaxLength || !Grammar().IsMatch(value))
        {
            return false;
        }

        path = value == "/" ? Root : new CollectionPath(value);
        return true;
    }

    public override string ToString() => Value;

    [GeneratedRegex(@"^(/|(/[A-Za-z0-9][A-Za-z0-9._-]{0,63})+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
