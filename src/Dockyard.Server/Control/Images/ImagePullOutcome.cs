namespace Dockyard.Server.Control.Images;

/// <summary>How a pull ended on one engine: <c>pulled</c> or <c>failed</c> with the engine's message.</summary>
internal sealed record ImagePullOutcome(string Engine, string? NodeId, string Status, string? Message);
