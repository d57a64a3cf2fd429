namespace Dockyard.Control.Engines;

/// <summary>
/// Swarm updates carry the object version they were based on; a stale one is refused by swarmkit with
/// "update out of sequence", which dockerd passes through as a plain 500. Callers switch on
/// <see cref="EngineErrorKind.Conflict"/> for it, as for any other 409.
/// </summary>
internal static class SwarmConflicts
{
    private const string OutOfSequence = "update out of sequence";

    public static async Task TranslateAsync(string engine, Func<Task> update)
    {
        try
        {
            await update();
        }
        catch (EngineApiException ex) when (IsOutOfSequence(ex))
        {
            throw new EngineApiException(engine, EngineErrorKind.Conflict, ex.Status, ex.EngineMessage, ex);
        }
    }

    internal static bool IsOutOfSequence(EngineApiException ex) =>
        ex.Kind != EngineErrorKind.Conflict && ex.EngineMessage.Contains(OutOfSequence, StringComparison.OrdinalIgnoreCase);
}
