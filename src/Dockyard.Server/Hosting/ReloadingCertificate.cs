using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Dockyard.Server.Hosting;

/// <summary>
/// The TLS server certificate from PEM files, reloaded without a restart: each new TLS connection asks for
/// <see cref="Current"/>, which looks at the files' modification times and sizes at most once per
/// <see cref="CheckInterval"/> and loads them again when they changed (certbot/ACME renewals replace them in place).
/// A new pair that cannot be loaded (half-written, key not matching) keeps the previous certificate and logs a
/// warning; the next change is tried again.
/// </summary>
internal sealed partial class ReloadingCertificate
{
    /// <summary>How long a renewed certificate may go unnoticed; also bounds the cost to two stat calls per interval.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(2);

    private readonly TlsOptions _files;
    private readonly TimeProvider _time;
    private readonly ILogger<ReloadingCertificate> _logger;
    private readonly Lock _gate = new();
    private X509Certificate2 _current;
    private FileStamp _stamp;
    private long _nextCheck;

    public ReloadingCertificate(TlsOptions files, TimeProvider time, ILogger<ReloadingCertificate> logger)
    {
        _files = files;
        _time = time;
        _logger = logger;
        _stamp = FileStamp.Of(files);
        _current = Load(files);
        _nextCheck = time.GetTimestamp() + Ticks(CheckInterval);
    }

    /// <summary>The certificate to present now.</summary>
    public X509Certificate2 Current
    {
        get
        {
            var now = _time.GetTimestamp();
            if (now >= Volatile.Read(ref _nextCheck) && _gate.TryEnter())
            {
                try
                {
                    Refresh(now);
                }
                finally
                {
                    _gate.Exit();
                }
            }

            return Volatile.Read(ref _current);
        }
    }

    /// <summary>Loads the pair; throws <see cref="InvalidOperationException"/> naming the files and the reason.</summary>
    public static X509Certificate2 Load(TlsOptions files)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(files.CertificateFile!, files.KeyFile);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"The TLS certificate {files.CertificateFile} with key {files.KeyFile} cannot be loaded: {e.Message}", e);
        }
    }

    private void Refresh(long now)
    {
        Volatile.Write(ref _nextCheck, now + Ticks(CheckInterval));
        var stamp = FileStamp.Of(_files);
        if (stamp == _stamp)
        {
            return;
        }

        _stamp = stamp;
        try
        {
            var loaded = Load(_files);
            Volatile.Write(ref _current, loaded);
            LogReloaded(_files.CertificateFile!, loaded.Subject, loaded.NotAfter);
        }
        catch (InvalidOperationException e)
        {
            LogReloadFailed(e.Message);
        }
    }

    private long Ticks(TimeSpan interval) => (long)(interval.TotalSeconds * _time.TimestampFrequency);

    [LoggerMessage(EventId = 62, Level = LogLevel.Information, Message = "Reloaded the TLS certificate {File}: {Subject}, valid until {NotAfter:u}")]
    private partial void LogReloaded(string file, string subject, DateTime notAfter);

    [LoggerMessage(EventId = 63, Level = LogLevel.Warning, Message = "Keeping the previous TLS certificate: {Reason}")]
    private partial void LogReloadFailed(string reason);

    /// <summary>What tells a replaced file apart: modification time and size of both.</summary>
    private readonly record struct FileStamp(DateTime CertificateWritten, long CertificateLength, DateTime KeyWritten, long KeyLength)
    {
        public static FileStamp Of(TlsOptions files)
        {
            var certificate = new FileInfo(files.CertificateFile!);
            var key = new FileInfo(files.KeyFile!);
            return new FileStamp(
                certificate.Exists ? certificate.LastWriteTimeUtc : default,
                certificate.Exists ? certificate.Length : -1,
                key.Exists ? key.LastWriteTimeUtc : default,
                key.Exists ? key.Length : -1);
        }
    }
}
