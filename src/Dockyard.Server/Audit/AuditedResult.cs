namespace Dockyard.Server.Audit;

/// <summary>
/// What an audited run's result adds to its entry (<see cref="AuditedOperations"/>): allow-listed fields such as the
/// counts of what it did, and <see cref="Failure"/>, set when the run finished but part of it failed (the entry is
/// then <c>failed</c> with that reason).
/// </summary>
internal sealed record AuditedResult(IReadOnlyList<KeyValuePair<string, object?>> Fields, string? Failure = null)
{
    /// <summary>A result with the given fields (null values are left out of the details).</summary>
    public static AuditedResult Of(params ReadOnlySpan<(string Name, object? Value)> fields)
    {
        var list = new List<KeyValuePair<string, object?>>(fields.Length);
        foreach (var (name, value) in fields)
        {
            list.Add(new(name, value));
        }

        return new AuditedResult(list);
    }
}
