namespace Dockyard.Server.Control.Images;

/// <summary>Pull <see cref="Reference"/> (Dockyard's registry only) onto <see cref="Node"/> (node id or engine name), or onto every reachable engine when null.</summary>
internal sealed record ImagePullRequest(string? Reference, string? Node);
