using System.Net.WebSockets;
using System.Text;
using Dockyard.Server.Control.Exec;

namespace Dockyard.Server.Tests.Ui.Terminal;

/// <summary><see cref="TerminalRelay"/> over a real Kestrel WebSocket and a <see cref="ClientWebSocket"/>.</summary>
public sealed class TerminalRelayTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _timeout = new(Timeout);
    private TerminalTestHost _host = null!;

    private CancellationToken Token => _timeout.Token;

    public async Task InitializeAsync() => _host = await TerminalTestHost.StartAsync();

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _timeout.Dispose();
    }

    [Fact]
    public async Task Output_MultibyteCharactersSplitAcrossReads_ArriveByteExact()
    {
        using var client = await ConnectAsync();
        var stream = await _host.NextConnectionAsync(Token);

        // "é" (C3 A9), "€" (E2 82 AC) and "🐳" (F0 9F 90 B3), cut inside each character.
        var text = Encoding.UTF8.GetBytes("é€🐳 ok");
        byte[][] chunks = [text[..1], text[1..3], text[3..5], text[5..8], text[8..]];
        var received = new List<byte>();
        foreach (var chunk in chunks)
        {
            await stream.WriteOutputAsync(chunk);
            var (type, bytes) = await ReceiveMessageAsync(client);
            Assert.Equal(WebSocketMessageType.Binary, type);
            Assert.Equal(chunk, bytes);
            received.AddRange(bytes);
        }

        Assert.Equal(text, received.ToArray());
    }

    [Fact]
    public async Task Input_BinaryFrames_ReachTheStreamUnchanged()
    {
        using var client = await ConnectAsync();
        var stream = await _host.NextConnectionAsync(Token);
        var keys = Encoding.UTF8.GetBytes("ls -l ü\r");
        byte[] control = [0x03, 0x1b, 0x5b, 0x41, 0xff];

        await client.SendAsync(keys, WebSocketMessageType.Binary, endOfMessage: true, Token);
        await client.SendAsync(control, WebSocketMessageType.Binary, endOfMessage: true, Token);

        var received = await stream.ReadInputAsync(keys.Length + control.Length, Token);
        Assert.Equal(keys.Concat(control).ToArray(), received);
    }

    [Fact]
    public async Task Resize_TextFrame_ReachesTheCallback()
    {
        using var client = await ConnectAsync();
        await _host.NextConnectionAsync(Token);

        await SendTextAsync(client, """{"type":"resize","cols":132,"rows":43}""");
        // A control message may arrive in fragments.
        await client.SendAsync(Encoding.UTF8.GetBytes("{\"type\":\"resize\","), WebSocketMessageType.Text, endOfMessage: false, Token);
        await client.SendAsync(Encoding.UTF8.GetBytes("\"cols\":80,\"rows\":24}"), WebSocketMessageType.Text, endOfMessage: true, Token);

        Assert.Equal((132, 43), await _host.Resizes.ReadAsync(Token));
        Assert.Equal((80, 24), await _host.Resizes.ReadAsync(Token));
    }

    [Theory]
    [InlineData("""{"type":"resize","cols":80}""")]
    [InlineData("""{"type":"signal","name":"INT"}""")]
    [InlineData("""{"type":"resize","cols":0,"rows":24}""")]
    [InlineData("not json")]
    [InlineData("""{"type":"resize","cols":80,"rows":24} trailing""")]
    public async Task Control_MalformedOrUnknown_ClosesWithPolicyViolationAndDisposesTheStream(string message)
    {
        using var client = await ConnectAsync();
        var stream = await _host.NextConnectionAsync(Token);

        await SendTextAsync(client, message);

        var (type, _) = await ReceiveMessageAsync(client);
        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
        await stream.Disposed.WaitAsync(Token);
        Assert.False(_host.Resizes.TryRead(out _));
    }

    [Fact]
    public async Task Control_LargerThanTheLimit_ClosesWithPolicyViolation()
    {
        using var client = await ConnectAsync();
        await _host.NextConnectionAsync(Token);

        var padding = new string(' ', TerminalControlMessage.MaxLength);
        await SendTextAsync(client, $$"""{"type":"resize","cols":80,"rows":24,"x":"{{padding}}"}""");

        var (type, _) = await ReceiveMessageAsync(client);
        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
        Assert.Equal("control message too large", client.CloseStatusDescription);
    }

    [Fact]
    public async Task StreamEnd_ClosesTheSocketWithTheReason()
    {
        using var client = await ConnectAsync();
        var stream = await _host.NextConnectionAsync(Token);
        var relay = await _host.NextRelayAsync(Token);

        await stream.WriteOutputAsync(Encoding.UTF8.GetBytes("bye\r\n"));
        await stream.EndOutputAsync();

        Assert.Equal(Encoding.UTF8.GetBytes("bye\r\n"), (await ReceiveMessageAsync(client)).Bytes);
        var (type, _) = await ReceiveMessageAsync(client);
        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        Assert.Equal(TerminalRelay.ProcessExited, client.CloseStatusDescription);
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, Token);
        await relay.WaitAsync(Token);
        await stream.Disposed.WaitAsync(Token);
    }

    [Fact]
    public async Task ClientAbort_DisposesTheStream()
    {
        var client = await ConnectAsync();
        var stream = await _host.NextConnectionAsync(Token);
        var relay = await _host.NextRelayAsync(Token);

        client.Abort();
        client.Dispose();

        await stream.Disposed.WaitAsync(Token);
        await relay.WaitAsync(Token);
    }

    [Fact]
    public async Task ClientClose_IsAnsweredAndDisposesTheStream()
    {
        using var client = await ConnectAsync();
        var stream = await _host.NextConnectionAsync(Token);

        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", Token);

        Assert.Equal(WebSocketState.Closed, client.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        await stream.Disposed.WaitAsync(Token);
    }

    [Fact]
    public async Task SignOut_ClosesTheSocketAndDisposesTheStream()
    {
        using var client = await ConnectAsync();
        var stream = await _host.NextConnectionAsync(Token);

        await _host.SignOutAsync();

        var (type, _) = await ReceiveMessageAsync(client);
        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.CloseStatus);
        Assert.Equal(TerminalRelay.SessionEnded, client.CloseStatusDescription);
        await stream.Disposed.WaitAsync(Token);
    }

    private async Task<ClientWebSocket> ConnectAsync()
    {
        var client = new ClientWebSocket();
        await client.ConnectAsync(_host.SocketUri, Token);
        return client;
    }

    private Task SendTextAsync(ClientWebSocket client, string text) =>
        client.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, Token);

    /// <summary>One whole message (all its fragments).</summary>
    private async Task<(WebSocketMessageType Type, byte[] Bytes)> ReceiveMessageAsync(ClientWebSocket client)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await client.ReceiveAsync(buffer, Token);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }
}
