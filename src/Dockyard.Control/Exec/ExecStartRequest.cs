namespace Dockyard.Control.Exec;

/// <summary>Body of <c>POST exec/{id}/start</c>.</summary>
internal sealed record ExecStartRequest(bool Detach, bool Tty);
