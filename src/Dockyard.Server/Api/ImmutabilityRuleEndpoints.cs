using Dockyard.Server.Audit;
using Dockyard.Server.Data.Entities;
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
    public static void Map(RouteGroupBuilder api)
    {
        var orgs = api.MapGroup("/orgs/{org}/immutability-rules").WithTags("Policies")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedAsync).AddEndpointFilter(ApiResults.TranslateErrorsAsync);
        orgs.MapGet("/", ListForOrganizationAsync).WithName("ListOrganizationImmutabilityRules").WithSummary("Immutability rules of an organization (members).");
        orgs.MapPost("/", CreateForOrganizationAsync).WithName("CreateOrganizationImmutabilityRule")
            .WithSummary("Make tags matching tagPattern (e.g. v*) immutable in every repository of the organization, or those matching repositoryPattern (owners).");
        orgs.MapDelete("/{id:long}", DeleteForOrganizationAsync).WithName("DeleteOrganizationImmutabilityRule").WithSummary("Delete an immutability rule (owners).");

        // Shares /repositories/{path} with the repository endpoints, so it stays out of the OpenAPI document (see WebhookEndpoints).
        var repositories = api.MapGroup("/repositories").WithTags("Policies")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedAsync).AddEndpointFilter(ApiResults.TranslateErrorsAsync);
        const string Path = "/{**path:" + ImmutabilityPathConstraint.Name + "}";
        repositories.MapGet(Path, ListForRepositoryAsync).WithName("ListRepositoryImmutabilityRules").ExcludeFromDescription()
            .WithSummary("{name}/immutability-rules: the repository's own rules (readers).");
        repositories.MapPost(Path, CreateForRepositoryAsync).WithName("CreateRepositoryImmutabilityRule").ExcludeFromDescription()
            .WithSummary("{name}/immutability-rules: add a rule (repository administrators).");
        repositories.MapDelete(Path, DeleteForRepositoryAsync).WithName("DeleteRepositoryImmutabilityRule").ExcludeFromDescription()
            .WithSummary("{name}/immutability-rules/{id}: delete a rule (repository administrators).");
    }

    private static async Task<IResult> ListForOrganizationAsync(string org, HttpContext context, ImmutabilityRuleService rules)
    {
        var (organization, denied) = await ApiAccess.OrganizationAsync(context, org, manage: false);
        return denied ?? Results.Ok((await rules.ListAsync(PolicyScope.ForOrganization(organization!.Id, organization.Name), context.RequestAborted)).Select(r => ImmutabilityRuleResponse.From(r, organization.Name)));
    }

    private static async Task<IResult> CreateForOrganizationAsync(string org, ImmutabilityRuleRequest request, HttpContext context, ImmutabilityRuleService rules)
    {
        var rule = await rules.CreateAsync(Caller.Of(context), PolicyTarget.ForOrganization(org), request.TagPattern, request.RepositoryPattern, context.RequestAborted);
        return Results.Created($"{ManagementApi.Prefix}/orgs/{org}/immutability-rules/{rule.Id}", ImmutabilityRuleResponse.From(rule, org));
    }

    private static async Task<IResult> DeleteForOrganizationAsync(string org, long id, HttpContext context, ImmutabilityRuleService rules)
    {
        await rules.DeleteAsync(Caller.Of(context), PolicyTarget.ForOrganization(org), id, context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> ListForRepositoryAsync(string path, HttpContext context, ImmutabilityRuleService rules)
    {
        if (!ImmutabilityPathConstraint.TryParse(path, out var parsed) || parsed.Id is not null)
        {
            return NoSuchResource(path);
        }

        var (repository, denied) = await ApiAccess.RepositoryAsync(context, parsed.Repository, administer: false);
        return denied ?? Results.Ok((await rules.ListAsync(PolicyScope.ForRepository(repository!.Name), context.RequestAborted)).Select(r => ImmutabilityRuleResponse.From(r, null)));
    }

    private static async Task<IResult> CreateForRepositoryAsync(string path, HttpContext context, ImmutabilityRuleService rules)
    {
        if (!ImmutabilityPathConstraint.TryParse(path, out var parsed) || parsed.Id is not null)
        {
            return NoSuchResource(path);
        }

        var request = await ApiJson.ReadAsync<ImmutabilityRuleRequest>(context);
        var rule = await rules.CreateAsync(
            Caller.Of(context), PolicyTarget.ForRepository(parsed.Repository), request?.TagPattern, request?.RepositoryPattern, context.RequestAborted,
            invalidRequest: request is null ? "Send a JSON body: {\"tagPattern\": \"v*\"}." : null);
        return Results.Created($"{ManagementApi.Prefix}/repositories/{parsed.Repository}/immutability-rules/{rule.Id}", ImmutabilityRuleResponse.From(rule, null));
    }

    private static async Task<IResult> DeleteForRepositoryAsync(string path, HttpContext context, ImmutabilityRuleService rules)
    {
        if (!ImmutabilityPathConstraint.TryParse(path, out var parsed) || parsed.Id is not { } id)
        {
            return NoSuchResource(path);
        }

        await rules.DeleteAsync(Caller.Of(context), PolicyTarget.ForRepository(parsed.Repository), id, context.RequestAborted);
        return Results.NoContent();
    }

    private static IResult NoSuchResource(string path) =>
        ApiResults.NotFound($"No such resource: '{path}'. Use {{repository}}/immutability-rules (GET, POST) or {{repository}}/immutability-rules/{{id}} (DELETE).");

    internal sealed record ImmutabilityRuleRequest(string? TagPattern, string? RepositoryPattern);

    internal sealed record ImmutabilityRuleResponse(long Id, string? Organization, string? Repository, string TagPattern, string? RepositoryPattern, string? CreatedBy, DateTimeOffset CreatedAt)
    {
        public static ImmutabilityRuleResponse From(ImmutabilityRuleEntity rule, string? organization) =>
            new(rule.Id, organization, rule.Repository, rule.TagPattern, rule.RepositoryPattern, rule.CreatedBy, rule.CreatedAt);
    }
}
