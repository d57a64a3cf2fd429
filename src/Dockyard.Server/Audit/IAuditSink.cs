using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Audit;

/// <summary>A SIEM destination for committed entries. Implementations throw on failure; the stream retries.</summary>
internal interface IAuditSink : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Delivers <paramref name="entries"/> in order; on an exception the same batch is retried later.</summary>
    Task WriteAsync(IReadOnlyList<AuditEntryEntity> entries, CancellationToken cancellationToken);

    /// <summary>Drops a broken connection or handle so the next write starts afresh.</summary>
    ValueTask ResetAsync();
}
