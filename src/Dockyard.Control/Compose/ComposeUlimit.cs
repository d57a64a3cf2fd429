namespace Dockyard.Control.Compose;

/// <summary>One <c>ulimits</c> entry (a single number sets both limits).</summary>
public sealed record ComposeUlimit(string Name, long Soft, long Hard);
