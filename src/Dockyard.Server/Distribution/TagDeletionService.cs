using Dockyard.Registry;
using Dockyard.Registry.Content;
using Dockyard.Registry.Errors;
using Dockyard.Server.Access;
using Dockyard.Server.Audit;

namespace Dockyard.Server.Distribution;

/// <summary>
/// Deletes a tag for a caller outside <c>/v2</c> (the web UI's delete button): authorized like a <c>/v2</c> DELETE (the
/// delete action on the repository, against the live account) and recorded exactly as <see cref="RegistryAuditRecorder"/>
/// records one: <c>registry.tag.delete</c> with repository and tag; a refusal (no delete right, an immutable tag) is
/// <c>denied</c>, any other registry error <c>failed</c>, with the registry's code and message as the reason.
/// </summary>
internal sealed class TagDeletionService(ManifestService manifests, IAccessAuthorizer authorizer, AuditTrail trail)
{
    /// <summary>The reason a caller without the delete right is given.</summary>
    public const string NotAllowed = "You may not delete tags in this repository.";

    /// <summary>Deletes <paramref name="tag"/> (its manifest stays while other tags or digests use it).</summary>
    /// <exception cref="RegistryException">Refused (<see cref="RegistryErrorCode.Denied"/>), unknown tag, or another registry error.</exception>
    public async Task DeleteAsync(Caller caller, RepositoryName repository, string tag, CancellationToken cancellationToken)
    {
        var entry = new AuditEvent { Action = AuditActions.TagDelete, Repository = repository.Value, Reference = tag };
        var actions = await authorizer.GetRepositoryActionsAsync(caller.Principal, repository, cancellationToken);
        if (!actions.HasFlag(RepositoryActions.Delete))
        {
            var refused = new RegistryException(RegistryErrorCode.Denied, NotAllowed);
            await trail.RecordAsync(entry with { Outcome = AuditOutcomes.Denied, Reason = $"{refused.Code}: {refused.Message}" }, caller.Context, CancellationToken.None);
            throw refused;
        }

        try
        {
            await manifests.DeleteAsync(repository, Reference.ForTag(tag), cancellationToken);
        }
        catch (RegistryException error)
        {
            var outcome = error.Code == RegistryErrorCode.Denied ? AuditOutcomes.Denied : AuditOutcomes.Failed;
            await trail.RecordAsync(entry with { Outcome = outcome, Reason = $"{error.Code}: {error.Message}" }, caller.Context, CancellationToken.None);
            throw;
        }

        await trail.RecordAsync(entry, caller.Context, CancellationToken.None);
    }
}
