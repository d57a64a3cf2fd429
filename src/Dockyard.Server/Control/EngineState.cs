namespace Dockyard.Server.Control;

/// <summary>What the last probe of an engine found.</summary>
internal enum EngineState
{
    /// <summary>Not probed yet.</summary>
    Unknown,
    Reachable,

    /// <summary>Not reached, or it failed to answer; <see cref="EngineStatus.Message"/> says why.</summary>
    Unreachable,
}
