namespace Dockyard.Control.Exec;

/// <summary>Answer of <c>POST containers/{id}/exec</c>: the exec instance's ID.</summary>
internal sealed record ExecCreateResponse(string Id);
