using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Ldap;

/// <summary>
/// The administrator's LDAP operations, for the API and the UI alike: saving the settings and "test connection"
/// (the sync is <see cref="LdapSynchronizer.SyncAllAsync"/>). Each takes the <see cref="Caller"/>, is authorized here
/// (system administrators with a full-rights credential; a scoped token is not enough) and recorded here, success and
/// refusal (<see cref="AuditedOperations"/>). The settings and the bind password never reach the details.
/// </summary>
internal sealed class LdapAdministration(LdapSettingsStore store, LdapSynchronizer synchronizer, AuditedOperations audited)
{
    /// <summary>Whether <paramref name="principal"/> may change LDAP settings and run the directory operations.</summary>
    public static AccessDecision Authorize(Principal principal) =>
        principal.Kind == PrincipalKind.System || (principal is { Kind: PrincipalKind.User, IsAdmin: true, Scopes: null })
            ? AccessDecision.Allowed
            : AccessDecision.Deny("LDAP settings are for system administrators.", DomainException.Forbidden("LDAP settings are for system administrators."));

    /// <summary>
    /// Validates and stores <paramref name="settings"/>; an absent (null) bind password keeps the stored one, so a
    /// client can edit other fields without knowing it. Null settings are <paramref name="invalid"/>'s message.
    /// </summary>
    public Task<LdapSettings> SaveSettingsAsync(Caller caller, LdapSettings? settings, CancellationToken cancellationToken, string? invalid = null) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.LdapSettingsUpdate, "ldap/settings").WithFields(("enabled", settings?.Enabled)),
            _ => Task.FromResult(Authorize(caller.Principal)),
            async token =>
            {
                if (settings is null)
                {
                    throw DomainException.Invalid("settings", invalid ?? "Send the settings.");
                }

                var errors = LdapSettingsValidator.Validate(settings);
                if (errors.Count > 0)
                {
                    var (field, messages) = errors.First();
                    throw DomainException.Invalid(field, errors.Count == 1 ? string.Join(" ", messages) : string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
                }

                var current = await store.GetAsync(token);
                var merged = settings with { BindPassword = settings.BindPassword ?? current.BindPassword };
                await store.SaveAsync(merged, token);
                return merged;
            },
            cancellationToken);

    /// <summary>
    /// Connects and binds with <paramref name="candidate"/> settings (the stored ones when null; an absent bind password
    /// is the stored one) and, with <paramref name="username"/>, finds that user. A test that could not connect is
    /// answered, and recorded as failed with its message.
    /// </summary>
    public Task<LdapConnectionTestResult> TestAsync(Caller caller, LdapSettings? candidate, string? username, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.LdapTest, "ldap/test").WithFields(("username", string.IsNullOrWhiteSpace(username) ? null : username.Trim())),
            _ => Task.FromResult(Authorize(caller.Principal)),
            async token =>
            {
                var stored = await store.GetAsync(token);
                var settings = candidate is null ? stored : candidate with { BindPassword = candidate.BindPassword ?? stored.BindPassword };
                return string.IsNullOrWhiteSpace(settings.Url)
                    ? new LdapConnectionTestResult(false, "No LDAP URL is configured.")
                    : await synchronizer.TestAsync(settings, string.IsNullOrWhiteSpace(username) ? null : username.Trim(), token);
            },
            cancellationToken,
            resultOf: result => new AuditedResult([], result.Success ? null : result.Message));
}
