using Dockyard.Server.Trust.Signatures;

namespace Dockyard.Server.Api;

/// <summary>
/// What a repository's images' signatures amount to: <c>GET /api/v1/repositories/{name}/manifests/{digest}/signatures</c>
/// (every signature found, verified against the registered keys) and <c>GET /api/v1/repositories/{name}/tags</c> (tags
/// with a signature summary each; <c>?signed=false</c> keeps unsigned and invalid ones). Both need pull on the
/// repository, like the repository itself (anonymous callers: public repositories); a caller who may not pull gets 404.
/// </summary>
internal static class SignatureEndpoints
{
    private const string Signatures = "manifests/" + RepositoryPath.DigestSegment + "/signatures";
    private const string Tags = "tags";

    public static void Map(RouteGroupBuilder api)
    {
        var repositories = api.MapGroup("/repositories").WithTags("Signatures");
        repositories.MapGet(RepositoryPathConstraint.Route(Signatures), GetSignaturesAsync).WithName("GetManifestSignatures")
            .WithSummary("The manifest's signatures (cosign .sig tag, OCI referrers, sigstore bundles, Docker Content Trust), each verified: state signed, unsigned or invalid (pull).");
        repositories.MapGet(RepositoryPathConstraint.Route(Tags), ListTagsAsync).WithName("ListRepositoryTags")
            .WithSummary("The repository's tags by name, paged, each with its signature state and signers; signed=false keeps unsigned and invalid ones (pull).");
    }

    private static async Task<IResult> GetSignaturesAsync(string path, HttpContext context, ImageTrustService trust)
    {
        // The route constraint matched this shape, so the path parses and has a digest.
        RepositoryPath.TryParse(path, Signatures, out var parsed);
        var (_, denied) = await ApiAccess.RepositoryAsync(context, parsed.Repository.Value, administer: false);
        if (denied is not null)
        {
            return denied;
        }

        var image = await trust.GetAsync(parsed.Repository, parsed.Digest!.Value, context.RequestAborted);
        return Results.Ok(SignaturesResponse.From(image));
    }

    private static async Task<IResult> ListTagsAsync(string path, HttpContext context, SignedTagLister tags, string? filter, bool? signed, int? page, int? pageSize)
    {
        RepositoryPath.TryParse(path, Tags, out var parsed);
        var (_, denied) = await ApiAccess.RepositoryAsync(context, parsed.Repository.Value, administer: false);
        if (denied is not null)
        {
            return denied;
        }

        if (signed == true)
        {
            return ApiResults.Invalid("signed", "Only signed=false (unsigned and invalid tags) is supported; leave it out for every tag.");
        }

        var result = await tags.ListAsync(parsed.Repository, filter, unsignedOnly: signed == false, page ?? 1, pageSize ?? 50, context.RequestAborted);
        return Results.Ok(new TagListResponse(
            [.. result.Items.Select(t => new TagResponse(t.Name, t.Digest, t.PushedAt, SummaryResponse.From(SignatureSummary.Of(t.Trust)), t.PullCount, t.LastPulledAt))],
            result.Page,
            result.PageSize,
            result.Total,
            result.Truncated));
    }

    internal static string StateName(SignatureState state) => state.ToString().ToLowerInvariant();

    internal sealed record SignaturesResponse(string Repository, string Digest, string State, IReadOnlyList<SignatureResponse> Signatures)
    {
        public static SignaturesResponse From(ImageTrust trust) =>
            new(trust.Repository, trust.Digest, StateName(trust.State), [.. trust.Signatures.Select(SignatureResponse.From)]);
    }

    internal sealed record SignatureResponse(string Kind, string Source, bool Valid, string? Problem, KeyResponse? Key, DateTimeOffset? SignedAt)
    {
        public static SignatureResponse From(SignatureVerdict verdict) => new(
            verdict.Kind,
            verdict.Source,
            verdict.Valid,
            verdict.Problem,
            verdict.KeyFingerprint is { } fingerprint ? new KeyResponse(fingerprint, verdict.KeyName, verdict.Organization, verdict.Team) : null,
            verdict.SignedAt);
    }

    internal sealed record KeyResponse(string Fingerprint, string? Name, string? Organization, string? Team);

    internal sealed record SummaryResponse(string State, IReadOnlyList<string> Signers)
    {
        public static SummaryResponse From(SignatureSummary summary) => new(StateName(summary.State), summary.Signers);
    }

    internal sealed record TagResponse(string Name, string Digest, DateTimeOffset PushedAt, SummaryResponse Signature, long PullCount, DateTimeOffset? LastPulledAt);

    internal sealed record TagListResponse(IReadOnlyList<TagResponse> Items, int Page, int PageSize, int Total, bool Truncated);
}
