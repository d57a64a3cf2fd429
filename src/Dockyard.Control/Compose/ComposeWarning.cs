namespace Dockyard.Control.Compose;

/// <summary>Something in a Compose file that is accepted but not applied (an unsupported key), with where it is.</summary>
public sealed record ComposeWarning(string File, int Line, int Column, string Message);
