using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Dockyard.Control.Engines;

namespace Dockyard.Control.Images;

/// <summary>Images on ONE engine: list, inspect, remove, and pull from a registry with credentials.</summary>
public sealed class ImageClient(EngineClient engine)
{
    /// <summary><c>GET /images/json</c>; filters: reference, label, dangling, before, since.</summary>
    public async Task<IReadOnlyList<ImageSummary>> ListAsync(bool all, EngineFilters? filters, CancellationToken cancellationToken)
    {
        var path = EngineQuery.Path("images/json").AddIfTrue("all", all).Add(filters).ToString();
        return await engine.GetAsync(path, ImageJsonContext.Default.ListImageSummary, cancellationToken);
    }

    /// <summary><c>GET /images/{name}/json</c>; <paramref name="name"/> is a reference or id.</summary>
    public Task<ImageDetails> InspectAsync(string name, CancellationToken cancellationToken) =>
        engine.GetAsync(EngineQuery.Path("images", name, "/json").ToString(), ImageJsonContext.Default.ImageDetails, cancellationToken);

    /// <summary>
    /// <c>DELETE /images/{name}</c>: untags the reference and deletes the image once nothing refers to it.
    /// An image used by a container is a <see cref="EngineErrorKind.Conflict"/> unless <paramref name="force"/>.
    /// </summary>
    public async Task<IReadOnlyList<ImageDeleteResult>> RemoveAsync(string name, bool force, CancellationToken cancellationToken)
    {
        var path = EngineQuery.Path("images", name).AddIfTrue("force", force).ToString();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(EngineClient.RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Delete, path);
        using var response = await engine.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        try
        {
            return await response.Content.ReadFromJsonAsync(ImageJsonContext.Default.ListImageDeleteResult, timeout.Token) ?? [];
        }
        catch (JsonException ex)
        {
            throw new EngineApiException(engine.Name, EngineErrorKind.Failed, (int)response.StatusCode, "answered the image removal with JSON that could not be read: " + ex.Message, ex);
        }
    }

    /// <summary>
    /// Pulls <paramref name="image"/>:<paramref name="tag"/> and yields the engine's progress messages as they
    /// arrive. The pull is not bounded by <see cref="EngineClient.RequestTimeout"/>: it lasts as long as the
    /// download, and stopping the enumeration (or cancelling) abandons it. Fails with
    /// <see cref="EngineApiException"/> on an error status or on an error message inside the stream.
    /// </summary>
    /// <param name="image">Repository, with the registry host for anything but Docker Hub (<c>127.0.0.1:5000/team/app</c>).</param>
    /// <param name="tag">Tag or digest; required (an empty tag would make the engine pull every tag).</param>
    /// <param name="credentials">Sent as <c>X-Registry-Auth</c>; null for anonymous pulls.</param>
    /// <param name="cancellationToken">Stops the pull.</param>
    public async IAsyncEnumerable<ImagePullProgress> PullAsync(
        string image, string tag, RegistryCredentials? credentials, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = PullRequest(image, tag, credentials);
        using var response = await engine.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var progress in ImagePullStream.ReadAsync(body, engine.Name, (int)response.StatusCode, cancellationToken))
        {
            yield return progress;
        }
    }

    /// <summary>
    /// Pulls and reports each progress message to <paramref name="onProgress"/> synchronously, in order (unlike
    /// <see cref="Progress{T}"/>, which posts to the thread pool and can reorder).
    /// </summary>
    public async Task PullAsync(string image, string tag, RegistryCredentials? credentials, Action<ImagePullProgress>? onProgress, CancellationToken cancellationToken)
    {
        await foreach (var progress in PullAsync(image, tag, credentials, cancellationToken))
        {
            onProgress?.Invoke(progress);
        }
    }

    internal static HttpRequestMessage PullRequest(string image, string tag, RegistryCredentials? credentials)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        var request = new HttpRequestMessage(HttpMethod.Post, EngineQuery.Path("images/create").Add("fromImage", image).Add("tag", tag).ToString());
        if (credentials is not null)
        {
            request.Headers.TryAddWithoutValidation(RegistryAuthHeader.Name, RegistryAuthHeader.Encode(credentials));
        }

        return request;
    }
}
