using Dockyard.Registry;
using Dockyard.Registry.Content;
using Dockyard.Server.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Trust.Signatures;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Trust.Policies;

/// <summary>
/// Applies the signature policies of a repository's organization (its first path component; only repositories of
/// Dockyard organizations have any) to one manifest digest. Policies are read from <see cref="TrustPolicyCache"/> (in
/// memory), signatures from <see cref="ImageTrustService"/> (verified once per change), so a repository no policy covers
/// costs a dictionary lookup and a covered, already verified digest a second one.
/// </summary>
internal sealed class TrustPolicyEvaluator(
    TrustPolicyCache policies, ImageTrustService signatures, ManifestService manifests, IDbContextFactory<DockyardDbContext> contexts)
{
    /// <summary>Most invalid signatures a refusal describes.</summary>
    private const int MaxProblems = 3;

    /// <summary>Null when every deploy-enforced policy matching <paramref name="repository"/> is satisfied by <paramref name="digest"/>'s signatures.</summary>
    public async ValueTask<TrustRefusal?> CheckDeployAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        var snapshot = await policies.GetAsync(cancellationToken);
        if (!snapshot.AnyDeploy)
        {
            return null;
        }

        var matching = snapshot.For(repository.Value).Where(p => p.EnforceDeploy).ToList();
        return matching.Count == 0 ? null : await EvaluateAsync(repository, digest, matching, cancellationToken);
    }

    /// <summary>
    /// Null when no pull-enforced policy for <paramref name="principal"/>'s kind refuses <paramref name="digest"/> (a null
    /// principal — authentication off — counts as anonymous). Signature and attestation artifacts are never refused
    /// (<see cref="SignatureArtifacts"/>), nor a child of an index that satisfies the policies (a multi-platform image
    /// is signed at its index; its per-platform manifests are fetched by digest after it).
    /// </summary>
    public async ValueTask<TrustRefusal?> CheckPullAsync(RepositoryName repository, Digest digest, Principal? principal, CancellationToken cancellationToken)
    {
        var snapshot = await policies.GetAsync(cancellationToken);
        if (!snapshot.AnyPull)
        {
            return null;
        }

        var kind = principal?.Kind ?? PrincipalKind.Anonymous;
        var matching = snapshot.For(repository.Value).Where(p => p.ChecksPullBy(kind)).ToList();
        if (matching.Count == 0 || await EvaluateAsync(repository, digest, matching, cancellationToken) is not { } refusal)
        {
            return null;
        }

        if (await SignatureArtifacts.IsSignatureAsync(manifests, repository, digest, cancellationToken))
        {
            return null;
        }

        foreach (var parent in await ParentIndexesAsync(repository, digest, cancellationToken))
        {
            if (await EvaluateAsync(repository, parent, matching, cancellationToken) is null)
            {
                return null;
            }
        }

        return refusal;
    }

    private async Task<TrustRefusal?> EvaluateAsync(RepositoryName repository, Digest digest, IReadOnlyList<TrustPolicy> matching, CancellationToken cancellationToken)
    {
        var trust = await signatures.GetAsync(repository, digest, cancellationToken);
        foreach (var policy in matching)
        {
            if (Refuse(repository, digest, policy, trust) is { } refusal)
            {
                return refusal;
            }
        }

        return null;
    }

    /// <summary>The refusal of one policy, or null when <paramref name="trust"/> satisfies it.</summary>
    internal static TrustRefusal? Refuse(RepositoryName repository, Digest digest, TrustPolicy policy, ImageTrust trust)
    {
        var image = $"{repository.Value}@{digest.Value}";
        string requirement;
        IReadOnlyList<string> missing;
        if (!policy.RequireAllTeams)
        {
            if (trust.SignedByOrganization(policy.Organization))
            {
                return null;
            }

            missing = [$"a trusted key of {policy.Organization}"];
            requirement = $"no valid signature by a trusted key of {policy.Organization}";
        }
        else if (policy.Teams.Count == 0)
        {
            // Its teams are gone (their organization was deleted): refuse everything until the policy is edited.
            missing = [];
            requirement = "signatures from teams, but none of its teams exists any more (edit or delete the policy)";
        }
        else
        {
            missing = [.. policy.Teams.Where(t => !trust.SignedByTeam(t))];
            if (missing.Count == 0)
            {
                return null;
            }

            requirement = $"missing signatures from {(missing.Count == 1 ? "team" : "teams")} {string.Join(", ", missing)}";
        }

        var problems = trust.Signatures.Where(s => !s.Valid && s.Problem is not null).Select(s => s.Problem!).Distinct(StringComparer.Ordinal).ToList();
        var invalid = problems.Count == 0
            ? string.Empty
            : $" (invalid signatures: {string.Join("; ", problems.Take(MaxProblems))}{(problems.Count > MaxProblems ? $"; {problems.Count - MaxProblems} more" : string.Empty)})";
        return new TrustRefusal(policy.Id, $"{image} is not signed as {policy.Describe()} requires: {requirement}{invalid}", missing);
    }

    /// <summary>Indexes of <paramref name="repository"/> that list <paramref name="digest"/> as a child (at most a few: only read on the refusal path).</summary>
    private async Task<IReadOnlyList<Digest>> ParentIndexesAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var parents = await (
            from reference in db.ManifestReferences.AsNoTracking()
            where reference.Repository == repository.Value && reference.ChildDigest == digest.Value
            join manifest in db.Manifests.AsNoTracking() on new { reference.Repository, Digest = reference.ManifestDigest } equals new { manifest.Repository, manifest.Digest }
            where manifest.MediaType == MediaTypes.OciIndex || manifest.MediaType == MediaTypes.DockerManifestList
            select reference.ManifestDigest).Take(8).ToListAsync(cancellationToken);
        return [.. parents.Select(p => Digest.TryParse(p, out var parsed) ? parsed : (Digest?)null).Where(p => p is not null).Select(p => p!.Value)];
    }
}
