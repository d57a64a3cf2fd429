namespace Dockyard.Server.Audit;

/// <summary>RFC 5424 syslog over TCP, UDP or TLS (<c>Dockyard:Audit:Syslog</c>); off while <see cref="Host"/> is empty.</summary>
internal sealed record AuditSyslogOptions
{
    public string? Host { get; init; }

    /// <summary>The receiver's port; null means the protocol's usual one (601 for TCP, 514 for UDP, 6514 for TLS).</summary>
    public int? Port { get; init; }

    public AuditSyslogProtocol Protocol { get; init; } = AuditSyslogProtocol.Tcp;

    /// <summary>
    /// TLS only: a PEM file of the CA certificate(s) that issued the receiver's certificate, trusted instead of the
    /// system store. The receiver's name (<see cref="Host"/>) is validated either way.
    /// </summary>
    public string? CaFile { get; init; }

    /// <summary>UDP only: longest datagram sent; longer messages are truncated (RFC 5426 §3.2: 2048 octets SHOULD be accepted).</summary>
    public int MaxDatagramSize { get; init; } = 2048;

    /// <summary>APP-NAME of every message.</summary>
    public string AppName { get; init; } = "dockyard";

    /// <summary>Facility code (RFC 5424 §6.2.1); 13 = log audit.</summary>
    public int Facility { get; init; } = 13;

    /// <summary>The port in effect.</summary>
    public int EffectivePort => Port ?? Protocol switch
    {
        AuditSyslogProtocol.Udp => 514,
        AuditSyslogProtocol.Tls => 6514,
        _ => 601,
    };
}
