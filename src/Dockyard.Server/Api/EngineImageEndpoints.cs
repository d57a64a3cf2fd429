using System.Text.Json;
using Dockyard.Server.Audit;
using Dockyard.Server.Control.Images;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/images</c>: images on the engines. List per node (NodeView on the node's collection), pull from
/// Dockyard's own registry as the caller (ContainerCreate on the node's collection and pull on the repository; a
/// reference to another registry is a 400), remove from one node (ContainerDelete; an image a container uses is the
/// engine's 409 unless <c>force</c>). Authorized and audited by <see cref="EngineImageService"/>.
/// </summary>
internal static class EngineImageEndpoints
{
    /// <summary>Newline-delimited JSON: one progress object per line while the engines pull, then the result.</summary>
    public const string NdJson = "application/x-ndjson";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Map(RouteGroupBuilder api)
    {
        var images = api.MapGroup("/images").WithTags("Images")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        images.MapGet("/", ListAsync).WithName("ListEngineImages")
            .WithSummary("The images on every node the caller may view (node = node id or engine name for one), with repository tags, registry digests, size and creation time; unreachable engines are warnings.");
        images.MapPost("/pull", PullAsync).WithName("PullEngineImage")
            .WithSummary("Pull an image of Dockyard's registry onto one node (node) or every reachable one, authorized as the caller. With Accept: application/x-ndjson the engines' progress streams as one JSON object per line, ending with {\"type\":\"result\",…}.");
        images.MapDelete("/{**id}", RemoveAsync).WithName("RemoveEngineImage")
            .WithSummary("Remove an image (id or reference) from one node (node required); force removes it although containers use it.");
    }

    private static async Task<IResult> ListAsync(string? node, HttpContext context, EngineImageService images, CancellationToken cancellationToken) =>
        Results.Ok(await images.ListAsync(Caller.Of(context), node, cancellationToken));

    private static async Task<IResult> PullAsync(ImagePullBody? body, HttpContext context, EngineImageService images, CancellationToken cancellationToken)
    {
        var request = new ImagePullRequest(body?.Reference, body?.Node);
        var streaming = context.Request.Headers.Accept.Any(a => a is not null && a.Contains(NdJson, StringComparison.OrdinalIgnoreCase));
        if (!streaming)
        {
            return Results.Ok(await images.PullAsync(Caller.Of(context), request, null, cancellationToken));
        }

        // The response starts with the first progress line, so refusals (400, 403, 404) before any pull stay ProblemDetails.
        using var gate = new SemaphoreSlim(1, 1);
        var started = false;
        async Task WriteAsync(object line)
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                if (!started)
                {
                    context.Response.ContentType = NdJson;
                    context.Response.Headers.CacheControl = "no-store";
                    started = true;
                }

                await JsonSerializer.SerializeAsync(context.Response.Body, line, line.GetType(), Json, cancellationToken);
                await context.Response.Body.WriteAsync("\n"u8.ToArray(), cancellationToken);
                await context.Response.Body.FlushAsync(cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }

        var result = await images.PullAsync(Caller.Of(context), request, progress => WriteAsync(new ProgressLine("progress", progress)), cancellationToken);
        await WriteAsync(new ResultLine("result", result));
        return Results.Empty;
    }

    private static async Task<IResult> RemoveAsync(string id, string? node, bool? force, HttpContext context, EngineImageService images, CancellationToken cancellationToken) =>
        Results.Ok(await images.RemoveAsync(Caller.Of(context), id, node, force ?? false, cancellationToken));

    internal sealed record ImagePullBody(string? Reference, string? Node);

    internal sealed record ProgressLine(string Type, ImagePullEvent Progress);

    internal sealed record ResultLine(string Type, ImagePullResult Result);
}
