namespace Dockyard.Server.Control.Stacks.Follow;

/// <summary>What <see cref="StackUpdateChecker"/> needs of one service.</summary>
/// <param name="Service">The service's name (the answer's key).</param>
/// <param name="RunningImage">The image of its spec as the swarm runs it (<c>address/repo:tag@sha256:…</c>).</param>
/// <param name="DeployedFrom">The image as written (label <c>com.docker.stack.image</c> or the revision's); null to take the tag of <paramref name="RunningImage"/>.</param>
internal sealed record StackImageCheck(string Service, string? RunningImage, string? DeployedFrom);
