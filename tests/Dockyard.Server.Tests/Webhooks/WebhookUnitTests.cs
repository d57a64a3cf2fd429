using System.Text;
using Dockyard.Registry;
using Dockyard.Registry.Events;
using Dockyard.Server.Audit;
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
            new RegistryOutboxSignal(TimeProvider.System),
            Options.Create(new RegistryEventOptions { QueueCapacity = 2 }),
            metrics,
            NullLogger<ChannelRegistryEventSink>.Instance);
        var repository = RepositoryName.Parse("prod/app");
        var digest = Digest.Parse("sha256:" + new string('a', 64));

        for (var i = 0; i < 5; i++)
        {
            sink.Publish(new ManifestPulled { Repository = repository, OccurredAt = DateTimeOffset.UnixEpoch, Digest = digest, Tag = $"t{i}" });
        }

        Assert.Equal(2, sink.Reader.Count);
        Assert.True(sink.Reader.TryRead(out var first));
        Assert.Equal("t0", ((ManifestPulled)first.Event).Tag);
        Assert.Null(first.Actor);
        using var exported = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(exported);
        Assert.Contains("dockyard_registry_events_dropped_total 3", Encoding.UTF8.GetString(exported.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void OutboxRow_DecodedTwice_SameEventAndEventId()
    {
        var codec = new RegistryOutboxCodec(new HttpContextAccessor(), new TrustedProxies(Options.Create(new AuditOptions())), TimeProvider.System);
        var pushed = new ManifestPushed
        {
            Repository = RepositoryName.Parse("prod/app"),
            OccurredAt = DateTimeOffset.UnixEpoch,
            Digest = Digest.Parse("sha256:" + new string('b', 64)),
            MediaType = "application/vnd.oci.image.manifest.v1+json",
            Size = 123,
            Tag = "1.0",
        };
        var row = codec.ToOutboxRow(pushed);
        row.Id = 7;

        var first = RegistryOutboxCodec.Decode(row);
        var again = RegistryOutboxCodec.Decode(row);

        Assert.NotNull(first);
        Assert.Equal(pushed, first.Event);
        Assert.Null(first.Actor);
        Assert.Equal(7, first.OutboxId);
        Assert.Equal(first.EventId, again!.EventId);
        Assert.Equal(WebhookIds.Delivery(WebhookIds.Event(first.EventId!, "tag.created"), 3), WebhookIds.Delivery(WebhookIds.Event(again.EventId!, "tag.created"), 3));
        Assert.NotEqual(WebhookIds.Event(first.EventId!, "tag.created"), WebhookIds.Event(first.EventId!, "manifest.pushed"));
        Assert.Null(RegistryOutboxCodec.Decode(new Dockyard.Server.Data.Entities.RegistryOutboxEntity { Id = 8, Kind = "no.such.kind", Repository = "prod/app", Payload = row.Payload }));
    }
}
