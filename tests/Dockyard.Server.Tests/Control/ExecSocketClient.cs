using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// A raw WebSocket client of the terminal protocol (binary frames both ways, JSON text frames for resize): keeps every
/// output byte and the frame boundaries, and decodes only the whole output, so a character split between frames is
/// judged as the browser sees it.
/// </summary>
internal sealed class ExecSocketClient : IAsyncDisposable
{
    private readonly List<byte> _output = [];
    private readonly List<int> _frameEnds = [];
    private readonly byte[] _buffer = new byte[64 * 1024];

    private ExecSocketClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    public string Output => Encoding.UTF8.GetString([.. _output]);

    /// <summary>Byte offsets where binary frames ended.</summary>
    public IReadOnlyList<int> FrameEnds => _frameEnds;

    public byte[] OutputBytes => [.. _output];

    /// <summary>The close frame's description, once the server closed.</summary>
    public string? CloseReason => Socket.CloseStatusDescription;

    /// <summary>Connects to <paramref name="uri"/> (ws://); the headers are set on the upgrade request.</summary>
    public static async Task<ExecSocketClient> ConnectAsync(Uri uri, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        foreach (var (name, value) in headers)
        {
            socket.Options.SetRequestHeader(name, value);
        }

        await socket.ConnectAsync(uri, cancellationToken);
        return new ExecSocketClient(socket);
    }

    /// <summary>The HTTP status a refused upgrade was answered with.</summary>
    public static async Task<HttpStatusCode> RefusedWithAsync(Uri uri, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var (name, value) in headers)
        {
            socket.Options.SetRequestHeader(name, value);
        }

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, cancellationToken));
        return socket.HttpStatusCode;
    }

    public Task TypeAsync(string text, CancellationToken cancellationToken) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);

    public Task ResizeAsync(int cols, int rows, CancellationToken cancellationToken) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes($$"""{"type":"resize","cols":{{cols}},"rows":{{rows}}}"""), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <summary>Reads until the output contains <paramref name="expected"/> <paramref name="times"/> times.</summary>
    public async Task WaitForAsync(string expected, CancellationToken cancellationToken, int times = 1)
    {
        while (Count(Output, expected) < times)
        {
            if (!await ReceiveAsync(cancellationToken))
            {
                throw new Xunit.Sdk.XunitException($"the socket closed ({CloseReason}) before '{expected}' appeared; the output was: {Output}");
            }
        }
    }

    /// <summary>Reads until the server's close frame; returns its reason.</summary>
    public async Task<string?> ReadToCloseAsync(CancellationToken cancellationToken)
    {
        while (await ReceiveAsync(cancellationToken))
        {
        }

        return CloseReason;
    }

    public static int Count(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The server went first.
            }
        }

        Socket.Dispose();
    }

    private async Task<bool> ReceiveAsync(CancellationToken cancellationToken)
    {
        var result = await Socket.ReceiveAsync(_buffer.AsMemory(), cancellationToken);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            if (Socket.State == WebSocketState.CloseReceived)
            {
                await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
            }

            return false;
        }

        _output.AddRange(_buffer.AsSpan(0, result.Count));
        if (result.EndOfMessage)
        {
            _frameEnds.Add(_output.Count);
        }

        return true;
    }
}
