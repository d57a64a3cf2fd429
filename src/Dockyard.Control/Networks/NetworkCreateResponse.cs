namespace Dockyard.Control.Networks;

/// <summary>What <c>networks/create</c> answers.</summary>
internal sealed record NetworkCreateResponse(string? Id, string? Warning);
