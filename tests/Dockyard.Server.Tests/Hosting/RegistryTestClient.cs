using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Dockyard.Server.Tests.Hosting;

/// <summary>Thin helpers over the OCI API for tests: push blobs and manifests, read errors.</summary>
public sealed class RegistryTestClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Unique repository name per call so tests sharing a server never collide.</summary>
    public static string UniqueRepository(string prefix = "test") => $"{prefix}/r{Guid.NewGuid():N}";

    /// <summary>Pushes a blob with a single POST ?digest= request and returns its digest.</summary>
    public async Task<string> PushBlobAsync(string repository, byte[] content)
    {
        var digest = DigestOf(content);
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await Http.PostAsync($"/v2/{repository}/blobs/uploads/?digest={digest}", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return digest;
    }

    /// <summary>Starts an upload session and returns its Location.</summary>
    public async Task<string> StartUploadAsync(string repository)
    {
        using var response = await Http.PostAsync($"/v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    public async Task<HttpResponseMessage> PatchAsync(string location, byte[] chunk, long? start = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(chunk) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (start is { } s)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{s}-{s + chunk.Length - 1}");
        }

        return await Http.SendAsync(request);
    }

    public static string WithQuery(string location, string query) =>
        location + (location.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;

    public async Task<HttpResponseMessage> PutManifestAsync(string repository, string reference, string json, string mediaType)
    {
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return await Http.PutAsync($"/v2/{repository}/manifests/{reference}", content);
    }

    /// <summary>Pushes a config and one layer, then an image manifest referencing them; returns the manifest's JSON and digest.</summary>
    public async Task<(string Json, string Digest)> PushImageAsync(string repository, string tag, string mediaType = TestManifests.OciManifest, string? layerText = null)
    {
        var config = Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"nonce\":\"{Guid.NewGuid():N}\"}}");
        var layer = Encoding.UTF8.GetBytes(layerText ?? $"layer {Guid.NewGuid():N}");
        var configDigest = await PushBlobAsync(repository, config);
        var layerDigest = await PushBlobAsync(repository, layer);
        var json = TestManifests.Image(mediaType, configDigest, config.Length, layerDigest, layer.Length);
        using var response = await PutManifestAsync(repository, tag, json, mediaType);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (json, response.Headers.GetValues("Docker-Content-Digest").Single());
    }

    /// <summary>Sends a request with an optional binary body and extra headers.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string uri, byte[]? body = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }

        foreach (var (headerName, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(headerName, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(headerName, value);
            }
        }

        return await Http.SendAsync(request);
    }

    /// <summary>Asserts an OCI error response: exact status and first error code.</summary>
    public static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, await ErrorCodeAsync(response));
    }

    /// <summary>Status of a bodiless request (HEAD, GET) to <paramref name="uri"/>.</summary>
    public async Task<HttpStatusCode> StatusOfAsync(HttpMethod method, string uri)
    {
        using var request = new HttpRequestMessage(method, uri);
        using var response = await Http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Lists a repository's tags, or null when the listing is not 200.</summary>
    public async Task<IReadOnlyList<string>?> TagsAsync(string repository)
    {
        using var response = await Http.GetAsync($"/v2/{repository}/tags/list");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToList();
    }

    /// <summary>Every repository the catalog lists, following Link pagination.</summary>
    public async Task<IReadOnlyList<string>> CatalogAsync()
    {
        var names = new List<string>();
        string? next = "/v2/_catalog?n=1000";
        while (next is not null)
        {
            using var response = await Http.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            names.AddRange(document.RootElement.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()!));
            next = response.Headers.TryGetValues("Link", out var links) ? ParseNextLink(links.Single()) : null;
        }

        return names;
    }

    /// <summary>The URL inside <c>&lt;…&gt;; rel="next"</c>.</summary>
    public static string ParseNextLink(string link)
    {
        Assert.EndsWith("; rel=\"next\"", link, StringComparison.Ordinal);
        Assert.StartsWith("<", link, StringComparison.Ordinal);
        return link[1..link.IndexOf('>', StringComparison.Ordinal)];
    }

    /// <summary>Reads an OCI error body and returns its first code.</summary>
    public static async Task<string> ErrorCodeAsync(HttpResponseMessage response)
    {
        var json = await response.Content.ReadAsStringAsync();
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.GetProperty("errors")[0].GetProperty("code").GetString()!;
    }
}
