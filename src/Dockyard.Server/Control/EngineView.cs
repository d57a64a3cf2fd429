namespace Dockyard.Server.Control;

/// <summary>
/// An engine as the API shows it: where it is, whether it came from configuration (then it cannot be deleted through
/// the API), and its last status. An unreachable engine is a status, never an error.
/// </summary>
internal sealed record EngineView(
    string Name,
    string Endpoint,
    bool Configured,
    string? CaFile,
    string? CertFile,
    string? KeyFile,
    DateTimeOffset? CreatedAt,
    string? CreatedBy,
    EngineStatusView Status)
{
    public static EngineView From(EngineSnapshot engine) => new(
        engine.Definition.Name,
        engine.Definition.Endpoint.OriginalString,
        engine.Definition.IsConfigured,
        engine.Definition.Tls?.CaFile,
        engine.Definition.Tls?.CertFile,
        engine.Definition.Tls?.KeyFile,
        engine.Definition.CreatedAt,
        engine.Definition.CreatedBy,
        EngineStatusView.From(engine.Status));
}
