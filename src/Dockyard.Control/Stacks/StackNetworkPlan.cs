using System.Text.Json.Nodes;

namespace Dockyard.Control.Stacks;

/// <summary>
/// A network the stack uses: <paramref name="Name"/> as the engine knows it; external ones must exist and are never
/// created; otherwise <paramref name="Create"/> is the <c>POST /networks/create</c> body.
/// </summary>
public sealed record StackNetworkPlan(string Name, bool External, JsonObject? Create);
