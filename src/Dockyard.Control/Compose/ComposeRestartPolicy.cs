namespace Dockyard.Control.Compose;

/// <summary><c>deploy.restart_policy</c>: condition none/on-failure/any.</summary>
public sealed record ComposeRestartPolicy(string? Condition, TimeSpan? Delay, long? MaxAttempts, TimeSpan? Window);
