using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Ldap;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/ldap</c>: LDAP / Active Directory settings, "test connection" and an immediate sync. System
/// administrators only (with a full-rights credential: a scoped access token is not enough). The bind password is
/// write-only: responses say whether it is set, never what it is. Saving, testing and syncing are authorized and
/// audited by <see cref="LdapAdministration"/> and <see cref="LdapSynchronizer"/>, an anonymous attempt too (401).
/// </summary>
internal static class LdapEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var ldap = api.MapGroup("/ldap").WithTags("LDAP");
        ldap.MapGet("/settings", GetSettingsAsync).WithName("GetLdapSettings");
        ldap.MapPut("/settings", PutSettingsAsync).WithName("PutLdapSettings");
        ldap.MapPost("/test", TestAsync).WithName("TestLdapConnection");
        ldap.MapPost("/sync", SyncAsync).WithName("SyncLdap");
    }

    private static async Task<IResult> GetSettingsAsync(HttpContext context, LdapSettingsStore store, CancellationToken cancellationToken)
    {
        if (Deny(context) is { } denied)
        {
            return denied;
        }

        return Results.Ok(LdapSettingsResponse.From(await store.GetAsync(cancellationToken)));
    }

    private static async Task<IResult> PutSettingsAsync(HttpContext context, LdapSettings settings, LdapAdministration ldap) =>
        Results.Ok(LdapSettingsResponse.From(await ldap.SaveSettingsAsync(Caller.Of(context), settings, context.RequestAborted)));

    private static async Task<IResult> TestAsync(HttpContext context, LdapTestRequest? request, LdapAdministration ldap) =>
        Results.Ok(await ldap.TestAsync(Caller.Of(context), request?.Settings, request?.Username, context.RequestAborted));

    private static async Task<IResult> SyncAsync(HttpContext context, LdapSynchronizer synchronizer)
    {
        var result = await synchronizer.SyncAllAsync(Caller.Of(context), context.RequestAborted);
        return result.Error is null
            ? Results.Ok(result)
            : Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "LDAP sync failed", detail: result.Error);
    }

    private static IResult? Deny(HttpContext context)
    {
        var principal = context.GetPrincipal();
        if (!principal.IsAuthenticated)
        {
            return ApiPrincipal.Unauthorized(context);
        }

        return principal.IsAdmin && principal.Scopes is null ? null : ApiPrincipal.Forbidden("LDAP settings are for system administrators.");
    }

    internal sealed record LdapTestRequest(string? Username, LdapSettings? Settings);

    /// <summary>The settings as the API shows them: everything but the bind password, which is only reported as set or not.</summary>
    internal sealed record LdapSettingsResponse(
        bool Enabled,
        string Url,
        bool StartTls,
        string? TrustedCertificatesDirectory,
        string BindDn,
        bool BindPasswordSet,
        string UserSearchBase,
        string UserFilter,
        string UsernameAttribute,
        string EmailAttribute,
        string DisplayNameAttribute,
        string? UserGroupsAttribute,
        string? GroupSearchBase,
        string GroupFilter,
        string GroupMemberAttribute,
        IReadOnlyList<LdapGroupMapping> GroupMappings,
        TimeSpan SyncInterval,
        TimeSpan Timeout)
    {
        public static LdapSettingsResponse From(LdapSettings s) => new(
            s.Enabled, s.Url, s.StartTls, s.TrustedCertificatesDirectory, s.BindDn, !string.IsNullOrEmpty(s.BindPassword),
            s.UserSearchBase, s.UserFilter, s.UsernameAttribute, s.EmailAttribute, s.DisplayNameAttribute, s.UserGroupsAttribute,
            s.GroupSearchBase, s.GroupFilter, s.GroupMemberAttribute, s.GroupMappings, s.SyncInterval, s.Timeout);
    }
}
