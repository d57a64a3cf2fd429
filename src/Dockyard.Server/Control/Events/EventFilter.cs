using System.Globalization;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Control.Events;

/// <summary>
/// What to search for: a time range (<c>since</c>/<c>until</c>: RFC 3339 or unix seconds, inclusive), exact
/// type/action/node/user/stack, an actor by id or name, and a page (<see cref="Limit"/> newest first, older than the
/// <see cref="Before"/> cursor of the previous page).
/// </summary>
internal sealed record EventFilter
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    public long? SinceNano { get; init; }

    public long? UntilNano { get; init; }

    public string? Type { get; init; }

    public string? Action { get; init; }

    public string? Node { get; init; }

    public string? Actor { get; init; }

    public string? User { get; init; }

    /// <summary>Events of this stack's objects (<see cref="StoredEvent.Stack"/>).</summary>
    public string? Stack { get; init; }

    public int Limit { get; init; } = DefaultLimit;

    public (long TimeNano, long Id)? Before { get; init; }

    public static EventFilter Parse(string? since, string? until, string? type, string? action, string? node, string? actor, string? user, int? limit, string? before, string? stack = null) => new()
    {
        SinceNano = Time("since", since),
        UntilNano = Time("until", until),
        Type = Blank(type),
        Action = Blank(action),
        Node = Blank(node),
        Actor = Blank(actor),
        User = Blank(user),
        Stack = Blank(stack),
        Limit = limit is null ? DefaultLimit : limit is >= 1 and <= MaxLimit ? limit.Value : throw DomainException.Invalid("limit", $"limit must be between 1 and {MaxLimit}."),
        Before = Cursor(before),
    };

    /// <summary>The cursor of the page after the one ending with (<paramref name="timeNano"/>, <paramref name="id"/>).</summary>
    public static string CursorOf(long timeNano, long id) => string.Create(CultureInfo.InvariantCulture, $"{timeNano}_{id}");

    /// <summary>The filter applied to one live event (everything but the page).</summary>
    public bool Matches(StoredEvent e) =>
        (SinceNano is not { } since || e.TimeNano >= since)
        && (UntilNano is not { } until || e.TimeNano <= until)
        && (Type is null || e.Type == Type)
        && (Action is null || e.Action == Action)
        && (Node is null || e.NodeId == Node)
        && (Actor is null || e.ActorId == Actor || e.ActorName == Actor)
        && (User is null || e.UserName == User)
        && (Stack is null || e.Stack == Stack);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static long? Time(string field, string? value)
    {
        if (Blank(value) is not { } text)
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return (long)(seconds * 1_000_000_000m);
        }

        // RFC 3339 with up to nine decimals (the times this API returns); .NET parses at most seven.
        var nanos = 0L;
        var match = System.Text.RegularExpressions.Regex.Match(text, @"^(.+T\d\d:\d\d:\d\d)\.(\d{1,9})(Z|[+-]\d\d:\d\d)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        if (match.Success)
        {
            nanos = long.Parse(match.Groups[2].Value.PadRight(9, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
            text = match.Groups[1].Value + match.Groups[3].Value;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return ((time - DateTimeOffset.UnixEpoch).Ticks * 100) + nanos;
        }

        throw DomainException.Invalid(field, $"{field} must be an RFC 3339 time or unix seconds.");
    }

    private static (long, long)? Cursor(string? value)
    {
        if (Blank(value) is not { } text)
        {
            return null;
        }

        var parts = text.Split('_');
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var time)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? (time, id)
            : throw DomainException.Invalid("before", "before must be the next cursor of a previous page.");
    }
}
