using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Dockyard.Server.Data.Entities;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Audit;

/// <summary>
/// RFC 5424 messages over TCP with octet-counting framing (RFC 6587 §3.4.1: <c>LENGTH SP MESSAGE</c>). Each message:
/// <c>&lt;PRI&gt;1 TIMESTAMP HOSTNAME dockyard PROCID ACTION [dockyard@32473 id=… outcome=… actor=… …] BOM{json}</c>;
/// severity notice (5) for successes, warning (4) for denied and failed. Reconnects on the next write after a failure.
/// </summary>
internal sealed class AuditSyslogSink(IOptions<AuditOptions> options) : IAuditSink
{
    /// <summary>A private enterprise number placeholder for the SD-ID, as RFC 5424 §7.2.2 permits for examples.</summary>
    private const string SdId = "dockyard@32473";

    private static readonly string HostName = SafeToken(Environment.MachineName, 255);
    private static readonly string ProcessId = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    private TcpClient? _client;
    private NetworkStream? _stream;

    public string Name => "syslog";

    public async Task WriteAsync(IReadOnlyList<AuditEntryEntity> entries, CancellationToken cancellationToken)
    {
        var syslog = options.Value.Syslog;
        if (_stream is null)
        {
            _client = new TcpClient { NoDelay = true, SendTimeout = 10_000 };
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connectTimeout.CancelAfter(TimeSpan.FromSeconds(10));
            await _client.ConnectAsync(syslog.Host!, syslog.Port, connectTimeout.Token);
            _stream = _client.GetStream();
        }

        using var buffer = new MemoryStream();
        foreach (var entry in entries)
        {
            var message = Format(entry, syslog);
            var length = Encoding.ASCII.GetBytes(message.Length.ToString(CultureInfo.InvariantCulture) + " ");
            buffer.Write(length);
            buffer.Write(message);
        }

        await _stream.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    /// <summary>One RFC 5424 message (without framing), UTF-8.</summary>
    public static byte[] Format(AuditEntryEntity entry, AuditSyslogOptions syslog)
    {
        var severity = entry.Outcome == AuditOutcomes.Success ? 5 : 4;
        var header = new StringBuilder()
            .Append('<').Append((syslog.Facility * 8) + severity).Append(">1 ")
            .Append(entry.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)).Append(' ')
            .Append(HostName).Append(' ')
            .Append(SafeToken(syslog.AppName, 48)).Append(' ')
            .Append(ProcessId).Append(' ')
            .Append(SafeToken(entry.Action, 32)).Append(' ')
            .Append('[').Append(SdId);
        Param(header, "id", entry.Id.ToString(CultureInfo.InvariantCulture));
        Param(header, "outcome", entry.Outcome);
        Param(header, "actor", entry.ActorName);
        Param(header, "actorKind", entry.ActorKind);
        Param(header, "sourceIp", entry.SourceIp);
        Param(header, "repository", entry.Repository);
        Param(header, "reference", entry.Reference);
        Param(header, "digest", entry.Digest);
        Param(header, "resource", entry.Resource);
        Param(header, "requestId", entry.RequestId);
        header.Append("] ");
        var head = Encoding.UTF8.GetBytes(header.ToString());
        var body = Encoding.UTF8.GetBytes(AuditEntryResponse.ToJsonLine(entry));
        return [.. head, .. Encoding.UTF8.Preamble, .. body];
    }

    public ValueTask ResetAsync()
    {
        _stream?.Dispose();
        _client?.Dispose();
        _stream = null;
        _client = null;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ResetAsync();

    private static void Param(StringBuilder builder, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        builder.Append(' ').Append(name).Append("=\"");
        foreach (var c in value)
        {
            // RFC 5424 §6.3.3: '"', '\' and ']' are escaped inside PARAM-VALUE.
            if (c is '"' or '\\' or ']')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        builder.Append('"');
    }

    /// <summary>Header fields are printable US-ASCII without spaces; anything else becomes '_', empty becomes '-'.</summary>
    private static string SafeToken(string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "-";
        }

        var chars = value.Length > maxLength ? value[..maxLength].ToCharArray() : value.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] is < '!' or > '~')
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }
}
