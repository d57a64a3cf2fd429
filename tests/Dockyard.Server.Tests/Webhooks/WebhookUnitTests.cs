using System.Text;
using Dockyard.Registry;
using Dockyard.Registry.Events;
using Dockyard.Server.Events;
using Dockyard.Server.Observability;
using Dockyard.Server.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Tests.Webhooks;

public sealed class WebhookUnitTests
{
    [Fact]
    public void Compute_KnownVector_MatchesRfc4231()
    {
        // RFC 4231 test case 2.
        var signature = WebhookSignature.Compute("Jefe", Encoding.ASCII.GetBytes("what do ya want for nothing?"));
        Assert.Equal("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", signature);
    }

    [Fact]
    public void RetryDelay_DefaultSchedule_TriplesFrom10Seconds()
    {
        var options = new WebhookOptions();
        Assert.Equal([10, 30, 90, 270, 810, 2430, 7290], Enumerable.Range(1, 7).Select(a => options.RetryDelay(a).TotalSeconds));
    }

    [Fact]
    public async Task Publish_QueueFull_DropsAndCountsWithoutBlocking()
    {
        var metrics = new RegistryMetrics();
        var sink = new ChannelRegistryEventSink(
            new HttpContextAccessor(),
            Options.Create(new RegistryEventOptions { QueueCapacity = 2 }),
            metrics,
            NullLogger<ChannelRegistryEventSink>.Instance);
        var repository = RepositoryName.Parse("prod/app");

        for (var i = 0; i < 5; i++)
        {
            sink.Publish(new TagDeleted { Repository = repository, OccurredAt = DateTimeOffset.UnixEpoch, Tag = $"t{i}" });
        }

        Assert.Equal(2, sink.Reader.Count);
        Assert.True(sink.Reader.TryRead(out var first));
        Assert.Equal("t0", ((TagDeleted)first.Event).Tag);
        Assert.Null(first.Actor);
        using var exported = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(exported);
        Assert.Contains("dockyard_registry_events_dropped_total 3", Encoding.UTF8.GetString(exported.ToArray()), StringComparison.Ordinal);
    }
}
