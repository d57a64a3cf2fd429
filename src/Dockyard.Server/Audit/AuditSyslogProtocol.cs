namespace Dockyard.Server.Audit;

/// <summary>The syslog transport (<c>Dockyard:Audit:Syslog:Protocol</c>).</summary>
internal enum AuditSyslogProtocol
{
    /// <summary>TCP with octet-counting framing (RFC 6587 §3.4.1).</summary>
    Tcp,

    /// <summary>One message per datagram (RFC 5426), truncated to <see cref="AuditSyslogOptions.MaxDatagramSize"/>; no delivery confirmation.</summary>
    Udp,

    /// <summary>TLS with octet-counting framing (RFC 5425); the server certificate and name are always validated.</summary>
    Tls,
}
