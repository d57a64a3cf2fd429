using System.Text.Json;

namespace Dockyard.Server.Cli.Stacks.Wire;

/// <summary>
/// A stack's detail (GET /api/v1/stacks/{name}) and the answer of a deploy (the detail plus <c>revision</c> and
/// <c>warnings</c>; a server may also nest the detail under <c>stack</c>, which <see cref="Effective"/> unwraps).
/// Warnings stay raw: objects with file/line/column/message, or plain strings.
/// </summary>
internal sealed record StackDetailWire(
    string? Name,
    string? Collection,
    string? Version,
    bool? Managed,
    int? Revision,
    IReadOnlyList<StackServiceWire>? Services,
    IReadOnlyList<JsonElement>? Warnings,
    StackDetailWire? Stack)
{
    /// <summary>The detail itself, with the revision and warnings of the envelope when it nests one.</summary>
    public StackDetailWire Effective => Stack is null
        ? this
        : Stack with { Revision = Revision ?? Stack.Revision, Warnings = Warnings ?? Stack.Warnings, Stack = null };
}
