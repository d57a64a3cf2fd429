namespace Dockyard.Server.Tests.Cli.Stacks;

/// <summary>A request the CLI sent to the fake server.</summary>
internal sealed record RecordedRequest(HttpMethod Method, string Path, string? Body, string? Authorization);
