using Dockyard.Server.Audit;

namespace Dockyard.Server.Webhooks;

/// <summary>
/// The organization or repository whose webhooks a change names, as the entry point got it (before it is known to
/// exist or to be the caller's): its audit resource is the API path without the prefix
/// (<c>orgs/acme/webhooks</c>, <c>repositories/acme/app/webhooks</c>).
/// </summary>
internal sealed record WebhookTarget(string? Organization, string? Repository)
{
    public static WebhookTarget ForOrganization(string name) => new(name, null);

    public static WebhookTarget ForRepository(string name) => new(null, name);

    /// <summary>The API path of the webhook collection.</summary>
    public string Resource => Repository is { } repository ? $"repositories/{repository}/webhooks" : $"orgs/{Organization}/webhooks";

    /// <summary>The audited action on <paramref name="suffix"/> below the collection (<c>5</c>, <c>5/test</c>), or on the collection.</summary>
    public AuditedAction Action(string action, string? suffix = null) =>
        new(action, suffix is null ? Resource : $"{Resource}/{suffix}") { Organization = Organization, Repository = Repository };
}
