using Dockyard.Server.Access;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Trust.Policies;

/// <summary>
/// The principal kinds a pull rule names: <see cref="PrincipalKind"/> names in the API (<c>ServiceAccount</c>;
/// case-insensitive, <c>service_account</c> as tokens spell it accepted too), stored lowercase and comma separated.
/// </summary>
internal static class TrustPrincipalKinds
{
    /// <summary>The kinds a rule may name (<see cref="PrincipalKind.System"/> is Dockyard itself, never a puller).</summary>
    public static IReadOnlyList<PrincipalKind> Choices { get; } = [PrincipalKind.Anonymous, PrincipalKind.User, PrincipalKind.ServiceAccount];

    /// <summary>The set named by <paramref name="names"/> (null or empty: every caller); throws invalid naming the unknown one.</summary>
    public static IReadOnlySet<PrincipalKind>? Parse(IReadOnlyList<string>? names)
    {
        if (names is null || names.Count == 0)
        {
            return null;
        }

        var kinds = new HashSet<PrincipalKind>();
        foreach (var name in names)
        {
            var normalized = (name ?? string.Empty).Replace("_", string.Empty, StringComparison.Ordinal).Trim();
            if (!Enum.TryParse<PrincipalKind>(normalized, ignoreCase: true, out var kind) || !Choices.Contains(kind) || int.TryParse(normalized, out _))
            {
                throw DomainException.Invalid("pullPrincipalKinds", $"'{name}' is not a principal kind: use {string.Join(", ", Choices)}.");
            }

            kinds.Add(kind);
        }

        return kinds;
    }

    /// <summary>The column value: lowercase names in enum order, or null for every caller.</summary>
    public static string? Format(IReadOnlySet<PrincipalKind>? kinds) =>
        kinds is null ? null : string.Join(',', Choices.Where(kinds.Contains).Select(k => k.ToString().ToLowerInvariant()));

    /// <summary>Reads the column; an unknown stored name is ignored (it can only have been written by a later version).</summary>
    public static IReadOnlySet<PrincipalKind>? Read(string? column) =>
        string.IsNullOrEmpty(column)
            ? null
            : column.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(n => Enum.TryParse<PrincipalKind>(n, ignoreCase: true, out var kind) ? kind : (PrincipalKind?)null)
                .Where(k => k is not null).Select(k => k!.Value).ToHashSet();

    /// <summary>The API's names (<c>ServiceAccount</c>), or null for every caller.</summary>
    public static IReadOnlyList<string>? Names(IReadOnlySet<PrincipalKind>? kinds) =>
        kinds is null ? null : [.. Choices.Where(kinds.Contains).Select(k => k.ToString())];
}
