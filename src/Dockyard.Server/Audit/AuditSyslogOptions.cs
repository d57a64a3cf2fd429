namespace Dockyard.Server.Audit;

/// <summary>RFC 5424 syslog over TCP (<c>Dockyard:Audit:Syslog</c>); off while <see cref="Host"/> is empty.</summary>
internal sealed record AuditSyslogOptions
{
    public string? Host { get; init; }

    public int Port { get; init; } = 601;

    /// <summary>APP-NAME of every message.</summary>
    public string AppName { get; init; } = "dockyard";

    /// <summary>Facility code (RFC 5424 §6.2.1); 13 = log audit.</summary>
    public int Facility { get; init; } = 13;
}
