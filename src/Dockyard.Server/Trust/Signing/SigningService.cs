using Dockyard.Registry;
using Dockyard.Registry.Content;
using Dockyard.Registry.Errors;
using Dockyard.Server.Access;
using Dockyard.Server.Addressing;
using Dockyard.Server.Audit;
using Dockyard.Server.Errors;
using Dockyard.Server.Trust.Keys;

namespace Dockyard.Server.Trust.Signing;

/// <summary>
/// Server-side signing with a key Dockyard holds (<c>POST /api/v1/repositories/{name}/manifests/{reference}/signatures</c>,
/// <c>dockyard sign</c>). Authorized here — the caller may push to the repository (<see cref="IAccessAuthorizer"/>) and may
/// use the key (<see cref="SigningKeyAccess"/>) — and audited here as <c>signature.create</c> with the key's fingerprint
/// and the digest signed. The key must neither be revoked nor expired, and Dockyard must hold it (409 saying which). The signature is written by
/// <see cref="SignatureWriter"/> through the registry's write path: a refusal there (an immutability rule matching the
/// <c>.sig</c> tag, a quota) is a 409 carrying the registry's message.
/// </summary>
internal sealed class SigningService(
    SigningKeyStore keys,
    SigningKeyAccess keyAccess,
    TrustKeyService trustKeys,
    IAccessAuthorizer authorizer,
    ManifestService manifests,
    SignatureWriter writer,
    PublicUrl publicUrl,
    AuditedOperations audited)
{
    /// <summary>Signs the manifest <paramref name="reference"/> (a digest, or a tag resolved now) of <paramref name="repository"/> with key <paramref name="keyName"/> (<c>org/name</c>).</summary>
    public Task<SignatureView> SignAsync(Caller caller, RepositoryName repository, Reference reference, string? keyName, CancellationToken cancellationToken)
    {
        HeldSigningKey? key = null;
        return audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.SignatureCreate, $"repositories/{repository.Value}/manifests/{reference}/signatures") { Repository = repository.Value }
                .WithFields(("key", keyName), ("reference", reference.ToString())),
            async token =>
            {
                var (organization, name) = ParseKeyName(keyName);
                var decision = await authorizer.RequireVisibleAsync(
                    caller.Principal,
                    Operation.RepositoryPull,
                    Operation.RepositoryPush,
                    Resource.ForRepository(repository),
                    ($"{caller.Principal.Name} may not pull {repository.Value}", $"No repository {repository.Value}.", $"Signing needs push access to {repository.Value}."),
                    token);
                if (!decision.IsAllowed)
                {
                    return decision;
                }

                key = await keys.FindAsync(organization, name, token) ?? throw DomainException.NotFound(SigningKeyAccess.NotFound($"{organization}/{name}"));
                return await keyAccess.DecideAsync(caller.Principal, key, token);
            },
            token => SignAsync(repository, reference, key!, token),
            cancellationToken,
            resultOf: view => AuditedResult.Of(("digest", view.Digest), ("fingerprint", view.Fingerprint), ("added", view.Created)));
    }

    private async Task<SignatureView> SignAsync(RepositoryName repository, Reference reference, HeldSigningKey key, CancellationToken cancellationToken)
    {
        Digest digest;
        try
        {
            digest = (await manifests.ResolveAsync(repository, reference, cancellationToken)).Digest;
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.ManifestUnknown)
        {
            throw DomainException.NotFound($"No manifest {reference} in {repository.Value}.");
        }

        var host = publicUrl.Authority ?? throw DomainException.Unavailable("The server's public address is not known yet; try again once it listens.");

        // Revoked, expired or not held by Dockyard: a conflict saying which.
        using var privateKey = await trustKeys.OpenSigningKeyAsync(key.Organization, key.Name, cancellationToken);
        WrittenSignature written;
        try
        {
            written = await writer.WriteAsync(repository, digest, $"{host}/{repository.Value}", privateKey, cancellationToken);
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.Denied)
        {
            throw DomainException.Conflict($"The registry refused the signature: {e.Message}");
        }
        catch (RegistryException e) when (e.Code is RegistryErrorCode.TooManyRequests or RegistryErrorCode.Unavailable)
        {
            throw DomainException.Unavailable($"The signature could not be stored now ({e.Message}); try again.");
        }

        return new SignatureView(
            repository.Value, digest.Value, key.FullName, key.Fingerprint, key.Team, written.DockerReference, written.Tag,
            written.SignatureManifest.Value, written.Payload.Value, written.SignatureBase64, written.SignedAt, written.Added);
    }

    private static (string Organization, string Name) ParseKeyName(string? keyName)
    {
        var slash = keyName?.IndexOf('/') ?? -1;
        if (keyName is null || slash <= 0 || slash == keyName.Length - 1 || keyName.IndexOf('/', slash + 1) >= 0)
        {
            throw DomainException.Invalid("key", "Name the key as organization/name, e.g. {\"key\": \"acme/release\"}.");
        }

        return (keyName[..slash], keyName[(slash + 1)..]);
    }
}
