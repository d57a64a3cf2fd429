using System.Text;

namespace Dockyard.Server.Tests.Control;

/// <summary>Accumulates what a terminal stream has printed so far, for tests that wait for some output.</summary>
internal sealed class TerminalReader(Stream stream)
{
    private readonly StringBuilder _seen = new();
    private readonly byte[] _buffer = new byte[4096];
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();

    public string Seen => _seen.ToString();

    /// <summary>Reads until <paramref name="expected"/> has appeared in the output.</summary>
    public async Task WaitForAsync(string expected, CancellationToken cancellationToken)
    {
        while (!Seen.Contains(expected, StringComparison.Ordinal))
        {
            if (!await ReadOnceAsync(cancellationToken))
            {
                throw new Xunit.Sdk.XunitException($"the stream ended before '{expected}' appeared; it printed: {Seen}");
            }
        }
    }

    /// <summary>Reads until the engine closes the stream (the process exited).</summary>
    public async Task ReadToEndAsync(CancellationToken cancellationToken)
    {
        while (await ReadOnceAsync(cancellationToken))
        {
        }
    }

    private async Task<bool> ReadOnceAsync(CancellationToken cancellationToken)
    {
        var read = await stream.ReadAsync(_buffer, cancellationToken);
        var chars = new char[_decoder.GetCharCount(_buffer, 0, read)];
        _decoder.GetChars(_buffer, 0, read, chars, 0);
        _seen.Append(chars);
        return read > 0;
    }
}
