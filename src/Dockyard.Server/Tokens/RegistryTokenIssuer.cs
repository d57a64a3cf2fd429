using System.Security.Cryptography;
using Dockyard.Registry;
using Dockyard.Server.Access;
using Dockyard.Server.Identity;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Tokens;

/// <summary>
/// Issues registry bearer tokens: the <c>access</c> claim is what was requested intersected with what the
/// access authorizer allows the principal (never more than requested, silently less when not allowed, as the
/// token spec asks). <c>registry:catalog:*</c> is granted to any authenticated principal; the catalog itself is
/// filtered per principal. A repository name prefixed by one of this registry's own hosts (a notary GUN,
/// <see cref="RegistryHostPrefix"/>) is authorized as the repository without the host and granted under the name as
/// requested, marked <see cref="ResourceScope.ForNotary"/>; any other host prefix is granted nothing. Every token's
/// header carries the signing key's certificate chain (<see cref="TokenCertificateAuthority"/>).
/// </summary>
internal sealed class RegistryTokenIssuer(
    SigningKeyStore keys,
    TokenCertificateAuthority authority,
    IAccessAuthorizer authorizer,
    Addressing.PublicUrl publicUrl,
    IOptions<AuthOptions> options,
    TimeProvider time)
{
    public Task<IssuedToken> IssueAsync(Principal principal, IReadOnlyList<ResourceScope> requested, CancellationToken cancellationToken) =>
        IssueAsync(principal, requested, [], cancellationToken);

    /// <summary>
    /// As <see cref="IssueAsync(Principal, IReadOnlyList{ResourceScope}, CancellationToken)"/>; <paramref name="requestHosts"/>
    /// are the hosts (<c>host[:port]</c>) the client reached this registry by, which count as ours besides the public URL's.
    /// </summary>
    public async Task<IssuedToken> IssueAsync(Principal principal, IReadOnlyList<ResourceScope> requested, IReadOnlyCollection<string> requestHosts, CancellationToken cancellationToken)
    {
        var access = new List<ResourceScope>();
        string?[] ownHosts = [publicUrl.Authority, .. requestHosts];
        foreach (var group in requested.GroupBy(s => (s.Type, s.Name)))
        {
            if (await GrantAsync(principal, group.Key.Type, group.Key.Name, [.. group.SelectMany(s => s.Actions)], ownHosts, cancellationToken) is { } granted)
            {
                access.Add(granted);
            }
        }

        var auth = options.Value;
        var now = time.GetUtcNow();
        // JWT times have one-second resolution; truncate so expires_in matches the exp claim exactly.
        now = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var claims = new RegistryTokenClaims
        {
            Issuer = auth.Issuer,
            Audience = auth.Service,
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            IssuedAt = now,
            NotBefore = now,
            ExpiresAt = now + auth.TokenLifetime,
            Access = access,
            Principal = principal,
        };
        var key = await keys.GetSigningKeyAsync(cancellationToken);
        var chain = await authority.GetChainAsync(key, cancellationToken);
        var token = CompactJws.Sign(RegistryTokenSerializer.Serialize(claims), key.Kid, key.Key, chain);
        return new IssuedToken(token, now, auth.TokenLifetime, access);
    }

    private async Task<ResourceScope?> GrantAsync(
        Principal principal, string type, string name, IReadOnlyList<string> actions, IReadOnlyList<string?> ownHosts, CancellationToken cancellationToken)
    {
        if (type == ResourceScope.RegistryType)
        {
            return name == ResourceScope.CatalogName && principal.IsAuthenticated ? ResourceScope.Catalog : null;
        }

        if (type != ResourceScope.RepositoryType)
        {
            return null;
        }

        // A name with one of our hosts in front is a notary GUN, even when the whole would also be a valid repository
        // name (registry.example.com/team/app): the grant is marked so /v2 never reads it as that repository.
        var forNotary = RegistryHostPrefix.TryParse(name, out var host, out var repository) && RegistryHostPrefix.IsOneOf(host, ownHosts);
        if (!forNotary && !RepositoryName.TryParse(name, out repository))
        {
            return null;
        }

        var wanted = actions.Aggregate(RepositoryActions.None, (all, action) => all | ToActions(action));
        var allowed = await authorizer.GetRepositoryActionsAsync(principal, repository, cancellationToken);
        var granted = wanted & allowed;
        if (granted == RepositoryActions.None)
        {
            return null;
        }

        var names = new List<string>(4);
        names.AddRange(RepositoryActionNames.Of(granted));
        if (actions.Contains(ResourceScope.Wildcard) && granted == RepositoryActions.All)
        {
            names.Add(ResourceScope.Wildcard);
        }

        return new ResourceScope(type, name, names) { ForNotary = forNotary };
    }

    private static RepositoryActions ToActions(string action) =>
        action == ResourceScope.Wildcard ? RepositoryActions.All
        : RepositoryActionNames.TryParse(action, out var parsed) ? parsed
        : RepositoryActions.None;
}
