using System.Text;
using Dockyard.Server.Data.Entities;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;

namespace Dockyard.Server.Audit;

/// <summary>
/// Appends each committed entry as one JSON line to <c>Dockyard:Audit:File:Path</c>. The file is opened with real
/// append semantics (<see cref="AppendOnlyFile"/>) and reopened before a batch when it was rotated — the path names
/// another file or none (rename), or the file is shorter than after our last write (copytruncate) — and after
/// <see cref="RequestReopen"/> (SIGHUP, see <see cref="AuditStream"/>).
/// </summary>
internal sealed class AuditFileSink(IOptions<AuditOptions> options) : IAuditSink
{
    private SafeFileHandle? _file;
    private string? _openedAs;
    private long _writtenTo;
    private int _reopenRequested;

    public string Name => "file";

    /// <summary>Closes the file before the next batch, which opens the path afresh.</summary>
    public void RequestReopen() => Interlocked.Exchange(ref _reopenRequested, 1);

    public Task WriteAsync(IReadOnlyList<AuditEntryEntity> entries, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(options.Value.File.Path!);
        if (_file is not null && (Interlocked.Exchange(ref _reopenRequested, 0) == 1 || Rotated(path)))
        {
            _file.Dispose();
            _file = null;
        }

        if (_file is null)
        {
            Data.PrivateFiles.CreateDirectory(Path.GetDirectoryName(path)!);
            _file = AppendOnlyFile.Open(path);
            _openedAs = OpenedAs(_file);
            _writtenTo = RandomAccess.GetLength(_file);
        }

        var text = new StringBuilder();
        foreach (var entry in entries)
        {
            text.Append(AuditEntryResponse.ToJsonLine(entry)).Append('\n');
        }

        AppendOnlyFile.Append(_file, Encoding.UTF8.GetBytes(text.ToString()));
        _writtenTo = RandomAccess.GetLength(_file);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Whether <paramref name="path"/> no longer is the file we hold: it is gone, our file now has another name
    /// (renamed away), or it is shorter than after our last write (truncated in place).
    /// </summary>
    private bool Rotated(string path) =>
        !File.Exists(path) || RandomAccess.GetLength(_file!) < _writtenTo || OpenedAs(_file!) != _openedAs;

    /// <summary>Where the open file is now (Linux names it in /proc/self/fd, following renames); null elsewhere.</summary>
    private static string? OpenedAs(SafeFileHandle file)
    {
        var link = $"/proc/self/fd/{file.DangerousGetHandle()}";
        return OperatingSystem.IsLinux() ? new FileInfo(link).LinkTarget : null;
    }

    public ValueTask ResetAsync()
    {
        _file?.Dispose();
        _file = null;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ResetAsync();
}
