namespace Dockyard.Server.Webhooks;

/// <summary>The event groups a webhook subscribes to (stored as flags in <c>webhooks.events</c>).</summary>
[Flags]
internal enum WebhookEventKinds
{
    None = 0,

    /// <summary><c>push</c>: <c>manifest.pushed</c>, every manifest stored (by tag or by digest).</summary>
    Push = 1,

    /// <summary><c>tag</c>: <c>tag.created</c>, a manifest pushed by tag, so the tag now points at its digest.</summary>
    Tag = 2,

    /// <summary><c>delete</c>: <c>manifest.deleted</c>, <c>tag.deleted</c>, <c>blob.deleted</c>.</summary>
    Delete = 4,

    /// <summary><c>pull</c>: <c>manifest.pulled</c> (off unless asked for: pulls are frequent).</summary>
    Pull = 8,

    /// <summary><c>trust</c>: <c>stack.redeploy.refused</c>, a redeploy on push that a signature policy refused.</summary>
    Trust = 16,
}
