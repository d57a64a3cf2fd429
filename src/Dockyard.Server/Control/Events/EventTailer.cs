using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Control.Events;

/// <summary>
/// Brings events that other replicas stored to this replica's live subscribers: while anyone is subscribed it reads
/// <c>engine_events</c> past the last id it saw every <see cref="PollInterval"/> (an indexed range read) and publishes
/// the rows this replica did not insert itself; with no subscriber it does not touch the database.
/// </summary>
internal sealed partial class EventTailer(
    IDbContextFactory<DockyardDbContext> contexts,
    EventBroadcaster broadcaster,
    EventWriter writer,
    DatabaseInitializer database,
    TimeProvider time,
    ILogger<EventTailer> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private const int MaxRows = 1_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await database.Begin().WaitAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await broadcaster.WaitForSubscriberAsync(stoppingToken);
                long last;
                await using (var db = await contexts.CreateDbContextAsync(stoppingToken))
                {
                    last = await db.EngineEvents.MaxAsync(e => (long?)e.Id, stoppingToken) ?? 0;
                }

                writer.ForgetUpTo(last);

                while (broadcaster.SubscriberCount > 0)
                {
                    await Task.Delay(PollInterval, time, stoppingToken);
                    try
                    {
                        last = await PollAsync(last, stoppingToken);
                    }
                    catch (Exception error) when (error is System.Data.Common.DbException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
                    {
                        LogPollFailed(error);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<long> PollAsync(long after, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.EngineEvents.AsNoTracking().Where(e => e.Id > after).OrderBy(e => e.Id).Take(MaxRows).ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return after;
        }

        var last = rows[^1].Id;
        broadcaster.Publish(rows.Where(r => !writer.PublishedHere(r.Id)).Select(EventSearch.ToStored));
        writer.ForgetUpTo(last);
        return last;
    }

    [LoggerMessage(EventId = 4536, Level = LogLevel.Warning, Message = "Reading other replicas' engine events failed; retrying")]
    private partial void LogPollFailed(Exception error);
}
