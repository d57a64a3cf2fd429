using Dockyard.Control.Logs;

namespace Dockyard.Control.Exec;

/// <summary>
/// A started exec: <see cref="Stream"/> is the engine connection after the HTTP upgrade, raw and bidirectional
/// (write keystrokes, read output). With a TTY the output is raw bytes; without, it is multiplexed
/// (<see cref="ReadLinesAsync"/> demultiplexes it). Disposing closes the connection, which ends the process's stdin.
/// </summary>
public sealed class ExecSession : IAsyncDisposable
{
    private static readonly TimeSpan ExitPollInterval = TimeSpan.FromMilliseconds(50);
    private readonly ExecClient _client;
    private readonly HttpResponseMessage _response;

    internal ExecSession(ExecClient client, string execId, bool tty, Stream stream, HttpResponseMessage response)
    {
        _client = client;
        _response = response;
        ExecId = execId;
        Tty = tty;
        Stream = stream;
    }

    /// <summary>The exec instance's ID.</summary>
    public string ExecId { get; }

    /// <summary>Whether the process has a TTY (raw stream).</summary>
    public bool Tty { get; }

    /// <summary>The raw connection: read the process's output, write its input.</summary>
    public Stream Stream { get; }

    /// <summary>The output as lines (demultiplexed unless <see cref="Tty"/>); the stream ends when the process exits.</summary>
    public IAsyncEnumerable<LogLine> ReadLinesAsync(int maxLineBytes = LogOptions.DefaultMaxLineBytes, CancellationToken cancellationToken = default) =>
        LogStreamReader.ReadLinesAsync(Stream, Tty, timestamps: false, maxLineBytes, _client.EngineName, cancellationToken);

    /// <summary>Sets the TTY's size (<c>POST exec/{id}/resize</c>): right after start and on every terminal resize.</summary>
    public Task ResizeAsync(int height, int width, CancellationToken cancellationToken = default) =>
        _client.ResizeAsync(ExecId, height, width, cancellationToken);

    /// <summary>The process's current state.</summary>
    public Task<ExecState> InspectAsync(CancellationToken cancellationToken = default) => _client.InspectAsync(ExecId, cancellationToken);

    /// <summary>Waits until the engine reports the process ended and returns its exit code (the stream may end a moment earlier).</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var state = await _client.InspectAsync(ExecId, cancellationToken);
            if (!state.Running && state.ExitCode is { } exitCode)
            {
                return exitCode;
            }

            await Task.Delay(ExitPollInterval, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync();
        _response.Dispose();
    }
}
