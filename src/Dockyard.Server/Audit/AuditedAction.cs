namespace Dockyard.Server.Audit;

/// <summary>
/// What one audited operation records: the stable action name (<see cref="AuditActions"/>), the object's resource path
/// as the management API names it without its prefix (<c>users/alice</c>, <c>me/tokens/12</c>), and the
/// non-secret fields of the request for the details. Fields are named by the service one by one and checked
/// against <see cref="AuditDetails.SafeFields"/>; a password is never one.
/// </summary>
internal sealed record AuditedAction(string Action, string Resource)
{
    public string? Organization { get; init; }

    public string? Repository { get; init; }

    public IReadOnlyList<KeyValuePair<string, object?>> Fields { get; init; } = [];

    /// <summary>This action with the given request fields (null values are left out of the details).</summary>
    public AuditedAction WithFields(params ReadOnlySpan<(string Name, object? Value)> fields)
    {
        var list = new List<KeyValuePair<string, object?>>(fields.Length);
        foreach (var (name, value) in fields)
        {
            list.Add(new(name, value));
        }

        return this with { Fields = list };
    }
}
