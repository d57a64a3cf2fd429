using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/orgs/{org}/service-accounts</c>: an organization's service accounts and their tokens, all managed
/// by owners (and system administrators). Token scopes must stay inside the organization's namespace. Changes are
/// authorized and audited by <see cref="ServiceAccountService"/> and <see cref="AccessTokenManager"/>; only the reads
/// are authorized here.
/// </summary>
internal static class ServiceAccountEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/orgs/{org}/service-accounts").WithTags("Service accounts")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        accounts.MapGet("/", ListAsync).WithName("ListServiceAccounts").WithSummary("List service accounts (owners).");
        accounts.MapPost("/", CreateAsync).WithName("CreateServiceAccount").WithSummary("Create a service account (owners).");
        accounts.MapGet("/{sa}", GetAsync).WithName("GetServiceAccount").WithSummary("Get a service account (owners).");
        accounts.MapPatch("/{sa}", UpdateAsync).WithName("UpdateServiceAccount").WithSummary("Deactivate or reactivate a service account, or change its description (owners).");
        accounts.MapDelete("/{sa}", DeleteAsync).WithName("DeleteServiceAccount").WithSummary("Delete a service account and its tokens (owners).");
        accounts.MapGet("/{sa}/tokens", ListTokensAsync).WithName("ListServiceAccountTokens").WithSummary("List a service account's tokens, never their secrets (owners).");
        accounts.MapPost("/{sa}/tokens", CreateTokenAsync).WithName("CreateServiceAccountToken").WithSummary("Create a scoped token; the secret is returned once (owners).");
        accounts.MapDelete("/{sa}/tokens/{id:long}", RevokeTokenAsync).WithName("RevokeServiceAccountToken").WithSummary("Revoke a service account's token (owners).");
    }

    private static async Task<IResult> ListAsync(string org, HttpContext context, ServiceAccountService accounts, CancellationToken cancellationToken)
    {
        var (organization, denied) = await ApiAccess.OrganizationAsync(context, org, manage: true);
        return denied ?? Results.Ok((await accounts.ListAsync(organization!.Id, cancellationToken)).Select(t => ServiceAccountResponse.From(ServiceAccountView.From(t))));
    }

    private static async Task<IResult> CreateAsync(string org, CreateServiceAccountRequest request, HttpContext context, ServiceAccountService accounts, CancellationToken cancellationToken)
    {
        var account = await accounts.CreateAsync(Caller.Of(context), org, request.Name ?? string.Empty, request.Description, cancellationToken);
        return Results.Created($"{ManagementApi.Prefix}/orgs/{org}/service-accounts/{account.Name}", ServiceAccountResponse.From(ServiceAccountView.From(account)));
    }

    private static async Task<IResult> GetAsync(string org, string sa, HttpContext context, ServiceAccountService accounts, CancellationToken cancellationToken)
    {
        var (organization, denied) = await ApiAccess.OrganizationAsync(context, org, manage: true);
        return denied ?? Results.Ok(ServiceAccountResponse.From(ServiceAccountView.From(await accounts.GetAsync(organization!.Id, sa, cancellationToken))));
    }

    private static async Task<IResult> UpdateAsync(string org, string sa, UpdateServiceAccountRequest request, HttpContext context, ServiceAccountService accounts, CancellationToken cancellationToken) =>
        Results.Ok(ServiceAccountResponse.From(ServiceAccountView.From(await accounts.UpdateAsync(Caller.Of(context), org, sa, request.IsActive, request.Description, cancellationToken))));

    private static async Task<IResult> DeleteAsync(string org, string sa, HttpContext context, ServiceAccountService accounts, CancellationToken cancellationToken)
    {
        await accounts.DeleteAsync(Caller.Of(context), org, sa, cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> ListTokensAsync(string org, string sa, HttpContext context, ServiceAccountService accounts, AccessTokenManager manager, CancellationToken cancellationToken)
    {
        var (organization, denied) = await ApiAccess.OrganizationAsync(context, org, manage: true);
        if (denied is not null)
        {
            return denied;
        }

        var account = await accounts.GetAsync(organization!.Id, sa, cancellationToken);
        return Results.Ok((await manager.ListForServiceAccountAsync(account.Id, cancellationToken)).Select(t => AccessTokenResponse.From(AccessTokenView.From(t))));
    }

    private static async Task<IResult> CreateTokenAsync(string org, string sa, PersonalTokenEndpoints.CreateTokenRequest request, HttpContext context, AccessTokenManager manager, CancellationToken cancellationToken)
    {
        var (token, secret) = await manager.CreateForServiceAccountAsync(Caller.Of(context), org, sa, request.Name, request.Scopes, request.ExpiresAt, cancellationToken);
        return Results.Created($"{ManagementApi.Prefix}/orgs/{org}/service-accounts/{sa}/tokens/{token.Id}", NewAccessTokenResponse.From(secret, AccessTokenView.From(token)));
    }

    private static async Task<IResult> RevokeTokenAsync(string org, string sa, long id, HttpContext context, AccessTokenManager manager, CancellationToken cancellationToken)
    {
        await manager.RevokeForServiceAccountAsync(Caller.Of(context), org, sa, id, cancellationToken);
        return Results.NoContent();
    }

    internal sealed record CreateServiceAccountRequest(string? Name, string? Description);

    internal sealed record UpdateServiceAccountRequest(bool? IsActive, string? Description);

    internal sealed record ServiceAccountResponse(string Name, string? Description, bool IsActive, DateTimeOffset CreatedAt)
    {
        public static ServiceAccountResponse From(ServiceAccountView account) => new(account.Name, account.Description, account.IsActive, account.CreatedAt);
    }
}
