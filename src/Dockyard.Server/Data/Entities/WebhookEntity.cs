namespace Dockyard.Server.Data.Entities;

/// <summary>
/// A webhook subscription: events of one repository, or of every repository of one organization, POSTed to
/// <see cref="Url"/> and signed with <see cref="Secret"/>. Exactly one of <see cref="OrganizationId"/> and
/// <see cref="Repository"/> is set.
/// </summary>
internal sealed class WebhookEntity
{
    public long Id { get; set; }

    /// <summary>Set for an organization webhook (all its repositories).</summary>
    public long? OrganizationId { get; set; }

    /// <summary>Set for a repository webhook.</summary>
    public string? Repository { get; set; }

    public required string Url { get; set; }

    /// <summary>
    /// The HMAC key. Stored as is because every delivery must be signed with it (a hash would not do); it is shown
    /// once at creation and never returned or logged afterwards.
    /// </summary>
    public required string Secret { get; set; }

    /// <summary>The subscribed event groups (<c>WebhookEventKinds</c> flags).</summary>
    public int Events { get; set; }

    public bool Enabled { get; set; } = true;

    public string? Description { get; set; }

    /// <summary>Who created it (principal name), for the record.</summary>
    public string? CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
