using System.Text;
using Dockyard.Server.Data.Entities;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Audit;

/// <summary>Appends each committed entry as one JSON line to <c>Dockyard:Audit:File:Path</c>, flushed per batch.</summary>
internal sealed class AuditFileSink(IOptions<AuditOptions> options) : IAuditSink
{
    private FileStream? _file;

    public string Name => "file";

    public async Task WriteAsync(IReadOnlyList<AuditEntryEntity> entries, CancellationToken cancellationToken)
    {
        var path = options.Value.File.Path!;
        if (_file is null)
        {
            Data.PrivateFiles.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            _file = new FileStream(path, Data.PrivateFiles.Options(FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete));
        }

        var text = new StringBuilder();
        foreach (var entry in entries)
        {
            text.Append(AuditEntryResponse.ToJsonLine(entry)).Append('\n');
        }

        await _file.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken);
        await _file.FlushAsync(cancellationToken);
    }

    public async ValueTask ResetAsync()
    {
        if (_file is not null)
        {
            await _file.DisposeAsync();
            _file = null;
        }
    }

    public ValueTask DisposeAsync() => ResetAsync();
}
