using Dockyard.Server.Audit;
using Dockyard.Server.Policies;

namespace Dockyard.Server.Api;

/// <summary>
/// Retention policies and runs: <c>/api/v1/orgs/{org}/retention</c> (GET members; PUT, DELETE owners) and
/// <c>…/retention/run?dryRun=true</c> (owners), the same under <c>/api/v1/repositories/{name}/retention</c>
/// (readers; repository administrators), and <c>POST /api/v1/retention/run</c> over every repository (system
/// administrators). A run answers with the plan: what was (or, in a dry run, would be) deleted and why. Policy
/// changes are authorized and audited by <see cref="RetentionPolicyService"/>, runs by <see cref="RetentionService"/>
/// (anonymous changes reach them and are refused there with 401, on the record).
/// </summary>
internal static class RetentionEndpoints
{
    private const string Policy = "retention";
    private const string Run = "retention/run";

    public static void Map(RouteGroupBuilder api)
    {
        var orgs = api.MapGroup("/orgs/{org}/retention").WithTags("Policies")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        orgs.MapGet("/", GetForOrganizationAsync).WithName("GetOrganizationRetentionPolicy").WithSummary("The organization's retention policy (members).");
        orgs.MapPut("/", PutForOrganizationAsync).WithName("PutOrganizationRetentionPolicy")
            .WithSummary("Set the retention policy of every repository of the organization without its own (owners).");
        orgs.MapDelete("/", DeleteForOrganizationAsync).WithName("DeleteOrganizationRetentionPolicy").WithSummary("Remove the organization's retention policy (owners).");
        orgs.MapPost("/run", RunForOrganizationAsync).WithName("RunOrganizationRetention")
            .WithSummary("Run retention on the organization's repositories now; dryRun=true only reports what would be deleted (owners).");

        var all = api.MapGroup("/retention").WithTags("Policies")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        all.MapPost("/run", RunAllAsync).WithName("RunRetention").WithSummary("Run retention on every repository now; dryRun=true only reports (system administrators).");

        var repositories = api.MapGroup("/repositories").WithTags("Policies")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        repositories.MapGet(RepositoryPathConstraint.Route(Policy), GetForRepositoryAsync).WithName("GetRepositoryRetentionPolicy")
            .WithSummary("The repository's own retention policy (readers).");
        repositories.MapPut(RepositoryPathConstraint.Route(Policy), PutForRepositoryAsync).WithName("PutRepositoryRetentionPolicy")
            .WithSummary("Set the repository's own policy, which replaces its organization's (repository administrators).");
        repositories.MapDelete(RepositoryPathConstraint.Route(Policy), DeleteForRepositoryAsync).WithName("DeleteRepositoryRetentionPolicy")
            .WithSummary("Remove the repository's own policy (repository administrators).");
        repositories.MapPost(RepositoryPathConstraint.Route(Run), RunForRepositoryAsync).WithName("RunRepositoryRetention")
            .WithSummary("Run retention on the repository now; dryRun=true only reports what would be deleted (repository administrators).");
    }

    private static async Task<IResult> GetForOrganizationAsync(string org, HttpContext context, RetentionPolicyService policies)
    {
        var (organization, denied) = await ApiAccess.OrganizationAsync(context, org, manage: false);
        return denied ?? Found(RetentionPolicyView.FromOptional(await policies.GetAsync(PolicyScope.ForOrganization(organization!.Id, organization.Name), context.RequestAborted)), organization.Name, null, $"organization {organization.Name}");
    }

    private static Task<IResult> PutForOrganizationAsync(string org, RetentionPolicyRequest request, HttpContext context, RetentionPolicyService policies) =>
        PutAsync(PolicyTarget.ForOrganization(org), request, context, policies, $"orgs/{org}/retention");

    private static async Task<IResult> DeleteForOrganizationAsync(string org, HttpContext context, RetentionPolicyService policies)
    {
        await policies.DeleteAsync(Caller.Of(context), PolicyTarget.ForOrganization(org), context.RequestAborted);
        return Results.NoContent();
    }

    private static Task<IResult> RunForOrganizationAsync(string org, bool? dryRun, HttpContext context, RetentionService retention) =>
        RunAsync(new RetentionRunRequest(dryRun ?? false, Organization: org), context, retention);

    private static Task<IResult> RunAllAsync(bool? dryRun, HttpContext context, RetentionService retention) =>
        RunAsync(new RetentionRunRequest(dryRun ?? false), context, retention);

    /// <summary>The service authorizes and records the run (a refused or anonymous one too).</summary>
    private static async Task<IResult> RunAsync(RetentionRunRequest request, HttpContext context, RetentionService retention) =>
        Results.Ok(RetentionRunResponse.From(await retention.RunAsync(Caller.Of(context), request, null, context.RequestAborted)));

    private static Task<IResult> GetForRepositoryAsync(string path, HttpContext context, RetentionPolicyService policies) =>
        WithRepositoryAsync(context, path, Policy, administer: false, async name =>
            Found(RetentionPolicyView.FromOptional(await policies.GetAsync(PolicyScope.ForRepository(name), context.RequestAborted)), null, name, $"repository {name}"));

    private static async Task<IResult> PutForRepositoryAsync(string path, HttpContext context, RetentionPolicyService policies)
    {
        // The route constraint matched this shape, so the path parses; the service authorizes and audits.
        RepositoryPath.TryParse(path, Policy, out var parsed);
        var name = parsed.Repository.Value;
        var request = await ApiJson.ReadAsync<RetentionPolicyRequest>(context);
        return await PutAsync(
            PolicyTarget.ForRepository(name), request ?? new RetentionPolicyRequest(null, null, null, null, null), context, policies, $"repositories/{name}/retention",
            invalidRequest: request is null ? "Send a JSON body, e.g. {\"keepLastTags\": 10, \"deleteUntaggedAfter\": \"7d\"}." : null);
    }

    private static async Task<IResult> DeleteForRepositoryAsync(string path, HttpContext context, RetentionPolicyService policies)
    {
        RepositoryPath.TryParse(path, Policy, out var parsed);
        await policies.DeleteAsync(Caller.Of(context), PolicyTarget.ForRepository(parsed.Repository.Value), context.RequestAborted);
        return Results.NoContent();
    }

    private static Task<IResult> RunForRepositoryAsync(string path, bool? dryRun, HttpContext context, RetentionService retention)
    {
        // The route constraint matched this shape, so the path parses.
        RepositoryPath.TryParse(path, Run, out var parsed);
        return RunAsync(new RetentionRunRequest(dryRun ?? false, Repository: parsed.Repository.Value), context, retention);
    }

    private static async Task<IResult> WithRepositoryAsync(HttpContext context, string path, string shape, bool administer, Func<string, Task<IResult>> handle)
    {
        // The route constraint matched this shape, so the path parses.
        RepositoryPath.TryParse(path, shape, out var parsed);
        var (repository, denied) = await ApiAccess.RepositoryAsync(context, parsed.Repository.Value, administer);
        return denied ?? await handle(repository!.Name);
    }

    private static async Task<IResult> PutAsync(PolicyTarget target, RetentionPolicyRequest request, HttpContext context, RetentionPolicyService policies, string location, string? invalidRequest = null)
    {
        var settings = new RetentionSettings(request.Enabled, request.KeepLastTags, request.KeepTags, request.DeleteUntaggedAfter, request.IncludeRecent);
        var (policy, created, scope) = await policies.PutAsync(Caller.Of(context), target, settings, context.RequestAborted, invalidRequest);
        var response = RetentionPolicyResponse.From(RetentionPolicyView.From(policy), scope.OrganizationName, scope.Repository);
        return created ? Results.Created($"{ManagementApi.Prefix}/{location}", response) : Results.Ok(response);
    }

    private static IResult Found(RetentionPolicyView? policy, string? organization, string? repository, string scope) => policy is null
        ? ApiResults.NotFound($"{scope} has no retention policy of its own.")
        : Results.Ok(RetentionPolicyResponse.From(policy, organization, repository));

    internal sealed record RetentionPolicyRequest(bool? Enabled, int? KeepLastTags, string[]? KeepTags, string? DeleteUntaggedAfter, bool? IncludeRecent);

    internal sealed record RetentionPolicyResponse(
        string? Organization,
        string? Repository,
        bool Enabled,
        int? KeepLastTags,
        IReadOnlyList<string> KeepTags,
        string? DeleteUntaggedAfter,
        bool IncludeRecent,
        string? UpdatedBy,
        DateTimeOffset UpdatedAt)
    {
        public static RetentionPolicyResponse From(RetentionPolicyView policy, string? organization, string? repository)
        {
            var rule = policy.Rule;
            return new(organization, repository ?? policy.Repository, policy.Enabled, rule.KeepLastTags, rule.KeepTagPatterns,
                rule.DeleteUntaggedAfter is { } age ? DurationText.Format(age) : null, rule.IncludeRecent, policy.UpdatedBy, policy.UpdatedAt);
        }
    }

    internal sealed record RetentionRunResponse(bool DryRun, int Repositories, int Planned, int Deleted, int Failed, IReadOnlyList<RetentionPlanResponse> Plans, IReadOnlyList<string> Errors)
    {
        public static RetentionRunResponse From(RetentionRunResult result) => new(
            result.DryRun,
            result.Plans.Count,
            result.Planned,
            result.Deleted,
            result.Failed,
            [.. result.Plans.Select(p => new RetentionPlanResponse(
                p.Repository,
                [.. p.Deletions.Select(d => new RetentionDeletionResponse(d.Kind == RetentionDeletionKind.Tag ? "tag" : "manifest", d.Digest, d.Tags, d.Reason))],
                [.. p.Kept.Select(k => new RetentionKeptResponse(k.Reference, k.Reason))]))],
            result.Errors);
    }

    internal sealed record RetentionPlanResponse(string Repository, IReadOnlyList<RetentionDeletionResponse> Deletions, IReadOnlyList<RetentionKeptResponse> Kept);

    internal sealed record RetentionDeletionResponse(string Kind, string Digest, IReadOnlyList<string> Tags, string Reason);

    internal sealed record RetentionKeptResponse(string Reference, string Reason);
}
