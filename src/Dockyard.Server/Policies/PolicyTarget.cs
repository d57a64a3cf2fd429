using Dockyard.Server.Audit;

namespace Dockyard.Server.Policies;

/// <summary>
/// The organization or repository a policy change names, as the entry point got it (before it is known to exist):
/// its audit resource is the API path without the prefix (<c>orgs/acme</c>, <c>repositories/acme/app</c>).
/// </summary>
internal sealed record PolicyTarget(string? Organization, string? Repository)
{
    public static PolicyTarget ForOrganization(string name) => new(name, null);

    public static PolicyTarget ForRepository(string name) => new(null, name);

    public string Resource => Repository is { } repository ? $"repositories/{repository}" : $"orgs/{Organization}";

    /// <summary>The audited action on <paramref name="suffix"/> below this target (<c>immutability-rules/5</c>).</summary>
    public AuditedAction Action(string action, string suffix) =>
        new(action, $"{Resource}/{suffix}") { Organization = Organization, Repository = Repository };
}
