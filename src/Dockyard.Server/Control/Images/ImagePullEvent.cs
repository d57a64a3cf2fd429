namespace Dockyard.Server.Control.Images;

/// <summary>One progress message of a pull on one engine, as the engine sent it (<c>status</c>, layer <c>id</c>, bytes).</summary>
internal sealed record ImagePullEvent(string Engine, string? NodeId, string? Status, string? Id, string? Progress, long? Current, long? Total);
