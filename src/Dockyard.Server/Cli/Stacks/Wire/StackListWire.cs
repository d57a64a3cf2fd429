namespace Dockyard.Server.Cli.Stacks.Wire;

/// <summary>GET /api/v1/stacks: the stacks the token may see, and what the server could not look at.</summary>
internal sealed record StackListWire(IReadOnlyList<StackSummaryWire>? Items, IReadOnlyList<string>? Warnings);
