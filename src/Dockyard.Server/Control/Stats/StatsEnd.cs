namespace Dockyard.Server.Control.Stats;

/// <summary>
/// Why a stats stream ended: <c>stopped</c> (the container is not running, so the engine ended its stream) or
/// <c>error</c> with the engine's message.
/// </summary>
internal sealed record StatsEnd(string Reason, string? Message = null)
{
    public static readonly StatsEnd Stopped = new("stopped");

    public static StatsEnd Error(string message) => new("error", message);
}
