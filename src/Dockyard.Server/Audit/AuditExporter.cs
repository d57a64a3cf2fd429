using System.Text;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Audit;

/// <summary>
/// Streams matching entries from the database to a stream, row by row (<c>AsAsyncEnumerable</c>, no tracking),
/// flushing every few hundred rows: memory stays flat however many entries match.
/// </summary>
internal sealed class AuditExporter(IDbContextFactory<DockyardDbContext> contexts)
{
    private const int FlushEvery = 500;

    public async Task<long> ExportAsync(AuditFilter filter, AuditExportFormat format, Stream output, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var text = new StringBuilder();
        if (format == AuditExportFormat.Csv)
        {
            text.Append(AuditCsv.Header).Append("\r\n");
        }

        long count = 0;
        await foreach (var entry in filter.Apply(db.AuditEntries.AsNoTracking()).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (format == AuditExportFormat.Csv)
            {
                AuditCsv.AppendRow(text, entry);
            }
            else
            {
                text.Append(AuditEntryResponse.ToJsonLine(entry)).Append('\n');
            }

            if (++count % FlushEvery == 0)
            {
                await WriteAsync(text, encoding, output, cancellationToken);
                progress?.Report(count);
            }
        }

        await WriteAsync(text, encoding, output, cancellationToken);
        progress?.Report(count);
        return count;
    }

    private static async Task WriteAsync(StringBuilder text, Encoding encoding, Stream output, CancellationToken cancellationToken)
    {
        if (text.Length == 0)
        {
            return;
        }

        await output.WriteAsync(encoding.GetBytes(text.ToString()), cancellationToken);
        await output.FlushAsync(cancellationToken);
        text.Clear();
    }
}
