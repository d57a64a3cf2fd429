using System.Net;
using System.Net.Sockets;

namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>Ports for the servers the tests start; loopback only.</summary>
public static class LoopbackPorts
{
    /// <summary>A port the kernel just handed out on 127.0.0.1 and that is free again when this returns.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
