
namespace Dockyard.Server.Audit;

/// <summary>
/// What a recording hook reports. The trail adds time, actor and request context (<see cref="AuditContext"/>);
/// <see cref="Actor"/> and <see cref="AuthMethod"/> override the context's, for logins where the caller is only
/// being established.
/// </summary>
internal sealed record AuditEvent
{
    public required string Action { get; init; }

    public string Outcome { get; init; } = AuditOutcomes.Success;

    public string? Reason { get; init; }

    public string? Repository { get; init; }

    public string? Reference { get; init; }

    public string? Digest { get; init; }

    public string? Resource { get; init; }

    public string? Organization { get; init; }

    /// <summary>JSON object text with action-specific data; never secrets.</summary>
    public string? Details { get; init; }

    public AuditActor? Actor { get; init; }

    public string? AuthMethod { get; init; }

    /// <summary>The namespace of a repository name (its first component), which is an organization or a user.</summary>
    public static string? NamespaceOf(string? repository)
    {
        if (string.IsNullOrEmpty(repository))
        {
            return null;
        }

        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? repository : repository[..slash];
    }
}
