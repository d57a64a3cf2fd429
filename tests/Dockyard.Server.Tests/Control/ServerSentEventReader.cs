using System.Text;

namespace Dockyard.Server.Tests.Control;

/// <summary>One Server-Sent Event: its name (<c>message</c> when unnamed) and its data.</summary>
internal sealed record ServerSentEvent(string Name, string Data);

/// <summary>Reads Server-Sent Events off a response stream as the server writes them; counts comment lines (heartbeats).</summary>
internal sealed class ServerSentEventReader(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    public int Comments { get; private set; }

    /// <summary>The next event, or null at the end of the stream.</summary>
    public async Task<ServerSentEvent?> NextAsync(CancellationToken cancellationToken)
    {
        var name = "message";
        var data = new StringBuilder();
        var any = false;
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (any)
                {
                    return new ServerSentEvent(name, data.ToString());
                }

                continue;
            }

            if (line[0] == ':')
            {
                Comments++;
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
                any = true;
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line["data: ".Length..]);
                any = true;
            }
        }

        return null;
    }

    public void Dispose() => _reader.Dispose();
}
