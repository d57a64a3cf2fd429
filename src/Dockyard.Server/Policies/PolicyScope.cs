namespace Dockyard.Server.Policies;

/// <summary>Where a policy applies: every repository of an organization, or one repository.</summary>
internal sealed record PolicyScope(long? OrganizationId, string? OrganizationName, string? Repository)
{
    public static PolicyScope ForOrganization(long id, string name) => new(id, name, null);

    public static PolicyScope ForRepository(string repository) => new(null, null, repository);

    /// <summary>For messages: <c>organization acme</c> or <c>repository acme/app</c>.</summary>
    public string Describe() => Repository is null ? $"organization {OrganizationName}" : $"repository {Repository}";
}
