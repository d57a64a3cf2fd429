namespace Dockyard.Server.Ldap;

/// <summary>
/// The directory could not answer (unreachable, TLS, bind account refused, bad search base, ambiguous user). The
/// message is safe to show an administrator: it never contains a password.
/// </summary>
internal sealed class LdapDirectoryException : Exception
{
    public LdapDirectoryException(string message)
        : base(message)
    {
    }

    public LdapDirectoryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public LdapDirectoryException()
    {
    }

    /// <summary>The directory did not answer within the time limit (the operation was abandoned).</summary>
    public bool TimedOut { get; init; }

    /// <summary>Refused without asking the directory: too many operations were already running or waiting.</summary>
    public bool Busy { get; init; }
}
