namespace Dockyard.Server.Control.Containers;

/// <summary>
/// What a lifecycle change came to. <paramref name="Changed"/> is false when the container already was in that state
/// (the engine's 304: a stop of a stopped container), which is an answer, not an error.
/// </summary>
internal sealed record ContainerActionResult(string Id, string Name, string Action, bool Changed, string Message);
