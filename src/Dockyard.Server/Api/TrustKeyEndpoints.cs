using Dockyard.Server.Audit;
using Dockyard.Server.Trust.Keys;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/orgs/{org}/keys</c>: the keys an organization and its teams trust to sign images. Members list and read
/// them; owners and system administrators register (or have Dockyard generate) and revoke them. Keys are never deleted.
/// Changes are authorized and audited by <see cref="TrustKeyService"/>; only the reads are authorized here.
/// </summary>
internal static class TrustKeyEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/orgs/{org}/keys").WithTags("Trust")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        keys.MapGet("/", ListAsync).WithName("ListTrustKeys").WithSummary("List the keys an organization trusts to sign images, revoked and expired ones too (members).");
        keys.MapPost("/", RegisterAsync).WithName("RegisterTrustKey")
            .WithSummary("Register a PEM public key (ECDSA P-256/P-384, RSA >= 2048, Ed25519), or generate=true for a P-256 pair whose private part Dockyard keeps sealed to sign with (owners).");
        keys.MapGet("/{name}", GetAsync).WithName("GetTrustKey").WithSummary("Get one trusted key (members).");
        keys.MapPost("/{name}/revoke", RevokeAsync).WithName("RevokeTrustKey").WithSummary("Revoke a key: its signatures stop counting (owners).");
    }

    private static async Task<IResult> ListAsync(string org, HttpContext context, TrustKeyService keys)
    {
        var (organization, denied) = await ApiAccess.OrganizationAsync(context, org, manage: false);
        if (denied is not null)
        {
            return denied;
        }

        var now = Now(context);
        return Results.Ok((await keys.ListAsync(organization!.Id, context.RequestAborted)).Select(k => TrustKeyResponse.From(k, now)));
    }

    private static async Task<IResult> RegisterAsync(string org, RegisterTrustKeyRequest request, HttpContext context, TrustKeyService keys)
    {
        var key = await keys.RegisterAsync(
            Caller.Of(context), org, new TrustKeyRegistration(request.Name, request.Team, request.PublicKey, request.Generate ?? false, request.ExpiresAt), context.RequestAborted);
        return Results.Created($"{ManagementApi.Prefix}/orgs/{org}/keys/{key.Name}", TrustKeyResponse.From(key, Now(context)));
    }

    private static async Task<IResult> GetAsync(string org, string name, HttpContext context, TrustKeyService keys)
    {
        var (organization, denied) = await ApiAccess.OrganizationAsync(context, org, manage: false);
        return denied ?? Results.Ok(TrustKeyResponse.From(await keys.GetAsync(organization!.Id, name, context.RequestAborted), Now(context)));
    }

    private static async Task<IResult> RevokeAsync(string org, string name, RevokeTrustKeyRequest? request, HttpContext context, TrustKeyService keys) =>
        Results.Ok(TrustKeyResponse.From(await keys.RevokeAsync(Caller.Of(context), org, name, request?.Reason, context.RequestAborted), Now(context)));

    private static DateTimeOffset Now(HttpContext context) => context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();

    /// <summary>Either <see cref="PublicKey"/> (PEM) or <see cref="Generate"/>; <see cref="Team"/> is a team name within the organization.</summary>
    internal sealed record RegisterTrustKeyRequest(string? Name, string? Team, string? PublicKey, bool? Generate, DateTimeOffset? ExpiresAt);

    internal sealed record RevokeTrustKeyRequest(string? Reason);

    /// <summary><see cref="Status"/> is <c>active</c>, <c>expired</c> or <c>revoked</c>; <see cref="HeldByDockyard"/> says whether Dockyard can sign with the key.</summary>
    internal sealed record TrustKeyResponse(
        string Name,
        string Organization,
        string? Team,
        string Algorithm,
        string Fingerprint,
        string PublicKey,
        bool HeldByDockyard,
        string Status,
        string CreatedBy,
        DateTimeOffset CreatedAt,
        DateTimeOffset? ExpiresAt,
        DateTimeOffset? RevokedAt,
        string? RevokedBy,
        string? RevocationReason)
    {
        public static TrustKeyResponse From(TrustKeyView key, DateTimeOffset now) => new(
            key.Name, key.Organization, key.Team, key.Algorithm, key.Fingerprint, key.PublicKeyPem, key.HeldByDockyard,
            key.Status(now).ToString().ToLowerInvariant(), key.CreatedBy, key.CreatedAt, key.ExpiresAt, key.RevokedAt, key.RevokedBy, key.RevocationReason);
    }
}
