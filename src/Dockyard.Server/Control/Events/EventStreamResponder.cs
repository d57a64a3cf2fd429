using System.Text.Json;
using Dockyard.Server.Access;

namespace Dockyard.Server.Control.Events;

/// <summary>
/// Answers a live event stream as Server-Sent Events, for the API and the UI alike: each visible event that matches
/// the filter as <c>id: &lt;id&gt;</c> + <c>data: &lt;EventView JSON&gt;</c>, <c>event: gap</c> when the subscriber
/// fell behind and lost events, and a comment line every <see cref="Heartbeat"/> so proxies keep the connection.
/// The subscription ends with the request (client gone or server stopping).
/// </summary>
internal static class EventStreamResponder
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static async Task StreamAsync(HttpContext context, Principal principal, EventFilter filter, EventSearch search, EventBroadcaster broadcaster)
    {
        var cancellationToken = context.RequestAborted;
        var visibility = await search.VisibilityAsync(principal, cancellationToken);
        using var subscription = broadcaster.Subscribe();
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.WriteAsync(": events\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
        var items = subscription.ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        var next = items.MoveNextAsync().AsTask();
        try
        {
            while (true)
            {
                if (await Task.WhenAny(next, Task.Delay(Heartbeat, cancellationToken)) != next)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await response.WriteAsync(": keep-alive\n\n", cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                    continue;
                }

                if (!await next)
                {
                    return;
                }

                var item = items.Current;
                next = items.MoveNextAsync().AsTask();
                if (item.IsGap)
                {
                    await response.WriteAsync("event: gap\ndata: {}\n\n", cancellationToken);
                }
                else if (filter.Matches(item.Event!) && await visibility.MayViewAsync(item.Event!, cancellationToken))
                {
                    var json = JsonSerializer.Serialize(EventView.From(item.Event!), EventsJsonContext.Default.EventView);
                    await response.WriteAsync($"id: {item.Event!.Id}\ndata: {json}\n\n", cancellationToken);
                }
                else
                {
                    continue;
                }

                await response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or IOException && cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            // Completing the queue ends the pending read, so the reader can be disposed (an async iterator refuses
            // disposal while a MoveNext is in flight).
            subscription.Dispose();
            try
            {
                await next;
            }
            catch (OperationCanceledException)
            {
            }

            await items.DisposeAsync();
        }
    }
}
