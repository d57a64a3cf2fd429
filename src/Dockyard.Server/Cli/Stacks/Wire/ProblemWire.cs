namespace Dockyard.Server.Cli.Stacks.Wire;

/// <summary>
/// An RFC 9457 problem as the server writes it: title, detail, the Compose position (file/line/column) of a refused
/// file, validation <c>errors</c>, and the request id of a server error.
/// </summary>
internal sealed record ProblemWire(
    string? Title,
    int? Status,
    string? Detail,
    string? File,
    int? Line,
    int? Column,
    IReadOnlyDictionary<string, string[]>? Errors,
    string? RequestId);
