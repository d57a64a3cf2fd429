using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Dockyard.Server.Data.Entities;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Audit;

/// <summary>
/// RFC 5424 messages over TCP or TLS with octet-counting framing (RFC 6587 §3.4.1, RFC 5425 §4.3: <c>LENGTH SP
/// MESSAGE</c>), or one per UDP datagram (RFC 5426). Each message:
/// <c>&lt;PRI&gt;1 TIMESTAMP HOSTNAME dockyard PROCID ACTION [dockyard@32473 id=… outcome=… actor=… …] BOM{json}</c>;
/// severity notice (5) for successes, warning (4) for denied and failed. A syslog receiver never sends anything back,
/// so a connection that became readable was closed (or reset) by the receiver: it is dropped before the write and the
/// batch goes over a new one, instead of vanishing into a socket whose peer is gone (the first entry after a receiver
/// restart used to be lost that way).
/// </summary>
internal sealed class AuditSyslogSink(IOptions<AuditOptions> options) : IAuditSink
{
    /// <summary>A private enterprise number placeholder for the SD-ID, as RFC 5424 §7.2.2 permits for examples.</summary>
    private const string SdId = "dockyard@32473";

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly string HostName = SafeToken(Environment.MachineName, 255);
    private static readonly string ProcessId = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    private Socket? _socket;
    private Stream? _stream;
    private Task? _closed;

    public string Name => "syslog";

    public async Task WriteAsync(IReadOnlyList<AuditEntryEntity> entries, CancellationToken cancellationToken)
    {
        var syslog = options.Value.Syslog;
        if (syslog.Protocol == AuditSyslogProtocol.Udp)
        {
            await SendDatagramsAsync(entries, syslog, cancellationToken);
            return;
        }

        if (_stream is not null && PeerClosed())
        {
            await ResetAsync();
        }

        if (_stream is null)
        {
            await ConnectAsync(syslog, cancellationToken);
        }

        using var buffer = new MemoryStream();
        foreach (var entry in entries)
        {
            var message = Format(entry, syslog);
            buffer.Write(Encoding.ASCII.GetBytes(message.Length.ToString(CultureInfo.InvariantCulture) + " "));
            buffer.Write(message);
        }

        await _stream!.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    private async Task ConnectAsync(AuditSyslogOptions syslog, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        var client = new TcpClient { NoDelay = true, SendTimeout = 10_000 };
        try
        {
            await client.ConnectAsync(syslog.Host!, syslog.EffectivePort, timeout.Token);
            Stream stream = client.GetStream();
            if (syslog.Protocol == AuditSyslogProtocol.Tls)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                await tls.AuthenticateAsClientAsync(TlsOptions(syslog), timeout.Token);
            }

            _socket = client.Client;
            _stream = stream;
            _closed = DrainUntilClosedAsync(stream);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The receiver's name is always validated against its certificate; <see cref="AuditSyslogOptions.CaFile"/> replaces
    /// the system's roots by the given CA(s) (revocation is not checked, as with any private CA without a CRL).
    /// </summary>
    private static SslClientAuthenticationOptions TlsOptions(AuditSyslogOptions syslog)
    {
        var tls = new SslClientAuthenticationOptions { TargetHost = syslog.Host };
        if (!string.IsNullOrWhiteSpace(syslog.CaFile))
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(syslog.CaFile);
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(roots);
            tls.CertificateChainPolicy = policy;
        }

        return tls;
    }

    /// <summary>Reads (and discards) whatever the receiver sends — TLS session tickets, close_notify — until the end of the stream.</summary>
    private static async Task DrainUntilClosedAsync(Stream stream)
    {
        var buffer = new byte[512];
        try
        {
            while (await stream.ReadAsync(buffer) > 0)
            {
            }
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            // Reset or disposed: closed either way.
        }
    }

    /// <summary>True when the receiver has closed or reset the connection: our reader saw its end, or the socket reads as EOF.</summary>
    private bool PeerClosed()
    {
        if (_closed is { IsCompleted: true })
        {
            return true;
        }

        try
        {
            return _socket!.Poll(0, SelectMode.SelectError) || (_socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0);
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    private static async Task SendDatagramsAsync(IReadOnlyList<AuditEntryEntity> entries, AuditSyslogOptions syslog, CancellationToken cancellationToken)
    {
        // A connected socket per batch: an ICMP "port unreachable" then fails a later send of the batch, which is retried.
        using var udp = new UdpClient();
        udp.Connect(syslog.Host!, syslog.EffectivePort);
        foreach (var entry in entries)
        {
            var message = Format(entry, syslog);
            await udp.SendAsync(message.AsMemory(0, TruncatedLength(message, syslog.MaxDatagramSize)), cancellationToken);
        }
    }

    /// <summary>At most <paramref name="max"/> bytes, cut before a UTF-8 continuation byte so the text stays valid.</summary>
    internal static int TruncatedLength(byte[] message, int max)
    {
        if (message.Length <= max)
        {
            return message.Length;
        }

        var length = max;
        while (length > 0 && (message[length] & 0xC0) == 0x80)
        {
            length--;
        }

        return length;
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

    public async ValueTask ResetAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
        }

        _socket?.Dispose();
        _stream = null;
        _socket = null;
        _closed = null;
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
