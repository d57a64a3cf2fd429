namespace Dockyard.Server.Webhooks;

/// <summary>The subscription names of <see cref="WebhookEventKinds"/> and the payload <c>type</c> values.</summary>
internal static class WebhookEventNames
{
    public const string ManifestPushed = "manifest.pushed";
    public const string TagCreated = "tag.created";
    public const string ManifestDeleted = "manifest.deleted";
    public const string TagDeleted = "tag.deleted";
    public const string BlobDeleted = "blob.deleted";
    public const string ManifestPulled = "manifest.pulled";
    public const string Ping = "ping";
    public const string StackRedeployRefused = "stack.redeploy.refused";

    /// <summary>Subscribed when a request names no events.</summary>
    public const WebhookEventKinds Default = WebhookEventKinds.Push | WebhookEventKinds.Tag | WebhookEventKinds.Delete;

    private static readonly (string Name, WebhookEventKinds Kind)[] Groups =
    [
        ("push", WebhookEventKinds.Push),
        ("tag", WebhookEventKinds.Tag),
        ("delete", WebhookEventKinds.Delete),
        ("pull", WebhookEventKinds.Pull),
        ("trust", WebhookEventKinds.Trust),
    ];

    public static IReadOnlyList<string> AllGroups { get; } = [.. Groups.Select(g => g.Name)];

    public static bool TryParse(string name, out WebhookEventKinds kind)
    {
        foreach (var group in Groups)
        {
            if (string.Equals(group.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                kind = group.Kind;
                return true;
            }
        }

        kind = WebhookEventKinds.None;
        return false;
    }

    public static IReadOnlyList<string> ToNames(WebhookEventKinds kinds) => [.. Groups.Where(g => kinds.HasFlag(g.Kind)).Select(g => g.Name)];
}
