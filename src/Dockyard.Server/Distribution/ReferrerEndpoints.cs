using System.Text.Json;
using Dockyard.Registry;
using Dockyard.Registry.Metadata;

namespace Dockyard.Server.Distribution;

/// <summary>
/// <c>GET /v2/{name}/referrers/{digest}</c>: an OCI image index of the manifests whose <c>subject</c> is
/// the digest, optionally filtered by <c>artifactType</c>. An unknown subject yields an empty index.
/// </summary>
internal static class ReferrerEndpoints
{
    public static async Task ListAsync(HttpContext context, RepositoryName name, string rawDigest)
    {
        var subject = BlobEndpoints.ParseDigest(rawDigest);
        var artifactType = context.Request.Query["artifactType"].ToString();
        var filter = artifactType.Length == 0 ? null : artifactType;
        var index = context.RequestServices.GetRequiredService<IReferrerIndex>();
        var referrers = await index.ListReferrersAsync(name, subject, filter, context.RequestAborted);

        var response = context.Response;
        response.ContentType = MediaTypes.OciIndex;
        if (filter is not null)
        {
            response.Headers[RegistryHeaders.FiltersApplied] = "artifactType";
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        await using var writer = new Utf8JsonWriter(response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteNumber("schemaVersion", 2);
        writer.WriteString("mediaType", MediaTypes.OciIndex);
        writer.WriteStartArray("manifests");
        foreach (var referrer in referrers)
        {
            writer.WriteStartObject();
            writer.WriteString("mediaType", referrer.MediaType);
            writer.WriteString("digest", referrer.Digest.Value);
            writer.WriteNumber("size", referrer.Size);
            if (referrer.ArtifactType is not null)
            {
                writer.WriteString("artifactType", referrer.ArtifactType);
            }

            if (referrer.AnnotationsJson is not null)
            {
                writer.WritePropertyName("annotations");
                writer.WriteRawValue(referrer.AnnotationsJson, skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        // Writing into the response pipe never blocks; the pipe flushes when the handler returns.
        writer.Flush();
    }
}
