namespace Dockyard.Server.Control.Stacks.Hooks;

/// <summary><c>Dockyard:Stacks:Hooks</c>: limits of the unauthenticated redeploy hook <c>POST /hooks/stacks/{name}/{token}</c>.</summary>
internal sealed record StackHookOptions
{
    public const string Section = "Dockyard:Stacks:Hooks";

    /// <summary>Calls one client address may make per minute, right or wrong token (brute force stops here).</summary>
    public int CallsPerAddressPerMinute { get; init; } = 60;

    /// <summary>Calls one stack may receive per minute from all addresses together (bounds guessing spread over many addresses).</summary>
    public int CallsPerStackPerMinute { get; init; } = 20;
}
