using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Webhooks;

/// <summary>
/// Sends pending deliveries, at most <see cref="WebhookOptions.MaxConcurrency"/> at once, retrying failures with
/// exponential backoff. Work comes from the database (so it survives restarts and is shared by replicas): a
/// delivery is claimed by moving its <c>next_attempt_at</c> to a lease expiry with a conditional update, so only
/// one worker sends it; if the process dies mid-attempt the lease runs out and the attempt is made again.
/// </summary>
internal sealed partial class WebhookDeliveryWorker(
    IDbContextFactory<DockyardDbContext> contexts,
    WebhookSender sender,
    WebhookMetrics metrics,
    TimeProvider time,
    IOptions<WebhookOptions> options,
    Protection.SecretProtector protector,
    ILogger<WebhookDeliveryWorker> logger) : BackgroundService
{
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(30);

    private readonly WebhookOptions _options = options.Value;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<long, Task> _inFlight = new();

    /// <summary>Makes the worker look for due deliveries now (new ones were written).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var free = Math.Max(1, _options.MaxConcurrency) - _inFlight.Count;
                if (free > 0)
                {
                    var claimed = await ClaimAsync(free, stoppingToken);
                    foreach (var id in claimed)
                    {
                        _inFlight[id] = DeliverAsync(id, stoppingToken);
                    }

                    if (claimed.Count > 0 && claimed.Count == free)
                    {
                        continue;
                    }
                }

                await WaitForWorkAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception error)
            {
                LogLoopFailed(error);
                try
                {
                    await Task.Delay(_options.PollInterval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        // Attempts cut short by the shutdown hand their deliveries back (see AttemptAsync) before the host goes away.
        await Task.WhenAll(_inFlight.Values);
    }

    private async Task WaitForWorkAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(_options.PollInterval, time, stop.Token);
        var wake = _wake.Reader.WaitToReadAsync(stop.Token).AsTask();
        await Task.WhenAny(delay, wake);
        await stop.CancelAsync();
        _wake.Reader.TryRead(out _);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task<List<long>> ClaimAsync(int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var due = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now)
            .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id)
            .Take(limit)
            .Select(d => new { d.Id, d.NextAttemptAt })
            .ToListAsync(cancellationToken);
        DateTimeOffset? lease = now + _options.RequestTimeout + LeaseMargin;
        var claimed = new List<long>(due.Count);
        foreach (var candidate in due)
        {
            var won = await db.WebhookDeliveries
                .Where(d => d.Id == candidate.Id && d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt == candidate.NextAttemptAt)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, lease), cancellationToken);
            if (won == 1)
            {
                claimed.Add(candidate.Id);
            }
        }

        return claimed;
    }

    private async Task DeliverAsync(long id, CancellationToken cancellationToken)
    {
        // Off the loop's stack: the claim loop goes on while this attempt waits on the network.
        await Task.Yield();
        try
        {
            await AttemptAsync(id, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down before the attempt could be recorded; if the release in AttemptAsync did not happen
            // either, the lease runs out and the attempt is made after the restart.
        }
        catch (Exception error)
        {
            LogDeliveryFailed(error, id);
        }
        finally
        {
            _inFlight.TryRemove(id, out _);
            Wake();
        }
    }

    private async Task AttemptAsync(long id, CancellationToken cancellationToken)
    {
        WebhookDeliveryEntity? delivery;
        WebhookEntity? webhook;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            delivery = await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
            webhook = delivery is null ? null : await db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Id == delivery.WebhookId, cancellationToken);
        }

        if (delivery is null || webhook is null)
        {
            return;
        }

        var startedAt = time.GetUtcNow();
        WebhookAttemptResult? result = null;
        if (webhook.Enabled)
        {
            try
            {
                result = await sender.SendAsync(webhook.Url, protector.Unprotect(webhook.Secret), delivery.EventType, delivery.DeliveryId, delivery.Payload, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Graceful shutdown mid-attempt: not the receiver's fault, so no attempt is counted and the delivery
                // is due again at once (after the restart) instead of after the lease.
                await ReleaseAsync(id);
                throw;
            }

            metrics.Attempted(result.Succeeded);
        }

        // Recorded even while shutting down: the attempt happened, and the write is short.
        await using var write = await contexts.CreateDbContextAsync(CancellationToken.None);
        var row = await write.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == id, CancellationToken.None);
        if (row is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (result is null)
        {
            Finish(row, WebhookDeliveryStatus.Cancelled, now);
            row.LastError = "The webhook is disabled.";
            await write.SaveChangesAsync(CancellationToken.None);
            return;
        }

        row.Attempts++;
        row.LastStatusCode = result.StatusCode;
        row.LastError = Truncate(result.Error);
        row.LastDurationMs = (int)Math.Min(int.MaxValue, result.Duration.TotalMilliseconds);
        var history = JsonSerializer.Deserialize<List<WebhookAttempt>>(row.AttemptsJson, WebhookJson.Options) ?? [];
        history.Add(new WebhookAttempt(row.Attempts, startedAt, result.StatusCode, row.LastDurationMs.Value, row.LastError, result.Response));
        row.AttemptsJson = JsonSerializer.Serialize(history, WebhookJson.Options);

        TimeSpan? retryIn = null;
        if (result.Succeeded)
        {
            Finish(row, WebhookDeliveryStatus.Succeeded, now);
        }
        else if (row.Attempts >= _options.MaxAttempts)
        {
            Finish(row, WebhookDeliveryStatus.Failed, now);
            LogGaveUp(row.DeliveryId, webhook.Id, row.Attempts);
        }
        else
        {
            retryIn = _options.RetryDelay(row.Attempts);
            row.NextAttemptAt = now + retryIn;
        }

        await write.SaveChangesAsync(CancellationToken.None);
        if (retryIn is { } wait)
        {
            _ = WakeAfterAsync(wait, cancellationToken);
        }
    }

    private async Task ReleaseAsync(long id)
    {
        DateTimeOffset? now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
        await db.WebhookDeliveries.Where(d => d.Id == id && d.Status == WebhookDeliveryStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, now), CancellationToken.None);
    }

    private void Finish(WebhookDeliveryEntity row, string status, DateTimeOffset now)
    {
        row.Status = status;
        row.NextAttemptAt = null;
        row.CompletedAt = now;
        metrics.Finished(status);
    }

    private async Task WakeAfterAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
            Wake();
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private static string? Truncate(string? error) => error is { Length: > 1024 } ? error[..1024] : error;

    [LoggerMessage(EventId = 4201, Level = LogLevel.Error, Message = "Webhook delivery loop failed; retrying")]
    private partial void LogLoopFailed(Exception error);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Error, Message = "Webhook delivery {Id} failed unexpectedly")]
    private partial void LogDeliveryFailed(Exception error, long id);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Webhook {WebhookId}: delivery {DeliveryId} failed after {Attempts} attempts; giving up")]
    private partial void LogGaveUp(string deliveryId, long webhookId, int attempts);
}
