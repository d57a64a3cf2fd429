using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Policies;

namespace Dockyard.Server.Api;

/// <summary>
/// A repository's untagged manifests (<see cref="UntaggedManifestService"/>, which authorizes and records every
/// change, refusals included): <c>GET /api/v1/repositories/{name}/manifests?untagged=true</c> lists them, newest
/// first, paged, each with what refers to it (pull); <c>POST …/manifests/delete</c> <c>{"digests": [...],
/// "includeReferenced": false}</c> deletes a selection and <c>POST …/manifests/delete-untagged</c>
/// <c>{"olderThanDays": 30, "dryRun": true}</c> those older than an age (delete permission; a dry run, pull).
/// </summary>
internal static class UntaggedManifestEndpoints
{
    private const string List = "manifests";
    private const string Delete = "manifests/delete";
    private const string CleanUp = "manifests/delete-untagged";

    public static void Map(RouteGroupBuilder api)
    {
        var repositories = api.MapGroup("/repositories").WithTags("Repositories");
        repositories.MapGet(RepositoryPathConstraint.Route(List), ListAsync).WithName("ListUntaggedManifests")
            .WithSummary("untagged=true: the manifests no tag points at (pushed by digest, platform images of an index, signatures, SBOMs), newest first, paged, each with the index holding it, its subject and its referrers (pull).");
        repositories.MapPost(RepositoryPathConstraint.Route(Delete), DeleteAsync).WithName("DeleteUntaggedManifests")
            .WithSummary("Delete the untagged manifests named in digests (at most 500); tagged ones, and referenced ones unless includeReferenced, are skipped with the reason (delete permission).");
        repositories.MapPost(RepositoryPathConstraint.Route(CleanUp), CleanUpAsync).WithName("DeleteOldUntaggedManifests")
            .WithSummary("Delete the untagged manifests pushed more than olderThanDays days ago that nothing kept references; dryRun=true only plans (delete permission; a dry run, pull).");
    }

    private static async Task<IResult> ListAsync(string path, HttpContext context, UntaggedManifestService service, bool? untagged, int? page, int? pageSize)
    {
        // The route constraint matched this shape, so the path parses.
        RepositoryPath.TryParse(path, List, out var parsed);
        if (untagged != true)
        {
            return ApiResults.Invalid("untagged", "Only untagged=true (the manifests no tag points at) is supported; tags are listed at …/tags.");
        }

        var result = await service.ListAsync(context.GetPrincipal(), parsed.Repository, page ?? 1, pageSize ?? 50, context.RequestAborted);
        return Results.Ok(new UntaggedListResponse([.. result.Items.Select(UntaggedManifestResponse.From)], result.Page, result.PageSize, result.Total));
    }

    private static async Task<IResult> DeleteAsync(string path, HttpContext context, UntaggedManifestService untagged)
    {
        RepositoryPath.TryParse(path, Delete, out var parsed);
        var request = await ApiJson.ReadAsync<DeleteRequest>(context);
        var result = await untagged.DeleteAsync(Caller.Of(context), parsed.Repository, request?.Digests ?? [], request?.IncludeReferenced ?? false, context.RequestAborted);
        return Results.Ok(DeleteResponse.From(result));
    }

    private static async Task<IResult> CleanUpAsync(string path, HttpContext context, UntaggedManifestService untagged)
    {
        RepositoryPath.TryParse(path, CleanUp, out var parsed);
        if (await ApiJson.ReadAsync<CleanUpRequest>(context) is not { OlderThanDays: { } days } request)
        {
            return ApiResults.Invalid("olderThanDays", "Send a JSON body, e.g. {\"olderThanDays\": 30, \"dryRun\": true}.");
        }

        if (days is < 0 or > 36_500)
        {
            return ApiResults.Invalid("olderThanDays", "olderThanDays must be between 0 and 36500.");
        }

        var cleanup = await untagged.CleanUpAsync(Caller.Of(context), parsed.Repository, TimeSpan.FromDays(days), request.DryRun ?? false, context.RequestAborted);
        return Results.Ok(CleanUpResponse.From(cleanup));
    }

    internal sealed record DeleteRequest(string[]? Digests, bool? IncludeReferenced);

    internal sealed record CleanUpRequest(int? OlderThanDays, bool? DryRun);

    internal sealed record UntaggedListResponse(IReadOnlyList<UntaggedManifestResponse> Items, int Page, int PageSize, int Total);

    internal sealed record LinkResponse(string Digest, IReadOnlyList<string> Tags, bool Present)
    {
        public static LinkResponse From(ManifestLink link) => new(link.Digest, link.Tags, link.Present);
    }

    /// <summary>One untagged manifest; <c>referenced</c> when an index holds it or its subject is in the repository (it is part of something still there).</summary>
    internal sealed record UntaggedManifestResponse(
        string Digest,
        string MediaType,
        string? ArtifactType,
        long Size,
        DateTimeOffset PushedAt,
        bool Referenced,
        LinkResponse? Subject,
        IReadOnlyList<LinkResponse> HeldBy,
        IReadOnlyList<LinkResponse> Referrers)
    {
        public static UntaggedManifestResponse From(ManifestRelation relation) => new(
            relation.Digest,
            relation.MediaType,
            relation.ArtifactType,
            relation.Size,
            relation.PushedAt,
            relation.IsReferenced,
            relation.Subject is { } subject ? LinkResponse.From(subject) : null,
            [.. relation.HeldBy.Select(LinkResponse.From)],
            [.. relation.Referrers.Select(LinkResponse.From)]);
    }

    internal sealed record OutcomeResponse(string Digest, string Outcome, string? Reason)
    {
        public static OutcomeResponse From(UntaggedDeletion deletion) => new(deletion.Digest, deletion.Outcome.ToString().ToLowerInvariant(), deletion.Reason);
    }

    internal sealed record DeleteResponse(int Deleted, int Skipped, int Failed, IReadOnlyList<OutcomeResponse> Items)
    {
        public static DeleteResponse From(UntaggedDeleteResult result) =>
            new(result.Deleted, result.Skipped, result.Failed, [.. result.Items.Select(OutcomeResponse.From)]);
    }

    internal sealed record PlannedResponse(string Digest, string Reason);

    internal sealed record CleanUpResponse(bool DryRun, int OlderThanDays, IReadOnlyList<PlannedResponse> Planned, IReadOnlyList<PlannedResponse> Kept, int Deleted, int Skipped, int Failed, IReadOnlyList<OutcomeResponse> Items)
    {
        public static CleanUpResponse From(UntaggedCleanup cleanup) => new(
            cleanup.DryRun,
            (int)cleanup.OlderThan.TotalDays,
            [.. cleanup.Plan.Deletions.Select(d => new PlannedResponse(d.Digest, d.Reason))],
            [.. cleanup.Plan.Kept.Select(k => new PlannedResponse(k.Reference, k.Reason))],
            cleanup.Outcome.Deleted,
            cleanup.Outcome.Skipped,
            cleanup.Outcome.Failed,
            [.. cleanup.Results.Select(OutcomeResponse.From)]);
    }
}
