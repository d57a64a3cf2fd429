using Dockyard.Server.Audit;
using Dockyard.Server.Policies;

namespace Dockyard.Server.Api;

/// <summary>
/// Tag immutability rules of an organization (<c>/api/v1/orgs/{org}/immutability-rules</c>; members read, owners and
/// system administrators change) and of a repository (<c>/api/v1/repositories/{name}/immutability-rules</c>; readers
/// read, repository administrators change). A rule is created or deleted, never edited. Changes are authorized and
/// audited by <see cref="ImmutabilityRuleService"/>.
/// </summary>
internal static class ImmutabilityRuleEndpoints
{
    private const string Collection = "immutability-rules";
    private const string Item = "immutability-rules/" + RepositoryPath.IdSegment;

    public static void Map(RouteGroupBuilder api)
    {
        var orgs = api.MapGroup("/orgs/{org}/immutability-rules").WithTags("Policies")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        orgs.MapGet("/", ListForOrganizationAsync).WithName("ListOrganizationImmutabilityRules").WithSummary("Immutability rules of an organization (members).");
        orgs.MapPost("/", CreateForOrganizationAsync).WithName("CreateOrganizationImmutabilityRule")
            .WithSummary("Make tags matching tagPattern (e.g. v*) immutable in every repository of the organization, or those matching repositoryPattern (owners).");
        orgs.MapDelete("/{id:long}", DeleteForOrganizationAsync).WithName("DeleteOrganizationImmutabilityRule").WithSummary("Delete an immutability rule (owners).");

        var repositories = api.MapGroup("/repositories").WithTags("Policies")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        repositories.MapGet(RepositoryPathConstraint.Route(Collection), ListForRepositoryAsync).WithName("ListRepositoryImmutabilityRules")
            .WithSummary("The repository's own immutability rules (readers).");
        repositories.MapPost(RepositoryPathConstraint.Route(Collection), CreateForRepositoryAsync).WithName("CreateRepositoryImmutabilityRule")
            .WithSummary("Make tags matching tagPattern immutable in the repository (repository administrators).");
        repositories.MapDelete(RepositoryPathConstraint.Route(Item), DeleteForRepositoryAsync).WithName("DeleteRepositoryImmutabilityRule")
            .WithSummary("Delete an immutability rule (repository administrators).");
    }

    private static async Task<IResult> ListForOrganizationAsync(string org, HttpContext context, ImmutabilityRuleService rules)
    {
        var (organization, denied) = await ApiAccess.OrganizationAsync(context, org, manage: false);
        return denied ?? Results.Ok((await rules.ListAsync(PolicyScope.ForOrganization(organization!.Id, organization.Name), context.RequestAborted)).Select(r => ImmutabilityRuleResponse.From(ImmutabilityRuleView.From(r), organization.Name)));
    }

    private static async Task<IResult> CreateForOrganizationAsync(string org, ImmutabilityRuleRequest request, HttpContext context, ImmutabilityRuleService rules)
    {
        var rule = await rules.CreateAsync(Caller.Of(context), PolicyTarget.ForOrganization(org), request.TagPattern, request.RepositoryPattern, context.RequestAborted);
        return Results.Created($"{ManagementApi.Prefix}/orgs/{org}/immutability-rules/{rule.Id}", ImmutabilityRuleResponse.From(ImmutabilityRuleView.From(rule), org));
    }

    private static async Task<IResult> DeleteForOrganizationAsync(string org, long id, HttpContext context, ImmutabilityRuleService rules)
    {
        await rules.DeleteAsync(Caller.Of(context), PolicyTarget.ForOrganization(org), id, context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> ListForRepositoryAsync(string path, HttpContext context, ImmutabilityRuleService rules)
    {
        // The route constraint matched this shape, so the path parses.
        RepositoryPath.TryParse(path, Collection, out var parsed);

        var (repository, denied) = await ApiAccess.RepositoryAsync(context, parsed.Repository.Value, administer: false);
        return denied ?? Results.Ok((await rules.ListAsync(PolicyScope.ForRepository(repository!.Name), context.RequestAborted)).Select(r => ImmutabilityRuleResponse.From(ImmutabilityRuleView.From(r), null)));
    }

    private static async Task<IResult> CreateForRepositoryAsync(string path, HttpContext context, ImmutabilityRuleService rules)
    {
        // The route constraint matched this shape, so the path parses.
        RepositoryPath.TryParse(path, Collection, out var parsed);

        var request = await ApiJson.ReadAsync<ImmutabilityRuleRequest>(context);
        var rule = await rules.CreateAsync(
            Caller.Of(context), PolicyTarget.ForRepository(parsed.Repository.Value), request?.TagPattern, request?.RepositoryPattern, context.RequestAborted,
            invalidRequest: request is null ? "Send a JSON body: {\"tagPattern\": \"v*\"}." : null);
        return Results.Created($"{ManagementApi.Prefix}/repositories/{parsed.Repository}/immutability-rules/{rule.Id}", ImmutabilityRuleResponse.From(ImmutabilityRuleView.From(rule), null));
    }

    private static async Task<IResult> DeleteForRepositoryAsync(string path, HttpContext context, ImmutabilityRuleService rules)
    {
        // The route constraint matched this shape, so the path parses and has an id.
        RepositoryPath.TryParse(path, Item, out var parsed);
        var id = parsed.Id.GetValueOrDefault();

        await rules.DeleteAsync(Caller.Of(context), PolicyTarget.ForRepository(parsed.Repository.Value), id, context.RequestAborted);
        return Results.NoContent();
    }

    internal sealed record ImmutabilityRuleRequest(string? TagPattern, string? RepositoryPattern);

    internal sealed record ImmutabilityRuleResponse(long Id, string? Organization, string? Repository, string TagPattern, string? RepositoryPattern, string? CreatedBy, DateTimeOffset CreatedAt)
    {
        public static ImmutabilityRuleResponse From(ImmutabilityRuleView rule, string? organization) =>
            new(rule.Id, organization, rule.Repository, rule.TagPattern, rule.RepositoryPattern, rule.CreatedBy, rule.CreatedAt);
    }
}
