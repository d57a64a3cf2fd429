namespace Dockyard.Control.Exec;

/// <summary>An exec instance's state (<c>GET exec/{id}/json</c>).</summary>
/// <param name="Running">The process is running (the engine also says so briefly while it is being started).</param>
/// <param name="ExitCode">Its exit code once it has ended; null before (126 when it could not be started).</param>
/// <param name="Pid">Its process ID on the engine's host; 0 until it has started.</param>
public sealed record ExecState(bool Running, int? ExitCode, int Pid);
