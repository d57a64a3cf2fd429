using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Dockyard.Server.Protection;
using Dockyard.Server.Trust.Crypto;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Trust.Keys;

/// <summary>
/// The keys an organization and its teams trust to sign images. Keys are registered and revoked, never deleted (a
/// deletion would erase which key signed what). Changes take the <see cref="Caller"/>, are authorized here (owners and
/// system administrators: <see cref="OrganizationAccessRules.ManageAsync"/>) and recorded here
/// (<see cref="AuditedOperations"/>, under <c>orgs/{org}/keys/{name}</c> with the fingerprint, never key material);
/// every change invalidates the <see cref="TrustKeyRing"/>, so it counts on this replica at once. Reads take the
/// organization id: their entry points check that the caller may see the organization.
/// </summary>
internal sealed partial class TrustKeyService(
    IDbContextFactory<DockyardDbContext> contexts, TimeProvider time, OrganizationAccessRules rules, AuditedOperations audited, SecretProtector protector, TrustKeyRing ring)
{
    private const int MaxReasonLength = 1024;

    /// <summary>The organization's keys by name: revoked and expired ones too.</summary>
    public async Task<IReadOnlyList<TrustKeyView>> ListAsync(long organizationId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await ViewsAsync(db, db.TrustKeys.Where(k => k.OrganizationId == organizationId), cancellationToken);
    }

    /// <summary>One key of the organization; not found when there is none of that name.</summary>
    public async Task<TrustKeyView> GetAsync(long organizationId, string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await ViewsAsync(db, db.TrustKeys.Where(k => k.OrganizationId == organizationId && k.Name == name), cancellationToken)).FirstOrDefault()
            ?? throw DomainException.NotFound(NotFound(await OrganizationNameAsync(db, organizationId, cancellationToken), name));
    }

    /// <summary>Registers a public key, or generates a pair whose private part Dockyard keeps sealed (<see cref="TrustKeyRegistration.Generate"/>).</summary>
    public Task<TrustKeyView> RegisterAsync(Caller caller, string organization, TrustKeyRegistration registration, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.TrustKeyCreate, OrganizationService.Item($"orgs/{organization}/keys", registration.Name)) { Organization = organization }
                .WithFields(("name", registration.Name), ("team", registration.Team), ("expiresAt", registration.ExpiresAt), ("generated", registration.Generate ? true : null)),
            token => rules.ManageAsync(caller.Principal, organization, token),
            token => RegisterAsync(organization, registration, caller.Principal.Name ?? "system", token),
            cancellationToken,
            key => $"orgs/{organization}/keys/{key.Name}",
            key => AuditedResult.Of(("fingerprint", key.Fingerprint), ("algorithm", key.Algorithm)));

    /// <summary>Revokes a key: its signatures stop counting at once on this replica. Revoking a revoked key is a conflict.</summary>
    public Task<TrustKeyView> RevokeAsync(Caller caller, string organization, string name, string? reason, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.TrustKeyRevoke, $"orgs/{organization}/keys/{name}") { Organization = organization }.WithFields(("reason", reason)),
            token => rules.ManageAsync(caller.Principal, organization, token),
            token => RevokeAsync(organization, name, reason, caller.Principal.Name ?? "system", token),
            cancellationToken,
            resultOf: key => AuditedResult.Of(("fingerprint", key.Fingerprint)));

    /// <summary>
    /// The private key of <paramref name="organization"/>'s key <paramref name="name"/>, for signing on a caller's
    /// behalf; the caller authorizes and disposes it. Not found when there is no such key; a conflict when the key is
    /// revoked, expired or one whose private part Dockyard does not hold.
    /// </summary>
    public async Task<SigningPrivateKey> OpenSigningKeyAsync(string organization, string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var key = await db.TrustKeys.AsNoTracking()
            .Where(k => k.Name == name && db.Organizations.Any(o => o.Id == k.OrganizationId && o.Name == organization))
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw DomainException.NotFound(NotFound(organization, name));
        if (key.RevokedAt is not null)
        {
            throw DomainException.Conflict($"Key {organization}/{name} was revoked; it signs nothing.");
        }

        if (key.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            throw DomainException.Conflict($"Key {organization}/{name} expired at {expires:u}; it signs nothing.");
        }

        if (key.PrivateKey is null)
        {
            throw DomainException.Conflict($"Dockyard does not hold the private part of key {organization}/{name}: its owner signs with it. Generate a key Dockyard holds to sign through Dockyard.");
        }

        var pkcs8 = Convert.FromBase64String(protector.Unprotect(key.PrivateKey));
        try
        {
            return SigningPrivateKey.ImportPkcs8(pkcs8);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private async Task<TrustKeyView> RegisterAsync(string organization, TrustKeyRegistration registration, string createdBy, CancellationToken cancellationToken)
    {
        var name = registration.Name ?? string.Empty;
        if (!KeyName().IsMatch(name))
        {
            throw DomainException.Invalid("name", "Must be 1-64 characters: lowercase letters, digits, '.', '_' and '-', starting with a letter or digit.");
        }

        if (registration.ExpiresAt is { } expiresAt && expiresAt <= time.GetUtcNow())
        {
            throw DomainException.Invalid("expiresAt", "Must be in the future.");
        }

        var pem = string.IsNullOrWhiteSpace(registration.PublicKeyPem) ? null : registration.PublicKeyPem;
        if (registration.Generate == (pem is not null))
        {
            throw DomainException.Invalid("publicKey", registration.Generate
                ? "Either paste a public key or have Dockyard generate the pair, not both."
                : "Paste a PEM public key (-----BEGIN PUBLIC KEY-----), or set generate to have Dockyard create the pair and hold its private part.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organizationId = await OrganizationService.IdAsync(db, organization, cancellationToken);
        long? teamId = null;
        if (!string.IsNullOrEmpty(registration.Team))
        {
            teamId = await db.Teams.AsNoTracking().Where(t => t.OrganizationId == organizationId && t.Name == registration.Team).Select(t => (long?)t.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw DomainException.Invalid("team", $"'{organization}' has no team '{registration.Team}'.");
        }

        var (publicKey, sealedPrivateKey) = pem is null ? Generate() : (Parse(pem), null);
        if (await db.TrustKeys.AnyAsync(k => k.OrganizationId == organizationId && k.Name == name, cancellationToken))
        {
            throw DomainException.Conflict($"'{organization}' already has a key named '{name}'.");
        }

        if (await DuplicateOwnerAsync(db, publicKey.Fingerprint, cancellationToken) is { } holder)
        {
            throw DomainException.Conflict(DuplicateMessage(publicKey.Fingerprint, holder));
        }

        var key = new TrustKeyEntity
        {
            OrganizationId = organizationId,
            TeamId = teamId,
            Name = name,
            Algorithm = publicKey.Algorithm,
            Fingerprint = publicKey.Fingerprint,
            PublicKeyPem = publicKey.ToPem(),
            PrivateKey = sealedPrivateKey,
            CreatedBy = createdBy,
            CreatedAt = time.GetUtcNow(),
            ExpiresAt = registration.ExpiresAt,
        };
        db.TrustKeys.Add(key);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A unique index (name in the organization, fingerprint) caught a concurrent registration.
            throw DomainException.Conflict(await DuplicateOwnerAsync(db, publicKey.Fingerprint, CancellationToken.None) is { } other
                ? DuplicateMessage(publicKey.Fingerprint, other)
                : $"'{organization}' already has a key named '{name}'.");
        }

        ring.Invalidate();
        return TrustKeyView.From(key, organization, registration.Team is "" ? null : registration.Team);
    }

    private async Task<TrustKeyView> RevokeAsync(string organization, string name, string? reason, string revokedBy, CancellationToken cancellationToken)
    {
        if (reason is { Length: > MaxReasonLength })
        {
            throw DomainException.Invalid("reason", $"Must be at most {MaxReasonLength} characters.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var organizationId = await OrganizationService.IdAsync(db, organization, cancellationToken);
        var key = await db.TrustKeys.AsNoTracking().FirstOrDefaultAsync(k => k.OrganizationId == organizationId && k.Name == name, cancellationToken)
            ?? throw DomainException.NotFound(NotFound(organization, name));
        if (key.RevokedAt is { } revokedAt)
        {
            throw DomainException.Conflict($"Key {organization}/{name} was already revoked at {revokedAt:u}.");
        }

        key.RevokedAt = time.GetUtcNow();
        key.RevokedBy = revokedBy;
        key.RevocationReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();

        // Only a key not revoked meanwhile: two concurrent revocations must not both succeed.
        var updated = await db.TrustKeys.Where(k => k.Id == key.Id && k.RevokedAt == null)
            .ExecuteUpdateAsync(
                set => set.SetProperty(k => k.RevokedAt, key.RevokedAt).SetProperty(k => k.RevokedBy, key.RevokedBy).SetProperty(k => k.RevocationReason, key.RevocationReason),
                cancellationToken);
        if (updated == 0)
        {
            throw DomainException.Conflict($"Key {organization}/{name} was already revoked.");
        }

        ring.Invalidate();
        var team = key.TeamId is { } teamId ? await db.Teams.AsNoTracking().Where(t => t.Id == teamId).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken) : null;
        return TrustKeyView.From(key, organization, team);
    }

    private (SignaturePublicKey PublicKey, string SealedPrivateKey) Generate()
    {
        using var key = SigningPrivateKey.Generate();
        var pkcs8 = key.ExportPkcs8();
        try
        {
            return (key.PublicKey, protector.Protect(Convert.ToBase64String(pkcs8)));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private static SignaturePublicKey Parse(string pem)
    {
        try
        {
            return SignaturePublicKey.Parse(pem);
        }
        catch (KeyFormatException ex)
        {
            throw DomainException.Invalid("publicKey", ex.Message);
        }
    }

    private static async Task<string?> DuplicateOwnerAsync(DockyardDbContext db, string fingerprint, CancellationToken cancellationToken) =>
        await db.TrustKeys.AsNoTracking().Where(k => k.Fingerprint == fingerprint)
            .Join(db.Organizations, k => k.OrganizationId, o => o.Id, (k, o) => o.Name)
            .FirstOrDefaultAsync(cancellationToken);

    private static string DuplicateMessage(string fingerprint, string organization) =>
        $"This public key ({fingerprint}) is already registered in organization '{organization}'; a key is trusted by one organization only.";

    private static async Task<IReadOnlyList<TrustKeyView>> ViewsAsync(DockyardDbContext db, IQueryable<TrustKeyEntity> keys, CancellationToken cancellationToken)
    {
        var rows = await (
            from key in keys.AsNoTracking()
            join organization in db.Organizations.AsNoTracking() on key.OrganizationId equals organization.Id
            join team in db.Teams.AsNoTracking() on key.TeamId equals (long?)team.Id into teams
            from team in teams.DefaultIfEmpty()
            orderby key.Name
            select new { Key = key, Organization = organization.Name, Team = team == null ? null : team.Name })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => TrustKeyView.From(r.Key, r.Organization, r.Team))];
    }

    private static async Task<string> OrganizationNameAsync(DockyardDbContext db, long organizationId, CancellationToken cancellationToken) =>
        await db.Organizations.AsNoTracking().Where(o => o.Id == organizationId).Select(o => o.Name).FirstOrDefaultAsync(cancellationToken) ?? organizationId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string NotFound(string organization, string name) => $"Organization '{organization}' has no key '{name}'.";

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyName();
}
