using System.Net.Sockets;
using System.Text;
using Dockyard.Server.Hosting;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Hosting;

/// <summary>sd_notify (<c>Type=notify</c>): what a real <c>serve</c> process sends to the socket systemd names.</summary>
public sealed class SystemdNotifierTests
{
    [Fact]
    public async Task Serve_WithNotifySocket_SendsReadyOnceListening_AndStoppingOnSigterm()
    {
        using var directory = new TempDirectory("notify");
        var path = directory.Combine("notify.sock");
        using var socket = Bind(path);

        await using var server = await DockyardProcess.StartAsync(new Dictionary<string, string> { [SystemdNotifier.SocketVariable] = path });
        var ready = await ReceiveAsync(socket);

        Assert.Contains("READY=1", ready.Split('\n'));
        Assert.Contains($"MAINPID={server.Pid}", ready.Split('\n'));
        Assert.Contains(ready.Split('\n'), line => line.StartsWith("STATUS=", StringComparison.Ordinal));

        _ = await server.StopAsync(TimeSpan.FromSeconds(60));
        Assert.Contains("STOPPING=1", (await ReceiveAsync(socket)).Split('\n'));
    }

    [Fact]
    public async Task Send_ToAnAbstractSocketName_StartingWithAt_ReachesIt()
    {
        var name = $"dockyard-test-{Guid.NewGuid():N}";
        using var socket = Bind("\0" + name);

        SystemdNotifier.Send("@" + name, "READY=1");

        Assert.Equal("READY=1", await ReceiveAsync(socket));
    }

    private static Socket Bind(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, received);
    }
}
