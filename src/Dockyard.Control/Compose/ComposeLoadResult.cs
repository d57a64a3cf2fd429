namespace Dockyard.Control.Compose;

/// <summary>A loaded, merged and interpolated project, and what in it was not applied.</summary>
public sealed record ComposeLoadResult(ComposeProject Project, IReadOnlyList<ComposeWarning> Warnings);
