using Dockyard.Server.Audit;
using Dockyard.Server.Trust.Signing;

namespace Dockyard.Server.Api;

/// <summary>
/// Server-side signing (<c>POST /api/v1/repositories/{name}/manifests/{reference}/signatures</c>, body
/// <c>{"key":"org/name"}</c>): Dockyard signs the manifest with a key it holds and stores a cosign simple-signing
/// signature beside it, as skopeo and cosign would. Authorized and audited by <see cref="SigningService"/>.
/// </summary>
internal static class SigningEndpoints
{
    private const string Shape = "manifests/" + RepositoryPath.ReferenceSegment + "/signatures";

    public static void Map(RouteGroupBuilder api)
    {
        var repositories = api.MapGroup("/repositories").WithTags("Trust");
        repositories.MapPost(RepositoryPathConstraint.Route(Shape), CreateAsync).WithName("CreateSignature")
            .WithSummary("Sign a manifest (tag or digest) with a key Dockyard holds: 201 with the signature (200 when the key had signed it already). Needs push access and use of the key.");
    }

    private static async Task<IResult> CreateAsync(string path, HttpContext context, SigningService signing)
    {
        // The route constraint matched this shape, so the path parses and has a reference.
        RepositoryPath.TryParse(path, Shape, out var parsed);

        var request = await ApiJson.ReadAsync<SignatureRequest>(context);
        var view = await signing.SignAsync(Caller.Of(context), parsed.Repository, parsed.Reference!.Value, request?.Key, context.RequestAborted);
        return view.Created
            ? Results.Created($"{ManagementApi.Prefix}/repositories/{view.Repository}/manifests/{view.Digest}/signatures", view)
            : Results.Ok(view);
    }

    internal sealed record SignatureRequest(string? Key);
}
