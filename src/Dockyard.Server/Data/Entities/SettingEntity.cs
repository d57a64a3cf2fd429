namespace Dockyard.Server.Data.Entities;

/// <summary>A settings document edited at run time (e.g. LDAP), stored as JSON under a key.</summary>
internal sealed class SettingEntity
{
    public required string Key { get; set; }

    public required string ValueJson { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
