using System.Buffers;
using Dockyard.Registry;
using Dockyard.Registry.Content;
using Dockyard.Registry.Errors;
using Dockyard.Registry.Metadata;
using Dockyard.Server.Trust.Policies;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Distribution;

/// <summary>
/// <c>/v2/{name}/manifests/{reference}</c>: GET, HEAD, PUT, DELETE. Reads answer DENIED when a signature policy that
/// checks pulls refuses the manifest (<see cref="TrustPolicyEvaluator.CheckPullAsync"/>); blob reads are not checked (a
/// blob's digest is only known from a manifest the policy already let through).
/// </summary>
internal static class ManifestEndpoints
{
    public static Task HandleAsync(HttpContext context, RepositoryName name, string rawReference)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            // A read names something that may exist; a reference no manifest can have simply does not (404, as the
            // OCI conformance suite expects). Writes still say what is wrong with it (400 TAG_INVALID / DIGEST_INVALID).
            if (!Reference.TryParse(rawReference, out var readReference, out _))
            {
                throw new RegistryException(RegistryErrorCode.ManifestUnknown, "No manifest has this reference: it is neither a valid tag nor a valid digest.", new { reference = rawReference });
            }

            return GetAsync(context, name, readReference);
        }

        var reference = ParseReference(rawReference);
        return HttpMethods.IsPut(method) ? PutAsync(context, name, reference) : DeleteAsync(context, name, reference);
    }

    private static Reference ParseReference(string raw)
    {
        if (Reference.TryParse(raw, out var reference, out var looksLikeDigest))
        {
            return reference;
        }

        throw looksLikeDigest
            ? new RegistryException(RegistryErrorCode.DigestInvalid, "Invalid digest: expected sha256:<64 hex> or sha512:<128 hex>.", new { digest = raw })
            : new RegistryException(RegistryErrorCode.TagInvalid, "Invalid tag: up to 128 characters of [A-Za-z0-9_.-], not starting with '.' or '-'.", new { tag = raw });
    }

    private static async Task GetAsync(HttpContext context, RepositoryName name, Reference reference)
    {
        var manifests = context.RequestServices.GetRequiredService<ManifestService>();
        var record = await manifests.ResolveAsync(name, reference, context.RequestAborted);
        if (reference.IsTag && !Accepts(context.Request, record.MediaType))
        {
            throw new RegistryException(
                RegistryErrorCode.ManifestUnknown,
                $"The manifest is a {record.MediaType}, which the Accept header does not allow.",
                new { mediaType = record.MediaType });
        }

        // Signature policies that check pulls: nothing but a snapshot read when none covers the repository.
        var policies = context.RequestServices.GetRequiredService<TrustPolicyEvaluator>();
        if (await policies.CheckPullAsync(name, record.Digest, context.GetRegistryPrincipal(), context.RequestAborted) is { } refusal)
        {
            throw new RegistryException(RegistryErrorCode.Denied, refusal.Message, new { policy = refusal.PolicyId, missing = refusal.MissingSigners });
        }

        var response = context.Response;
        response.ContentType = record.MediaType;
        response.ContentLength = record.Size;
        response.Headers[RegistryHeaders.ContentDigest] = record.Digest.Value;
        response.Headers.ETag = $"\"{record.Digest.Value}\"";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        // The whole body in one write (Content-Length is set above): no stream copy, no buffer to rent.
        var body = await manifests.ReadAsync(name, reference, record, context.RequestAborted);
        await response.BodyWriter.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>
    /// Docker's content negotiation for pulls by tag: a client that lists manifest types in Accept but not
    /// this one would misread it. No Accept (or a wildcard) accepts anything.
    /// </summary>
    private static bool Accepts(HttpRequest request, string mediaType)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0)
        {
            return true;
        }

        var listsManifestTypes = false;
        foreach (var header in accept)
        {
            foreach (var part in (header ?? string.Empty).Split(','))
            {
                var type = part.AsSpan();
                var semicolon = type.IndexOf(';');
                if (semicolon >= 0)
                {
                    type = type[..semicolon];
                }

                type = type.Trim();
                if (type.SequenceEqual("*/*") || type.Equals(mediaType, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }

                listsManifestTypes |= MediaTypes.IsSupportedManifest(type.ToString());
            }
        }

        return !listsManifestTypes;
    }

    private static async Task PutAsync(HttpContext context, RepositoryName name, Reference reference)
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<RegistryOptions>>().Value.MaxManifestBytes;
        var (buffer, length) = await ReadBodyAsync(context.Request, limit, context.RequestAborted);
        ManifestRecord record;
        try
        {
            var manifests = context.RequestServices.GetRequiredService<ManifestService>();
            record = await manifests.PutAsync(name, reference, buffer.AsMemory(0, length), context.Request.ContentType, context.RequestAborted);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status201Created;
        response.Headers.Location = $"/v2/{name.Value}/manifests/{record.Digest.Value}";
        response.Headers[RegistryHeaders.ContentDigest] = record.Digest.Value;
        if (record.Subject is { } subject)
        {
            response.Headers[RegistryHeaders.Subject] = subject.Value;
        }

        response.ContentLength = 0;
    }

    /// <summary>Reads a manifest body (small by contract) into a pooled buffer, refusing more than <paramref name="limit"/> bytes.</summary>
    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 64 * 1024, limit) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        throw TooLarge(limit);
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            if (length > limit)
            {
                throw TooLarge(limit);
            }

            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static RegistryException TooLarge(int limit) =>
        new(RegistryErrorCode.ManifestTooLarge, $"Manifest is larger than the {limit} byte limit.", new { limit });

    private static async Task DeleteAsync(HttpContext context, RepositoryName name, Reference reference)
    {
        var manifests = context.RequestServices.GetRequiredService<ManifestService>();
        await manifests.DeleteAsync(name, reference, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentLength = 0;
    }
}
