using Dockyard.Registry;
using Dockyard.Registry.Content;
using Dockyard.Registry.Coordination;
using Dockyard.Registry.Errors;
using Dockyard.Server.Trust.Crypto;

namespace Dockyard.Server.Trust.Signing;

/// <summary>
/// Writes a cosign simple-signing signature of a manifest into its repository, in the very form skopeo, podman and
/// cosign write (<see cref="SignatureManifest"/>), through the registry's own services: blobs through
/// <see cref="UploadService"/> (quota admission, garbage-collection reservation, events) and the <c>.sig</c> manifest
/// through <see cref="ManifestService"/> (immutability rules, tag lock, <c>ManifestPushed</c> event → webhooks, index).
/// </summary>
/// <remarks>
/// Appending is a read-modify-write of the <c>.sig</c> tag, so writers of one digest's signatures through Dockyard take
/// the registry lock <c>signatures:&lt;repository&gt;@&lt;digest&gt;</c> (across replicas too) for the whole of it:
/// two concurrent signings both survive. It is taken before the quota and tag locks <see cref="ManifestService"/>
/// takes inside, never while holding them. Clients that push <c>.sig</c> manifests over <c>/v2</c> (skopeo, cosign)
/// read and write without any lock, as against every registry.
/// </remarks>
internal sealed class SignatureWriter(
    BlobService blobs, UploadService uploads, ManifestService manifests, IRegistryLocks locks, TimeProvider time)
{
    /// <summary><c>optional.creator</c> of the payloads Dockyard signs (c/image writes <c>containers/image &lt;version&gt;</c>).</summary>
    public const string Creator = "Dockyard";

    /// <summary>Payloads and configs are a few hundred bytes; a larger one is not a signature's and is not read.</summary>
    private const long MaxReadBytes = 256 * 1024;

    /// <summary>A <c>.sig</c> manifest grows by ~250 bytes per signature; this bounds what is read back.</summary>
    private const long MaxManifestBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Signs <paramref name="digest"/> of <paramref name="repository"/> with <paramref name="key"/> under the identity
    /// <paramref name="dockerReference"/> (<c>host[:port]/repository</c>) and stores the signature. When a signature by the
    /// same key over the same identity and digest is already there, it is returned (<see cref="WrittenSignature.Added"/> false).
    /// A registry refusal (an immutability rule on the <c>.sig</c> tag, a quota) is raised as the <see cref="RegistryException"/>.
    /// </summary>
    public async Task<WrittenSignature> WriteAsync(RepositoryName repository, Digest digest, string dockerReference, SigningPrivateKey key, CancellationToken cancellationToken)
    {
        var tag = SignatureTag.For(digest);
        await using var held = await locks.AcquireAsync(LockKey(repository, digest), cancellationToken);

        byte[]? existing = null;
        Digest? existingDigest = null;
        try
        {
            var record = await manifests.ResolveAsync(repository, Reference.ForTag(tag), cancellationToken);
            existing = await TryReadBlobAsync(record.Digest, MaxManifestBytes, cancellationToken)
                ?? throw new RegistryException(RegistryErrorCode.ManifestInvalid, $"The signature manifest {tag} cannot be read (gone, or larger than {MaxManifestBytes} bytes).", new { digest = record.Digest.Value });
            existingDigest = record.Digest;
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.ManifestUnknown)
        {
            // The first signature of this digest.
        }

        if (existing is not null && await FindOwnAsync(existing, digest, dockerReference, key.PublicKey, cancellationToken) is { } own)
        {
            return new WrittenSignature(tag, existingDigest!.Value, own.Layer.PayloadDigest, dockerReference, own.Layer.SignatureBase64, own.Payload.Timestamp, Added: false);
        }

        var signedAt = time.GetUtcNow();
        var payload = new SimpleSigningPayload(dockerReference, digest.Value, DateTimeOffset.FromUnixTimeSeconds(signedAt.ToUnixTimeSeconds())) { Creator = Creator }.ToJson();
        var layer = new SignatureLayer(Digest.Compute(payload), payload.Length, Convert.ToBase64String(key.Sign(payload)));

        byte[]? existingConfig = null;
        var configMediaType = MediaTypes.OciConfig;
        if (existing is not null && SignatureManifest.ReadConfig(existing) is { } config)
        {
            existingConfig = await TryReadAsync(repository, config.Digest, cancellationToken);
            configMediaType = config.MediaType;
        }

        var configBytes = SignatureManifest.AppendToConfig(existingConfig, layer.PayloadDigest);
        var configDigest = Digest.Compute(configBytes);
        await StoreBlobAsync(repository, payload, layer.PayloadDigest, cancellationToken);
        await StoreBlobAsync(repository, configBytes, configDigest, cancellationToken);

        var manifest = SignatureManifest.Append(existing, layer, configDigest, configBytes.Length, configMediaType);
        var stored = await manifests.PutAsync(repository, Reference.ForTag(tag), manifest, MediaTypes.OciManifest, cancellationToken);
        return new WrittenSignature(tag, stored.Digest, layer.PayloadDigest, dockerReference, layer.SignatureBase64, signedAt, Added: true);
    }

    /// <summary>The registry lock of one digest's signature writes (its own namespace beside <c>upload:</c>, <c>quota:</c> and <c>tag:</c>).</summary>
    internal static string LockKey(RepositoryName repository, Digest digest) => $"signatures:{repository.Value}@{digest.Value}";

    /// <summary>A layer whose payload names <paramref name="digest"/> under <paramref name="dockerReference"/> and verifies under <paramref name="key"/>.</summary>
    private async Task<(SignatureLayer Layer, SimpleSigningPayload Payload)?> FindOwnAsync(
        byte[] manifest, Digest digest, string dockerReference, SignaturePublicKey key, CancellationToken cancellationToken)
    {
        foreach (var layer in SignatureManifest.ReadLayers(manifest))
        {
            if (layer.PayloadSize > MaxReadBytes || await TryReadBlobAsync(layer.PayloadDigest, MaxReadBytes, cancellationToken) is not { } payload)
            {
                continue;
            }

            byte[] signature;
            try
            {
                signature = Convert.FromBase64String(layer.SignatureBase64);
            }
            catch (FormatException)
            {
                continue;
            }

            if (SimpleSigningPayload.TryParse(payload, out var parsed, out _)
                && parsed.ManifestDigest == digest.Value
                && parsed.DockerReference == dockerReference
                && key.Verify(payload, signature))
            {
                return (layer, parsed);
            }
        }

        return null;
    }

    private async Task StoreBlobAsync(RepositoryName repository, byte[] content, Digest digest, CancellationToken cancellationToken)
    {
        if (await blobs.GetSizeAsync(repository, digest, cancellationToken) is not null)
        {
            return;
        }

        var upload = await uploads.StartAsync(repository, cancellationToken);
        try
        {
            using var body = new MemoryStream(content, writable: false);
            await uploads.CompleteAsync(repository, upload.Id, digest, body, 0, content.Length, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            await TryCancelAsync(repository, upload.Id);
            throw;
        }
    }

    private async Task TryCancelAsync(RepositoryName repository, string uploadId)
    {
        try
        {
            await uploads.CancelAsync(repository, uploadId, CancellationToken.None);
        }
        catch (RegistryException)
        {
            // Already ended by the failed completion (digest mismatch, refusal); the purge job removes anything left.
        }
    }

    private async Task<byte[]?> TryReadAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        await blobs.GetSizeAsync(repository, digest, cancellationToken) is { } size && size <= MaxReadBytes
            ? await TryReadBlobAsync(digest, MaxReadBytes, cancellationToken)
            : null;

    /// <summary>The blob's bytes, or null when it is gone or larger than <paramref name="limit"/>.</summary>
    private async Task<byte[]?> TryReadBlobAsync(Digest digest, long limit, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await blobs.OpenAsync(digest, 0, cancellationToken);
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.BlobUnknown)
        {
            return null;
        }
    }
}
