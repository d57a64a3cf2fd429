using Dockyard.Server.Control.Streaming;

namespace Dockyard.Server.Control.Stats;

/// <summary>
/// A container's stats as Server-Sent Events: <c>data: {ContainerStatsView}</c> about once a second (a slow client
/// gets the latest sample, never a backlog), and <c>event: end</c> <c>{"reason":"stopped"|"error","message"}</c>
/// when the container is not running or stops, or the engine stream breaks.
/// </summary>
internal static class StatsEventStream
{
    public static async Task RunAsync(HttpResponse response, LatestOnlySubscription<ContainerStatsView, StatsEnd>? subscription, CancellationToken aborted)
    {
        ServerSentEventWriter.Start(response);
        using var sse = new ServerSentEventWriter(response);
        sse.Comment("open"u8);
        try
        {
            if (!await sse.FlushAsync(aborted))
            {
                return;
            }

            if (subscription is not null)
            {
                await foreach (var sample in subscription.Samples.ReadAllAsync(aborted))
                {
                    sample.WriteTo(sse.BeginEvent(default));
                    sse.EndEvent();
                    if (!await sse.FlushAsync(aborted))
                    {
                        return;
                    }
                }
            }

            var end = subscription?.End ?? StatsEnd.Stopped;
            var json = sse.BeginEvent("end"u8);
            json.WriteStartObject();
            json.WriteString("reason"u8, end.Reason);
            if (end.Message is not null)
            {
                json.WriteString("message"u8, end.Message);
            }

            json.WriteEndObject();
            sse.EndEvent();
            await sse.FlushAsync(aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The viewer left.
        }
    }
}
