namespace Dockyard.Control.Compose;

/// <summary><c>logging</c>: the log driver and its options.</summary>
public sealed record ComposeLogging(string? Driver, IReadOnlyDictionary<string, string> Options);
