namespace Dockyard.Control.Exec;

/// <summary>The fields of <c>GET exec/{id}/json</c> that are used.</summary>
internal sealed record ExecInspectResponse(bool Running, int? ExitCode, int Pid);
