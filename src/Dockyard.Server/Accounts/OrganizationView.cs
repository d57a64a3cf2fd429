using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Accounts;

/// <summary>An organization as the API and the UI show it.</summary>
internal sealed record OrganizationView(long Id, string Name, string? Description, RepositoryRole DefaultMemberRole, long? StorageQuotaBytes, DateTimeOffset CreatedAt)
{
    public static OrganizationView From(OrganizationEntity organization) =>
        new(organization.Id, organization.Name, organization.Description, organization.DefaultMemberRole, organization.StorageQuotaBytes, organization.CreatedAt);
}
