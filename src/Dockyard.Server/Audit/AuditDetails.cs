using System.Text.Json;

namespace Dockyard.Server.Audit;

/// <summary>
/// The details column of management entries: a JSON object of allow-listed request fields, then the caller's notes.
/// One allow-list serves every audited service; passwords, LDAP settings, webhook URLs
/// and secrets (a hook URL often carries its own credential) are never on it.
/// </summary>
internal static class AuditDetails
{
    /// <summary>Request fields (camelCase) that may appear in details.</summary>
    public static readonly HashSet<string> SafeFields = new(StringComparer.Ordinal)
    {
        "username", "name", "newName", "description", "email", "displayName", "isAdmin", "isActive", "isOwner",
        "role", "visibility", "defaultMemberRole", "scopes", "expiresAt", "dryRun", "deleteUntaggedManifests",
        "tagPattern", "repositoryPattern", "enabled", "keepLastTags", "keepTags", "deleteUntaggedAfter", "includeRecent", "limitBytes",
        "events", "rotateSecret", "endpoint", "subjectKind", "subject", "collection",
        "manifestsDeleted", "linksDeleted", "blobsDeleted", "reclaimedBytes", "deferred", "durationSeconds", "interval",
        "repositories", "planned", "deleted", "failed", "checked", "deactivated", "teamsAdded", "teamsRemoved",
        "availability", "labels", "force",
        "container", "engine", "node", "command", "user",
        "containerId", "signal", "timeout", "volumes", "changed",
        "reference", "nodes", "image", "warnings", "keptInUse",
        "stack", "revision", "services", "images", "service", "replicas", "pull", "note",
        "hook",
        "team", "fingerprint", "algorithm", "generated", "reason",
        "key", "digest", "added",
        "mode", "teams", "enforceDeploy", "enforcePull", "pullPrincipalKinds",
        // Backup and restore (issue #20): where, what and how much; the audit id range a restore opens.
        "destination", "source", "blobs", "blobsCopied", "bytes", "bytesCopied", "tags", "manifests", "backupTime", "lastAuditId", AuditIdRange.AfterIdField, "idRule",
    };

    /// <summary>
    /// The details of <paramref name="action"/> for <paramref name="caller"/>, or null when there are none.
    /// A field off the allow-list is a programming error and throws, so it fails in tests rather than leaking.
    /// </summary>
    public static string? Of(AuditedAction action, Caller caller)
    {
        Dictionary<string, object?>? details = null;
        foreach (var (name, value) in action.Fields)
        {
            if (!SafeFields.Contains(name))
            {
                throw new InvalidOperationException($"Audit field '{name}' of {action.Action} is not on the allow-list.");
            }

            if (value is not null)
            {
                (details ??= [])[name] = value;
            }
        }

        foreach (var (name, value) in caller.Notes)
        {
            (details ??= [])[name] = value;
        }

        return details is null ? null : JsonSerializer.Serialize(details, AuditEntryResponse.JsonOptions);
    }
}
