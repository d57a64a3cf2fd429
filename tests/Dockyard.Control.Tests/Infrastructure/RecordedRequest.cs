namespace Dockyard.Control.Tests.Infrastructure;

/// <summary>One request a <see cref="ScriptedEngine"/> received.</summary>
internal sealed record RecordedRequest(string Method, string PathAndQuery, string? Body, IReadOnlyDictionary<string, string> Headers);
