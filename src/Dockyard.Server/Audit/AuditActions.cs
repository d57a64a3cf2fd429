namespace Dockyard.Server.Audit;

/// <summary>The stable dotted action names. Renaming one breaks consumers' queries: add, never rename.</summary>
internal static class AuditActions
{
    public const string LoginSuccess = "auth.login.success";
    public const string LoginFailure = "auth.login.failure";
    public const string TokenIssue = "auth.token.issue";
    public const string CredentialRejected = "auth.credential.rejected";

    public const string ManifestPull = "registry.manifest.pull";
    public const string ManifestPush = "registry.manifest.push";
    public const string ManifestDelete = "registry.manifest.delete";
    public const string TagDelete = "registry.tag.delete";
    public const string BlobMount = "registry.blob.mount";
    public const string BlobDelete = "registry.blob.delete";
    public const string RegistryDenied = "registry.access.denied";
    public const string RegistryError = "registry.request.error";

    public const string RepositoryCreate = "repository.create";
    public const string RepositoryUpdate = "repository.update";
    public const string RepositoryVisibilityChange = "repository.visibility.change";
    public const string RepositoryDelete = "repository.delete";
    public const string PermissionGrant = "repository.permission.grant";
    public const string PermissionRevoke = "repository.permission.revoke";

    public const string UserCreate = "user.create";
    public const string UserUpdate = "user.update";
    public const string UserDelete = "user.delete";
    public const string UserPasswordReset = "user.password.reset";
    public const string UserPasswordChange = "user.password.change";
    public const string UserSessionsEnd = "user.sessions.end";
    public const string SessionEnd = "session.end";
    public const string UserDeactivate = "user.deactivate";
    public const string UserUnlock = "user.unlock";

    public const string OrgCreate = "org.create";
    public const string OrgUpdate = "org.update";
    public const string OrgDelete = "org.delete";
    public const string OrgMemberAdd = "org.member.add";
    public const string OrgMemberUpdate = "org.member.update";
    public const string OrgMemberRemove = "org.member.remove";

    public const string TeamCreate = "team.create";
    public const string TeamUpdate = "team.update";
    public const string TeamDelete = "team.delete";
    public const string TeamMemberAdd = "team.member.add";
    public const string TeamMemberRemove = "team.member.remove";

    public const string ServiceAccountCreate = "serviceaccount.create";
    public const string ServiceAccountUpdate = "serviceaccount.update";
    public const string ServiceAccountDelete = "serviceaccount.delete";
    public const string AccessTokenCreate = "accesstoken.create";
    public const string AccessTokenRevoke = "accesstoken.revoke";

    public const string WebhookCreate = "webhook.create";
    public const string WebhookUpdate = "webhook.update";
    public const string WebhookDelete = "webhook.delete";
    public const string WebhookTest = "webhook.test";
    public const string WebhookRedeliver = "webhook.redeliver";

    public const string LdapSettingsUpdate = "settings.ldap.update";
    public const string LdapSync = "ldap.sync";
    public const string KeyRotate = "keys.rotate";
    public const string LdapTest = "ldap.test";

    public const string SystemGc = "system.gc";
    public const string SystemGcRequest = "system.gc.request";
    public const string GcScheduleUpdate = "settings.gc.update";
    public const string GcScheduleReset = "settings.gc.reset";
    public const string RetentionRun = "retention.run";
    public const string ImmutabilityRuleCreate = "policy.immutability.create";
    public const string ImmutabilityRuleDelete = "policy.immutability.delete";
    public const string RetentionPolicyUpdate = "policy.retention.update";
    public const string RetentionPolicyDelete = "policy.retention.delete";
    public const string QuotaUpdate = "policy.quota.update";

    public const string EngineCreate = "engine.create";
    public const string EngineDelete = "engine.delete";

    /// <summary>A terminal started (or refused, or failed to start) in a container: command and user, never keystrokes.</summary>
    public const string ContainerExec = "container.exec";
    public const string GrantCreate = "grant.create";
    public const string GrantDelete = "grant.delete";
    public const string NodeUpdate = "node.update";
    public const string NodeRemove = "node.remove";
    public const string SwarmJoinTokenRotate = "swarm.join-token.rotate";
    public const string ContainerStart = "container.start";
    public const string ContainerStop = "container.stop";
    public const string ContainerRestart = "container.restart";
    public const string ContainerKill = "container.kill";
    public const string ContainerPause = "container.pause";
    public const string ContainerUnpause = "container.unpause";
    public const string ContainerRemove = "container.remove";
    public const string ImagePull = "image.pull";
    public const string ImageRemove = "image.remove";

    public const string StackDeploy = "stack.deploy";
    public const string StackUpdate = "stack.update";
    public const string StackRollback = "stack.rollback";
    public const string StackScale = "stack.scale";
    public const string StackRedeploy = "stack.redeploy";
    public const string StackRemove = "stack.remove";
    public const string StackAdopt = "stack.adopt";
    public const string StackServiceRollback = "stack.service.rollback";
    public const string StackFollowRedeploy = "stack.follow.redeploy";
    public const string StackHookCreate = "stack.hook.create";
    public const string StackHookDelete = "stack.hook.delete";

    /// <summary>A call of a stack's redeploy hook: success or refusal, never the token.</summary>
    public const string StackHookCall = "stack.hook.call";

    public const string AuditExport = "audit.export";
    public const string AuditCheckpoint = "audit.checkpoint";

    // Content trust: keys of organizations and teams whose signatures count (fingerprint audited, never key material).
    public const string TrustKeyCreate = "trust-key.create";
    public const string TrustKeyRevoke = "trust-key.revoke";

    // Content trust, server-side signing: key (org/name), fingerprint and digest recorded, never key material.
    public const string SignatureCreate = "signature.create";

    // Content trust (issue #18): signature policies of an organization.
    public const string TrustPolicyCreate = "trust-policy.create";
    public const string TrustPolicyUpdate = "trust-policy.update";
    public const string TrustPolicyDelete = "trust-policy.delete";

    // Operations (issue #20): a backup taken (its time is the "backup age" `upgrade --check` reports) and a restore
    // (the restored chain continues in a new id range, so exports never reuse an id a SIEM already has).
    public const string SystemBackup = "system.backup";
    public const string SystemRestore = "system.restore";
}
