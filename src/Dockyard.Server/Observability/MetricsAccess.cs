namespace Dockyard.Server.Observability;

/// <summary>Who may read <c>/metrics</c> (<c>Dockyard:Metrics:Access</c>).</summary>
public enum MetricsAccess
{
    /// <summary>Connections from 127.0.0.0/8 or ::1 only, judged by the connection itself (never a forwarding header).</summary>
    Loopback,

    /// <summary>A system administrator's credentials (Basic or an access token); anyone else gets 401 or 403.</summary>
    Authenticated,

    /// <summary>Everyone who can reach the port.</summary>
    Anyone,
}
