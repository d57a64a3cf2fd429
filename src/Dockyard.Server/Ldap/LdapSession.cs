using System.DirectoryServices.Protocols;
using System.Net;

namespace Dockyard.Server.Ldap;

/// <summary>
/// One connection to the directory, bound as the search account. Blocking (the LDAP client library is): callers run
/// it through <see cref="LdapDirectoryRunner"/>, never on the thread pool. Connect, bind and StartTLS are limited by
/// libldap to <see cref="LdapSettings.Timeout"/> (<see cref="LdapNativeTimeouts"/>), searches by the request's own
/// time limit. One operation at a time; <see cref="Dispose"/> may come from another thread while an abandoned
/// operation still runs, and then closes the connection when that operation ends.
/// </summary>
internal sealed class LdapSession : IDisposable
{
    private const int InvalidCredentials = 49;
    private const int TimedOut = 85;

    private readonly LdapConnection _connection;
    private readonly LdapSettings _settings;
    private readonly Lock _state = new();
    private int _inUse;
    private bool _closed;

    private LdapSession(LdapConnection connection, LdapSettings settings)
    {
        _connection = connection;
        _settings = settings;
    }

    /// <summary>Connects (TLS as configured) and binds with the search account.</summary>
    public static LdapSession Open(LdapSettings settings)
    {
        var connection = Connect(settings);
        try
        {
            connection.Bind(new NetworkCredential(settings.BindDn, settings.BindPassword ?? string.Empty));
        }
        catch (LdapException ex) when (ex.ErrorCode == InvalidCredentials)
        {
            connection.Dispose();
            throw new LdapDirectoryException("The directory refused the bind account's credentials (invalid credentials).", ex);
        }
        catch (LdapException ex)
        {
            connection.Dispose();
            throw Failure(settings, $"Could not connect and bind to {settings.Url}", Describe(ex), ex);
        }

        return new LdapSession(connection, settings);
    }

    /// <summary>
    /// True when <paramref name="password"/> is the password of <paramref name="dn"/>: a bind as the user on a fresh
    /// connection. An empty password is refused here, because to LDAP it means an anonymous bind that "succeeds".
    /// </summary>
    public static bool VerifyPassword(LdapSettings settings, string dn, string password)
    {
        if (string.IsNullOrEmpty(password) || string.IsNullOrEmpty(dn))
        {
            return false;
        }

        using var connection = Connect(settings);
        try
        {
            connection.Bind(new NetworkCredential(dn, password));
            return true;
        }
        catch (LdapException ex) when (ex.ErrorCode == InvalidCredentials)
        {
            return false;
        }
        catch (LdapException ex)
        {
            throw Failure(settings, "Binding as the user failed", Describe(ex), ex);
        }
    }

    /// <summary>
    /// The one entry the user filter finds for <paramref name="username"/>, or null when there is none (or its
    /// username attribute is not the name asked for). More than one match is an error, never a guess.
    /// </summary>
    public LdapUserEntry? FindUser(string username) => Use(() => Find(username));

    public void Dispose()
    {
        lock (_state)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            if (_inUse > 0)
            {
                return; // the operation still running closes it
            }
        }

        _connection.Dispose();
    }

    private T Use<T>(Func<T> operation)
    {
        lock (_state)
        {
            if (_closed)
            {
                throw new LdapDirectoryException("The directory session was closed.");
            }

            _inUse++;
        }

        try
        {
            return operation();
        }
        finally
        {
            bool close;
            lock (_state)
            {
                _inUse--;
                close = _closed && _inUse == 0;
            }

            if (close)
            {
                _connection.Dispose();
            }
        }
    }

    private LdapUserEntry? Find(string username)
    {
        var attributes = new List<string> { _settings.UsernameAttribute, _settings.EmailAttribute, _settings.DisplayNameAttribute };
        if (!string.IsNullOrWhiteSpace(_settings.UserGroupsAttribute))
        {
            attributes.Add(_settings.UserGroupsAttribute);
        }

        var filter = LdapFilter.Format(_settings.UserFilter, username);
        var entries = Search(_settings.UserSearchBase, filter, [.. attributes]);
        if (entries.Count == 0)
        {
            return null;
        }

        if (entries.Count > 1)
        {
            throw new LdapDirectoryException($"The user filter matches {entries.Count} entries for one login name; it must match at most one.");
        }

        var entry = entries[0];
        var name = FirstValue(entry, _settings.UsernameAttribute);

        // Defence in depth: whatever the filter says, the entry must carry exactly the name that logs in.
        if (name is null || !string.Equals(name.Trim(), username, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var groups = !string.IsNullOrWhiteSpace(_settings.UserGroupsAttribute)
            ? AllValues(entry, _settings.UserGroupsAttribute)
            : FindGroupsOf(entry.DistinguishedName);
        return new LdapUserEntry(
            entry.DistinguishedName,
            name.Trim().ToLowerInvariant(),
            FirstValue(entry, _settings.EmailAttribute),
            FirstValue(entry, _settings.DisplayNameAttribute),
            groups);
    }

    private List<string> FindGroupsOf(string userDn)
    {
        if (string.IsNullOrWhiteSpace(_settings.GroupSearchBase))
        {
            return [];
        }

        var filter = LdapFilter.AndEquals(_settings.GroupFilter, _settings.GroupMemberAttribute, userDn);
        // "1.1" asks for no attributes: only the DNs are needed.
        return [.. Search(_settings.GroupSearchBase, filter, "1.1").Select(e => e.DistinguishedName)];
    }

    private List<SearchResultEntry> Search(string searchBase, string filter, params string[] attributes)
    {
        var request = new SearchRequest(searchBase, filter, SearchScope.Subtree, attributes) { TimeLimit = _settings.Timeout };
        try
        {
            var response = (SearchResponse)_connection.SendRequest(request, _settings.Timeout);
            return [.. response.Entries.Cast<SearchResultEntry>()];
        }
        catch (DirectoryOperationException ex) when (ex.Response?.ResultCode == ResultCode.NoSuchObject)
        {
            // A missing base is a configuration error, not "no such user": sync must not deactivate anyone over it.
            throw new LdapDirectoryException($"The search base '{searchBase}' does not exist in the directory.", ex);
        }
        catch (DirectoryOperationException ex)
        {
            throw new LdapDirectoryException($"Search in '{searchBase}' failed: {ex.Response?.ResultCode} {ex.Message}", ex);
        }
        catch (LdapException ex)
        {
            throw new LdapDirectoryException($"Search in '{searchBase}' failed: {Describe(ex)}", ex);
        }
    }

    private static LdapConnection Connect(LdapSettings settings)
    {
        if (!Uri.TryCreate(settings.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("ldap" or "ldaps"))
        {
            throw new LdapDirectoryException($"'{settings.Url}' is not an ldap:// or ldaps:// URL.");
        }

        var secure = uri.Scheme == "ldaps";
        var port = uri.IsDefaultPort || uri.Port <= 0 ? (secure ? 636 : 389) : uri.Port;
        var connection = LdapNativeTimeouts.CreateConnection(new LdapDirectoryIdentifier(uri.DnsSafeHost, port), settings.Timeout);
        connection.AuthType = AuthType.Basic;
        connection.Timeout = settings.Timeout;
        try
        {
            var options = connection.SessionOptions;
            options.ProtocolVersion = 3;
            // Active Directory answers searches at a domain root with referrals; chasing them hangs on unreachable DCs.
            options.ReferralChasing = ReferralChasingOptions.None;
            if (secure)
            {
                options.SecureSocketLayer = true;
            }

            // On Windows the system certificate store decides; the directory option is OpenLDAP's.
            if (!string.IsNullOrWhiteSpace(settings.TrustedCertificatesDirectory) && !OperatingSystem.IsWindows())
            {
                options.TrustedCertificatesDirectory = settings.TrustedCertificatesDirectory;
                options.StartNewTlsSessionContext();
            }

            if (settings.StartTls && !secure)
            {
                // On Linux the client opens the socket lazily, at the first bind, and StartTLS on an unopened
                // connection fails with "server unavailable". An anonymous bind (no credentials on the wire) opens
                // it; a server that refuses anonymous binds has still opened the socket, so its answer is ignored.
                connection.AuthType = AuthType.Anonymous;
                try
                {
                    connection.Bind();
                }
                catch (LdapException)
                {
                    // StartTLS below reports whether the connection is usable.
                }

                options.StartTransportLayerSecurity(null);
                connection.AuthType = AuthType.Basic;
            }

            return connection;
        }
        catch (Exception ex) when (ex is LdapException or DirectoryOperationException or TlsOperationException)
        {
            connection.Dispose();
            throw Failure(settings, $"Could not connect to {settings.Url}", ex is LdapException ldap ? Describe(ldap) : ex.Message, ex);
        }
    }

    /// <summary>
    /// A connect/bind failure for the administrator. libldap reports TLS failures as "server unavailable", so on a
    /// TLS connection the handshake is repeated to name a certificate problem if there is one.
    /// </summary>
    private static LdapDirectoryException Failure(LdapSettings settings, string what, string reason, Exception ex)
    {
        // Not after a timeout: a silent server would only make the probe wait as long again.
        if (ex is not LdapException { ErrorCode: TimedOut } && Uri.TryCreate(settings.Url, UriKind.Absolute, out var uri) && (uri.Scheme == "ldaps" || settings.StartTls))
        {
            var secure = uri.Scheme == "ldaps";
            var port = uri.IsDefaultPort || uri.Port <= 0 ? (secure ? 636 : 389) : uri.Port;
            if (LdapTlsProbe.DescribeCertificateProblem(uri.DnsSafeHost, port, !secure, settings.TrustedCertificatesDirectory, settings.Timeout) is { } problem)
            {
                return new LdapDirectoryException($"{what}: TLS failed because {problem}. ({reason})", ex);
            }
        }

        return new LdapDirectoryException($"{what}: {reason}", ex);
    }

    private static string Describe(LdapException ex) =>
        string.IsNullOrEmpty(ex.ServerErrorMessage) ? $"{ex.Message} (LDAP error {ex.ErrorCode})" : $"{ex.Message} (LDAP error {ex.ErrorCode}: {ex.ServerErrorMessage})";

    private static string? FirstValue(SearchResultEntry entry, string attribute) =>
        entry.Attributes.Contains(attribute) && entry.Attributes[attribute].GetValues(typeof(string)) is [string first, ..] ? first : null;

    private static List<string> AllValues(SearchResultEntry entry, string attribute) =>
        entry.Attributes.Contains(attribute) ? [.. entry.Attributes[attribute].GetValues(typeof(string)).Cast<string>()] : [];
}
