using System.Net;
using Dockyard.Server.Cli.Stacks.Wire;

namespace Dockyard.Server.Cli.Stacks;

/// <summary>The server refused or failed a request: its status and the problem it described (null when it sent none).</summary>
internal sealed class StackApiException(HttpStatusCode status, ProblemWire? problem, string body)
    : Exception(problem?.Detail ?? problem?.Title ?? $"{(int)status} {status}")
{
    public HttpStatusCode Status { get; } = status;

    public ProblemWire? Problem { get; } = problem;

    /// <summary>The answer's text when it was not a problem document (truncated), for the message.</summary>
    public string Body { get; } = body;
}
