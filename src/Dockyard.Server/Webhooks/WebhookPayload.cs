namespace Dockyard.Server.Webhooks;

/// <summary>The JSON body POSTed to receivers (camelCase; absent fields are omitted).</summary>
internal sealed record WebhookPayload
{
    /// <summary>The event's id: identical for every webhook that receives this event (use it to de-duplicate).</summary>
    public required string Id { get; init; }

    /// <summary><c>manifest.pushed</c>, <c>tag.created</c>, <c>manifest.deleted</c>, <c>tag.deleted</c>, <c>blob.deleted</c>, <c>manifest.pulled</c>, <c>stack.redeploy.refused</c> or <c>ping</c>.</summary>
    public required string Type { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The registry address (host[:port]) clients use.</summary>
    public string? Registry { get; init; }

    public string? Repository { get; init; }

    public string? Digest { get; init; }

    public string? Tag { get; init; }

    public string? MediaType { get; init; }

    public long? Size { get; init; }

    public WebhookActor? Actor { get; init; }

    /// <summary>Set on <c>ping</c> only: the webhook being tested.</summary>
    public long? WebhookId { get; init; }

    /// <summary>Set on <c>ping</c> of an organization webhook.</summary>
    public string? Organization { get; init; }

    /// <summary>Set on <c>stack.redeploy.refused</c>: the stack that was not redeployed.</summary>
    public string? Stack { get; init; }

    /// <summary>Set on <c>stack.redeploy.refused</c>: why (the signature policy and the missing signers).</summary>
    public string? Reason { get; init; }
}
