namespace Dockyard.Control.Networks;

/// <summary>The engine's network object as listed (<c>Id</c>, unlike the swarm objects' <c>ID</c>; read case-insensitively).</summary>
internal sealed record NetworkDocument(string Id, string? Name, string? Driver, string? Scope, Dictionary<string, string>? Labels)
{
    public NetworkSummary ToSummary() => new()
    {
        Id = Id,
        Name = Name ?? string.Empty,
        Driver = Driver ?? string.Empty,
        Scope = Scope ?? string.Empty,
        Labels = Labels ?? [],
    };
}
