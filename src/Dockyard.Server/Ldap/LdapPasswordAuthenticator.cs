using Dockyard.Server.Access;
using Dockyard.Server.Identity;

namespace Dockyard.Server.Ldap;

/// <summary>
/// Login against LDAP / Active Directory: find the user with the search account, bind as the user with the given
/// password, then create or update the local record and sync its teams. Returns null (not mine) when LDAP is off
/// or the directory has no such user, so other sources may answer. Empty passwords are refused before the directory
/// is asked; the directory conversation runs through <see cref="LdapDirectoryRunner"/> (bounded in time and number).
/// </summary>
internal sealed partial class LdapPasswordAuthenticator(
    LdapSettingsStore settingsStore,
    LdapAccountSync accounts,
    LdapDirectoryRunner runner,
    ILogger<LdapPasswordAuthenticator> logger) : IExternalPasswordAuthenticator
{
    public async Task<AuthenticationResult?> AuthenticateAsync(string username, string password, CancellationToken cancellationToken)
    {
        var settings = await settingsStore.GetAsync(cancellationToken);
        if (!settings.Enabled || string.IsNullOrEmpty(username))
        {
            return null;
        }

        // To LDAP an empty password is an anonymous bind that "succeeds": refused here, with no directory I/O.
        if (string.IsNullOrEmpty(password))
        {
            return AuthenticationResult.Failure("empty password");
        }

        LdapUserEntry? entry;
        bool passwordMatches;
        try
        {
            (entry, passwordMatches) = await runner.RunAsync(
                settings.Url,
                settings.Timeout,
                abandoned =>
                {
                    using var session = LdapSession.Open(settings);
                    abandoned.ThrowIfCancellationRequested();
                    var found = session.FindUser(username);
                    abandoned.ThrowIfCancellationRequested();
                    return (found, found is not null && LdapSession.VerifyPassword(settings, found.Dn, password));
                },
                cancellationToken);
        }
        catch (LdapDirectoryException ex)
        {
            LogDirectoryFailed(ex.Message);
            return AuthenticationResult.Failure(ex.Busy ? "directory busy" : ex.TimedOut ? "directory timed out" : "directory unavailable");
        }

        if (entry is null)
        {
            return null;
        }

        if (!passwordMatches)
        {
            return AuthenticationResult.Failure("wrong password");
        }

        var applied = await accounts.ApplyAsync(entry, settings, isLogin: true, cancellationToken);
        if (applied.User is not { } user || applied.Refusal is not null)
        {
            LogRefused(entry.Username, applied.Refusal ?? "refused");
            return AuthenticationResult.Failure(applied.Refusal ?? "refused");
        }

        return AuthenticationResult.Success(new Principal
        {
            Kind = PrincipalKind.User,
            Name = user.Username,
            UserId = user.Id,
            IsAdmin = user.IsAdmin,
            AuthMethod = AuthMethods.Ldap,
        });
    }

    [LoggerMessage(EventId = 5131, Level = LogLevel.Warning, Message = "LDAP login could not reach the directory: {Reason}")]
    private partial void LogDirectoryFailed(string reason);

    [LoggerMessage(EventId = 5132, Level = LogLevel.Information, Message = "LDAP login of {Username} refused: {Reason}")]
    private partial void LogRefused(string username, string reason);
}
