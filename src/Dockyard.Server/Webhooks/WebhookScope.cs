namespace Dockyard.Server.Webhooks;

/// <summary>What a webhook watches: every repository of an organization, or one repository.</summary>
internal sealed record WebhookScope(long? OrganizationId, string? OrganizationName, string? Repository)
{
    public static WebhookScope ForOrganization(long id, string name) => new(id, name, null);

    public static WebhookScope ForRepository(string repository) => new(null, null, repository);
}
