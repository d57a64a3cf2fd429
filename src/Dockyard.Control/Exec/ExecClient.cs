using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dockyard.Control.Engines;

namespace Dockyard.Control.Exec;

/// <summary>
/// Exec on one engine, with our own HTTP upgrade: <c>POST exec/{id}/start</c> with <c>Connection: Upgrade</c> and
/// <c>Upgrade: tcp</c>, answered <c>101</c>, after which <see cref="SocketsHttpHandler"/> hands over the connection as a
/// readable and writable stream (no Docker.DotNet: its hijacked stdin is broken).
/// </summary>
public sealed class ExecClient(EngineClient engine)
{
    private const int FirstBufferBytes = 8 * 1024;
    private const int HeaderLength = 8;
    private static readonly TimeSpan StartPollInterval = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan FailureReadTimeout = TimeSpan.FromSeconds(5);

    internal string EngineName => engine.Name;

    /// <summary><c>POST containers/{id}/exec</c>: creates the exec instance and returns its ID.</summary>
    /// <exception cref="EngineApiException">No such container (NotFound), container not running (Conflict), ….</exception>
    public async Task<string> CreateAsync(string containerId, ExecCreateOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        var body = new ExecCreateRequest(options.AttachStdin, options.AttachStdout, options.AttachStderr, options.Tty, options.Cmd, options.Env, options.User, options.WorkingDir);
        var created = await engine.PostAsync(
            $"containers/{Uri.EscapeDataString(containerId)}/exec",
            EngineClient.Json(body, ExecJsonContext.Default.ExecCreateRequest),
            ExecJsonContext.Default.ExecCreateResponse,
            cancellationToken);
        return created.Id;
    }

    /// <summary>Creates and starts an exec in one step (see <see cref="StartAsync"/>).</summary>
    public async Task<ExecSession> OpenAsync(string containerId, ExecCreateOptions options, CancellationToken cancellationToken = default)
    {
        var execId = await CreateAsync(containerId, options, cancellationToken);
        return await StartAsync(execId, options.Tty, cancellationToken);
    }

    /// <summary>
    /// <c>POST exec/{id}/start</c> upgraded to a raw stream. Returns once the process is known to have started (its
    /// first output arrived, or the engine reports its PID), so a missing shell is an exception here, not text in the
    /// terminal. <paramref name="tty"/> must match the exec's creation.
    /// </summary>
    /// <exception cref="ExecStartFailedException">The process could not be started; <see cref="ExecStartFailedException.ExecutableNotFound"/> when the command does not exist.</exception>
    /// <exception cref="EngineApiException">No such exec instance, already started, or the engine did not upgrade.</exception>
    public async Task<ExecSession> StartAsync(string execId, bool tty, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(execId);
        var request = new HttpRequestMessage(HttpMethod.Post, $"exec/{Uri.EscapeDataString(execId)}/start")
        {
            // Content-Length, not chunked: dockerd reads the body before it hijacks the connection.
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new ExecStartRequest(Detach: false, tty), ExecJsonContext.Default.ExecStartRequest)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("tcp"));

        HttpResponseMessage? response = null;
        Stream? stream = null;
        try
        {
            response = await engine.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode != HttpStatusCode.SwitchingProtocols)
            {
                throw new EngineApiException(engine.Name, EngineErrorKind.Failed, (int)response.StatusCode, "did not upgrade the exec connection (answered " + (int)response.StatusCode + ")");
            }

            stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var session = await ConfirmStartAsync(execId, tty, stream, response, cancellationToken);
            stream = null;
            response = null;
            return session;
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }

            response?.Dispose();
            request.Dispose();
        }
    }

    /// <summary><c>POST exec/{id}/resize?h=&amp;w=</c>.</summary>
    public async Task ResizeAsync(string execId, int height, int width, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        await engine.PostAsync(
            string.Create(CultureInfo.InvariantCulture, $"exec/{Uri.EscapeDataString(execId)}/resize?h={height}&w={width}"), null, cancellationToken);
    }

    /// <summary><c>GET exec/{id}/json</c>.</summary>
    public async Task<ExecState> InspectAsync(string execId, CancellationToken cancellationToken = default)
    {
        var state = await engine.GetAsync($"exec/{Uri.EscapeDataString(execId)}/json", ExecJsonContext.Default.ExecInspectResponse, cancellationToken);
        return new ExecState(state.Running, state.ExitCode, state.Pid);
    }

    /// <summary>
    /// dockerd answers 101 before it tries to start the process; when that fails it writes the error into the stream
    /// and closes it. So read until the output tells (the error text, or anything else) while polling the exec: a
    /// PID means the process started (it may be silent, or have printed only a prefix of the error text, like a
    /// one-letter prompt). Reads here are never cancelled (that would abort the connection); a read still pending
    /// when the start is confirmed is handed to the session.
    /// </summary>
    private async Task<ExecSession> ConfirmStartAsync(string execId, bool tty, Stream stream, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[FirstBufferBytes];
        var count = 0;
        var read = stream.ReadAsync(buffer, CancellationToken.None).AsTask();
        while (true)
        {
            if (!read.IsCompleted)
            {
                var delay = Task.Delay(StartPollInterval, cancellationToken);
                if (await Task.WhenAny(read, delay) != read)
                {
                    await delay;
                    if ((await InspectAsync(execId, cancellationToken)).Pid > 0)
                    {
                        return new ExecSession(this, execId, tty, new ExecStream(stream, buffer, count, read), response);
                    }

                    continue;
                }
            }

            var length = await read;
            count += length;
            var verdict = length == 0 ? StartOutput.Output : Classify(buffer.AsSpan(0, count), tty);
            if (verdict == StartOutput.Failure)
            {
                count = await ReadToEndAsync(stream, buffer, count, cancellationToken);
                var (message, missing) = ExecFailureMessage.Parse(Payload(buffer.AsSpan(0, count), tty));
                throw new ExecStartFailedException(engine.Name, execId, message, missing);
            }

            if (verdict == StartOutput.Output || count == buffer.Length)
            {
                // At end of stream a zero-length read is kept as "pending": the session's first reads see the bytes, then the end.
                return new ExecSession(this, execId, tty, new ExecStream(stream, buffer, count, length == 0 ? read : null), response);
            }

            read = stream.ReadAsync(buffer.AsMemory(count), CancellationToken.None).AsTask();
        }
    }

    /// <summary>Reads the rest of the engine's error text: it closes the connection right after writing it.</summary>
    private static async Task<int> ReadToEndAsync(Stream stream, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(FailureReadTimeout);
        try
        {
            while (count < buffer.Length)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(count), timeout.Token);
                if (read == 0)
                {
                    break;
                }

                count += read;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // The message so far is enough to report.
        }

        return count;
    }

    private enum StartOutput
    {
        Output,
        Undecided,
        Failure,
    }

    /// <summary>Whether the first output is the engine's start-failure text, ordinary output, or too short to tell.</summary>
    private static StartOutput Classify(ReadOnlySpan<byte> bytes, bool tty)
    {
        if (bytes.IsEmpty)
        {
            return StartOutput.Output;
        }

        if (!tty && bytes.Length < HeaderLength)
        {
            return IsHeaderStart(bytes) ? StartOutput.Undecided : StartOutput.Output;
        }

        if (!ExecFailureMessage.CouldBe(Payload(bytes, tty), out var complete))
        {
            return StartOutput.Output;
        }

        return complete ? StartOutput.Failure : StartOutput.Undecided;
    }

    /// <summary>The output bytes without the multiplexing header (non-TTY); the failure text is one stdout frame.</summary>
    private static ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> bytes, bool tty)
    {
        if (tty || bytes.Length < HeaderLength || !IsHeaderStart(bytes))
        {
            return bytes;
        }

        var size = BinaryPrimitives.ReadUInt32BigEndian(bytes[4..HeaderLength]);
        return bytes.Slice(HeaderLength, (int)Math.Min(size, (uint)(bytes.Length - HeaderLength)));
    }

    private static bool IsHeaderStart(ReadOnlySpan<byte> bytes)
    {
        var fixedPart = bytes[..Math.Min(bytes.Length, 4)];
        return fixedPart[0] <= 2 && !fixedPart[1..].ContainsAnyExcept((byte)0);
    }
}
