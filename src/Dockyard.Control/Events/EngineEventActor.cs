namespace Dockyard.Control.Events;

/// <summary>The object an event is about.</summary>
/// <param name="Id">Container, image, network, volume, service, node, secret or config ID (for images: the reference).</param>
/// <param name="Attributes">Labels and event details (<c>name</c>, <c>image</c>, <c>exitCode</c>, <c>signal</c>, …).</param>
public sealed record EngineEventActor(string Id, IReadOnlyDictionary<string, string> Attributes);
