using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Audit;

/// <summary>
/// Query filters shared by the list, the export and the CLI. <see cref="Action"/> matches exactly, or as a prefix
/// when it ends with <c>*</c> or <c>.</c> (<c>registry.*</c>). <see cref="Organizations"/> limits an organization
/// owner's view; null means everything (system administrators). <see cref="HideSignIns"/> leaves out the routine
/// successful sign-ins and registry token issues (every <c>docker pull</c> asks for a token); failed and denied ones stay.
/// </summary>
internal sealed record AuditFilter
{
    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public string? Actor { get; init; }

    public string? Action { get; init; }

    public string? Repository { get; init; }

    public string? Outcome { get; init; }

    /// <summary>Keyset pagination: only entries with a larger id.</summary>
    public long? After { get; init; }

    public IReadOnlyList<string>? Organizations { get; init; }

    /// <summary>Leave out successful <c>auth.login.success</c> and <c>auth.token.issue</c> entries.</summary>
    public bool HideSignIns { get; init; }

    public IQueryable<AuditEntryEntity> Apply(IQueryable<AuditEntryEntity> query)
    {
        if (After is { } after)
        {
            query = query.Where(e => e.Id > after);
        }

        if (From is { } from)
        {
            query = query.Where(e => e.Time >= from);
        }

        if (To is { } to)
        {
            query = query.Where(e => e.Time < to);
        }

        if (!string.IsNullOrEmpty(Actor))
        {
            query = query.Where(e => e.ActorName == Actor);
        }

        if (!string.IsNullOrEmpty(Action))
        {
            if (Action.EndsWith('*') || Action.EndsWith('.'))
            {
                var prefix = Action.TrimEnd('*');
                query = query.Where(e => e.Action.StartsWith(prefix));
            }
            else
            {
                query = query.Where(e => e.Action == Action);
            }
        }

        if (!string.IsNullOrEmpty(Repository))
        {
            query = query.Where(e => e.Repository == Repository);
        }

        if (!string.IsNullOrEmpty(Outcome))
        {
            query = query.Where(e => e.Outcome == Outcome);
        }

        if (HideSignIns)
        {
            query = query.Where(e => !((e.Action == AuditActions.LoginSuccess || e.Action == AuditActions.TokenIssue) && e.Outcome == AuditOutcomes.Success));
        }

        if (Organizations is { } organizations)
        {
            query = query.Where(e => e.Organization != null && organizations.Contains(e.Organization));
        }

        return query.OrderBy(e => e.Id);
    }
}
