using System.Text.Json.Nodes;
using Dockyard.Server.Data;
using Dockyard.Server.Protection;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Ldap;

/// <summary>The bind password inside the <c>ldap</c> settings row (<see cref="LdapSettingsStore"/>), sealed by <see cref="SecretProtector"/>.</summary>
internal sealed class LdapSettingsSecrets(IDbContextFactory<DockyardDbContext> contexts) : IProtectedSecretStore
{
    // LdapSettings serialized with the web defaults (camelCase).
    private const string PasswordProperty = "bindPassword";

    public string Name => "LDAP bind password";

    public bool AnyProtected()
    {
        using var db = contexts.CreateDbContext();
        var json = db.Settings.AsNoTracking().Where(s => s.Key == LdapSettings.SettingKey).Select(s => s.ValueJson).FirstOrDefault();
        return json is not null && SecretProtector.IsProtected(PasswordOf(JsonNode.Parse(json)));
    }

    public async Task<int> ProtectClearValuesAsync(SecretProtector protector, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Settings.FirstOrDefaultAsync(s => s.Key == LdapSettings.SettingKey, cancellationToken);
        var settings = row is null ? null : JsonNode.Parse(row.ValueJson);
        if (row is null || settings is null || PasswordOf(settings) is not { } password || SecretProtector.IsProtected(password))
        {
            return 0;
        }

        settings[PasswordProperty] = protector.Protect(password);
        row.ValueJson = settings.ToJsonString();
        await db.SaveChangesAsync(cancellationToken);
        return 1;
    }

    private static string? PasswordOf(JsonNode? settings) =>
        settings is JsonObject settingsObject && settingsObject[PasswordProperty] is JsonValue value && value.TryGetValue<string>(out var password)
            ? password
            : null;
}
