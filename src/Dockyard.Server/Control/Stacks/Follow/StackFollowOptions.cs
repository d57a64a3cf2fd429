namespace Dockyard.Server.Control.Stacks.Follow;

/// <summary><c>Dockyard:Stacks:Follow</c>: the background queue of redeploys on push and by hook.</summary>
internal sealed record StackFollowOptions
{
    public const string Section = "Dockyard:Stacks:Follow";

    /// <summary>Distinct redeploys (tags pushed, stacks hooked) waiting at most; more are dropped and logged.</summary>
    public int QueueCapacity { get; init; } = 1_000;
}
