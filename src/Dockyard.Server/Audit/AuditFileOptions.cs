namespace Dockyard.Server.Audit;

/// <summary>A JSON Lines file that receives every committed entry (<c>Dockyard:Audit:File</c>); off while <see cref="Path"/> is empty.</summary>
internal sealed record AuditFileOptions
{
    public string? Path { get; init; }
}
