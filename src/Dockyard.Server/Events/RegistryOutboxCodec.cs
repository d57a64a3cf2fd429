using System.Text.Json;
using System.Text.Json.Serialization;
using Dockyard.Registry;
using Dockyard.Registry.Events;
using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Events;

/// <summary>
/// Writes and reads <c>registry_outbox</c> rows. The events recorded there are the ones that describe a change clients
/// are told succeeded: <see cref="ManifestPushed"/>, <see cref="ManifestDeleted"/>, <see cref="TagDeleted"/> and
/// <see cref="BlobDeleted"/>. The request context (principal, request id, client address) is captured when the row is
/// written, inside the request, because the row is read back later on a background task (possibly on another replica).
/// </summary>
internal sealed class RegistryOutboxCodec(IHttpContextAccessor http, TrustedProxies proxies, TimeProvider time) : IRegistryOutboxSerializer
{
    public const string ManifestPushedKind = "manifest.pushed";
    public const string ManifestDeletedKind = "manifest.deleted";
    public const string TagDeletedKind = "tag.deleted";
    public const string BlobDeletedKind = "blob.deleted";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public RegistryOutboxEntity ToOutboxRow(RegistryEvent registryEvent)
    {
        var context = http.HttpContext;
        var payload = new RegistryOutboxPayload
        {
            EventId = Guid.NewGuid().ToString(),
            OccurredAt = registryEvent.OccurredAt,
            Actor = context is null ? null : RegistryOutboxActor.From(context.GetPrincipal()),
            RequestId = context?.TraceIdentifier,
            SourceIp = context is null ? null : proxies.ClientAddress(context)?.ToString(),
        };
        (var kind, payload) = registryEvent switch
        {
            ManifestPushed e => (ManifestPushedKind, payload with { Digest = e.Digest.Value, MediaType = e.MediaType, Size = e.Size, Tag = e.Tag }),
            ManifestDeleted e => (ManifestDeletedKind, payload with { Digest = e.Digest.Value }),
            TagDeleted e => (TagDeletedKind, payload with { Tag = e.Tag }),
            BlobDeleted e => (BlobDeletedKind, payload with { Digest = e.Digest.Value }),
            _ => throw new ArgumentException($"{registryEvent.GetType().Name} events are not recorded in the outbox.", nameof(registryEvent)),
        };
        return new RegistryOutboxEntity
        {
            CreatedAt = time.GetUtcNow(),
            Kind = kind,
            Repository = registryEvent.Repository.Value,
            Payload = JsonSerializer.Serialize(payload, Json),
        };
    }

    /// <summary>The event a row records, as consumers receive it; null when the row cannot be read (an unknown kind, damaged JSON).</summary>
    public static PublishedRegistryEvent? Decode(RegistryOutboxEntity row)
    {
        RegistryOutboxPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<RegistryOutboxPayload>(row.Payload, Json);
        }
        catch (JsonException)
        {
            return null;
        }

        if (payload is null || !RepositoryName.TryParse(row.Repository, out var repository))
        {
            return null;
        }

        Digest? digest = Digest.TryParse(payload.Digest, out var parsed) ? parsed : null;
        RegistryEvent? registryEvent = (row.Kind, digest, payload) switch
        {
            (ManifestPushedKind, { } d, { MediaType: { } mediaType, Size: { } size }) =>
                new ManifestPushed { Repository = repository, OccurredAt = payload.OccurredAt, Digest = d, MediaType = mediaType, Size = size, Tag = payload.Tag },
            (ManifestDeletedKind, { } d, _) => new ManifestDeleted { Repository = repository, OccurredAt = payload.OccurredAt, Digest = d },
            (TagDeletedKind, _, { Tag: { } tag }) => new TagDeleted { Repository = repository, OccurredAt = payload.OccurredAt, Tag = tag },
            (BlobDeletedKind, { } d, _) => new BlobDeleted { Repository = repository, OccurredAt = payload.OccurredAt, Digest = d },
            _ => null,
        };
        return registryEvent is null ? null : new PublishedRegistryEvent(registryEvent, payload.Actor?.ToPrincipal())
        {
            EventId = payload.EventId,
            OutboxId = row.Id,
        };
    }
}
