using System.Globalization;
using Dockyard.Server.Audit;

namespace Dockyard.Server.Ui.Admin;

/// <summary>
/// The audit page's filters as GET query parameters (<c>from</c>, <c>to</c>, <c>actor</c>, <c>action</c>,
/// <c>repository</c>, <c>outcome</c>, <c>hideSignIns</c>), shared by the page and its export download so both mean
/// the same entries.
/// Times are UTC <c>yyyy-MM-ddTHH:mm</c> (what <c>datetime-local</c> inputs send) or any ISO 8601 time.
/// </summary>
internal sealed record AuditQuery(string? From, string? To, string? Actor, string? Action, string? Repository, string? Outcome, bool HideSignIns = false)
{
    public const string HideSignInsName = "hideSignIns";

    public static AuditQuery Of(IQueryCollection query) =>
        new(Value(query, "from"), Value(query, "to"), Value(query, "actor"), Value(query, "action"), Value(query, "repository"), Value(query, "outcome"), Flag(query, HideSignInsName));

    /// <summary>The filter, or null with a message when a time does not parse.</summary>
    public (AuditFilter? Filter, string? Error) ToFilter(IReadOnlyList<string>? organizations)
    {
        if (!TryTime(From, out var from))
        {
            return (null, "from: not a time (use yyyy-MM-ddTHH:mm, UTC).");
        }

        if (!TryTime(To, out var to))
        {
            return (null, "to: not a time (use yyyy-MM-ddTHH:mm, UTC).");
        }

        return (new AuditFilter { From = from, To = to, Actor = Actor, Action = Action, Repository = Repository, Outcome = Outcome, HideSignIns = HideSignIns, Organizations = organizations }, null);
    }

    /// <summary>The non-empty filters as a query string (no leading <c>?</c>), plus <paramref name="extra"/>.</summary>
    public string ToQueryString(params (string Name, string Value)[] extra)
    {
        var parts = new List<string>();
        foreach (var (name, value) in new[] { ("from", From), ("to", To), ("actor", Actor), ("action", Action), ("repository", Repository), ("outcome", Outcome) })
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        if (HideSignIns)
        {
            parts.Add($"{HideSignInsName}=true");
        }

        parts.AddRange(extra.Select(e => $"{e.Name}={Uri.EscapeDataString(e.Value)}"));
        return string.Join('&', parts);
    }

    private static string? Value(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.ToString().Trim() is { Length: > 0 and <= 256 } value ? value : null;

    /// <summary>A checkbox: present as <c>true</c> (or <c>on</c>, <c>1</c>) means set.</summary>
    private static bool Flag(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.ToString().Trim().ToLowerInvariant() is "true" or "on" or "1";

    private static bool TryTime(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (text is null)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }

        return false;
    }
}
