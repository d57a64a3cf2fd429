using Dockyard.Control.Engines;

namespace Dockyard.Server.Control;

/// <summary>
/// One engine in the registry: its definition, its client (null when one could not be built, e.g. a TLS file
/// vanished; <see cref="ClientError"/> says why) and the last probe's status.
/// </summary>
internal sealed class EngineSlot(EngineDefinition definition, EngineClient? client, string? clientError)
{
    private volatile EngineStatus _status = EngineStatus.Unknown;

    public EngineDefinition Definition { get; } = definition;

    public EngineClient? Client { get; } = client;

    public string? ClientError { get; } = clientError;

    public EngineStatus Status
    {
        get => _status;
        set => _status = value;
    }

    public EngineSnapshot Snapshot() => new(Definition, Status);
}
