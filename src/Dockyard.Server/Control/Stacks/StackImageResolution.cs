namespace Dockyard.Server.Control.Stacks;

/// <summary>
/// The images of a deploy: each Dockyard-hosted image as written → its pinned reference (<c>repo:tag@sha256:…</c>),
/// the repositories behind them, the encoded <c>X-Registry-Auth</c> that lets the nodes pull them as the deploying
/// user (null when no image is Dockyard's; never logged), and warnings for images left as written.
/// </summary>
internal sealed record StackImageResolution(
    IReadOnlyDictionary<string, string> Pinned,
    IReadOnlyDictionary<string, StackHostedImage> Hosted,
    string? RegistryAuth,
    IReadOnlyList<StackWarning> Warnings);
