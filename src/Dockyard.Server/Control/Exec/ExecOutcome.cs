using Dockyard.Control.Exec;
using Dockyard.Server.Control.Containers;

namespace Dockyard.Server.Control.Exec;

/// <summary>
/// An authorized exec start: the running <see cref="Session"/>, or — when the container or command did not allow it —
/// <see cref="Message"/> for the terminal (no shell, command not found, container not running). Either is audited.
/// </summary>
internal sealed record ExecOutcome(ContainerTarget Target, string Command, ExecSession? Session, string? Message);
