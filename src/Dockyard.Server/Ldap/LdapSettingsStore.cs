using System.Text.Json;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Protection;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Ldap;

/// <summary>
/// Reads and writes <see cref="LdapSettings"/> in the <c>settings</c> table. The first read of an empty table seeds
/// it from the configuration section <c>Dockyard:Ldap</c> (if present), after which the table is the truth. The bind
/// password is stored sealed by <see cref="SecretProtector"/> (<see cref="LdapSettingsSecrets"/>).
/// </summary>
internal sealed class LdapSettingsStore(IDbContextFactory<DockyardDbContext> contexts, IConfiguration configuration, TimeProvider time, SecretProtector protector)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Replaced on every save; the old one is cancelled, never disposed (holders may still link to its token, and a
    // source without a timer holds nothing to free).
    private CancellationTokenSource _changed = new();

    /// <summary>
    /// Cancelled when settings are next saved through this store (the API and the web UI do), so waiters such as the
    /// sync schedule apply them at once. Take it before reading the settings so no save is missed. This process only:
    /// other instances sharing the database see a change on their next read.
    /// </summary>
    public CancellationToken Changed => Volatile.Read(ref _changed).Token;

    public async Task<LdapSettings> GetAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == LdapSettings.SettingKey, cancellationToken);
        if (row is not null)
        {
            var stored = JsonSerializer.Deserialize<LdapSettings>(row.ValueJson, Json) ?? new LdapSettings();
            return stored.BindPassword is { } password ? stored with { BindPassword = protector.Unprotect(password) } : stored;
        }

        var section = configuration.GetSection(LdapSettings.Section);
        if (!section.Exists())
        {
            return new LdapSettings();
        }

        var seeded = section.Get<LdapSettings>() ?? new LdapSettings();
        await SaveAsync(seeded, cancellationToken);
        return seeded;
    }

    public async Task SaveAsync(LdapSettings settings, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var json = JsonSerializer.Serialize(settings.BindPassword is { } password ? settings with { BindPassword = protector.Protect(password) } : settings, Json);
        var row = await db.Settings.FirstOrDefaultAsync(s => s.Key == LdapSettings.SettingKey, cancellationToken);
        if (row is null)
        {
            db.Settings.Add(new SettingEntity { Key = LdapSettings.SettingKey, ValueJson = json, UpdatedAt = time.GetUtcNow() });
        }
        else
        {
            row.ValueJson = json;
            row.UpdatedAt = time.GetUtcNow();
        }

        await db.SaveChangesAsync(cancellationToken);
        Interlocked.Exchange(ref _changed, new CancellationTokenSource()).Cancel();
    }
}
