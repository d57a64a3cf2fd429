using System.Text.RegularExpressions;
using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Dockyard.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Accounts;

/// <summary>
/// Validates and manages access tokens on top of <see cref="AccessTokenService"/>: personal tokens (optional
/// scopes) and service-account tokens (scopes required, and every pattern must stay inside the organization's
/// namespace). Secrets are returned once by create and never stored or listed. Tokens are created and revoked for a
/// <see cref="Caller"/>: authorized (personal tokens: the user themself with full rights, through the authorizer; service-account tokens: the organization's
/// owners and system administrators, <see cref="OrganizationAccessRules"/>) and recorded here
/// (<see cref="AuditedOperations"/>), whichever entry point called.
/// </summary>
internal sealed partial class AccessTokenManager(
    IDbContextFactory<DockyardDbContext> contexts,
    AccessTokenService tokens,
    TimeProvider time,
    OrganizationAccessRules organizationRules,
    IAccessAuthorizer authorizer,
    AuditedOperations audited)
{
    public const int MaxScopes = 32;

    /// <summary>The calling user's personal tokens: the user themself with full rights (a scoped token sees none: 403).</summary>
    public async Task<IReadOnlyList<AccessTokenEntity>> ListPersonalAsync(Principal principal, CancellationToken cancellationToken)
    {
        var decision = await authorizer.RequireOwnAccountAsync(principal, Operation.AccessTokenView, "Only users have personal access tokens.", cancellationToken);
        return decision.IsAllowed ? await ListForUserAsync(principal.UserId!.Value, cancellationToken) : throw decision.Error!;
    }

    public async Task<IReadOnlyList<AccessTokenEntity>> ListForUserAsync(long userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.AccessTokens.AsNoTracking().Where(t => t.UserId == userId).OrderBy(t => t.Id).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AccessTokenEntity>> ListForServiceAccountAsync(long serviceAccountId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.AccessTokens.AsNoTracking().Where(t => t.ServiceAccountId == serviceAccountId).OrderBy(t => t.Id).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The calling user creates a personal token. Needs a user's full rights, so a scoped token can never mint a
    /// broader one. The secret is returned once and never recorded.
    /// </summary>
    public Task<(AccessTokenEntity Token, string Secret)> CreatePersonalAsync(Caller caller, string? name, IReadOnlyList<ScopeSpec>? scopes, DateTimeOffset? expiresAt, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.AccessTokenCreate, "me/tokens").WithFields(("name", name), ("scopes", scopes), ("expiresAt", expiresAt)),
            token => authorizer.RequireOwnAccountAsync(caller.Principal, Operation.AccessTokenCreate, "Only users have personal access tokens.", token),
            token =>
            {
                ValidateNameAndExpiry(name, expiresAt);
                var parsed = scopes is null ? null : ParseScopes(scopes, organization: null);
                return tokens.CreateForUserAsync(caller.Principal.UserId!.Value, name!, parsed, expiresAt, token);
            },
            cancellationToken,
            created => $"me/tokens/{created.Token.Id}");

    /// <summary>The calling user (full rights) revokes one of their personal tokens; revoking twice is harmless, another's token is not found.</summary>
    public Task RevokePersonalAsync(Caller caller, long tokenId, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.AccessTokenRevoke, $"me/tokens/{tokenId}"),
            token => authorizer.RequireOwnAccountAsync(caller.Principal, Operation.AccessTokenRevoke, "Only users have personal access tokens.", token),
            token => RevokeAsync(tokenId, caller.Principal.UserId, null, token),
            cancellationToken);

    /// <summary>
    /// An owner of <paramref name="organization"/> (or a system administrator) creates a token for its service
    /// account <paramref name="serviceAccount"/>: scopes are required and must stay inside the organization's namespace.
    /// The secret is returned once and never recorded.
    /// </summary>
    public Task<(AccessTokenEntity Token, string Secret)> CreateForServiceAccountAsync(
        Caller caller,
        string organization,
        string serviceAccount,
        string? name,
        IReadOnlyList<ScopeSpec>? scopes,
        DateTimeOffset? expiresAt,
        CancellationToken cancellationToken)
    {
        var resource = $"orgs/{organization}/service-accounts/{serviceAccount}/tokens";
        return audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.AccessTokenCreate, resource) { Organization = organization }
                .WithFields(("name", name), ("scopes", scopes), ("expiresAt", expiresAt)),
            token => organizationRules.ManageAsync(caller.Principal, organization, token),
            async token =>
            {
                var accountId = await ServiceAccountIdAsync(organization, serviceAccount, token);
                ValidateNameAndExpiry(name, expiresAt);
                if (scopes is not { Count: > 0 })
                {
                    throw DomainException.Invalid("scopes", $"A service account token needs at least one scope inside '{organization}/'.");
                }

                return await tokens.CreateForServiceAccountAsync(accountId, name!, ParseScopes(scopes, organization), expiresAt, token);
            },
            cancellationToken,
            created => $"{resource}/{created.Token.Id}");
    }

    /// <summary>An owner of <paramref name="organization"/> (or a system administrator) revokes a token of its service account; revoking twice is harmless.</summary>
    public Task RevokeForServiceAccountAsync(Caller caller, string organization, string serviceAccount, long tokenId, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.AccessTokenRevoke, $"orgs/{organization}/service-accounts/{serviceAccount}/tokens/{tokenId}") { Organization = organization },
            token => organizationRules.ManageAsync(caller.Principal, organization, token),
            async token => await RevokeAsync(tokenId, null, await ServiceAccountIdAsync(organization, serviceAccount, token), token),
            cancellationToken);

    /// <summary>Revokes a token owned by the given user or service account; revoking twice is harmless.</summary>
    private async Task RevokeAsync(long tokenId, long? userId, long? serviceAccountId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var owned = await db.AccessTokens.AnyAsync(
            t => t.Id == tokenId && (userId != null ? t.UserId == userId : t.ServiceAccountId == serviceAccountId), cancellationToken);
        if (!owned)
        {
            throw DomainException.NotFound($"Token {tokenId} not found.");
        }

        await tokens.RevokeAsync(tokenId, cancellationToken);
    }

    private async Task<long> ServiceAccountIdAsync(string organization, string serviceAccount, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await ServiceAccountService.IdAsync(db, organization, serviceAccount, cancellationToken);
    }

    /// <summary>
    /// Parses and checks requested scopes. With <paramref name="organization"/> set, each pattern must name that
    /// organization as its literal first component (<c>prod</c>, <c>prod/app</c>, <c>prod/*</c>, <c>prod/**</c>).
    /// </summary>
    internal static List<TokenScope> ParseScopes(IReadOnlyList<ScopeSpec> scopes, string? organization)
    {
        if (scopes.Count > MaxScopes)
        {
            throw DomainException.Invalid("scopes", $"At most {MaxScopes} scopes.");
        }

        var parsed = new List<TokenScope>(scopes.Count);
        for (var i = 0; i < scopes.Count; i++)
        {
            var field = $"scopes[{i}]";
            var (pattern, actions) = (scopes[i]?.Repository, scopes[i]?.Actions);
            if (pattern is null || pattern.Length > 255 || !PatternGrammar().IsMatch(pattern))
            {
                throw DomainException.Invalid($"{field}.repository", "Must be a repository name or glob ('*' within a path component, '**' across components).");
            }

            if (organization is not null && pattern != organization && !pattern.StartsWith(organization + "/", StringComparison.Ordinal))
            {
                throw DomainException.Invalid($"{field}.repository", $"Must stay inside the organization's namespace: '{organization}' or '{organization}/...'.");
            }

            if (actions is not { Count: > 0 })
            {
                throw DomainException.Invalid($"{field}.actions", "Must list at least one of pull, push, delete.");
            }

            var allowed = RepositoryActions.None;
            foreach (var action in actions)
            {
                allowed |= RepositoryActionNames.TryParse(action, out var parsedAction)
                    ? parsedAction
                    : throw DomainException.Invalid($"{field}.actions", $"Unknown action '{action}'; use pull, push, delete.");
            }

            parsed.Add(new TokenScope(pattern, allowed));
        }

        return parsed;
    }

    private void ValidateNameAndExpiry(string? name, DateTimeOffset? expiresAt)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 128 || name.Any(char.IsControl))
        {
            throw DomainException.Invalid("name", "Must be 1 to 128 printable characters.");
        }

        if (expiresAt is { } expiry && expiry <= time.GetUtcNow())
        {
            throw DomainException.Invalid("expiresAt", "Must be in the future.");
        }
    }

    [GeneratedRegex(@"^[a-z0-9*]+(?:[._/-]+[a-z0-9*]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex PatternGrammar();
}
