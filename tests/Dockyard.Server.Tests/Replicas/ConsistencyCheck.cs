using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace Dockyard.Server.Tests.Replicas;

/// <summary>
/// Index-versus-storage consistency as a client and an operator can see it: every tag the registry lists resolves,
/// its manifest and every blob it references download with the right digest and size, the storage's tag link agrees
/// with the index, and every stored blob file hashes to its name. (`dockyard fsck` checks the same from the inside.)
/// </summary>
public static class ConsistencyCheck
{
    /// <summary>Walks the registry through <paramref name="http"/> and the filesystem storage at <paramref name="storagePath"/>; returns (repository:tag → digest, problems).</summary>
    public static async Task<(IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> Problems)> RunAsync(HttpClient http, string storagePath, CancellationToken cancellationToken)
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

                var link = Path.Combine(storagePath, "repositories", repository, "_tags", tag);
                var linked = File.Exists(link) ? (await File.ReadAllTextAsync(link, cancellationToken)).Trim() : null;
                if (linked != digest)
                {
                    problems.Add($"{repository}:{tag}: the index says {digest}, the storage tag link says {linked ?? "(missing)"}");
                }

                if (!File.Exists(Path.Combine(storagePath, "repositories", repository, "_manifests", "sha256", digest["sha256:".Length..])))
                {
                    problems.Add($"{repository}:{tag}: no storage manifest link for {digest}");
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

        var blobRoot = Path.Combine(storagePath, "blobs", "sha256");
        foreach (var file in Directory.Exists(blobRoot) ? Directory.EnumerateFiles(blobRoot, "*", SearchOption.AllDirectories) : [])
        {
            await using var stream = File.OpenRead(file);
            var hex = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            if (hex != Path.GetFileName(file))
            {
                problems.Add($"stored blob {Path.GetFileName(file)} hashes to sha256:{hex}");
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
