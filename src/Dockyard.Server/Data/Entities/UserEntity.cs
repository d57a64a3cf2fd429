namespace Dockyard.Server.Data.Entities;

/// <summary>A person who can log in: local (password hash here) or from LDAP (bound against the directory).</summary>
internal sealed class UserEntity
{
    public long Id { get; set; }

    /// <summary>Lowercase login name; also the user's own repository namespace.</summary>
    public required string Username { get; set; }

    public string? Email { get; set; }

    public string? DisplayName { get; set; }

    /// <summary>Encoded password hash (algorithm, parameters, salt, hash); null for LDAP users.</summary>
    public string? PasswordHash { get; set; }

    public AccountSource Source { get; set; }

    /// <summary>The directory's identifier (DN) for LDAP users.</summary>
    public string? ExternalId { get; set; }

    public bool IsAdmin { get; set; }

    /// <summary>False for deactivated users (e.g. gone from LDAP): they cannot log in and their tokens stop working.</summary>
    public bool IsActive { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastLoginAt { get; set; }
}
