using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace Dockyard.Server.Tests.Replicas;

/// <summary>
/// Consistency as a client sees it: every tag the registry lists resolves, and its manifest and every blob it
/// references download with the right digest and size. The storage side (tag and manifest links agree with the
/// index, stored blobs hash to their names) is `dockyard fsck`'s, run against the same database and storage.
/// </summary>
public static class ConsistencyCheck
{
    /// <summary>Walks the registry through <paramref name="http"/>; returns (repository:tag → digest, problems).</summary>
    public static async Task<(IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> Problems)> RunAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var verifiedBlobs = new HashSet<string>(StringComparer.Ordinal);

        foreach (var repository in await ListAsync(http, "/v2/_catalog?n=10000", "repositories", cancellationToken))
        {
            foreach (var tag in await ListAsync(http, $"/v2/{repository}/tags/list?n=10000", "tags", cancellationToken))
            {
                using var response = await http.GetAsync($"/v2/{repository}/manifests/{tag}", cancellationToken);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    problems.Add($"{repository}:{tag} is listed but GET manifest answered {(int)response.StatusCode}");
                    continue;
                }

                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
                tags[$"{repository}:{tag}"] = digest;
                var header = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.Single() : null;
                if (header != digest)
                {
                    problems.Add($"{repository}:{tag}: Docker-Content-Digest {header} but the body hashes to {digest}");
                }

                using var manifest = JsonDocument.Parse(body);
                var referenced = manifest.RootElement.GetProperty("layers").EnumerateArray().Append(manifest.RootElement.GetProperty("config"));
                foreach (var descriptor in referenced)
                {
                    var blob = descriptor.GetProperty("digest").GetString()!;
                    if (verifiedBlobs.Add($"{repository}@{blob}"))
                    {
                        await CheckBlobAsync(http, repository, blob, descriptor.GetProperty("size").GetInt64(), problems, cancellationToken);
                    }
                }
            }
        }

        return (tags, problems);
    }

    private static async Task CheckBlobAsync(HttpClient http, string repository, string digest, long size, List<string> problems, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/v2/{repository}/blobs/{digest}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            problems.Add($"{repository}@{digest}: referenced blob answered {(int)response.StatusCode}");
            return;
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[256 * 1024];
        long read = 0;
        int n;
        while ((n = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, n);
            read += n;
        }

        var actual = "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != digest || read != size)
        {
            problems.Add($"{repository}@{digest}: downloaded {read} bytes hashing to {actual}, expected {size} bytes");
        }
    }

    private static async Task<IReadOnlyList<string>> ListAsync(HttpClient http, string uri, string property, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(uri, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return document.RootElement.TryGetProperty(property, out var items) && items.ValueKind == JsonValueKind.Array
            ? [.. items.EnumerateArray().Select(i => i.GetString()!)]
            : [];
    }
}
