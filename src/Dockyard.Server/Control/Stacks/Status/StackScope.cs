using Dockyard.Control.Services;

namespace Dockyard.Server.Control.Stacks.Status;

/// <summary>A stack the caller may view: its name and its Swarm services as listed on a manager.</summary>
internal sealed record StackScope(string Name, IReadOnlyList<ServiceSummary> Services);
