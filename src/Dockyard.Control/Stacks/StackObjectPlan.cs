using System.Text.Json.Nodes;

namespace Dockyard.Control.Stacks;

/// <summary>
/// A secret or config the stack uses: external ones must exist; otherwise <paramref name="Spec"/> is the
/// <c>POST /secrets/create</c> (or <c>/configs/create</c>) body with <c>Name</c>, <c>Labels</c> and base64 <c>Data</c>.
/// The data is secret for secrets: never log the spec.
/// </summary>
public sealed record StackObjectPlan(string Name, bool External, JsonObject? Spec);
