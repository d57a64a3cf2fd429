using System.Collections.Concurrent;
using System.Text.Json;
using Dockyard.Registry;
using Dockyard.Server.Addressing;
using Dockyard.Server.Trust.Keys;
using Dockyard.Server.Trust.Signatures;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Trust.Notary;

/// <summary>
/// Docker Content Trust signatures from the operator's notary server (<see cref="NotaryOptions"/>): reads root.json,
/// targets.json and the delegation roles it names (<c>targets/releases</c>, <c>targets/&lt;signer&gt;</c>) for the
/// trust collection <c>{registry host}/{repository}</c>, verifies each role's ECDSA signatures against the keys its
/// parent lists, and answers one <c>notary</c> verdict per key that signed a target whose sha256 is the manifest digest.
/// A verdict is valid only when that key is registered in Dockyard (matched by SPKI fingerprint) and counts now; a DCT
/// signature by any other key is reported invalid, naming the key so an administrator can register it. Trust data is
/// reused per repository for <see cref="NotaryOptions.CacheTtl"/>. Not configured, it finds nothing and asks nobody.
/// </summary>
internal sealed class NotarySignatureSource(
    NotaryMetadataClient client, PublicUrl publicUrl, IOptions<NotaryOptions> options, TimeProvider time) : ISignatureSource
{
    private const int MaxCachedRepositories = 4096;

    private readonly ConcurrentDictionary<string, (DateTimeOffset ReadAt, NotaryTrustData Data)> _cache = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<SignatureVerdict>> FindAsync(RepositoryName repository, Digest digest, TrustKeySnapshot keys, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var host = settings.RegistryHost is { Length: > 0 } configured ? configured : publicUrl.Authority;
        if (!settings.Enabled || host is null || digest.Algorithm != DigestAlgorithm.Sha256)
        {
            return [];
        }

        var data = await GetTrustDataAsync($"{host}/{repository.Value}", host, settings, cancellationToken);
        return Verdicts(data, digest.Hex, keys, time.GetUtcNow());
    }

    /// <summary>One verdict per key that signed a target with sha256 <paramref name="digestHex"/> (pure: unit-tested without a server).</summary>
    internal static IReadOnlyList<SignatureVerdict> Verdicts(NotaryTrustData data, string digestHex, TrustKeySnapshot keys, DateTimeOffset now)
    {
        var verdicts = new List<SignatureVerdict>();
        foreach (var role in data.Roles)
        {
            if (!role.ByDigest.TryGetValue(digestHex, out var tags))
            {
                continue;
            }

            var source = $"{role.Role.Name} ({string.Join(", ", tags)})";
            var problem = data.RootProblem ?? role.ParentProblem
                ?? (!role.Role.Verified ? $"the notary role {role.Role.Name} is not signed by the keys delegated to it"
                : role.Role.Expires is not { } expires ? $"the notary role {role.Role.Name} has no readable expiry (fails closed)"
                : expires <= now ? $"the notary role {role.Role.Name} expired at {expires:u}"
                : null);
            if (problem is not null)
            {
                verdicts.Add(new SignatureVerdict(SignatureKinds.Notary, source, false, problem, null, null, null, null, null));
                continue;
            }

            foreach (var key in role.Role.SignedBy)
            {
                var fingerprint = key.Fingerprint!;
                verdicts.Add(keys.ByFingerprint.TryGetValue(fingerprint, out var trusted)
                    ? new SignatureVerdict(SignatureKinds.Notary, source, trusted.Problem(now) is null, trusted.Problem(now), fingerprint, trusted.Name, trusted.Organization, trusted.Team, null)
                    : new SignatureVerdict(SignatureKinds.Notary, source, false,
                        $"signed with Docker Content Trust by a key not registered in Dockyard (key id {key.Id}, fingerprint {fingerprint})",
                        null, null, null, null, null));
            }
        }

        return verdicts;
    }

    /// <summary>Drops the cached trust data of every repository (tests, and after a key change elsewhere).</summary>
    public void Invalidate() => _cache.Clear();

    private async Task<NotaryTrustData> GetTrustDataAsync(string gun, string host, NotaryOptions settings, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(gun, out var cached) && time.GetUtcNow() - cached.ReadAt < settings.CacheTtl)
        {
            return cached.Data;
        }

        var data = await ReadAsync((role, token) => client.GetAsync(gun, role, host, token), gun, settings.MaxDelegations, cancellationToken);
        if (_cache.Count >= MaxCachedRepositories)
        {
            _cache.Clear();
        }

        _cache[gun] = (time.GetUtcNow(), data);
        return data;
    }

    /// <summary>
    /// The trust data of <paramref name="gun"/> from its role files as <paramref name="fetch"/> returns them (null: no such
    /// role). Pure apart from <paramref name="fetch"/>, so unit tests feed it metadata built in the test.
    /// </summary>
    internal static async Task<NotaryTrustData> ReadAsync(
        Func<string, CancellationToken, Task<byte[]?>> fetch, string gun, int maxDelegations, CancellationToken cancellationToken)
    {
        if (await fetch("root", cancellationToken) is not { } rootBytes)
        {
            return NotaryTrustData.Empty;
        }

        JsonElement rootSigned;
        try
        {
            using var document = JsonDocument.Parse(rootBytes, new JsonDocumentOptions { MaxDepth = 32 });
            rootSigned = document.RootElement.GetProperty("signed").Clone();
            if (rootSigned.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidOperationException("signed is not an object");
            }
        }
        catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"root.json of {gun} is not TUF metadata", error);
        }

        var rootKeys = TufRole.KeysOf(rootSigned.TryGetProperty("keys", out var k) ? k : default);
        var roles = rootSigned.TryGetProperty("roles", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
        var (rootIds, rootThreshold) = TufRole.Delegation(roles.ValueKind == JsonValueKind.Object && roles.TryGetProperty("root", out var rr) ? rr : default);
        var root = TufRole.Parse("root", "Root", rootBytes, rootKeys, rootIds, rootThreshold);
        var rootProblem = root is { Verified: true } ? null : "the notary root metadata is not signed by its root keys";

        if (await fetch("targets", cancellationToken) is not { } targetsBytes)
        {
            return new NotaryTrustData([], rootProblem);
        }

        var (targetIds, targetThreshold) = TufRole.Delegation(roles.ValueKind == JsonValueKind.Object && roles.TryGetProperty("targets", out var tr) ? tr : default);
        var targets = TufRole.Parse("targets", "Targets", targetsBytes, rootKeys, targetIds, targetThreshold)
            ?? throw new InvalidDataException($"targets.json of {gun} is not TUF targets metadata");
        var result = new List<NotaryTrustData.RoleTargets> { new(targets, targets.TargetsByDigest(null), null) };

        if (targets.Signed.TryGetProperty("delegations", out var delegations) && delegations.ValueKind == JsonValueKind.Object
            && delegations.TryGetProperty("roles", out var delegated) && delegated.ValueKind == JsonValueKind.Array)
        {
            var delegationKeys = TufRole.KeysOf(delegations.TryGetProperty("keys", out var dk) ? dk : default);
            foreach (var role in delegated.EnumerateArray().Take(maxDelegations))
            {
                if (role.ValueKind != JsonValueKind.Object || !role.TryGetProperty("name", out var nameElement)
                    || nameElement.ValueKind != JsonValueKind.String || nameElement.GetString() is not { } name
                    || !name.StartsWith("targets/", StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal)
                    || await fetch(name, cancellationToken) is not { } bytes)
                {
                    continue;
                }

                var (ids, threshold) = TufRole.Delegation(role);
                if (TufRole.Parse(name, "Targets", bytes, delegationKeys, ids, threshold) is not { } verified)
                {
                    continue;
                }

                var paths = role.TryGetProperty("paths", out var p) && p.ValueKind == JsonValueKind.Array
                    ? p.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : "\0").ToList()
                    : [];
                result.Add(new(verified, verified.TargetsByDigest(paths), targets.Verified ? null : "the notary targets role that delegates to it is not signed by its keys"));
            }
        }

        return new NotaryTrustData(result, rootProblem);
    }
}
